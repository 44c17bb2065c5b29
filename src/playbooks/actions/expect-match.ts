// A step's `expect` applied to an action's outcome (the runner for every step, wait.until for
// each attempt). An exit code or HTTP status the action judged by its own default (0;
// 200-399) is judged by `expect` instead when the step says which it accepts.

import { z } from 'zod';
import type { StepExpect } from '../playbook-types';
import type { StepOutcome } from './action-registry';
import { integerListParam, patternParam } from './param-types';
import { compilePattern } from '../../domain/pattern';

/** `expect:` as a step or wait.until writes it. */
export const stepExpectParam = z.strictObject({
  exitCode: integerListParam.optional(),
  status: integerListParam.optional(),
  output: patternParam.optional(),
  body: patternParam.optional(),
});

function listOf(values: readonly number[]): string {
  return values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
}

/**
 * The outcome with `expect` applied: passed only when the action passed (or failed only by
 * the exit code or status that `expect` accepts) and every given field matches.
 */
export function judgeOutcome(outcome: StepOutcome, expect: StepExpect | undefined): StepOutcome {
  if (!expect || outcome.status === 'refused' || outcome.status === 'would-do') return outcome;
  const failed = (mismatch: string): StepOutcome => ({ ...outcome, status: 'failed', error: `expect: ${mismatch}` });
  let judgedByExpect = false;
  if (expect.exitCode) {
    if (outcome.exitCode === undefined) return outcome.status === 'failed' ? outcome : failed(`expected exit code ${listOf(expect.exitCode)}, the action gave none`);
    if (!expect.exitCode.includes(outcome.exitCode)) return failed(`exit code ${outcome.exitCode}, expected ${listOf(expect.exitCode)}`);
    judgedByExpect = true;
  }
  if (expect.status) {
    if (outcome.httpStatus === undefined) return outcome.status === 'failed' ? outcome : failed(`expected HTTP status ${listOf(expect.status)}, the action gave none`);
    if (!expect.status.includes(outcome.httpStatus)) return failed(`HTTP status ${outcome.httpStatus}, expected ${listOf(expect.status)}`);
    judgedByExpect = true;
  }
  // A failed outcome carries its exit code or status only when that was why it failed.
  if (outcome.status === 'failed' && !judgedByExpect) return outcome;
  if (expect.output !== undefined) {
    const output = [outcome.stdout, outcome.stderr].filter((text) => text !== undefined && text !== '').join('\n');
    if (!compilePattern(expect.output).test(output)) return failed(`output does not match /${expect.output}/`);
  }
  if (expect.body !== undefined && !compilePattern(expect.body).test(outcome.body ?? '')) return failed(`body does not match /${expect.body}/`);
  const { error: _error, ...passed } = outcome;
  return { ...passed, status: 'passed' };
}
