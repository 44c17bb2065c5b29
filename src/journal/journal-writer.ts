// The run journal's writer: one append-only JSONL file per run, hash-chained. Every record is
// written (one write of the whole line) before append() returns, so it survives the process being
// killed; records that a resume relies on to avoid repeating or misreporting a change are also
// fsynced before append() returns (see isDurableRecord), so a mutating step's intent is on disk
// before its call is sent, even across a power loss.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { JournalRecord, JournalRecordBody, JournalWriter } from './journal-types';
import { utcStamp } from '../domain/utc-stamp';
import { createChainedFile, continueChainedFile, hashLine, isValidJournalId, parseChainedLine, ZERO_HASH, type ChainedAppender } from './chained-file';
import { currentOperator } from './operator-identity';
import { redactAndBound } from './redact';

export { hashLine, ZERO_HASH };
/** Bound of one step-output record's text (the runner splits larger output into several). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
/** Bound of an error, reason or note. */
export const MAX_MESSAGE_BYTES = 4 * 1024;

/** `20261201T112649Z-3f2a9c`: UTC time first, so names sort by start; 6 random hex keep them unique. */
export function newRunId(now: number = Date.now()): string {
  return `${utcStamp(now)}-${randomBytes(3).toString('hex')}`;
}

export function isValidRunId(runId: string): boolean {
  return isValidJournalId(runId);
}

/** A new journal `<directory>/<runId>.jsonl`: created exclusively (never an existing file), 0600. */
export function createJournal(options: { directory: string; runId: string }): JournalWriter {
  return openWriter({ runId: options.runId, appender: createChainedFile(options.directory, options.runId, 'run id'), mutatingAttempts: new Set() });
}

/**
 * The writer of an existing journal, for resume: seq and prev continue from its last complete
 * record. A torn last line (the process died mid-write) is cut off first, and the cut is
 * journaled as a note, so reading the journal again shows it.
 */
export function continueJournal(file: string): JournalWriter {
  const runId = path.basename(file).replace(/\.jsonl$/, '');
  const { appender, tornBytes } = continueChainedFile(file);
  const writer = openWriter({ runId, appender, mutatingAttempts: new Set(), resumed: true });
  if (tornBytes > 0) {
    writer.append({ type: 'note', operator: currentOperator().operator, text: `a torn last line (${tornBytes} bytes, written when the run's process died) was cut off before the run continued` });
  }
  return writer;
}

/** A complete line's record, or undefined when it is not a JSON object with a numeric seq and a type. */
export function parseRecordLine(line: string): JournalRecord | undefined {
  return parseChainedLine(line) as JournalRecord | undefined;
}

interface WriterState {
  runId: string;
  appender: ChainedAppender;
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
  return {
    runId: state.runId,
    path: state.appender.path,
    append(body: JournalRecordBody): JournalRecord {
      const redacted = redactBody(body);
      if (body.type === 'step-intent' && body.mutates && !body.dryRun) state.mutatingAttempts.add(`${body.stepId}#${body.attempt}`);
      const durable = isDurableRecord(body, state.mutatingAttempts) || (state.resumed === true && body.type === 'step-result');
      return state.appender.append(redacted, { durable }) as JournalRecord;
    },
    close: () => state.appender.close(),
  };
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
      return { ...body, text: boundedMessage(body.text) };
    case 'resume':
      return { ...body, observations: body.observations.map((observation) => ({ ...observation, detail: boundedMessage(observation.detail) })) };
    default:
      return body;
  }
}

/** Free text as journals keep it: redacted, and bounded to MAX_MESSAGE_BYTES (marked when cut). */
export function boundedMessage(text: string): string {
  const bounded = redactAndBound(text, MAX_MESSAGE_BYTES);
  return bounded.truncated ? `${bounded.text} [truncated]` : bounded.text;
}

function optionalMessage<Key extends string>(key: Key, text: string | undefined): Partial<Record<Key, string>> {
  return text === undefined ? {} : ({ [key]: boundedMessage(text) } as Record<Key, string>);
}
