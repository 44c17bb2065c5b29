/**
 * First visible row of a list window that must show `selectedIndex`: the window moves
 * only as far as needed (no jumping when the selection moves inside it), and stays full
 * when the list shrinks.
 */
export function nextWindowStart(previousStart: number, selectedIndex: number, visibleRows: number, rowCount: number): number {
  if (visibleRows <= 0 || rowCount <= visibleRows) return 0;
  let start = Math.min(Math.max(0, previousStart), rowCount - visibleRows);
  if (selectedIndex >= 0 && selectedIndex < start) start = selectedIndex;
  else if (selectedIndex >= start + visibleRows) start = selectedIndex - visibleRows + 1;
  return Math.max(0, start);
}
