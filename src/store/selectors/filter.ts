import type { PanelId, UiState } from '../slices/ui-slice';

/** The filter text that narrows `panel`, or '' when the filter belongs to another panel. */
export function filterFor(ui: Pick<UiState, 'filter' | 'filterPanel'>, panel: PanelId): string {
  return ui.filterPanel === panel ? ui.filter : '';
}

/** Case-insensitive match of the filter against any of the texts; an empty filter matches everything. */
export function matchesFilter(filter: string, ...texts: Array<string | undefined>): boolean {
  return matchesNeedle(filterNeedle(filter), texts);
}

/** The filter as it is matched (trimmed, lower case): made once for a list of 10,000 rows, not per row. */
export function filterNeedle(filter: string): string {
  return filter.trim().toLowerCase();
}

/** matchesFilter with the needle made beforehand (filterNeedle). */
export function matchesNeedle(needle: string, texts: ReadonlyArray<string | undefined>): boolean {
  if (needle === '') return true;
  for (const text of texts) if (text !== undefined && text.toLowerCase().includes(needle)) return true;
  return false;
}
