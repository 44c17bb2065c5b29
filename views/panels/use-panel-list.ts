import type { PanelId } from '../../src/store/slices/ui-slice';
import { filterFor } from '../../src/store/selectors/filter';
import { resolveSelectedIndex } from '../../src/store/selectors/panel-rows';
import { useOpsdeck } from '../store-context';
import { positionInfo } from './VirtualRows';

export interface PanelList {
  /** The panel's filter text ('' when none). */
  filter: string;
  selectedIndex: number;
  /** Frame info: the filter and the position in the list ("/api 3/12"). */
  info: string;
}

/** What every list panel derives the same way: its filter, the selected row and the frame info. */
export function usePanelList(panel: PanelId, keys: readonly string[], visibleRows: number): PanelList {
  const selectedKey = useOpsdeck((state) => state.ui.selectedKeyByPanel[panel]);
  const filter = useOpsdeck((state) => filterFor(state.ui, panel));
  const selectedIndex = resolveSelectedIndex(keys, selectedKey);
  const info = [filter === '' ? undefined : `/${filter}`, positionInfo(selectedIndex, keys.length, visibleRows)].filter(Boolean).join(' ');
  return { filter, selectedIndex, info };
}
