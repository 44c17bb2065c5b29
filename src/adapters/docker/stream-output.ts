// Output an exec or a log read hands back: Docker's stream read to its end as sanitised lines,
// streamed to the caller as they arrive and kept bounded (an exec keeps its first MiB, a log
// read its newest), with a marker saying how much was left out.

import { Buffer } from 'node:buffer';
import type { Readable } from 'node:stream';
import { toDisplayText } from '../../domain/untrusted-text';
import { createLineDemultiplexer, type OutputStream, type SplitLine } from './log-decoder';

export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
/** Longer lines keep their beginning (a line of JSON from `vault status -format=json` fits). */
export const OUTPUT_LINE_BYTES = 64 * 1024;

export class BoundedLines {
  private lines: string[] = [];
  private first = 0;
  private bytes = 0;
  private droppedLines = 0;

  constructor(
    private readonly keep: 'first' | 'last',
    private readonly limitBytes = OUTPUT_LIMIT_BYTES,
  ) {}

  add(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.keep === 'first') {
      if (this.droppedLines > 0 || this.bytes + size > this.limitBytes) this.droppedLines += 1;
      else this.push(line, size);
      return;
    }
    this.push(line, size);
    while (this.bytes > this.limitBytes && this.first < this.lines.length) {
      this.bytes -= Buffer.byteLength(this.lines[this.first] ?? '') + 1;
      this.first += 1;
      this.droppedLines += 1;
    }
    // Compacted now and then, so dropping from the front stays linear.
    if (this.first > 1024 && this.first * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.first);
      this.first = 0;
    }
  }

  get text(): string {
    const kept = this.lines.slice(this.first).join('\n');
    if (this.droppedLines === 0) return kept;
    const marker = `[output truncated: ${this.droppedLines} ${this.keep === 'first' ? 'later' : 'earlier'} line(s) left out, ${OUTPUT_LIMIT_BYTES / 1024 / 1024} MiB kept]`;
    return this.keep === 'first' ? `${kept}\n${marker}` : `${marker}\n${kept}`;
  }

  private push(line: string, size: number): void {
    this.lines.push(line);
    this.bytes += size;
  }
}

/** A line as an exec or log read hands it back: sanitised, marked when it was cut. */
export function displayLine(line: SplitLine): string {
  return `${toDisplayText(line.text)}${line.truncated ? ' [line truncated]' : ''}`;
}

/**
 * Reads a Docker output stream to its end, one sanitised line at a time. Rejects when the
 * stream fails or `signal` aborts (the stream is destroyed then).
 */
export function readOutputLines(
  stream: Readable,
  options: { raw: boolean; signal?: AbortSignal | undefined; onLine(stream: OutputStream, text: string): void },
): Promise<void> {
  const demultiplexer = createLineDemultiplexer(
    (source, lines) => {
      for (const line of lines) options.onLine(source, displayLine(line));
    },
    { raw: options.raw, maxLineBytes: OUTPUT_LINE_BYTES },
  );
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) {
        demultiplexer.flush();
        resolve();
      } else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onAbort = (): void => {
      settle(options.signal?.reason ?? new Error('aborted'));
      stream.destroy();
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => demultiplexer.push(chunk));
    stream.once('end', () => settle());
    stream.once('close', () => settle());
    stream.once('error', (error) => settle(error));
  });
}
