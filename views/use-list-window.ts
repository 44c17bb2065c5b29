import { useRef } from 'react';
import { nextWindowStart } from './layout/list-window';

export interface ListWindow {
  start: number;
  end: number;
}

/** The rows [start, end) to render: only the visible window, following the selection. */
export function useListWindow(rowCount: number, selectedIndex: number, visibleRows: number): ListWindow {
  const startRef = useRef(0);
  const start = nextWindowStart(startRef.current, selectedIndex, visibleRows, rowCount);
  startRef.current = start;
  return { start, end: Math.min(rowCount, start + Math.max(0, visibleRows)) };
}
