// Where a run goes after a step: the next step, a named step (a decision's branch or a
// `goto:` failure policy), the rollback list, or the end. Pure, so resume can replay it.

import type { StepVerdict } from '../../journal/journal-types';
import type { PlaybookStep } from '../playbook-types';

export type FlowMove =
  | { kind: 'step'; index: number }
  | { kind: 'end' }
  /** The step failed and its policy is abort: the run ends failed (after the operator was asked, when there is one). */
  | { kind: 'stop'; reason: string }
  | { kind: 'rollback'; reason: string };

/** Visits of one step before a goto loop is called a loop. */
export const MAX_VISITS_PER_STEP = 100;

function indexOf(steps: readonly PlaybookStep[], stepId: string): number {
  return steps.findIndex((step) => step.id === stepId);
}

function after(steps: readonly PlaybookStep[], index: number): FlowMove {
  return index + 1 < steps.length ? { kind: 'step', index: index + 1 } : { kind: 'end' };
}

function jump(steps: readonly PlaybookStep[], stepId: string, from: string): FlowMove {
  const target = indexOf(steps, stepId);
  return target >= 0 ? { kind: 'step', index: target } : { kind: 'stop', reason: `step ${from} goes to unknown step ${stepId}` };
}

/**
 * The move after step `index` ended with `verdict`. `branch` is the goto of the decision
 * option the operator chose. Refused (read-only) is handled like a failure by the policy.
 */
export function nextMove(steps: readonly PlaybookStep[], index: number, verdict: StepVerdict, branch?: string): FlowMove {
  const step = steps[index];
  if (!step) return { kind: 'end' };
  if (verdict === 'passed' || verdict === 'skipped' || verdict === 'would-do') {
    return branch ? jump(steps, branch, step.id) : after(steps, index);
  }
  const what = verdict === 'refused' ? 'was refused' : 'failed';
  switch (step.onFailure.kind) {
    case 'continue':
      return after(steps, index);
    case 'goto':
      return jump(steps, step.onFailure.step, step.id);
    case 'rollback':
      return { kind: 'rollback', reason: `step ${step.id} ${what}` };
    case 'abort':
      return { kind: 'stop', reason: `step ${step.id} ${what}` };
  }
}
