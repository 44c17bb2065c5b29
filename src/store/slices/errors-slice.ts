import type { LogLine, ServiceKey } from '../../domain/types';
import { FingerprintTable, isErrorLine } from '../../domain/fingerprint';
import { RingBuffer } from '../../domain/ring-buffer';
import type { ErrorsSlice, OpsdeckState, PendingWrites } from '../store-types';

export interface ErrorPipeline {
  readonly table: FingerprintTable;
  readonly patterns: RegExp[];
  readonly bufferLines: number;
}

export function createErrorPipeline(patterns: RegExp[], maxFingerprints: number, bufferLines: number): ErrorPipeline {
  return { table: new FingerprintTable({ capacity: maxFingerprints }), patterns, bufferLines };
}

/** Appends pending log lines to per-service rings and fingerprints the error lines. */
export function applyLogWrites(
  state: Pick<ErrorsSlice, 'logBuffers' | 'logRevisionByService' | 'errorLineCount'>,
  pending: PendingWrites,
  pipeline: ErrorPipeline,
): Partial<OpsdeckState> | undefined {
  if (pending.logLines.length === 0) return undefined;
  const touched = new Set<ServiceKey>();
  let errorLines = 0;
  for (const line of pending.logLines) {
    bufferFor(state.logBuffers, line.serviceKey, pipeline.bufferLines).push(line);
    touched.add(line.serviceKey);
    if (isErrorLine(line.text, pipeline.patterns)) {
      pipeline.table.record(line);
      errorLines += 1;
    }
  }
  const logRevisionByService = { ...state.logRevisionByService };
  for (const key of touched) logRevisionByService[key] = (logRevisionByService[key] ?? 0) + 1;
  const partial: Partial<OpsdeckState> = { logRevisionByService };
  if (errorLines > 0) {
    partial.fingerprints = pipeline.table.snapshot();
    partial.errorLineCount = state.errorLineCount + errorLines;
  }
  return partial;
}

function bufferFor(buffers: Map<ServiceKey, RingBuffer<LogLine>>, key: ServiceKey, capacity: number): RingBuffer<LogLine> {
  let buffer = buffers.get(key);
  if (!buffer) {
    buffer = new RingBuffer<LogLine>(capacity);
    buffers.set(key, buffer);
  }
  return buffer;
}
