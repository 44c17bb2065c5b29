import { memo, useCallback } from 'react';
import { selectResourceRowIds } from '../../src/store/selectors/resource-rows';
import { HOST_LINES } from '../layout/screen-layout';
import { useOpsdeck } from '../store-context';
import { HostSummary } from './HostSummary';
import { PanelFrame } from './PanelFrame';
import { ResourceRow } from './ResourceRow';
import type { PanelProps } from './row-cells';
import { usePanelList } from './use-panel-list';
import { VirtualRows } from './VirtualRows';

/** Host usage on top, then containers worst first with CPU sparklines. */
export const ResourcesPanel = memo(function ResourcesPanel(props: PanelProps) {
  const ids = useOpsdeck(selectResourceRowIds);
  const innerRows = Math.max(0, props.height - 2);
  const rows = Math.max(0, innerRows - HOST_LINES);
  const { filter, selectedIndex, info } = usePanelList('resources', ids, rows);
  const rowWidth = Math.max(0, props.width - 2);

  const renderRow = useCallback(
    (key: string, selected: boolean) => <ResourceRow key={key} instanceKey={key} width={rowWidth} highlighted={selected && props.focused} />,
    [rowWidth, props.focused],
  );

  return (
    <PanelFrame title="Resources" info={info} width={props.width} height={props.height} focused={props.focused}>
      {innerRows > 0 ? <HostSummary width={rowWidth} /> : null}
      <VirtualRows
        keys={ids}
        selectedIndex={selectedIndex}
        rows={rows}
        renderRow={renderRow}
        emptyText={filter === '' ? 'no container stats yet' : `no container matches "${filter}"`}
      />
    </PanelFrame>
  );
});
