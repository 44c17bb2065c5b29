// OPSDECK_RUN_TIMINGS=1 (the runner-overhead benchmark): the runner marks the phases of each
// attempt on the monotonic clock (performance.now(), ms), and `opsdeck run --json` adds them to
// the step's lines as `timings`, so the runner's own cost can be told from the action's.
// Unset: nothing is recorded and the output is unchanged.

import type { Phase } from './run-view-state';

export type TimingMark = 'intent' | 'intentWritten' | 'actionStart' | 'actionEnd' | 'resultWritten';

const enabled = process.env['OPSDECK_RUN_TIMINGS'] === '1';
const marks = new Map<string, Partial<Record<TimingMark, number>>>();

const keyOf = (runId: string, phase: Phase, stepId: string): string => `${runId}/${phase}/${stepId}`;

export function runTimingsEnabled(): boolean {
  return enabled;
}

/** Records `mark` for the step's current attempt (a new `intent` starts the attempt afresh). */
export function markTiming(runId: string, phase: Phase, stepId: string, mark: TimingMark): void {
  if (!enabled) return;
  const key = keyOf(runId, phase, stepId);
  const at = Number(performance.now().toFixed(3));
  if (mark === 'intent') marks.set(key, { intent: at });
  else marks.set(key, { ...marks.get(key), [mark]: at });
}

/** The step's marks so far, with `at` (now); undefined when timings are off. */
export function timingsOf(runId: string, phase: Phase, stepId: string): Partial<Record<TimingMark | 'at', number>> | undefined {
  if (!enabled) return undefined;
  return { ...marks.get(keyOf(runId, phase, stepId)), at: Number(performance.now().toFixed(3)) };
}
