// Where everything goes for a terminal size. The frame is at most `rows - 1` lines
// (a frame as tall as the terminal makes Ink clear the screen on every update), every
// width is computed here so rows can be pre-padded and nothing wraps.

import type { PanelId } from '../../src/store/slices/ui-slice';
import { PANEL_ORDER } from '../../src/store/slices/ui-slice';

export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 10;
/** Side-by-side panels from this width; below it the focused panel is shown large. */
export const GRID_MIN_WIDTH = 100;
export const GRID_MIN_BODY_HEIGHT = 14;
/** Host lines at the top of the resources panel. */
export const HOST_LINES = 2;

export interface PanelBox {
  width: number;
  height: number;
  /** Drawn as a one-line summary instead of a bordered list. */
  collapsed: boolean;
}

export interface PanelRow {
  height: number;
  panels: PanelId[];
}

export interface ScreenLayout {
  mode: 'grid' | 'stacked' | 'too-small';
  width: number;
  /** Lines Ink draws: terminal rows - 1. */
  frameHeight: number;
  /** Between the header line and the hint bar. */
  bodyHeight: number;
  rows: PanelRow[];
  panels: Record<PanelId, PanelBox>;
}

const COLLAPSED: PanelBox = { width: 0, height: 0, collapsed: true };
/** A bordered panel with room for one line. */
const MIN_PANEL_HEIGHT = 3;

/** Rows each list panel has to show (after its filter); unknown counts take what they can get. */
export type PanelRowCounts = Partial<Record<PanelId, number>>;

/** Lines a panel needs inside its frame for `rows` list rows (the empty text takes one). */
export function contentLinesOf(panel: PanelId, rows: number): number {
  return Math.max(1, rows) + (panel === 'resources' ? HOST_LINES : 0);
}

/**
 * Heights for layout rows that want `wanted` lines each, within `total` lines: each row gets
 * what it wants when everything fits (the first row takes what is left over); otherwise the
 * rows that want little get it and the others share the rest evenly (max-min fairness), so a
 * panel with 4 rows never holds 20 lines while another is cut.
 */
export function shareHeights(wanted: readonly number[], total: number, minimum = MIN_PANEL_HEIGHT): number[] {
  const heights = wanted.map(() => 0);
  if (wanted.length === 0) return heights;
  const want = wanted.map((value) => Math.max(minimum, Math.floor(value)));
  let remaining = total;
  let open = want.map((_, index) => index);
  // Satisfy the smallest wishes first while they fit under an even share of what is left.
  for (;;) {
    const share = Math.floor(remaining / Math.max(1, open.length));
    const satisfied = open.filter((index) => (want[index] ?? 0) <= share);
    if (satisfied.length === 0) break;
    for (const index of satisfied) {
      heights[index] = want[index] ?? 0;
      remaining -= want[index] ?? 0;
    }
    open = open.filter((index) => !satisfied.includes(index));
    if (open.length === 0) break;
  }
  if (open.length === 0) {
    heights[0] = (heights[0] ?? 0) + remaining;
    return heights;
  }
  const share = Math.floor(remaining / open.length);
  let odd = remaining - share * open.length;
  for (const index of open) {
    heights[index] = share + (odd > 0 ? 1 : 0);
    if (odd > 0) odd -= 1;
  }
  return heights;
}

export function computeScreenLayout(width: number, height: number, focusedPanel: PanelId, rowCounts: PanelRowCounts = {}): ScreenLayout {
  const safeWidth = Math.max(1, Math.floor(width));
  const frameHeight = Math.max(1, Math.floor(height) - 1);
  const bodyHeight = Math.max(0, frameHeight - 2);
  const panels: Record<PanelId, PanelBox> = { services: COLLAPSED, resources: COLLAPSED, errors: COLLAPSED, gates: COLLAPSED };

  if (safeWidth < MIN_WIDTH || height < MIN_HEIGHT) {
    return { mode: 'too-small', width: safeWidth, frameHeight, bodyHeight, rows: [], panels };
  }

  if (safeWidth >= GRID_MIN_WIDTH && bodyHeight >= GRID_MIN_BODY_HEIGHT) {
    // Services and resources side by side; the errors and the gates below, each across the
    // whole width, so an error message and a gate's detail are read, not cut.
    const leftWidth = Math.floor(safeWidth / 2);
    const layoutRows: Array<{ panels: PanelId[]; widths: number[] }> = [
      { panels: ['services', 'resources'], widths: [leftWidth, safeWidth - leftWidth] },
      { panels: ['errors'], widths: [safeWidth] },
      { panels: ['gates'], widths: [safeWidth] },
    ];
    const unknown = bodyHeight;
    const wanted = layoutRows.map((row) =>
      Math.max(...row.panels.map((panel) => {
        const count = rowCounts[panel];
        return count === undefined ? unknown : contentLinesOf(panel, count) + 2;
      })),
    );
    const heights = shareHeights(wanted, bodyHeight);
    const rows: PanelRow[] = layoutRows.map((row, index) => {
      const rowHeight = heights[index] ?? 0;
      row.panels.forEach((panel, column) => {
        panels[panel] = { width: row.widths[column] ?? safeWidth, height: rowHeight, collapsed: false };
      });
      return { height: rowHeight, panels: row.panels };
    });
    return { mode: 'grid', width: safeWidth, frameHeight, bodyHeight, rows, panels };
  }

  // Stacked: the focused panel gets the body, the others one summary line each.
  const collapsedCount = PANEL_ORDER.length - 1;
  const focusedHeight = bodyHeight - collapsedCount;
  const rows: PanelRow[] = [];
  for (const panel of PANEL_ORDER) {
    const focused = panel === focusedPanel;
    panels[panel] = focused
      ? { width: safeWidth, height: focusedHeight, collapsed: false }
      : { width: safeWidth, height: 1, collapsed: true };
    rows.push({ height: focused ? focusedHeight : 1, panels: [panel] });
  }
  return { mode: 'stacked', width: safeWidth, frameHeight, bodyHeight, rows, panels };
}

/** List rows inside a panel box (title line and bottom border taken). */
export function listRowsOf(box: PanelBox, panel: PanelId): number {
  if (box.collapsed) return 0;
  const inner = Math.max(0, box.height - 2);
  return panel === 'resources' ? Math.max(0, inner - HOST_LINES) : inner;
}
