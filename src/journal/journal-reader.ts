// Reading journals back: records (a torn last line reported, not fatal), the hash chain
// verified, and the runs of a directory summarised for `journal list` and resume.

import fs from 'node:fs';
import path from 'node:path';
import type { JournalRecord, ReadJournal, RunSummary } from './journal-types';
import { hashLine, parseRecordLine, ZERO_HASH } from './journal-writer';
import { processIsAlive } from './process-liveness';

interface JournalLines {
  /** Complete lines (each ended by a newline), without it. */
  lines: string[];
  /** Text after the last newline: a line torn by a crash mid-write. */
  torn: string;
}

function readLines(file: string): JournalLines {
  const content = fs.readFileSync(file, 'utf8');
  const lines = content.split('\n');
  const torn = lines.pop() ?? '';
  return { lines, torn };
}

function tornProblem(lineNumber: number, torn: string): string {
  return `line ${lineNumber}: torn last line (${Buffer.byteLength(torn)} bytes without a newline, the process died while writing it): ignored`;
}

/** The records of a journal; a torn last line and lines that are not records are reported in problems. */
export function readJournal(file: string): ReadJournal {
  const { lines, torn } = readLines(file);
  const records: JournalRecord[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const record = parseRecordLine(line);
    if (record) records.push(record);
    else problems.push(`line ${index + 1}: not a journal record: ignored`);
  });
  if (torn !== '') problems.push(tornProblem(lines.length + 1, torn));
  return { records, problems };
}

export interface JournalVerification {
  ok: boolean;
  /** Complete records checked. */
  records: number;
  /** Where and why the chain breaks: the first broken seq and whether a record was edited, removed or moved. */
  problem?: string;
  /** Not a break: a torn last line left by a crash, ignored. */
  notes?: string[];
}

/**
 * Recomputes the chain: record n must carry seq n and the sha256 of line n-1 as written. An
 * edited record no longer hashes to the prev its successor recorded; a removed one leaves a
 * gap in seq; a moved one appears out of order. (A chain cannot tell that its last records
 * were cut off or that the very last one was edited: nothing after them recorded their hash.)
 */
export function verifyJournal(file: string): JournalVerification {
  const { lines, torn } = readLines(file);
  const notes = torn === '' ? undefined : [tornProblem(lines.length + 1, torn)];
  const records = lines.map((line) => parseRecordLine(line));
  const broken = (problem: string): JournalVerification => ({ ok: false, records: lines.length, problem, ...(notes ? { notes } : {}) });
  let previousHash = ZERO_HASH;
  for (let index = 0; index < lines.length; index += 1) {
    const record = records[index];
    const lineNumber = index + 1;
    if (!record) return broken(`line ${lineNumber} (seq ${index}) is not a journal record: it was edited or corrupted`);
    if (record.seq !== index) {
      const laterIndex = records.findIndex((other, otherIndex) => otherIndex > index && other?.seq === index);
      if (laterIndex >= 0) return broken(`seq ${index} is out of order: line ${lineNumber} holds seq ${record.seq} and seq ${index} comes later, at line ${laterIndex + 1} (records were reordered)`);
      if (record.seq > index) return broken(`seq ${index} is missing: line ${lineNumber} holds seq ${record.seq} (${record.seq - index === 1 ? 'a record was' : `${record.seq - index} records were`} removed)`);
      return broken(`seq ${record.seq} appears again at line ${lineNumber}, where seq ${index} belongs (a record was duplicated or moved)`);
    }
    if (record.prev !== previousHash) {
      return broken(
        index === 0
          ? `seq 0 does not start the chain (its prev is not 64 zeros): the first record was edited or the journal does not begin here`
          : `seq ${index - 1} was edited: its line no longer hashes to the prev recorded by seq ${index} (line ${lineNumber})`,
      );
    }
    previousHash = hashLine(lines[index]!);
  }
  return { ok: true, records: lines.length, ...(notes ? { notes } : {}) };
}

/** The JSONL journals in a directory (runs, incidents), as paths; none when it does not exist yet. */
export function journalFilesIn(directory: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.endsWith('.jsonl')).map((name) => path.join(directory, name));
}

/** The runs journaled in a directory, newest first. Each reads only the first line and the tail. */
export function listRuns(directory: string): RunSummary[] {
  const summaries: RunSummary[] = [];
  for (const file of journalFilesIn(directory)) {
    const summary = summariseRun(file);
    if (summary) summaries.push(summary);
  }
  return summaries.sort((left, right) => right.startedAt - left.startedAt || right.runId.localeCompare(left.runId));
}

/** A run by its id or by a prefix only one run has; undefined when none or several match. */
export function findRun(directory: string, runIdOrPrefix: string): RunSummary | undefined {
  const matches = matchingRuns(directory, runIdOrPrefix);
  return matches.length === 1 ? matches[0] : undefined;
}

/** The run with exactly this id, else every run whose id starts with it (so a caller can name the ambiguity). */
export function matchingRuns(directory: string, runIdOrPrefix: string): RunSummary[] {
  if (runIdOrPrefix === '') return [];
  const runs = listRuns(directory);
  const exact = runs.find((run) => run.runId === runIdOrPrefix);
  return exact ? [exact] : runs.filter((run) => run.runId.startsWith(runIdOrPrefix));
}

/** Enough of the file's end to hold a run-end record (outputs are bounded well below it). */
const TAIL_BYTES = 256 * 1024;

function summariseRun(file: string): RunSummary | undefined {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(descriptor).size;
    const head = readAt(descriptor, 0, Math.min(size, TAIL_BYTES));
    const firstNewline = head.indexOf('\n');
    const start = firstNewline >= 0 ? parseRecordLine(head.slice(0, firstNewline)) : undefined;
    const tail = size <= TAIL_BYTES ? head : readAt(descriptor, size - TAIL_BYTES, TAIL_BYTES);
    const tailLines = tail.split('\n');
    tailLines.pop();
    const lastRecord = tailLines.length > 0 ? parseRecordLine(tailLines.at(-1)!) : undefined;
    const end = lastRecord?.type === 'run-end' ? lastRecord : undefined;
    const runId = path.basename(file, '.jsonl');
    if (start?.type !== 'run-start') {
      return { runId, path: file, playbookId: '', title: '(no run-start record)', operator: '', startedAt: fs.fstatSync(descriptor).mtimeMs, unfinished: !end, running: false };
    }
    // A resumed run is carried on by the process that journaled the last resume record.
    const latest = lastResume(tailLines) ?? start;
    const summary: RunSummary = {
      runId: start.runId || runId,
      path: file,
      playbookId: start.playbook?.id ?? '',
      title: start.playbook?.title ?? '',
      operator: start.operator,
      startedAt: start.at,
      unfinished: !end,
      running: !end && processIsAlive(latest.pid, latest.host, latest.at),
    };
    if (end) {
      summary.endedAt = end.at;
      summary.verdict = end.verdict;
    }
    return summary;
  } finally {
    fs.closeSync(descriptor);
  }
}

function lastResume(lines: string[]): (JournalRecord & { type: 'resume' }) | undefined {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    if (!lines[index]!.includes('"type":"resume"')) continue;
    const record = parseRecordLine(lines[index]!);
    if (record?.type === 'resume') return record;
  }
  return undefined;
}

function readAt(descriptor: number, position: number, length: number): string {
  const buffer = Buffer.alloc(length);
  const read = fs.readSync(descriptor, buffer, 0, length, position);
  return buffer.subarray(0, read).toString('utf8');
}
