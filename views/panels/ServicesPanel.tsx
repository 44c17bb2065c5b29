import { memo, useCallback, useMemo } from 'react';
import { selectServiceTree, type ServiceTreeRow } from '../../src/store/selectors/service-tree';
import { useOpsdeck } from '../store-context';
import { PanelFrame } from './PanelFrame';
import type { PanelProps } from './row-cells';
import { ServiceRow } from './ServiceRows';
import { usePanelList } from './use-panel-list';
import { VirtualRows } from './VirtualRows';

export function servicesTitle(visible: number, total: number, filter: string): string {
  return filter === '' ? `Services (${total})` : `Services (${visible}/${total})`;
}

export const ServicesPanel = memo(function ServicesPanel(props: PanelProps) {
  const tree = useOpsdeck(selectServiceTree);
  const { keys, rowByKey } = useMemo(
    () => ({ keys: tree.rows.map((row) => row.key), rowByKey: new Map<string, ServiceTreeRow>(tree.rows.map((row) => [row.key, row])) }),
    [tree],
  );
  const rows = Math.max(0, props.height - 2);
  const { filter, selectedIndex, info } = usePanelList('services', keys, rows);
  const rowWidth = Math.max(0, props.width - 2);

  const renderRow = useCallback(
    (key: string, selected: boolean) => {
      const row = rowByKey.get(key);
      if (!row) return null;
      return (
        <ServiceRow
          key={key}
          kind={row.kind}
          depth={row.depth}
          label={row.label}
          engineId={row.engineId}
          projectKey={row.projectKey}
          workloadKey={row.workloadKey}
          instanceKey={row.instanceKey}
          collapsed={row.collapsed === true}
          width={rowWidth}
          highlighted={selected && props.focused}
        />
      );
    },
    [rowByKey, rowWidth, props.focused],
  );

  return (
    <PanelFrame title={servicesTitle(tree.visibleContainerCount, tree.containerCount, filter)} info={info} width={props.width} height={props.height} focused={props.focused}>
      <VirtualRows
        keys={keys}
        selectedIndex={selectedIndex}
        rows={rows}
        renderRow={renderRow}
        emptyText={filter === '' ? 'no containers yet' : `no container matches "${filter}"`}
      />
    </PanelFrame>
  );
});
