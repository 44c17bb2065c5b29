import type { PanelId, UiState } from '../slices/ui-slice';

/** The filter text that narrows `panel`, or '' when the filter belongs to another panel. */
export function filterFor(ui: Pick<UiState, 'filter' | 'filterPanel'>, panel: PanelId): string {
  return ui.filterPanel === panel ? ui.filter : '';
}

/** Case-insensitive match of the filter against any of the texts; an empty filter matches everything. */
export function matchesFilter(filter: string, ...texts: Array<string | undefined>): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return texts.some((text) => text !== undefined && text.toLowerCase().includes(needle));
}
