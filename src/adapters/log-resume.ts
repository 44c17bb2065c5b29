// Where a followed log stream resumes without loss or duplicates. Engines resume from a time
// that is inclusive (Docker's `since`, Kubernetes' `sinceTime`, the latter to the second):
// lines before the last timestamp seen are dropped, and as many lines at exactly that
// timestamp as were already read. Podman's timestamps have whole seconds, Kubernetes' resume
// point too, so several lines can share one.
// Docker's and Kubernetes' log followers both read their lines through here.

import type { LogLine } from '../domain/types';
import { toDisplayText } from '../domain/untrusted-text';
import { compareRawTimestamps, parseTimestampPrefix, type SplitLine } from './docker/log-decoder';

export class LogResumePoint {
  private rawTimestamp: string | undefined;
  private linesAtTimestamp = 0;
  /** Lines at the resume timestamp an earlier stream delivered, still to be skipped in this one. */
  private alreadyRead = 0;

  /** The last timestamp read, as the engine sent it; undefined before any line. */
  get last(): string | undefined {
    return this.rawTimestamp;
  }

  /** A new stream starts from the last timestamp: the lines read at it will come again first. */
  streamStarted(): void {
    this.alreadyRead = this.linesAtTimestamp;
  }

  /** Whether a line with this timestamp is new (then it is the resume point). */
  accept(rawTimestamp: string): boolean {
    const order = this.rawTimestamp === undefined ? 1 : compareRawTimestamps(rawTimestamp, this.rawTimestamp);
    if (order < 0) return false;
    if (order === 0) {
      if (this.alreadyRead > 0) {
        this.alreadyRead -= 1;
        return false;
      }
      this.linesAtTimestamp += 1;
      return true;
    }
    this.alreadyRead = 0;
    this.rawTimestamp = rawTimestamp;
    this.linesAtTimestamp = 1;
    return true;
  }
}

/** The new lines of a stream as the store takes them: timestamp split off, text sanitised, already-read lines left out. */
export function newLogLines(
  lines: readonly SplitLine[],
  point: LogResumePoint,
  source: Pick<LogLine, 'instanceKey' | 'workloadKey' | 'stream'>,
): LogLine[] {
  const out: LogLine[] = [];
  for (const split of lines) {
    const parsed = parseTimestampPrefix(split.text);
    if (!parsed || !point.accept(parsed.rawTimestamp)) continue;
    // Written out field by field, not spread: on Node 20 an object made with two spreads gets a
    // hidden class of its own, allocated in the old generation, so 1,000 lines/s grew the heap
    // by ~200 bytes per line (the log buffers keep thousands of them).
    const line: LogLine = {
      instanceKey: source.instanceKey,
      workloadKey: source.workloadKey,
      stream: source.stream,
      timestamp: parsed.timestamp,
      rawTimestamp: parsed.rawTimestamp,
      // Log text is untrusted: escape sequences and controls never reach the store.
      text: toDisplayText(parsed.text),
    };
    if (split.truncated) line.truncated = true;
    out.push(line);
  }
  return out;
}
