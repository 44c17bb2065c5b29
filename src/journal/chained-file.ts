// The durable, hash-chained JSONL file under every journal (a run's, an incident's): created
// exclusively 0600 in a private directory, one write of the whole line per record, fsynced
// when the caller says the record must survive a power loss, a failed write cut back so the
// next line never follows half a line, and a torn last line (the process died mid-write) cut
// off before the file is continued. Each line carries `seq`, `at` and `prev` (the sha256 of
// the previous line as written; 64 zeros for the first).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDirectory } from './state-directory';

/** The `prev` of the first record. */
export const ZERO_HASH = '0'.repeat(64);
/** Journal ids are file names: no separators, no leading dot. */
const JOURNAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ChainedFields {
  seq: number;
  at: number;
  prev: string;
}

/** sha256 (hex) of a line exactly as written, without its newline: the next record's `prev`. */
export function hashLine(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

export function isValidJournalId(id: string): boolean {
  return JOURNAL_ID_PATTERN.test(id);
}

/** A complete line's record, or undefined when it is not a JSON object with a numeric seq and at, a prev and a type. */
export function parseChainedLine(line: string): (ChainedFields & { type: string }) | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Partial<ChainedFields & { type: string }>;
    if (typeof record.seq !== 'number' || typeof record.type !== 'string' || typeof record.prev !== 'string' || typeof record.at !== 'number') return undefined;
    return record as ChainedFields & { type: string };
  } catch {
    return undefined;
  }
}

export interface ChainedAppender {
  readonly path: string;
  /** Writes one record (seq, at and prev filled, `at` now unless given), fsynced first when `durable`. */
  append<Body extends { type: string }>(body: Body, options: { durable: boolean; at?: number }): Body & ChainedFields;
  close(): void;
}

interface AppenderState {
  path: string;
  descriptor: number;
  nextSeq: number;
  prev: string;
  /** Bytes in the file: a failed write is cut back to it. */
  size: number;
}

/** A new file `<directory>/<id>.jsonl`: created exclusively (never an existing file), 0600, its directory entry fsynced. */
export function createChainedFile(directory: string, id: string, kind = 'journal id'): ChainedAppender {
  if (!isValidJournalId(id)) throw new Error(`invalid ${kind} ${JSON.stringify(id)}: letters, digits, '.', '_' and '-' only`);
  ensurePrivateDirectory(directory);
  const file = path.join(directory, `${id}.jsonl`);
  const descriptor = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW, 0o600);
  // The new directory entry must survive a crash too, or the fsynced records would be unreachable.
  fsyncDirectory(directory);
  return openAppender({ path: file, descriptor, nextSeq: 0, prev: ZERO_HASH, size: 0 });
}

export interface ContinuedFile {
  appender: ChainedAppender;
  /** Bytes of a torn last line that were cut off (0: none). */
  tornBytes: number;
  /** The last complete record. */
  last: (ChainedFields & { type: string }) | undefined;
}

/** An existing file, continued: seq and prev follow its last complete record; a torn last line is cut off first. */
export function continueChainedFile(file: string): ContinuedFile {
  const descriptor = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW);
  try {
    const content = fs.readFileSync(descriptor);
    const end = content.lastIndexOf(0x0a) + 1;
    const tornBytes = content.length - end;
    if (tornBytes > 0) {
      fs.ftruncateSync(descriptor, end);
      fs.fsyncSync(descriptor);
    }
    const lines = content.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
    const lastLine = lines.at(-1);
    const last = lastLine === undefined ? undefined : parseChainedLine(lastLine);
    if (lastLine !== undefined && !last) throw new Error(`${file}: line ${lines.length} is not a journal record: the journal cannot be continued`);
    const appender = openAppender({ path: file, descriptor, nextSeq: last ? last.seq + 1 : 0, prev: lastLine === undefined ? ZERO_HASH : hashLine(lastLine), size: end });
    return { appender, tornBytes, last };
  } catch (error) {
    fs.closeSync(descriptor);
    throw error;
  }
}

function openAppender(state: AppenderState): ChainedAppender {
  let closed = false;
  return {
    path: state.path,
    append(body, options) {
      if (closed) throw new Error(`journal ${state.path} is closed`);
      const record = { seq: state.nextSeq, at: options.at ?? Date.now(), prev: state.prev, ...body };
      // JSON.stringify escapes newlines inside strings: one record is always one line.
      const line = JSON.stringify(record);
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      try {
        // One write of the whole line (a regular file takes it whole; the loop covers a short write).
        let written = fs.writeSync(state.descriptor, bytes);
        while (written < bytes.length) written += fs.writeSync(state.descriptor, bytes, written);
        if (options.durable) fs.fsyncSync(state.descriptor);
      } catch (error) {
        try {
          fs.ftruncateSync(state.descriptor, state.size);
        } catch {
          // The original error says more than this one.
        }
        throw error;
      }
      state.size += bytes.length;
      state.prev = hashLine(line);
      state.nextSeq += 1;
      return record;
    },
    close() {
      if (closed) return;
      closed = true;
      fs.closeSync(state.descriptor);
    },
  };
}

function fsyncDirectory(directory: string): void {
  const descriptor = fs.openSync(directory, fs.constants.O_RDONLY);
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}
