// Byte streams of one sequence of Ink frames, written by Ink's own full redraw (its standard
// log-update, as OPSDECK_FULL_REDRAW=1 runs it) and by the cell writer, for replaying both
// through a terminal emulator (terminal-replay.ts) and comparing the screens.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCellLogUpdate, type LogUpdate } from '../../src/terminal/cell-log-update';

interface InkLogUpdateModule {
  default: { create(stream: object, options: { showCursor?: boolean; incremental?: boolean }): LogUpdate };
}

/** A stream that keeps what is written to it, with a terminal's size. */
export class RecordingStream {
  written = '';
  constructor(
    public columns: number,
    public rows: number,
    public readonly isTTY = false,
  ) {}
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
}

/** Ink 6.8's log-update module (not among the package's exports: loaded from its file). */
export async function inkLogUpdate(): Promise<InkLogUpdateModule['default']> {
  const file = path.resolve(import.meta.dirname, '../../node_modules/ink/build/log-update.js');
  return ((await import(pathToFileURL(file).href)) as InkLogUpdateModule).default;
}

/** One step of a sequence: a frame to render, or Ink clearing its output (before console output, on a narrower terminal). */
export type FrameStep = string | { clear: true };

/** Writes the steps through a log-update and returns the bytes. */
export function writeSteps(create: (stream: RecordingStream) => LogUpdate, steps: readonly FrameStep[], columns: number, rows: number): string {
  const stream = new RecordingStream(columns, rows);
  const log = create(stream);
  for (const step of steps) {
    if (typeof step === 'string') log(step);
    else log.clear();
  }
  return stream.written;
}

/** The full-redraw and the cell-writer streams of the same steps. */
export async function fullAndCellStreams(steps: readonly FrameStep[], columns: number, rows: number): Promise<{ full: string; cells: string }> {
  const ink = await inkLogUpdate();
  return {
    full: writeSteps((stream) => ink.create(stream, { incremental: false }), steps, columns, rows),
    cells: writeSteps((stream) => createCellLogUpdate(stream), steps, columns, rows),
  };
}
