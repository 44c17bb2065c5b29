// Decoding of Docker log streams (GET /containers/{id}/logs?follow=1&timestamps=1).
//
// Non-TTY containers send a multiplexed stream: frames made of an 8-byte
// header (byte 0: stream type, bytes 1-3: zero, bytes 4-7: big-endian payload
// length) followed by the payload. TTY containers send raw bytes. Chunks from
// the socket can split a header or a payload anywhere, so everything here is
// incremental, and memory stays bounded whatever the line or frame length.

import { Buffer } from 'node:buffer';

export type DemultiplexedStream = 'stdin' | 'stdout' | 'stderr' | 'system-error';

export type PayloadHandler = (stream: DemultiplexedStream, payload: Buffer) => void;

const HEADER_LENGTH = 8;
const STREAM_TYPES: readonly DemultiplexedStream[] = ['stdin', 'stdout', 'stderr', 'system-error'];

/**
 * Splits a multiplexed stream into payload pieces. A frame's payload is passed
 * on as soon as its bytes arrive, possibly in several pieces, so a huge frame is
 * never held in memory; only a split header (at most 7 bytes) is kept.
 *
 * In raw mode (TTY containers) every byte is stdout. When a header is not valid
 * (unknown stream type or non-zero padding) the stream cannot be multiplexed:
 * the demultiplexer switches to raw mode and passes the bytes on as stdout
 * rather than dropping the container's logs.
 */
export class DockerLogDemultiplexer {
  private readonly onPayload: PayloadHandler;
  private rawMode: boolean;
  private readonly header = Buffer.alloc(HEADER_LENGTH);
  private headerBytes = 0;
  private currentStream: DemultiplexedStream = 'stdout';
  private payloadBytesLeft = 0;

  constructor(onPayload: PayloadHandler, options: { raw?: boolean } = {}) {
    this.onPayload = onPayload;
    this.rawMode = options.raw ?? false;
  }

  /** True for TTY streams, or after an invalid header switched to raw mode. */
  get isRaw(): boolean {
    return this.rawMode;
  }

  /** Bytes of an incomplete frame at the end of the data so far (0 at a frame boundary). */
  get pendingBytes(): number {
    return this.headerBytes + this.payloadBytesLeft;
  }

  push(chunk: Buffer | Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.rawMode) {
      if (buffer.length > 0) this.onPayload('stdout', buffer);
      return;
    }
    let offset = 0;
    while (offset < buffer.length) {
      if (this.payloadBytesLeft > 0) {
        const end = Math.min(buffer.length, offset + this.payloadBytesLeft);
        this.payloadBytesLeft -= end - offset;
        this.onPayload(this.currentStream, buffer.subarray(offset, end));
        offset = end;
        continue;
      }
      const copied = Math.min(HEADER_LENGTH - this.headerBytes, buffer.length - offset);
      buffer.copy(this.header, this.headerBytes, offset, offset + copied);
      this.headerBytes += copied;
      offset += copied;
      if (this.headerBytes < HEADER_LENGTH) return;
      this.headerBytes = 0;
      const streamType = STREAM_TYPES[this.header[0] ?? 255];
      if (streamType === undefined || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
        this.switchToRaw(Buffer.concat([this.header, buffer.subarray(offset)]));
        return;
      }
      this.currentStream = streamType;
      this.payloadBytesLeft = this.header.readUInt32BE(4);
    }
  }

  private switchToRaw(rest: Buffer): void {
    this.rawMode = true;
    this.payloadBytesLeft = 0;
    this.onPayload('stdout', rest);
  }
}

export interface SplitLine {
  text: string;
  /** The line was longer than maxLineBytes and only its beginning was kept. */
  truncated: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 4096;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Turns a byte stream into lines. Bytes are kept until the end of the line and
 * decoded as UTF-8 there, so a character split across chunks decodes
 * correctly. A line longer than maxLineBytes keeps its first maxLineBytes bytes
 * (cut at a character boundary) and is marked truncated; the rest of it is
 * skipped as it arrives, never buffered. A trailing \r is removed.
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  private readonly pieces: Buffer[] = [];
  private keptBytes = 0;
  private discarding = false;

  constructor(options: { maxLineBytes?: number } = {}) {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${String(maxLineBytes)}`);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of the unfinished line held in memory (at most maxLineBytes + 1). */
  get bufferedBytes(): number {
    return this.keptBytes;
  }

  push(chunk: Buffer | Uint8Array): SplitLine[] {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: SplitLine[] = [];
    let start = 0;
    while (start < buffer.length) {
      const newlineIndex = buffer.indexOf(NEWLINE, start);
      const end = newlineIndex === -1 ? buffer.length : newlineIndex;
      this.keep(buffer, start, end, newlineIndex !== -1);
      if (newlineIndex === -1) break;
      lines.push(this.finishLine());
      start = newlineIndex + 1;
    }
    return lines;
  }

  /** The unfinished last line, if any (call at end of stream). */
  flush(): SplitLine[] {
    if (this.keptBytes === 0 && !this.discarding) return [];
    return [this.finishLine()];
  }

  private keep(buffer: Buffer, start: number, end: number, lineEndsHere: boolean): void {
    if (this.discarding || start === end) return;
    // One byte more than the cap is kept so a trailing \r does not count as an overflow.
    const room = this.maxLineBytes + 1 - this.keptBytes;
    const length = Math.min(end - start, room);
    if (length > 0) {
      const piece = buffer.subarray(start, start + length);
      // A line completed within this chunk can reference it; otherwise copy, as the
      // caller may reuse the chunk's memory.
      this.pieces.push(lineEndsHere && this.pieces.length === 0 ? piece : Buffer.from(piece));
      this.keptBytes += length;
    }
    if (end - start > length) this.discarding = true;
  }

  private finishLine(): SplitLine {
    let bytes = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces, this.keptBytes);
    let truncated = this.discarding;
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length > this.maxLineBytes) truncated = true;
    if (truncated) bytes = bytes.subarray(0, utf8BoundaryAtOrBefore(bytes, this.maxLineBytes));
    this.pieces.length = 0;
    this.keptBytes = 0;
    this.discarding = false;
    return { text: bytes.toString('utf8'), truncated };
  }
}

/** Largest index <= limit that does not fall inside a UTF-8 multi-byte sequence. */
function utf8BoundaryAtOrBefore(bytes: Buffer, limit: number): number {
  if (limit >= bytes.length) return bytes.length;
  let index = limit;
  // Continuation bytes look like 10xxxxxx; step back over at most 3 of them.
  while (index > 0 && limit - index < 3 && ((bytes[index] ?? 0) & 0xc0) === 0x80) index -= 1;
  return ((bytes[index] ?? 0) & 0xc0) === 0x80 ? limit : index;
}

export interface TimestampedText {
  /** The timestamp exactly as the engine sent it, e.g. 2026-11-23T10:00:00.123456789Z. */
  rawTimestamp: string;
  /** Epoch milliseconds. */
  timestamp: number;
  text: string;
}

const TIMESTAMP_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) ?/;

/**
 * Splits the RFC 3339 timestamp that `timestamps=true` puts before each line
 * (fractions of any length up to nanoseconds, Z or a numeric offset).
 * Returns undefined when the line does not start with a valid timestamp.
 */
export function parseTimestampPrefix(line: string): TimestampedText | undefined {
  const match = TIMESTAMP_PREFIX.exec(line);
  if (!match) return undefined;
  const parts = timestampParts(match);
  if (!parts) return undefined;
  const rawTimestamp = line.slice(0, match[0].length).trimEnd();
  return {
    rawTimestamp,
    timestamp: parts.epochSeconds * 1000 + Math.floor(parts.nanoseconds / 1_000_000),
    text: line.slice(match[0].length),
  };
}

/**
 * Orders two raw timestamps with nanosecond precision: negative when a is
 * earlier, 0 when equal, positive when later. Fractions may have different
 * lengths ("…:00.5Z" equals "…:00.500000000Z") and offsets may differ.
 * Strings that are not RFC 3339 timestamps are compared as plain strings.
 */
export function compareRawTimestamps(a: string, b: string): number {
  const left = parseRawTimestamp(a);
  const right = parseRawTimestamp(b);
  if (!left || !right) return a < b ? -1 : a > b ? 1 : 0;
  return left.epochSeconds - right.epochSeconds || left.nanoseconds - right.nanoseconds;
}

/**
 * The value for the Docker API `since` parameter ("seconds.nanoseconds") that
 * resumes at this timestamp. `since` is inclusive: lines at exactly this
 * timestamp are sent again and must be skipped with compareRawTimestamps.
 */
export function rawTimestampToSince(rawTimestamp: string): string | undefined {
  const parts = parseRawTimestamp(rawTimestamp);
  if (!parts) return undefined;
  return `${parts.epochSeconds}.${String(parts.nanoseconds).padStart(9, '0')}`;
}

interface TimestampParts {
  epochSeconds: number;
  nanoseconds: number;
}

function parseRawTimestamp(raw: string): TimestampParts | undefined {
  const match = TIMESTAMP_PREFIX.exec(raw);
  if (!match || match[0].trimEnd().length !== raw.length) return undefined;
  return timestampParts(match);
}

function timestampParts(match: RegExpExecArray): TimestampParts | undefined {
  const milliseconds = Date.parse(`${match[1] ?? ''}${match[3] ?? ''}`);
  if (Number.isNaN(milliseconds)) return undefined;
  return {
    epochSeconds: milliseconds / 1000,
    nanoseconds: Number((match[2] ?? '').padEnd(9, '0')),
  };
}

export type OutputStream = 'stdout' | 'stderr';

export interface LineDemultiplexer {
  push(chunk: Buffer | Uint8Array): void;
  /** The unfinished last lines (call at end of stream). */
  flush(): void;
}

/**
 * A multiplexed (or, for TTY containers, raw) Docker stream as lines per output stream: the
 * logs, and an exec's output. Anything that is not stdout (stderr, a system error) is stderr.
 */
export function createLineDemultiplexer(
  onLines: (stream: OutputStream, lines: SplitLine[]) => void,
  options: { raw: boolean; maxLineBytes: number },
): LineDemultiplexer {
  const splitters: Record<OutputStream, LineSplitter> = {
    stdout: new LineSplitter({ maxLineBytes: options.maxLineBytes }),
    stderr: new LineSplitter({ maxLineBytes: options.maxLineBytes }),
  };
  const demultiplexer = new DockerLogDemultiplexer(
    (source, payload) => {
      const stream: OutputStream = source === 'stdout' ? 'stdout' : 'stderr';
      onLines(stream, splitters[stream].push(payload));
    },
    { raw: options.raw },
  );
  return {
    push: (chunk) => demultiplexer.push(chunk),
    flush: () => {
      onLines('stdout', splitters.stdout.flush());
      onLines('stderr', splitters.stderr.flush());
    },
  };
}
