import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useListWindow } from '../use-list-window';

export interface VirtualRowsProps {
  keys: readonly string[];
  selectedIndex: number;
  /** Rows that fit in the panel. */
  rows: number;
  renderRow: (key: string, selected: boolean) => ReactNode;
  /** Shown dimmed when there are no rows. */
  emptyText: string;
}

/** Renders only the rows in the visible window, which follows the selection. */
export function VirtualRows(props: VirtualRowsProps) {
  const window = useListWindow(props.keys.length, props.selectedIndex, props.rows);
  if (props.rows <= 0) return null;
  if (props.keys.length === 0) {
    return (
      <Text dimColor wrap="truncate-end">
        {` ${props.emptyText}`}
      </Text>
    );
  }
  return <>{props.keys.slice(window.start, window.end).map((key, offset) => props.renderRow(key, window.start + offset === props.selectedIndex))}</>;
}

/** "12/40" when the list is longer than the panel, else undefined. */
export function positionInfo(selectedIndex: number, count: number, rows: number): string | undefined {
  return count > rows && selectedIndex >= 0 ? `${selectedIndex + 1}/${count}` : undefined;
}
