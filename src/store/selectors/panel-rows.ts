// Row keys per panel and the selection within them. The key dispatcher and the panels
// use the same functions, so what j/k moves over is exactly what is drawn.

import type { OpsdeckState } from '../store-types';
import type { PanelId } from '../slices/ui-slice';
import { selectErrorRowKeys } from './error-rows';
import { selectGatePanelRowKeys } from './gate-panel';
import { memoizeLast } from './memoize';
import { selectResourceRowIds } from './resource-rows';
import { selectServiceTree, type ServiceTree } from './service-tree';

const serviceRowKeys = memoizeLast((tree: ServiceTree) => tree.rows.map((row) => row.key));

export function selectPanelRowKeys(state: OpsdeckState, panel: PanelId): string[] {
  switch (panel) {
    case 'services':
      return serviceRowKeys(selectServiceTree(state));
    case 'resources':
      return selectResourceRowIds(state);
    case 'errors':
      return selectErrorRowKeys(state);
    case 'gates':
      return selectGatePanelRowKeys(state);
  }
}

/** Index of the selected key; the first row when nothing (or a vanished row) is selected; -1 when empty. */
export function resolveSelectedIndex(keys: readonly string[], selectedKey: string | undefined): number {
  if (keys.length === 0) return -1;
  if (selectedKey === undefined) return 0;
  const index = keys.indexOf(selectedKey);
  return index >= 0 ? index : 0;
}

export function selectSelectedIndex(state: OpsdeckState, panel: PanelId): number {
  return resolveSelectedIndex(selectPanelRowKeys(state, panel), state.ui.selectedKeyByPanel[panel]);
}

/** Key of the row the selection is on (after resolving vanished rows), or undefined for an empty panel. */
export function selectSelectedKey(state: OpsdeckState, panel: PanelId): string | undefined {
  const keys = selectPanelRowKeys(state, panel);
  return keys[resolveSelectedIndex(keys, state.ui.selectedKeyByPanel[panel])];
}

/** Key `delta` rows away from the selection, clamped to the list. */
export function moveSelection(keys: readonly string[], selectedKey: string | undefined, delta: number): string | undefined {
  if (keys.length === 0) return undefined;
  const index = resolveSelectedIndex(keys, selectedKey);
  return keys[Math.min(keys.length - 1, Math.max(0, index + delta))];
}
