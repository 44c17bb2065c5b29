// One list panel for every list (lazydocker's SideListPanel idea): frame, title, filter,
// selection and a virtualised window of rows, configured by a definition of its keys, the
// data of one row and its columns. A Pods, Deployments or Runs panel is one more definition.
//
// Rendering stays cheap: only the visible window is rendered, each row is memoized on
// (key, layout, width, highlighted) and reads its own live data, and draws as one <Text>.

import { memo, useCallback, useMemo, type ComponentType, type ReactNode } from 'react';
import type { Severity } from '../../src/domain/types';
import type { PanelId } from '../../src/store/slices/ui-slice';
import type { OpsdeckState } from '../../src/store/store-types';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck } from '../store-context';
import { cellSegments, layoutColumns, type ColumnLayout, type ListColumn } from './list-columns';
import { PanelFrame } from './PanelFrame';
import { leadingCells, type PanelProps } from './row-cells';
import { usePanelList } from './use-panel-list';
import { VirtualRows } from './VirtualRows';

/** One row's live data and how it is marked. */
export interface ListRow<Data> {
  data: Data;
  /** Alert marker (panels with `markers: 'selection-and-alert'`). */
  severity?: Severity | undefined;
  /** Drawn dim: stale engine, old error. */
  dim?: boolean | undefined;
}

export interface ListPanelDefinition<Data> {
  panel: PanelId;
  /** Row keys in display order, filtered: a memoized store selector (the key dispatcher uses the same). */
  selectKeys(state: OpsdeckState): readonly string[];
  /** Frame title, given the keys shown and the filter. */
  useTitle(keys: readonly string[], filter: string): string;
  /** Reads one row's live data by key (a hook): only this row re-renders when it changes. */
  useRow(key: string): ListRow<Data> | undefined;
  columns: readonly ListColumn<Data>[];
  /** `› ` selection marker, or `›! ` selection and alert markers. */
  markers: 'selection' | 'selection-and-alert';
  /** Rows that do not follow the columns (a project heading) give their own segments. */
  spanningSegments?(data: Data, layout: ColumnLayout<Data>, glyphs: Glyphs): Segment[] | undefined;
  emptyText(filter: string): string;
  /** Lines above the rows (the host summary of the resources panel). */
  header?: { lines: number; Component: ComponentType<{ width: number }> };
}

export function markerWidth(markers: ListPanelDefinition<unknown>['markers']): number {
  return markers === 'selection-and-alert' ? 3 : 2;
}

/** Rows of the list in a panel `height` lines high (frame and header taken). */
export function listRowsIn(definition: Pick<ListPanelDefinition<unknown>, 'header'>, height: number): number {
  return Math.max(0, height - 2 - (definition.header?.lines ?? 0));
}

interface ListRowViewProps<Data> {
  definition: ListPanelDefinition<Data>;
  rowKey: string;
  layout: ColumnLayout<Data>;
  width: number;
  /** Selected in the focused panel: marker and inverse. Only this row re-renders when the selection moves. */
  highlighted: boolean;
}

function ListRowView<Data>(props: ListRowViewProps<Data>) {
  const { glyphs } = useDisplay();
  const { definition } = props;
  const row = definition.useRow(props.rowKey);
  if (!row) return null;
  const leading: Segment[] =
    definition.markers === 'selection-and-alert'
      ? leadingCells(props.highlighted, row.severity, glyphs)
      : [{ text: props.highlighted ? glyphs.selected : ' ', bold: true, tone: 'accent' }, { text: ' ' }];
  const content = definition.spanningSegments?.(row.data, props.layout, glyphs) ?? cellSegments(props.layout, row.data, glyphs);
  return <RowText segments={fitSegments([...leading, ...content], props.width, glyphs.ellipsis)} inverse={props.highlighted} dim={row.dim} />;
}

const MemoizedListRow = memo(ListRowView) as typeof ListRowView;

function ListPanelView<Data>(props: PanelProps & { definition: ListPanelDefinition<Data> }) {
  const { definition } = props;
  const keys = useOpsdeck(definition.selectKeys);
  const rows = listRowsIn(definition, props.height);
  const { filter, selectedIndex, info } = usePanelList(definition.panel, keys, rows);
  const title = definition.useTitle(keys, filter);
  const rowWidth = Math.max(0, props.width - 2);
  const layout = useMemo(
    () => layoutColumns(definition.columns, rowWidth - markerWidth(definition.markers)),
    [definition, rowWidth],
  );

  const renderRow = useCallback(
    (key: string, selected: boolean): ReactNode => (
      <MemoizedListRow key={key} definition={definition} rowKey={key} layout={layout} width={rowWidth} highlighted={selected && props.focused} />
    ),
    [definition, layout, rowWidth, props.focused],
  );

  const Header = definition.header?.Component;
  return (
    <PanelFrame title={title} info={info} width={props.width} height={props.height} focused={props.focused}>
      {Header && props.height > 2 ? <Header width={rowWidth} /> : null}
      <VirtualRows keys={keys} selectedIndex={selectedIndex} rows={rows} renderRow={renderRow} emptyText={definition.emptyText(filter)} />
    </PanelFrame>
  );
}

/** The panel component of a definition (define it once, at module level). */
export function listPanel<Data>(definition: ListPanelDefinition<Data>): ComponentType<PanelProps> {
  const Panel = memo(function ListPanel(props: PanelProps) {
    return <ListPanelView {...props} definition={definition} />;
  });
  Panel.displayName = `ListPanel(${definition.panel})`;
  return Panel;
}
