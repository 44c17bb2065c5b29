// One generic list panel: a new panel is a definition (keys, one row's data, columns),
// not a copy of frame + rows + selection.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/domain/types';
import { memoizeList } from '../../src/store/selectors/memoize';
import type { OpsdeckState } from '../../src/store/store-types';
import { DisplayProvider } from '../../views/display-context';
import { UNICODE_GLYPHS } from '../../views/format/glyphs';
import { cellSegments, layoutColumns, literalColumn, type ListColumn } from '../../views/panels/list-columns';
import { listPanel, type ListPanelDefinition } from '../../views/panels/ListPanel';
import { OpsdeckProvider, useOpsdeck } from '../../views/store-context';
import { createViewStore, engine, nextTick, recordingExecutor } from './fixtures';

const columns: ListColumn<{ name: string; count: number }>[] = [
  { id: 'name', width: 'fill', minWidth: 4, cell: (row) => row.name },
  literalColumn('label', ' n='),
  { id: 'count', width: 4, align: 'right', cell: (row) => String(row.count) },
  { id: 'wide-only', width: (contentWidth) => Math.floor(contentWidth / 4), hiddenBelow: 40, gap: 1, cell: () => 'extra' },
];

describe('list columns', () => {
  it('gives fixed and computed widths first and the rest to the fill column', () => {
    const layout = layoutColumns(columns, 60);
    expect(layout.columns.map((placed) => [placed.column.id, placed.width])).toEqual([
      ['name', 60 - 3 - 4 - 1 - 15],
      ['label', 3],
      ['count', 4],
      ['wide-only', 15],
    ]);
    const text = cellSegments(layout, { name: 'payments', count: 7 }, UNICODE_GLYPHS).map((segment) => segment.text).join('');
    expect(text).toHaveLength(60);
    expect(text).toMatch(/^payments\s+ n=   7 extra\s*$/);
  });

  it('leaves out narrow-only columns and keeps a fill column at its minimum', () => {
    expect(layoutColumns(columns, 30).columns.map((placed) => placed.column.id)).toEqual(['name', 'label', 'count']);
    expect(layoutColumns(columns, 5).columns[0]?.width).toBe(4);
    const cut = cellSegments(layoutColumns(columns, 12), { name: 'a-very-long-name', count: 1 }, UNICODE_GLYPHS);
    expect(cut[0]?.text).toBe('a-ve…');
  });
});

// A fifth panel, written as configuration only: the engines, one row each.
const selectEngineIds = memoizeList((engines: Record<string, EngineStatus>) => Object.keys(engines).sort());
const ENGINES_PANEL: ListPanelDefinition<EngineStatus> = {
  panel: 'gates',
  selectKeys: (state: OpsdeckState) => selectEngineIds(state.engines),
  useTitle: (keys) => `Engines (${keys.length})`,
  useRow(key) {
    const status = useOpsdeck((state) => state.engines[key]);
    return status ? { data: status, dim: status.state !== 'connected' } : undefined;
  },
  markers: 'selection',
  columns: [
    { id: 'label', width: 10, cell: (status) => ({ text: status.label, bold: true }) },
    { id: 'state', width: 'fill', gap: 1, cell: (status) => status.state },
  ],
  emptyText: () => 'no engines',
};
const EnginesPanel = listPanel(ENGINES_PANEL);

describe('a panel defined by configuration', () => {
  it('draws the frame, one row per key, the selection marker, and follows the store', async () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine({ id: 'local', label: 'local', state: 'connected' }));
    store.getState().engineRegistered(engine({ id: 'remote', label: 'remote', state: 'disconnected' }));
    store.getState().flush();
    const app = render(
      <OpsdeckProvider store={store} executor={recordingExecutor(store).executor}>
        <DisplayProvider ascii={false} color={false}>
          <EnginesPanel width={40} height={5} focused />
        </DisplayProvider>
      </OpsdeckProvider>,
    );
    await nextTick();
    const lines = (app.lastFrame() ?? '').split('\n');
    expect(lines[0]).toMatch(/^┏━ Engines \(2\) ━+┓$/);
    expect(lines[1]).toMatch(/^┃› local\s+connected\s+┃$/);
    expect(lines[2]).toMatch(/^┃  remote\s+disconnected\s+┃$/);
    expect(lines).toHaveLength(5);
    store.getState().engineStateChanged('remote', { state: 'connected' });
    store.getState().flush();
    await nextTick();
    expect(app.lastFrame()).toMatch(/remote\s+connected/);
    app.unmount();
  });
});
