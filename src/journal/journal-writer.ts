// The run journal's writer: one append-only JSONL file per run, hash-chained. Every record is
// written (one write of the whole line) before append() returns, so it survives the process being
// killed; records that a resume relies on to avoid repeating or misreporting a change are also
// fsynced before append() returns (see isDurableRecord), so a mutating step's intent is on disk
// before its call is sent, even across a power loss.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JournalRecord, JournalRecordBody, JournalWriter } from './journal-types';
import { utcStamp } from '../domain/utc-stamp';
import { currentOperator } from './operator-identity';
import { redactAndBound } from './redact';
import { ensurePrivateDirectory } from './state-directory';

/** The `prev` of the first record. */
export const ZERO_HASH = '0'.repeat(64);
/** Bound of one step-output record's text (the runner splits larger output into several). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
/** Bound of an error, reason or note. */
export const MAX_MESSAGE_BYTES = 4 * 1024;
/** Run ids are file names: no separators, no leading dot. */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** sha256 (hex) of a line exactly as written, without its newline: the next record's `prev`. */
export function hashLine(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** `20261201T112649Z-3f2a9c`: UTC time first, so names sort by start; 6 random hex keep them unique. */
export function newRunId(now: number = Date.now()): string {
  return `${utcStamp(now)}-${randomBytes(3).toString('hex')}`;
}

export function isValidRunId(runId: string): boolean {
  return RUN_ID_PATTERN.test(runId);
}

/** A new journal `<directory>/<runId>.jsonl`: created exclusively (never an existing file), 0600. */
export function createJournal(options: { directory: string; runId: string }): JournalWriter {
  if (!isValidRunId(options.runId)) throw new Error(`invalid run id ${JSON.stringify(options.runId)}: letters, digits, '.', '_' and '-' only`);
  ensurePrivateDirectory(options.directory);
  const file = path.join(options.directory, `${options.runId}.jsonl`);
  const descriptor = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW, 0o600);
  // The new directory entry must survive a crash too, or the fsynced records would be unreachable.
  fsyncDirectory(options.directory);
  return openWriter({ runId: options.runId, path: file, descriptor, nextSeq: 0, prev: ZERO_HASH, size: 0, mutatingAttempts: new Set() });
}

/**
 * The writer of an existing journal, for resume: seq and prev continue from its last complete
 * record. A torn last line (the process died mid-write) is cut off first, and the cut is
 * journaled as a note, so reading the journal again shows it.
 */
export function continueJournal(file: string): JournalWriter {
  const runId = path.basename(file).replace(/\.jsonl$/, '');
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
    let nextSeq = 0;
    if (lastLine !== undefined) {
      const last = parseRecordLine(lastLine);
      if (!last) throw new Error(`${file}: line ${lines.length} is not a journal record: the journal cannot be continued`);
      nextSeq = last.seq + 1;
    }
    const writer = openWriter({ runId, path: file, descriptor, nextSeq, prev: lastLine === undefined ? ZERO_HASH : hashLine(lastLine), size: end, mutatingAttempts: new Set(), resumed: true });
    if (tornBytes > 0) {
      writer.append({ type: 'note', operator: currentOperator().operator, text: `a torn last line (${tornBytes} bytes, written when the run's process died) was cut off before the run continued` });
    }
    return writer;
  } catch (error) {
    fs.closeSync(descriptor);
    throw error;
  }
}

/** A complete line's record, or undefined when it is not a JSON object with a numeric seq and a type. */
export function parseRecordLine(line: string): JournalRecord | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Partial<JournalRecord>;
    if (typeof record.seq !== 'number' || typeof record.type !== 'string' || typeof record.prev !== 'string' || typeof record.at !== 'number') return undefined;
    return record as JournalRecord;
  } catch {
    return undefined;
  }
}

interface WriterState {
  runId: string;
  path: string;
  descriptor: number;
  nextSeq: number;
  prev: string;
  /** Bytes in the file: a failed write is cut back to it, so the next line never follows half a line. */
  size: number;
  /** `stepId#attempt` of mutating steps' intents, so their results are fsynced too. */
  mutatingAttempts: Set<string>;
  /** A continued journal: an interrupted attempt's intent was written by the process before, so every result is fsynced. */
  resumed?: boolean;
}

/**
 * Whether a record is fsynced before append() returns. A read's intent, output and result are
 * only written: after a crash of the machine (not of the process, whose writes the kernel
 * already holds) resume re-runs a read whose records were lost, which changes nothing. The next
 * fsynced record makes them durable as well (fsync flushes the whole file).
 */
export function isDurableRecord(body: JournalRecordBody, mutatingAttempts: ReadonlySet<string>): boolean {
  switch (body.type) {
    case 'step-output':
      return false;
    case 'step-intent':
      return body.mutates && !body.dryRun;
    case 'step-result':
      return mutatingAttempts.has(`${body.stepId}#${body.attempt}`);
    default:
      return true;
  }
}

function openWriter(state: WriterState): JournalWriter {
  let closed = false;
  return {
    runId: state.runId,
    path: state.path,
    append(body: JournalRecordBody): JournalRecord {
      if (closed) throw new Error(`journal ${state.path} is closed`);
      const record = { seq: state.nextSeq, at: Date.now(), prev: state.prev, ...redactBody(body) } as JournalRecord;
      // JSON.stringify escapes newlines inside strings: one record is always one line.
      const line = JSON.stringify(record);
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      try {
        // One write of the whole line (a regular file takes it whole; the loop covers a short write).
        let written = fs.writeSync(state.descriptor, bytes);
        while (written < bytes.length) written += fs.writeSync(state.descriptor, bytes, written);
        if (body.type === 'step-intent' && body.mutates && !body.dryRun) state.mutatingAttempts.add(`${body.stepId}#${body.attempt}`);
        if (isDurableRecord(body, state.mutatingAttempts) || (state.resumed && body.type === 'step-result')) fs.fsyncSync(state.descriptor);
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
    close(): void {
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

/** Output and messages redacted and bounded here, for every caller. */
function redactBody(body: JournalRecordBody): JournalRecordBody {
  switch (body.type) {
    case 'step-output': {
      const bounded = redactAndBound(body.text, MAX_OUTPUT_BYTES);
      return { ...body, text: bounded.text, ...(bounded.truncated || body.truncated ? { truncated: true } : {}) };
    }
    case 'step-result':
      return { ...body, ...optionalMessage('error', body.error), ...optionalMessage('reason', body.reason) };
    case 'run-end':
    case 'approval':
      return { ...body, ...optionalMessage('reason', body.reason) };
    case 'note':
      return { ...body, text: message(body.text) };
    case 'resume':
      return { ...body, observations: body.observations.map((observation) => ({ ...observation, detail: message(observation.detail) })) };
    default:
      return body;
  }
}

function message(text: string): string {
  const bounded = redactAndBound(text, MAX_MESSAGE_BYTES);
  return bounded.truncated ? `${bounded.text} [truncated]` : bounded.text;
}

function optionalMessage<Key extends string>(key: Key, text: string | undefined): Partial<Record<Key, string>> {
  return text === undefined ? {} : ({ [key]: message(text) } as Record<Key, string>);
}
