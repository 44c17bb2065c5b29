// What stands between a mutating step and its call: the engine's permission (a Kubernetes
// access review: a forbidden step is refused before anyone is asked anything), the host-wide
// lock on its target (held by another run: the operator is told who holds it and may take
// over, journaled) and the step's confirmation (yes/no, the target's name typed, or a second
// operator's approval).

import { refKey } from '../../domain/resource-ref';
import type { ActionContext, PlaybookActionDefinition } from '../actions/action-registry';
import type { PlaybookStep } from '../playbook-types';
import { isContextOf, matchingResources } from './live-inputs';
import type { RunInternals } from './run-internals';
import type { Phase } from './run-view-state';

/** Outcome of a guard: go on (with what to release afterwards), or how the visit ends. */
export type GuardResult =
  | { kind: 'go'; release(): void }
  | { kind: 'fail'; error: string }
  /** Not allowed (forbidden by the engine, read-only, unsupported): the step ends refused with the reason. */
  | { kind: 'refuse'; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'abort' }
  | { kind: 'again' };

const LOCK_POLL_MS = 1000;
const NOTHING = (): void => undefined;

export interface StepTarget {
  /** The lock's key: the ref key when the target is in the live state. */
  key: string;
  /** What the operator types for type-target. */
  name: string;
}

export function targetOfStep(run: RunInternals, definition: PlaybookActionDefinition<Record<string, unknown>>, params: Record<string, unknown>): StepTarget | undefined {
  const target = definition.targetOf?.(params);
  if (!target) return undefined;
  const state = run.dependencies.store.getState();
  const { context } = target;
  const [ref] = matchingResources(state, { kind: target.kind, nameOrKey: target.name, namespace: target.namespace, engine: context === undefined ? undefined : (engineId) => isContextOf(state, engineId, context) });
  return ref ? { key: refKey(ref), name: ref.name } : { key: `${target.kind}:${target.name}`, name: target.name };
}

/**
 * Whether the engine lets this user do each of the step's actions (the executor's authorize: a
 * SelfSubjectAccessReview on Kubernetes, cached per verb, resource and namespace, and per name where a role allows some names only). Asked before
 * the lock and the confirmation, so a forbidden step never asks the operator anything.
 */
export async function authorizeStep(run: RunInternals, definition: PlaybookActionDefinition<Record<string, unknown>>, params: Record<string, unknown>, context: ActionContext): Promise<GuardResult> {
  for (const action of definition.actionsOf?.(params, context) ?? []) {
    const refusal = await run.executor.authorize(action);
    if (refusal !== undefined) return { kind: 'refuse', reason: refusal };
  }
  return { kind: 'go', release: NOTHING };
}

export async function lockTarget(run: RunInternals, phase: Phase, step: PlaybookStep, target: StepTarget | undefined): Promise<GuardResult> {
  if (!target) return { kind: 'go', release: NOTHING };
  const { locks, operator } = run.dependencies;
  const holder = { operator: operator.operator, runId: run.runId, stepId: step.id, pid: operator.pid, host: operator.host };
  for (;;) {
    const attempt = locks.acquire(target.key, holder);
    if (attempt.acquired) {
      run.journal({ type: 'lock', stepId: step.id, target: target.key, event: 'acquired' });
      return { kind: 'go', release: releaser(run, step.id, target.key, attempt.release) };
    }
    const other = { operator: attempt.holder.operator, runId: attempt.holder.runId, stepId: attempt.holder.stepId };
    run.journal({ type: 'lock', stepId: step.id, target: target.key, event: 'held-by-other', holder: other });
    const held = `${target.name} is held by ${other.operator} (run ${other.runId}, step ${other.stepId})`;
    if (run.unattended) return { kind: 'fail', error: held };
    run.view.updateStep(phase, step.id, { detail: held });
    const answer = await waitWhileHeld(run, step.id, target, other, () => locks.acquire(target.key, holder));
    if (answer.kind === 'acquired') {
      run.journal({ type: 'lock', stepId: step.id, target: target.key, event: 'acquired' });
      return { kind: 'go', release: releaser(run, step.id, target.key, answer.release) };
    }
    if (answer.kind === 'take-over') {
      const taken = locks.takeOver(target.key, holder);
      const previous = taken.previous ?? attempt.holder;
      run.journal({ type: 'lock', stepId: step.id, target: target.key, event: 'taken-over', holder: { operator: previous.operator, runId: previous.runId, stepId: previous.stepId } });
      run.journal({ type: 'confirmation', stepId: step.id, mode: 'takeover', operator: operator.operator, answer: `took over ${target.name} from ${previous.operator}`, accepted: true });
      return { kind: 'go', release: releaser(run, step.id, target.key, taken.release) };
    }
    if (answer.kind === 'skip') return { kind: 'skip', reason: `skipped by the operator: ${held}` };
    if (answer.kind === 'abort') return { kind: 'abort' };
  }
}

function releaser(run: RunInternals, stepId: string, target: string, release: () => void): () => void {
  return () => {
    release();
    run.journal({ type: 'lock', stepId, target, event: 'released' });
  };
}

type HeldAnswer = { kind: 'acquired'; release(): void } | { kind: 'take-over' } | { kind: 'skip' } | { kind: 'abort' } | { kind: 'retry' };

/** Waits for the operator while polling the lock: it may come free on its own. */
async function waitWhileHeld(
  run: RunInternals,
  stepId: string,
  target: StepTarget,
  holder: { operator: string; runId: string; stepId: string },
  tryAgain: () => { acquired: true; release(): void } | { acquired: false },
): Promise<HeldAnswer> {
  let acquired: { release(): void } | undefined;
  const poll = setInterval(() => {
    const attempt = tryAgain();
    if (!attempt.acquired) return;
    acquired = attempt;
    clearInterval(poll);
    run.settle({ kind: 'lock-free' });
  }, LOCK_POLL_MS);
  const answer = await run.wait({ kind: 'lock-held', stepId, target: target.name, holder }).finally(() => clearInterval(poll));
  if (acquired) {
    if (answer.kind !== 'skip' && answer.kind !== 'abort') return { kind: 'acquired', release: acquired.release };
    acquired.release();
  }
  if (answer.kind === 'take-over' || answer.kind === 'skip' || answer.kind === 'abort') return { kind: answer.kind };
  return { kind: 'retry' };
}

/** The step's confirmation; returns go (release: nothing) or how the visit ends. */
export async function confirmStep(run: RunInternals, phase: Phase, step: PlaybookStep, calls: readonly string[], target: StepTarget | undefined): Promise<GuardResult> {
  const operator = run.dependencies.operator.operator;
  const go: GuardResult = { kind: 'go', release: NOTHING };
  switch (step.confirm) {
    case 'none':
      return go;
    case 'yes-no': {
      const question = questionOf(step, target);
      if (run.assumeYes) {
        run.journal({ type: 'confirmation', stepId: step.id, mode: 'yes-no', operator, answer: 'yes (--yes)', accepted: true });
        return go;
      }
      if (run.unattended) return { kind: 'fail', error: `needs a confirmation: ${question} (answer with --yes or run on a terminal)` };
      run.view.updateStep(phase, step.id, { status: 'awaiting-confirmation' });
      const answer = await run.wait({ kind: 'confirm', stepId: step.id, mode: 'yes-no', question, calls });
      if (answer.kind === 'abort') return { kind: 'abort' };
      if (answer.kind === 'skip') return { kind: 'skip', reason: 'skipped by the operator' };
      const accepted = answer.kind === 'confirm' && (answer.answer === true || (typeof answer.answer === 'string' && /^y(es)?$/i.test(answer.answer.trim())));
      run.journal({ type: 'confirmation', stepId: step.id, mode: 'yes-no', operator, answer: accepted ? 'yes' : 'no', accepted });
      if (!accepted) run.stopRunningOn();
      return accepted ? go : { kind: 'again' };
    }
    case 'type-target': {
      const expected = target?.name ?? step.id;
      const question = `${step.title}: type ${expected} to confirm`;
      if (run.unattended) return { kind: 'fail', error: `needs an operator to type ${expected} (run on a terminal)` };
      run.view.updateStep(phase, step.id, { status: 'awaiting-confirmation' });
      const answer = await run.wait({ kind: 'confirm', stepId: step.id, mode: 'type-target', question, calls, expected });
      if (answer.kind === 'abort') return { kind: 'abort' };
      if (answer.kind === 'skip') return { kind: 'skip', reason: 'skipped by the operator' };
      const typed = answer.kind === 'confirm' ? (typeof answer.answer === 'string' ? answer.answer : answer.answer ? '(yes)' : '(no)') : '';
      const accepted = typed.trim() === expected;
      run.journal({ type: 'confirmation', stepId: step.id, mode: 'type-target', operator, answer: typed, accepted });
      if (!accepted) {
        run.view.updateStep(phase, step.id, { detail: `typed "${typed}", expected "${expected}"` });
        run.stopRunningOn();
      }
      return accepted ? go : { kind: 'again' };
    }
    case 'second-operator':
      return approveStep(run, phase, step, calls, target);
  }
}

/** "Restart the container (shop-worker-1)?": the target named, not only its id in the call. */
function questionOf(step: PlaybookStep, target: StepTarget | undefined): string {
  return target ? `${step.title} (${target.name})?` : `${step.title}?`;
}

async function approveStep(run: RunInternals, phase: Phase, step: PlaybookStep, calls: readonly string[], target: StepTarget | undefined): Promise<GuardResult> {
  const { approvals, operator } = run.dependencies;
  const question = questionOf(step, target);
  if (run.unattended) return { kind: 'fail', error: `needs a second operator's approval (opsdeck approve ${run.runId}) while run on a terminal` };
  approvals.request({ runId: run.runId, stepId: step.id, requestedBy: operator.operator, question, calls: [...calls] });
  run.view.updateStep(phase, step.id, { status: 'awaiting-approval', detail: `waiting for another operator: opsdeck approve ${run.runId}` });
  const controller = new AbortController();
  approvals
    .wait({ runId: run.runId, stepId: step.id, signal: controller.signal })
    .then((approved) => run.settle({ kind: 'approved', approver: approved.approver }))
    .catch(() => undefined);
  const answer = await run.wait({ kind: 'approval', stepId: step.id, requestedBy: operator.operator, question }).finally(() => controller.abort());
  if (answer.kind === 'approved') {
    run.journal({ type: 'approval', stepId: step.id, requestedBy: operator.operator, approver: answer.approver, accepted: true });
    return { kind: 'go', release: NOTHING };
  }
  approvals.withdraw(run.runId, step.id);
  if (answer.kind === 'skip') return { kind: 'skip', reason: 'skipped by the operator while waiting for approval' };
  return { kind: 'abort' };
}
