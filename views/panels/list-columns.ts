// Columns of a list panel: widths laid out once per panel width, cells cut or padded to
// them, so every row of a panel lines up and never wraps.

import type { Glyphs } from '../format/glyphs';
import { fitText, textWidth } from '../format/text';
import type { Segment } from '../segments';
import type { Tone } from '../theme';

/** What a column shows for one row: text (cut or padded to the column) and its style. */
export interface Cell {
  text: string;
  tone?: Tone | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
}

export interface CellContext {
  /** Columns this cell has (drawings such as sparklines fill it). */
  width: number;
  /** Columns of the whole row after its markers (what `hiddenBelow` is compared with). */
  contentWidth: number;
  glyphs: Glyphs;
}

export interface ListColumn<Data> {
  /** For tests and debugging: what the column shows. */
  id: string;
  /**
   * A fixed width, a width computed from the row's content width, or 'fill': the fill
   * columns share what the others leave (the first takes the odd column).
   */
  width: number | 'fill' | ((contentWidth: number) => number);
  /** Narrowest a fill column gets, even when the row overflows (then the row is cut). */
  minWidth?: number;
  align?: 'left' | 'right';
  /** Spaces before the cell. */
  gap?: number;
  /** The column is left out of rows narrower than this. */
  hiddenBelow?: number;
  cell(data: Data, context: CellContext): Cell | string;
}

export interface PlacedColumn<Data> {
  column: ListColumn<Data>;
  width: number;
}

export interface ColumnLayout<Data> {
  contentWidth: number;
  columns: PlacedColumn<Data>[];
}

/** A column showing the same text on every row (a label between values, e.g. " cpu "). */
export function literalColumn<Data>(id: string, text: string, style: Omit<Cell, 'text'> = {}): ListColumn<Data> {
  return { id, width: textWidth(text), cell: () => ({ text, ...style }) };
}

/** Widths of the columns shown in a row `contentWidth` columns wide. */
export function layoutColumns<Data>(columns: readonly ListColumn<Data>[], contentWidth: number): ColumnLayout<Data> {
  const shown = columns.filter((column) => column.hiddenBelow === undefined || contentWidth >= column.hiddenBelow);
  const fixedWidth = (column: ListColumn<Data>): number | undefined => {
    if (column.width === 'fill') return undefined;
    return Math.max(0, Math.floor(typeof column.width === 'function' ? column.width(contentWidth) : column.width));
  };
  let used = 0;
  let fillCount = 0;
  for (const column of shown) {
    used += column.gap ?? 0;
    const width = fixedWidth(column);
    if (width === undefined) fillCount += 1;
    else used += width;
  }
  const room = Math.max(0, contentWidth - used);
  const share = fillCount > 0 ? Math.floor(room / fillCount) : 0;
  let odd = fillCount > 0 ? room - share * fillCount : 0;
  const placed = shown.map((column) => {
    const width = fixedWidth(column);
    if (width !== undefined) return { column, width };
    const fill = share + odd;
    odd = 0;
    return { column, width: Math.max(column.minWidth ?? 0, fill) };
  });
  return { contentWidth, columns: placed };
}

/** Width given to the column `id` (0 when it is not shown). */
export function columnWidth<Data>(layout: ColumnLayout<Data>, id: string): number {
  return layout.columns.find((placed) => placed.column.id === id)?.width ?? 0;
}

/** One row's cells as segments, each exactly its column's width. */
export function cellSegments<Data>(layout: ColumnLayout<Data>, data: Data, glyphs: Glyphs): Segment[] {
  const segments: Segment[] = [];
  for (const { column, width } of layout.columns) {
    if (column.gap) segments.push({ text: ' '.repeat(column.gap) });
    const value = column.cell(data, { width, contentWidth: layout.contentWidth, glyphs });
    const cell = typeof value === 'string' ? { text: value } : value;
    segments.push({ ...cell, text: fitText(cell.text, width, column.align ?? 'left', glyphs.ellipsis) });
  }
  return segments;
}
