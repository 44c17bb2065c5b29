// Log lines per workload (ring buffers) and the error fingerprints counted from them.

import { FingerprintTable, isErrorLine } from '../../domain/fingerprint';
import { RingBuffer } from '../../domain/ring-buffer';
import type { ErrorFingerprint, LogLine, RefKey } from '../../domain/types';
import type { SliceModule } from '../slice-module';
import type { StoreOptions } from '../store-types';

export interface ErrorsSlice {
  fingerprints: ErrorFingerprint[];
  /** Error lines seen since start (all fingerprints, including evicted ones). */
  errorLineCount: number;
  /** Bumped per workload whenever its log buffer changes. */
  logRevisionByWorkload: Record<RefKey, number>;
  /** Log ring buffers per workload (mutable, not reactive: watch logRevisionByWorkload). */
  readonly logBuffers: Map<RefKey, RingBuffer<LogLine>>;
  logLinesReceived(lines: LogLine[]): void;
}

interface LogPending {
  lines: LogLine[];
}

/** One per store: the fingerprint table is this slice's own, outside the reactive state. */
export function createErrorsSlice(options: Pick<StoreOptions, 'maxFingerprints'>): SliceModule<ErrorsSlice, LogPending> {
  const table = new FingerprintTable({ capacity: options.maxFingerprints });
  return {
    name: 'errors',
    createPending: () => ({ lines: [] }),
    create: ({ pending, requestFlush }) => {
      const logBuffers = new Map<RefKey, RingBuffer<LogLine>>();
      return {
        fingerprints: [],
        errorLineCount: 0,
        logRevisionByWorkload: {},
        logBuffers,
        logLinesReceived: (lines) => {
          const writes = pending();
          for (const line of lines) writes.lines.push(line);
          requestFlush();
        },
      };
    },
    apply: ({ next, pending, options }) => {
      if (pending.lines.length === 0) return undefined;
      const touched = new Set<RefKey>();
      let errorLines = 0;
      for (const line of pending.lines) {
        bufferFor(next.logBuffers, line.workloadKey, options.logBufferLines).push(line);
        touched.add(line.workloadKey);
        if (isErrorLine(line.text, options.errorPatterns)) {
          table.record(line);
          errorLines += 1;
        }
      }
      const logRevisionByWorkload = { ...next.logRevisionByWorkload };
      for (const key of touched) logRevisionByWorkload[key] = (logRevisionByWorkload[key] ?? 0) + 1;
      const partial: Partial<ErrorsSlice> = { logRevisionByWorkload };
      if (errorLines > 0) {
        partial.fingerprints = table.snapshot();
        partial.errorLineCount = next.errorLineCount + errorLines;
      }
      return partial;
    },
  };
}

function bufferFor(buffers: Map<RefKey, RingBuffer<LogLine>>, key: RefKey, capacity: number): RingBuffer<LogLine> {
  let buffer = buffers.get(key);
  if (!buffer) {
    buffer = new RingBuffer<LogLine>(capacity);
    buffers.set(key, buffer);
  }
  return buffer;
}
