// One visit of a step: `when`, the operator's go (stepping), rendered parameters, the guards
// of a mutating step, the journaled intent (fsynced before the call), the attempts with
// retries and `expect`, the result, and what later steps may read of it.

import { describeCall } from '../../domain/engine-action';
import type { StepVerdict } from '../../journal/journal-types';
import type { InteractionAnswer, InteractionRequest, PlaybookActionDefinition, StepOutcome } from '../actions/action-registry';
import type { PlaybookStep } from '../playbook-types';
import type { RunInternals, StepVisit } from './run-internals';
import type { Phase } from './run-view-state';
import { abortableDelay } from '../../domain/abortable-delay';
import { buildContext, DEFAULT_STEP_TIMEOUT_MS, formatSeconds, runAttempt } from './step-attempt';
import { judgeOutcome } from '../actions/expect-match';
import { authorizeStep, confirmStep, lockTarget, targetOfStep, type GuardResult } from './step-guards';
import { StepOutput } from './step-output';
import { evaluateCondition } from '../condition';
import { stepScopeOf } from '../template';
import { renderStepParams } from './step-params';
import { markTiming } from './run-timings';

/** Registered data journaled with the result (for resume) up to this size. */
const JOURNALED_DATA_BYTES = 16 * 1024;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A step that ends without an attempt (skipped, failed before its call): journaled and shown. */
export function endWithoutCall(run: RunInternals, phase: Phase, step: PlaybookStep, verdict: StepVerdict, detail: string): StepVisit {
  const attempt = run.view.step(phase, step.id).attempt;
  run.journal({ type: 'step-result', stepId: step.id, attempt, phase, verdict, durationMs: 0, ...(verdict === 'skipped' ? { reason: detail } : { error: detail }) });
  run.view.updateStep(phase, step.id, { status: verdict, detail });
  run.setStepScope(step.id, stepScopeOf({}, { status: verdict, register: false }));
  return { kind: 'done', verdict, ...(verdict === 'failed' ? { error: detail } : {}) };
}

/** `when` first, so a step that will be skipped is not a stop for the operator. */
export async function visitStep(run: RunInternals, phase: Phase, step: PlaybookStep, options: { stepping: boolean }): Promise<StepVisit> {
  if (run.abortRequested()) return { kind: 'abort' };
  if (step.when !== undefined) {
    let holds: boolean;
    try {
      holds = evaluateCondition(step.when, run.scope());
    } catch (error) {
      return endWithoutCall(run, phase, step, 'failed', `when: ${messageOf(error)}`);
    }
    if (!holds) return endWithoutCall(run, phase, step, 'skipped', `condition is false: ${step.when}`);
  }
  if (options.stepping) {
    const answer = await run.wait({ kind: 'next-step', stepId: step.id });
    if (answer.kind === 'skip') return endWithoutCall(run, phase, step, 'skipped', 'skipped by the operator');
    if (answer.kind === 'abort') return { kind: 'abort' };
    if (answer.kind === 'rollback') return { kind: 'rollback' };
  }
  const definition = run.dependencies.registry.get(step.action);
  if (!definition) return endWithoutCall(run, phase, step, 'failed', `unknown action ${step.action}`);
  if (JSON.stringify(step.with).includes('run.directory')) run.ensureRunDirectory();
  let params: Record<string, unknown>;
  try {
    params = renderStepParams(step, definition, run.scope());
  } catch (error) {
    return endWithoutCall(run, phase, step, 'failed', messageOf(error));
  }
  return guardAndRun(run, phase, step, definition, params);
}

/** The part after parameters are known; resume enters here with the journaled parameters. */
export async function guardAndRun(
  run: RunInternals,
  phase: Phase,
  step: PlaybookStep,
  definition: PlaybookActionDefinition<Record<string, unknown>>,
  params: Record<string, unknown>,
  options: { confirmed?: boolean } = {},
): Promise<StepVisit> {
  const mutates = definition.mutates(params);
  const describeContext = buildContext(contextOptions(run, phase, step, timeoutOf(step, definition, params), undefined), run.stepSignal(), () => Promise.reject(new Error('no operator')));
  const calls = definition.describe(params, describeContext);
  const callLines = calls.map(describeCall);
  run.view.updateStep(phase, step.id, { mutates, calls: callLines });
  const sendsNothing = mutates && (run.dryRun() || run.dependencies.readOnly);
  const target = targetOfStep(run, definition, params);
  const guards: Array<() => Promise<GuardResult>> = sendsNothing
    ? []
    : [
        ...(mutates ? [() => authorizeStep(run, definition, params, describeContext), () => lockTarget(run, phase, step, target)] : []),
        // A yes/no the operator has just given (repeating a step on resume) is not asked twice.
        ...(options.confirmed && step.confirm === 'yes-no' ? [] : [() => confirmStep(run, phase, step, callLines, target)]),
      ];
  const releases: Array<() => void> = [];
  try {
    for (const guard of guards) {
      const result = await guard();
      run.checkSuspended();
      if (result.kind === 'go') releases.push(result.release);
      else if (result.kind === 'fail') return endWithoutCall(run, phase, step, 'failed', result.error);
      else if (result.kind === 'refuse') return endWithoutCall(run, phase, step, 'refused', result.reason);
      else if (result.kind === 'skip') return endWithoutCall(run, phase, step, 'skipped', result.reason);
      else if (result.kind === 'again') {
        run.view.updateStep(phase, step.id, { status: 'pending' });
        return { kind: 'again' };
      } else return { kind: 'abort' };
    }
    return await attempts(run, phase, step, definition, params, { mutates, calls: [...calls], callLines });
  } finally {
    for (const release of releases.reverse()) release();
  }
}

/** What an attempt's interactive question left behind: the goto of each decision option. */
interface Interaction {
  gotoByChoice?: ReadonlyMap<string, string | undefined>;
}

/** The step's timeout, else the action's own default for these parameters (wait.until: its timeout and a margin), else the runner's. */
function timeoutOf(step: PlaybookStep, definition: PlaybookActionDefinition<Record<string, unknown>>, params: Record<string, unknown>): number {
  return step.timeoutMs ?? definition.defaultTimeoutMs?.(params) ?? DEFAULT_STEP_TIMEOUT_MS;
}

function contextOptions(run: RunInternals, phase: Phase, step: PlaybookStep, timeoutMs: number, output: StepOutput | undefined, interaction: Interaction = {}) {
  return {
    dependencies: run.dependencies,
    executor: run.executor,
    dryRun: run.dryRun(),
    timeoutMs,
    runSignal: run.stepSignal(),
    output: output as StepOutput,
    runDirectory: () => run.ensureRunDirectory(),
    onProgress: (text: string) => run.view.updateStep(phase, step.id, { progress: text }),
    ask: (request: InteractionRequest) => askOperator(run, phase, step, request, interaction),
  };
}

async function attempts(
  run: RunInternals,
  phase: Phase,
  step: PlaybookStep,
  definition: PlaybookActionDefinition<Record<string, unknown>>,
  params: Record<string, unknown>,
  described: { mutates: boolean; calls: StepOutcome['calls'] extends readonly (infer Call)[] ? Call[] : never; callLines: string[] },
): Promise<StepVisit> {
  const { dependencies } = run;
  const wouldDo = described.mutates && run.dryRun();
  // An action whose executor answers a dry run (Kubernetes: the server's dryRun=All) runs, and shows that answer.
  const listOnly = wouldDo && definition.answersDryRun !== true;
  for (let tries = 0; ; tries += 1) {
    const attempt = run.nextAttempt(phase, step.id);
    markTiming(run.runId, phase, step.id, 'intent');
    run.journal({ type: 'step-intent', stepId: step.id, attempt, phase, action: step.action, params, mutates: described.mutates, calls: described.calls, dryRun: wouldDo });
    markTiming(run.runId, phase, step.id, 'intentWritten');
    // Crash tests: a window between the durable intent and the call it announces.
    if (dependencies.pauseAfterIntentMs && described.mutates && !wouldDo) {
      await abortableDelay(dependencies.pauseAfterIntentMs, run.stepSignal());
      run.checkSuspended();
    }
    const startedAt = dependencies.now();
    run.view.startAttempt(phase, step.id, attempt, described.callLines, startedAt);
    const output = new StepOutput({ store: dependencies.store, journal: (record) => run.journal(record), runId: run.runId, stepId: step.id, phase, attempt });
    const interaction: Interaction = {};
    markTiming(run.runId, phase, step.id, 'actionStart');
    let outcome: StepOutcome = listOnly
      ? { status: 'would-do', calls: described.calls }
      : await runAttempt({ ...contextOptions(run, phase, step, timeoutOf(step, definition, params), output, interaction), definition, params });
    markTiming(run.runId, phase, step.id, 'actionEnd');
    run.checkSuspended();
    outcome = judgeOutcome(outcome, step.expect);
    output.finish(outcome);
    const durationMs = dependencies.now() - startedAt;
    const registered = step.register ? registeredOf(outcome, output) : undefined;
    const data = registered?.data !== undefined ? boundedData(registered.data) : undefined;
    run.journal({
      type: 'step-result',
      stepId: step.id,
      attempt,
      phase,
      verdict: outcome.status,
      durationMs,
      ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.choice !== undefined ? { choice: outcome.choice } : {}),
      ...(data !== undefined ? { data } : {}),
    });
    markTiming(run.runId, phase, step.id, 'resultWritten');
    run.setStepScope(step.id, stepScopeOf({ ...outcome, ...registered }, { status: outcome.status, durationMs, register: step.register }));
    const lastTry = tries >= step.retries || outcome.status !== 'failed' || run.abortRequested();
    const retryNote = lastTry ? undefined : `attempt ${attempt} failed: ${outcome.error ?? 'failed'}; retrying in ${formatSeconds(step.retryDelayMs)}`;
    run.view.updateStep(phase, step.id, { status: lastTry ? outcome.status : 'running', durationMs, ...detailOf(outcome, retryNote) });
    if (lastTry) {
      if (run.abortRequested()) return { kind: 'abort' };
      return { kind: 'done', verdict: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), ...branchOf(outcome, interaction) };
    }
    await abortableDelay(step.retryDelayMs, run.stepSignal());
    run.checkSuspended();
  }
}

function detailOf(outcome: StepOutcome, retryNote: string | undefined): { detail?: string } {
  if (retryNote) return { detail: retryNote };
  if (outcome.error) return { detail: outcome.error };
  if (outcome.status === 'would-do') {
    // The server's answer to a dry run, when there is one: its first line.
    const answered = outcome.stdout?.split('\n')[0];
    return { detail: answered ? answered : 'dry run: nothing sent' };
  }
  return {};
}

/** A decision's chosen option may name the step to go to. */
function branchOf(outcome: StepOutcome, interaction: Interaction): { branch?: string } {
  const branch = outcome.status === 'passed' && outcome.choice !== undefined ? interaction.gotoByChoice?.get(outcome.choice) : undefined;
  return branch ? { branch } : {};
}

function registeredOf(outcome: StepOutcome, output: StepOutput): { stdout?: string; stderr?: string; body?: string; data?: unknown } {
  const registered: { stdout?: string; stderr?: string; body?: string; data?: unknown } = {};
  const stdout = outcome.stdout ?? output.streamedText('stdout');
  const stderr = outcome.stderr ?? output.streamedText('stderr');
  if (stdout !== undefined) registered.stdout = stdout;
  if (stderr !== undefined) registered.stderr = stderr;
  if (outcome.body !== undefined) registered.body = outcome.body;
  if (outcome.data !== undefined) registered.data = outcome.data;
  return registered;
}

function boundedData(data: unknown): unknown {
  try {
    const text = JSON.stringify(data);
    return text !== undefined && text.length <= JOURNALED_DATA_BYTES ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** An interactive action's question, as a wait the view renders; abort ends the attempt. */
async function askOperator(run: RunInternals, phase: Phase, step: PlaybookStep, request: InteractionRequest, interaction: Interaction): Promise<InteractionAnswer> {
  if (run.unattended) throw new Error(`needs an operator: ${request.kind === 'decision' ? request.question : request.instructions}`);
  run.view.updateStep(phase, step.id, { status: 'awaiting-operator' });
  try {
    if (request.kind === 'decision') {
      const answer = await run.wait({ kind: 'decision', stepId: step.id, question: request.question, options: request.options.map(({ id, label }) => ({ id, label })) });
      if (answer.kind !== 'choose') throw new Error('aborted by the operator');
      const option = request.options.find((candidate) => candidate.id === answer.optionId);
      if (!option) throw new Error(`no option ${answer.optionId}`);
      interaction.gotoByChoice = new Map(request.options.map((candidate) => [candidate.id, candidate.goto]));
      return { kind: 'decision', choice: option.id };
    }
    const answer = await run.wait({ kind: 'checklist', stepId: step.id, instructions: request.instructions, items: request.items, ticked: request.items.map(() => false) });
    if (answer.kind !== 'acknowledge') throw new Error('aborted by the operator');
    return { kind: 'checklist', ticked: answer.ticked ?? request.items.map(() => true) };
  } finally {
    if (!run.abortRequested()) run.view.updateStep(phase, step.id, { status: 'running' });
  }
}
