// Log view model: which lines of a service's ring buffer are on screen, and search.
// Line numbers are absolute (counted since the buffer was created, see RingBuffer.totalPushed),
// so a match stays on its line while new lines arrive and old ones are dropped.

import type { LogLine } from '../../domain/types';
import type { RingBuffer } from '../../domain/ring-buffer';
import type { LogViewState } from '../slices/ui-slice';

export interface LogLineSource {
  readonly size: number;
  readonly totalPushed: number;
  at(index: number): LogLine | undefined;
  slice(start?: number, end?: number): LogLine[];
}

export const EMPTY_LOG: LogLineSource = { size: 0, totalPushed: 0, at: () => undefined, slice: () => [] };

export function logSourceOf(buffer: RingBuffer<LogLine> | undefined): LogLineSource {
  return buffer ?? EMPTY_LOG;
}

/** Absolute number of the oldest line still held. */
export function firstLineNumber(source: LogLineSource): number {
  return source.totalPushed - source.size;
}

export function maxScrollOffset(source: LogLineSource, visibleRows: number): number {
  return Math.max(0, source.size - Math.max(1, visibleRows));
}

export interface LogWindow {
  /** Buffer (logical) indexes [start, end) on screen. */
  start: number;
  end: number;
}

export function logWindow(source: LogLineSource, view: Pick<LogViewState, 'follow' | 'scrollOffset'>, visibleRows: number): LogWindow {
  const rows = Math.max(1, visibleRows);
  const offset = view.follow ? 0 : Math.min(view.scrollOffset, maxScrollOffset(source, rows));
  const end = source.size - offset;
  return { start: Math.max(0, end - rows), end };
}

/** Absolute line numbers of the lines containing `search` (case-insensitive), oldest first. */
export function findMatches(source: LogLineSource, search: string): number[] {
  const needle = search.toLowerCase();
  if (needle === '') return [];
  const first = firstLineNumber(source);
  const matches: number[] = [];
  for (let index = 0; index < source.size; index += 1) {
    if (source.at(index)?.text.toLowerCase().includes(needle)) matches.push(first + index);
  }
  return matches;
}

/**
 * Next match from `current` going older (-1, "n": searching back from the tail, as
 * operators read logs) or newer (+1, "N"); wraps around. Without a current match:
 * the newest match.
 */
export function stepMatch(matches: readonly number[], current: number | undefined, direction: 1 | -1): number | undefined {
  if (matches.length === 0) return undefined;
  const newest = matches[matches.length - 1];
  if (current === undefined) return newest;
  if (direction < 0) {
    for (let index = matches.length - 1; index >= 0; index -= 1) {
      const match = matches[index] as number;
      if (match < current) return match;
    }
    return newest;
  }
  for (const match of matches) if (match > current) return match;
  return matches[0];
}

/** Scroll offset that puts absolute line `lineNumber` in the middle of the view (clamped). */
export function scrollOffsetShowing(source: LogLineSource, lineNumber: number, visibleRows: number): number {
  const index = lineNumber - firstLineNumber(source);
  const rows = Math.max(1, visibleRows);
  const offset = source.size - 1 - index - Math.floor(rows / 2);
  return Math.min(maxScrollOffset(source, rows), Math.max(0, offset));
}
