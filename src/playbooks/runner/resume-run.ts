// Going on with a dead run: the interrupted attempt is observed where its effect shows (a
// restart: StartedAt after the intent) and the operator told what was found; the step is
// recorded as passed when it happened, run when it did not, and repeated only after the
// operator said so when its effect cannot be told. Then the flow continues where it was.

import type { JournalRecordBody, RunVerdict } from '../../journal/journal-types';
import type { Observation } from '../actions/action-registry';
import type { PlaybookRun } from './run-machine';
import type { InterruptedAttempt, ResumePlan } from './resume-plan';
import { buildContext } from './step-attempt';
import { StepOutput } from './step-output';
import { endWithoutCall, guardAndRun, visitStep } from './step-visit';
import { nextMove } from './step-flow';
import { stepScopeOf } from '../template';

const OBSERVE_TIMEOUT_MS = 30_000;

type RunEnd = { verdict: RunVerdict; reason?: string };

async function observe(run: PlaybookRun, interrupted: InterruptedAttempt): Promise<Observation> {
  if (interrupted.dryRun) return { verdict: 'not-happened', detail: 'a dry run: nothing was sent' };
  if (!interrupted.mutates) return { verdict: 'not-happened', detail: 'a read that changes nothing: safe to run again' };
  const definition = run.dependencies.registry.get(interrupted.step.action);
  if (!definition?.observe) return { verdict: 'unknown', detail: `${interrupted.step.action} cannot tell whether the interrupted call took effect` };
  const signal = AbortSignal.timeout(OBSERVE_TIMEOUT_MS);
  const output = new StepOutput({ store: run.dependencies.store, journal: () => undefined, runId: run.runId, stepId: interrupted.step.id, phase: interrupted.phase, attempt: interrupted.attempt });
  const context = buildContext(
    {
      dependencies: run.dependencies,
      executor: run.executor,
      dryRun: false,
      timeoutMs: OBSERVE_TIMEOUT_MS,
      runSignal: signal,
      output,
      runDirectory: () => run.ensureRunDirectory(),
      onProgress: () => undefined,
      ask: () => Promise.reject(new Error('observing asks nothing')),
    },
    signal,
    () => Promise.reject(new Error('observing asks nothing')),
  );
  try {
    return await definition.observe(interrupted.params, context, interrupted.intentAt);
  } catch (error) {
    return { verdict: 'unknown', detail: `could not observe: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function resumeRecord(run: PlaybookRun, observations: Extract<JournalRecordBody, { type: 'resume' }>['observations']): JournalRecordBody {
  return { type: 'resume', observations, ...run.dependencies.operator };
}

export async function continueFromObservation(run: PlaybookRun, plan: ResumePlan): Promise<RunEnd> {
  if (plan.playbookChanged) {
    run.journal({ type: 'note', text: `playbook file ${run.playbook.file} changed since the run started (sha256 differs)`, operator: run.dependencies.operator.operator });
  }
  const interrupted = plan.interrupted;
  if (!interrupted) {
    run.journal(resumeRecord(run, []));
    return goOn(run, plan);
  }
  const { step, phase } = interrupted;
  run.view.updateStep(phase, step.id, { status: 'running', attempt: interrupted.attempt, calls: interrupted.calls, detail: 'observing whether the interrupted call took effect' });
  const observation = await observe(run, interrupted);
  run.journal(resumeRecord(run, [{ stepId: step.id, attempt: interrupted.attempt, ...observation }]));
  const found = `on resume: ${observation.verdict}: ${observation.detail}`;
  if (observation.verdict === 'happened') {
    run.journal({ type: 'step-result', stepId: step.id, attempt: interrupted.attempt, phase, verdict: 'passed', durationMs: 0, reason: `happened before the run was interrupted (${observation.detail})` });
    run.setStepScope(step.id, stepScopeOf({}, { status: 'passed', register: false }));
    run.view.updateStep(phase, step.id, { status: 'passed', detail: found });
    return goOn(run, { ...plan, next: nextAfterHappened(run, interrupted) });
  }
  run.view.updateStep(phase, step.id, { status: 'pending', detail: found });
  if (observation.verdict === 'unknown') {
    const repeat = await askBeforeRepeating(run, interrupted, observation);
    if (repeat === 'abort') return { verdict: 'aborted', reason: 'aborted by the operator on resume' };
    if (repeat === 'skip') {
      endWithoutCall(run, phase, step, 'skipped', `skipped on resume: ${observation.detail}`);
      return goOn(run, { ...plan, next: nextAfterHappened(run, interrupted) });
    }
    if (repeat === 'fail') {
      endWithoutCall(run, phase, step, 'failed', `needs an operator on resume: ${observation.detail}`);
      return goOn(run, { ...plan, next: { kind: 'end', verdict: 'failed', reason: `step ${step.id}: effect unknown on resume, not repeated` } });
    }
  }
  const definition = run.dependencies.registry.get(step.action);
  if (phase === 'rollback' || !definition) return goOn(run, plan);
  const confirmed = observation.verdict === 'unknown';
  // The same call as journaled, not a new rendering.
  return run.mainFlow(interrupted.index, () => guardAndRun(run, phase, step, definition, interrupted.params, { confirmed }));
}

/** The step is settled without running it: the flow goes on after it. */
function nextAfterHappened(run: PlaybookRun, interrupted: InterruptedAttempt): ResumePlan['next'] {
  if (interrupted.phase === 'rollback') return { kind: 'rollback', index: interrupted.index + 1, reason: 'rollback' };
  const move = nextMove(run.playbook.steps, interrupted.index, 'passed');
  return { kind: 'main', index: move.kind === 'step' ? move.index : run.playbook.steps.length };
}

async function askBeforeRepeating(run: PlaybookRun, interrupted: InterruptedAttempt, observation: Observation): Promise<'repeat' | 'skip' | 'abort' | 'fail'> {
  const operator = run.dependencies.operator.operator;
  if (run.assumeYes) {
    run.journal({ type: 'confirmation', stepId: interrupted.step.id, mode: 'resume', operator, answer: 'repeat (--yes)', accepted: true });
    return 'repeat';
  }
  if (run.unattended) return 'fail';
  const answer = await run.wait({ kind: 'resume', stepId: interrupted.step.id, verdict: observation.verdict, detail: observation.detail });
  if (answer.kind === 'abort') return 'abort';
  const repeat = answer.kind === 'run-next' || answer.kind === 'retry' || (answer.kind === 'confirm' && (answer.answer === true || answer.answer === 'y' || answer.answer === 'yes'));
  run.journal({ type: 'confirmation', stepId: interrupted.step.id, mode: 'resume', operator, answer: repeat ? 'repeat' : 'skip', accepted: repeat });
  return repeat ? 'repeat' : 'skip';
}

async function goOn(run: PlaybookRun, plan: ResumePlan): Promise<RunEnd> {
  for (const reread of plan.rereads) {
    const step = (reread.phase === 'main' ? run.playbook.steps : run.playbook.rollback)[reread.index];
    if (step) await visitStep(run, reread.phase, step, { stepping: false });
  }
  const next = plan.next;
  if (next.kind === 'end') return next.reason ? { verdict: next.verdict, reason: next.reason } : { verdict: next.verdict };
  if (next.kind === 'rollback') return run.rollbackFlow(next.reason, next.index);
  return run.mainFlow(next.index);
}
