// A step's `expect` applied to an action's outcome: exit codes, HTTP statuses, output and body
// regexes (`(?i)` prefix for case-insensitive). An author who lists the exit codes or statuses
// that are fine decides over the action's own judgement of them (a `grep` exiting 1 may pass).

import type { StepOutcome } from '../actions/action-registry';
import type { StepExpect } from '../playbook-types';

/** JavaScript regex source with an optional leading `(?i)`. */
export function compileExpectRegex(source: string): RegExp {
  return source.startsWith('(?i)') ? new RegExp(source.slice(4), 'i') : new RegExp(source);
}

export function outputTextOf(outcome: StepOutcome): string {
  return [outcome.stdout, outcome.stderr].filter((text): text is string => text !== undefined).join('\n');
}

/** The outcome with `expect` applied: passed only when the action's result and every expectation agree. */
export function applyExpect(outcome: StepOutcome, expect: StepExpect | undefined): StepOutcome {
  if (!expect || outcome.status === 'refused' || outcome.status === 'would-do') return outcome;
  const mismatches: string[] = [];
  let coveredFailure = false;
  if (expect.exitCode) {
    if (outcome.exitCode === undefined) mismatches.push(`no exit code, expected ${expect.exitCode.join(' or ')}`);
    else if (!expect.exitCode.includes(outcome.exitCode)) mismatches.push(`exit code ${outcome.exitCode}, expected ${expect.exitCode.join(' or ')}`);
    else coveredFailure = true;
  }
  if (expect.status) {
    if (outcome.httpStatus === undefined) mismatches.push(`no HTTP status, expected ${expect.status.join(' or ')}`);
    else if (!expect.status.includes(outcome.httpStatus)) mismatches.push(`HTTP ${outcome.httpStatus}, expected ${expect.status.join(' or ')}`);
    else coveredFailure = true;
  }
  if (expect.output !== undefined && !compileExpectRegex(expect.output).test(outputTextOf(outcome))) {
    mismatches.push(`output does not match /${expect.output}/`);
  }
  if (expect.body !== undefined && !compileExpectRegex(expect.body).test(outcome.body ?? '')) {
    mismatches.push(`body does not match /${expect.body}/`);
  }
  if (mismatches.length > 0) return { ...outcome, status: 'failed', error: `expect: ${mismatches.join('; ')}` };
  // A failure the action reported only because of its exit code or status, which the author accepts.
  const failedOnlyOnCode = outcome.status === 'failed' && coveredFailure && (outcome.exitCode !== undefined || outcome.httpStatus !== undefined);
  if (failedOnlyOnCode) {
    const { error: _error, ...rest } = outcome;
    return { ...rest, status: 'passed' };
  }
  return outcome;
}
