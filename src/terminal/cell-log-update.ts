// A log-update for Ink that sends only the cells that changed. Ink hands its log-update the
// whole frame as text; its incremental mode rewrote every changed line whole (a CPU figure
// going from 12% to 13% resent its 120-column row). This one keeps the previous frame as cells
// (frame-cells.ts) and, per changed line, moves the cursor over unchanged runs and writes the
// changed cells with the SGR changes they need. The bundle wires it in (scripts/bundle-patches.mjs:
// log-update's create() returns it for `incrementalRendering: 'cells'`).
//
// The cursor follows Ink's conventions, so Ink's own writes around a frame (clear() before
// console output, sync() after a clear-terminal repaint) stay right: after each frame it sits at
// column 0 below the last line (or on the last line when the frame has no trailing newline),
// with the default style. A frame of another height, a resized terminal or the first frame is
// drawn whole, as the full redraw draws it.
import { appendFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseLine, styleTransition, type CellRow, type StyleKey } from './frame-cells';

export interface CursorPosition {
  x: number;
  y: number;
}

/** What Ink 6.8 calls on its log-update (ink/build/log-update.d.ts). */
export interface LogUpdate {
  (frame: string): boolean;
  clear(): void;
  done(): void;
  sync(frame: string): void;
  setCursorPosition(position: CursorPosition | undefined): void;
  isCursorDirty(): boolean;
  willRender(frame: string): boolean;
}

export type FrameStream = Pick<Writable, 'write'> & { columns?: number; rows?: number; isTTY?: boolean };

const CSI = '\u001b[';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const ERASE_TO_END = '\u001b[K';

const up = (count: number): string => (count <= 0 ? '' : count === 1 ? `${CSI}A` : `${CSI}${count}A`);
const down = (count: number): string => (count <= 0 ? '' : count === 1 ? `${CSI}B` : `${CSI}${count}B`);
const forward = (count: number): string => (count === 1 ? `${CSI}C` : `${CSI}${count}C`);
const toColumn = (column: number): string => `${CSI}${column + 1}G`;

/** Ink's eraseLines (ansi-escapes): erase a line and go up, `count` times, then to column 0. */
export function eraseLines(count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) text += `${CSI}2K${index < count - 1 ? `${CSI}1A` : ''}`;
  return count > 0 ? `${text}${CSI}G` : text;
}

const visibleLineCount = (lines: readonly string[], frame: string): number => (frame.endsWith('\n') ? lines.length - 1 : lines.length);

const BLANK = ' ';

/** Emits cursor moves, SGR changes and cells for one frame, tracking where the terminal's cursor and pen are. */
class FrameWriter {
  readonly parts: string[] = [];
  /** Column of the cursor; -1 when unknown (after the last column, or after a line written whole). */
  column: number;
  pen: StyleKey = '';

  constructor(
    public row: number,
    column: number,
    private readonly columns: number,
  ) {
    this.column = column;
  }

  moveTo(row: number, column: number): void {
    if (row !== this.row) {
      this.parts.push(row < this.row ? up(this.row - row) : down(row - this.row));
      this.row = row;
    }
    if (column === this.column) return;
    if (column === 0) this.parts.push('\r');
    else {
      let move = toColumn(column);
      if (this.column >= 0 && column > this.column) {
        const relative = forward(column - this.column);
        if (relative.length < move.length) move = relative;
      } else if (`\r${forward(column)}`.length < move.length) move = `\r${forward(column)}`;
      this.parts.push(move);
    }
    this.column = column;
  }

  setPen(style: StyleKey): void {
    if (style === this.pen) return;
    this.parts.push(styleTransition(this.pen, style));
    this.pen = style;
  }

  put(text: string, style: StyleKey, width: number): void {
    this.setPen(style);
    this.parts.push(text);
    this.column += width;
    // Past the last column the terminal waits to wrap: the next move is an absolute one.
    if (this.column >= this.columns) this.column = -1;
  }

  /** The line as the full redraw writes it, then the rest of the row erased. */
  putWholeLine(row: number, line: string, width: number | undefined): void {
    this.moveTo(row, 0);
    this.setPen('');
    this.parts.push(line, ERASE_TO_END);
    this.column = width !== undefined && width < this.columns ? width : -1;
  }
}

function cellAt(row: CellRow, column: number): [string, StyleKey] {
  return column < row.chars.length ? [row.chars[column] as string, row.styles[column] as StyleKey] : [BLANK, ''];
}

function sameCell(previous: CellRow, next: CellRow, column: number): boolean {
  const [previousChar, previousStyle] = cellAt(previous, column);
  const [nextChar, nextStyle] = cellAt(next, column);
  return previousChar === nextChar && previousStyle === nextStyle;
}

const widthAt = (row: CellRow, column: number): number => (row.chars[column + 1] === '' ? 2 : 1);

/** Writes the cells of `next` that differ from `previous` on one row (both rows exact). */
function writeChangedCells(writer: FrameWriter, rowIndex: number, previous: CellRow, next: CellRow, columns: number): void {
  const length = next.chars.length;
  let column = 0;
  while (column < length) {
    if (sameCell(previous, next, column)) {
      column++;
      continue;
    }
    // A run starts on a character, never on the right half of a wide one.
    while (column > 0 && next.chars[column] === '') column--;
    writer.moveTo(rowIndex, column);
    for (;;) {
      const char = next.chars[column] as string;
      const width = widthAt(next, column);
      writer.put(char, next.styles[column] as StyleKey, width);
      column += width;
      let following = column;
      while (following < length && sameCell(previous, next, following)) following++;
      if (following >= length) break;
      // Rewriting a short unchanged gap in the pen's style is cheaper than moving over it.
      const gap = following - column;
      let rewrite = gap > 0 && gap < forward(gap).length;
      for (let index = column; rewrite && index < following; index++) {
        rewrite = next.styles[index] === writer.pen && (next.chars[index] as string).length === 1 && next.chars[index + 1] !== '';
      }
      if (!rewrite) {
        column = following;
        break;
      }
    }
  }
  // What the previous line had beyond this one's end is erased (with the default background).
  let tail = false;
  for (let index = length; index < previous.chars.length && !tail; index++) tail = !sameCell(previous, next, index);
  if (tail && length < columns) {
    writer.moveTo(rowIndex, length);
    writer.setPen('');
    writer.parts.push(ERASE_TO_END);
  }
}

/** The bytes that turn the previous frame's lines into the next ones, or undefined when the frame must be drawn whole. */
export function drawChangedCells(
  previousLines: readonly string[],
  previousRows: Array<CellRow | undefined>,
  nextLines: readonly string[],
  visibleCount: number,
  cursor: { row: number; column: number },
  columns: number,
): { text: string; rows: Array<CellRow | undefined> } | undefined {
  const writer = new FrameWriter(cursor.row, cursor.column, columns);
  const rows: Array<CellRow | undefined> = new Array<CellRow | undefined>(nextLines.length);
  for (let index = 0; index < visibleCount; index++) {
    const line = nextLines[index] as string;
    const previousLine = previousLines[index] as string;
    if (line === previousLine) {
      rows[index] = previousRows[index];
      continue;
    }
    const next = parseLine(line);
    const previous = previousRows[index] ?? parseLine(previousLine);
    rows[index] = next;
    if (next.chars.length > columns) return undefined;
    if (!next.exact || !previous.exact) {
      writer.putWholeLine(index, line, next.exact ? next.chars.length : undefined);
      continue;
    }
    // The cell changes, unless writing the line whole is shorter.
    const before = { parts: writer.parts.length, row: writer.row, column: writer.column, pen: writer.pen };
    writeChangedCells(writer, index, previous, next, columns);
    const cellBytes = writer.parts.slice(before.parts).join('').length;
    const wholeBytes = (before.column === 0 && before.row === index ? 0 : 8) + line.length + ERASE_TO_END.length + (before.pen === '' ? 0 : 4);
    if (wholeBytes < cellBytes) {
      writer.parts.length = before.parts;
      Object.assign(writer, { row: before.row, column: before.column, pen: before.pen });
      writer.putWholeLine(index, line, next.chars.length);
    }
  }
  writer.setPen('');
  writer.moveTo(cursor.row, 0);
  return { text: writer.parts.join(''), rows };
}

/**
 * Ink's cursor helpers (ink/build/cursor-helpers.js), for a frame that places the terminal's
 * cursor (useCursor): from below the frame to the position and back.
 */
function cursorSuffix(visibleCount: number, position: CursorPosition | undefined): string {
  if (!position) return '';
  return `${up(visibleCount - position.y)}${toColumn(position.x)}${SHOW_CURSOR}`;
}

/** From the placed cursor back to column 0 below the frame (where frames start from). */
function backToBottom(lineCount: number, position: CursorPosition | undefined): string {
  return position ? `${down(lineCount - 1 - position.y)}${CSI}G` : '';
}

function returnToBottom(wasShown: boolean, lineCount: number, position: CursorPosition | undefined): string {
  return wasShown ? `${HIDE_CURSOR}${backToBottom(lineCount, position)}` : '';
}

const moved = (left: CursorPosition | undefined, right: CursorPosition | undefined): boolean => left?.x !== right?.x || left?.y !== right?.y;

/**
 * A stream that also appends, per write, what it was given (one JSON line: the call and the bytes)
 * to `file`: OPSDECK_FRAME_LOG=file, for finding which frame a garbled screen came from. Off by default.
 */
function tracedStream(stream: FrameStream, file: string | undefined): { stream: FrameStream; note(call: string, frame?: string): void } {
  if (!file) return { stream, note: () => undefined };
  let call = '';
  const traced: FrameStream = {
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
    get isTTY() {
      return stream.isTTY;
    },
    write: ((chunk: string) => {
      appendFileSync(file, `${JSON.stringify({ call, written: chunk })}\n`);
      return stream.write(chunk);
    }) as FrameStream['write'],
  };
  const note = (name: string, frame?: string): void => {
    call = name;
    appendFileSync(file, `${JSON.stringify({ call, frame, columns: stream.columns, rows: stream.rows })}\n`);
  };
  return { stream: traced, note };
}

/** The cell-diffing log-update, with the interface and cursor conventions of Ink 6.8's own. */
export function createCellLogUpdate(
  output: FrameStream,
  { showCursor = false, traceFile = process.env.OPSDECK_FRAME_LOG }: { showCursor?: boolean; traceFile?: string } = {},
): LogUpdate {
  const { stream, note } = tracedStream(output, traceFile);
  let previousOutput = '';
  let previousLines: string[] = [];
  let previousRows: Array<CellRow | undefined> = [];
  /** Whether the cursor is known to be at column 0 after the last frame (Ink's sync() leaves it after the text). */
  let columnKnown = false;
  let previousSize = '';
  let hiddenCursor = false;
  let cursorPosition: CursorPosition | undefined;
  let cursorDirty = false;
  let previousCursor: CursorPosition | undefined;
  let cursorWasShown = false;

  const activeCursor = (): CursorPosition | undefined => (cursorDirty ? cursorPosition : undefined);
  const hasChanges = (frame: string, cursor: CursorPosition | undefined): boolean => frame !== previousOutput || moved(cursor, previousCursor);
  const sizeOf = (): string => `${stream.columns ?? 0}x${stream.rows ?? 0}`;
  const remember = (frame: string, lines: string[], rows: Array<CellRow | undefined>, cursor: CursorPosition | undefined): void => {
    previousOutput = frame;
    previousLines = lines;
    previousRows = rows;
    previousSize = sizeOf();
    previousCursor = cursor ? { ...cursor } : undefined;
    cursorWasShown = cursor !== undefined;
  };

  const render = ((frame: string): boolean => {
    note('render', frame);
    if (!showCursor && !hiddenCursor) {
      if (stream.isTTY) stream.write(HIDE_CURSOR);
      hiddenCursor = true;
    }
    const cursor = activeCursor();
    cursorDirty = false;
    if (!hasChanges(frame, cursor)) return false;
    const lines = frame.split('\n');
    const visibleCount = visibleLineCount(lines, frame);
    if (frame === previousOutput) {
      stream.write(`${cursorWasShown ? HIDE_CURSOR : ''}${backToBottom(previousLines.length, previousCursor)}${cursorSuffix(visibleCount, cursor)}`);
      previousCursor = cursor ? { ...cursor } : undefined;
      cursorWasShown = cursor !== undefined;
      return true;
    }
    const prefix = returnToBottom(cursorWasShown, previousLines.length, previousCursor);
    const trailing = frame.endsWith('\n');
    const sameShape =
      previousOutput !== '' &&
      frame !== '\n' &&
      sizeOf() === previousSize &&
      visibleCount === visibleLineCount(previousLines, previousOutput) &&
      trailing === previousOutput.endsWith('\n');
    const diff = sameShape
      ? drawChangedCells(previousLines, previousRows, lines, visibleCount, { row: trailing ? visibleCount : visibleCount - 1, column: columnKnown || cursorWasShown ? 0 : -1 }, stream.columns ?? Number.MAX_SAFE_INTEGER)
      : undefined;
    if (diff) {
      stream.write(prefix + diff.text + cursorSuffix(visibleCount, cursor));
      remember(frame, lines, diff.rows, cursor);
    } else {
      // Drawn whole, as the full redraw does: erase the previous frame, write this one.
      stream.write(prefix + eraseLines(previousLines.length) + frame + cursorSuffix(visibleCount, cursor));
      remember(frame, lines, [], cursor);
    }
    columnKnown = trailing || diff !== undefined;
    return true;
  }) as LogUpdate;

  render.clear = () => {
    note('clear');
    stream.write(returnToBottom(cursorWasShown, previousLines.length, previousCursor) + eraseLines(previousLines.length));
    remember('', [], [], undefined);
  };
  render.done = () => {
    remember('', [], [], undefined);
    if (!showCursor) {
      if (stream.isTTY) stream.write(SHOW_CURSOR);
      hiddenCursor = false;
    }
  };
  render.sync = (frame: string) => {
    note('sync', frame);
    const cursor = cursorDirty ? cursorPosition : undefined;
    cursorDirty = false;
    const lines = frame.split('\n');
    if (!cursor && cursorWasShown) stream.write(HIDE_CURSOR);
    if (cursor) stream.write(cursorSuffix(visibleLineCount(lines, frame), cursor));
    remember(frame, lines, [], cursor);
    columnKnown = false;
  };
  render.setCursorPosition = (position) => {
    cursorPosition = position;
    cursorDirty = true;
  };
  render.isCursorDirty = () => cursorDirty;
  render.willRender = (frame) => hasChanges(frame, activeCursor());
  return render;
}

/**
 * Ink's `incrementalRendering` for the cockpit: 'cells' (this writer; Ink hands the value to its
 * log-update's create(), which the bundle patch extends), or for comparison (the benchmark)
 * OPSDECK_LINE_REDRAW=1 Ink's own line mode and OPSDECK_FULL_REDRAW=1 a full redraw per frame.
 */
export function incrementalRenderingFor(environment: NodeJS.ProcessEnv): 'cells' | boolean {
  if (environment.OPSDECK_FULL_REDRAW === '1') return false;
  if (environment.OPSDECK_LINE_REDRAW === '1') return true;
  return 'cells';
}
