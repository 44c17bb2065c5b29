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

export function computeScreenLayout(width: number, height: number, focusedPanel: PanelId): ScreenLayout {
  const safeWidth = Math.max(1, Math.floor(width));
  const frameHeight = Math.max(1, Math.floor(height) - 1);
  const bodyHeight = Math.max(0, frameHeight - 2);
  const panels: Record<PanelId, PanelBox> = { services: COLLAPSED, resources: COLLAPSED, errors: COLLAPSED, gates: COLLAPSED };

  if (safeWidth < MIN_WIDTH || height < MIN_HEIGHT) {
    return { mode: 'too-small', width: safeWidth, frameHeight, bodyHeight, rows: [], panels };
  }

  if (safeWidth >= GRID_MIN_WIDTH && bodyHeight >= GRID_MIN_BODY_HEIGHT) {
    const leftWidth = Math.floor(safeWidth / 2);
    const rightWidth = safeWidth - leftWidth;
    const topHeight = Math.ceil(bodyHeight * 0.55);
    const bottomHeight = bodyHeight - topHeight;
    panels.services = { width: leftWidth, height: topHeight, collapsed: false };
    panels.resources = { width: rightWidth, height: topHeight, collapsed: false };
    panels.errors = { width: leftWidth, height: bottomHeight, collapsed: false };
    panels.gates = { width: rightWidth, height: bottomHeight, collapsed: false };
    return {
      mode: 'grid',
      width: safeWidth,
      frameHeight,
      bodyHeight,
      rows: [
        { height: topHeight, panels: ['services', 'resources'] },
        { height: bottomHeight, panels: ['errors', 'gates'] },
      ],
      panels,
    };
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
