// One attempt of a step through its action definition: the ActionContext, the step timeout
// (paused while the action waits for the operator: a checklist is not timed), and abort.

import { isMutating, type ActionExecutor } from '../../domain/engine-action';
import type { ActionContext, InteractionAnswer, InteractionRequest, PlaybookActionDefinition, StepOutcome } from '../actions/action-registry';
import { resolveTargetIn } from './live-inputs';
import type { RunnerDependencies } from './runner-dependencies';
import type { StepOutput } from './step-output';

export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

/**
 * The run's dry-run decides, not the runtime's: a reading action always runs for real, a
 * mutating one sends nothing while the run is a dry run.
 */
export function runExecutor(inner: ActionExecutor, dryRun: () => boolean): ActionExecutor {
  return {
    describe: (action) => inner.describe(action),
    refusal: (action) => inner.refusal(action),
    authorize: (action) => inner.authorize(action),
    execute: (action, options = {}) => inner.execute(action, { ...options, dryRun: isMutating(action) && (dryRun() || options.dryRun === true) }),
  };
}

export interface AttemptOptions {
  definition: PlaybookActionDefinition<Record<string, unknown>>;
  params: Record<string, unknown>;
  dependencies: RunnerDependencies;
  executor: ActionExecutor;
  dryRun: boolean;
  timeoutMs: number;
  /** Aborted when the operator aborts the run or the service closes. */
  runSignal: AbortSignal;
  output: StepOutput;
  /** The run's artefact directory, created when an action first asks for it. */
  runDirectory(): string;
  onProgress(text: string): void;
  ask(request: InteractionRequest): Promise<InteractionAnswer>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function buildContext(options: Omit<AttemptOptions, 'definition' | 'params'>, signal: AbortSignal, ask: ActionContext['ask']): ActionContext {
  const { dependencies } = options;
  return {
    executor: options.executor,
    host: dependencies.host,
    resolveTarget: (nameOrKey, kind) => resolveTargetIn(dependencies.store.getState(), nameOrKey, kind),
    state: () => dependencies.store.getState(),
    dryRun: options.dryRun,
    readOnly: dependencies.readOnly,
    signal,
    timeoutMs: options.timeoutMs,
    onOutput: (stream, text) => options.output.write(stream, text),
    onProgress: options.onProgress,
    ask,
    get runDirectory() {
      return options.runDirectory();
    },
    now: dependencies.now,
  };
}

/** Runs the action once; never throws (a throw is a failed outcome). */
export async function runAttempt(options: AttemptOptions): Promise<StepOutcome> {
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(new Error('aborted by the operator'));
  options.runSignal.addEventListener('abort', onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let remainingMs = options.timeoutMs;
  let armedAt = 0;
  let rejectDeadline: (error: Error) => void = () => undefined;
  const deadline = new Promise<never>((_, reject) => (rejectDeadline = reject));
  deadline.catch(() => undefined);
  const arm = (): void => {
    armedAt = Date.now();
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${formatSeconds(options.timeoutMs)}`);
      controller.abort(error);
      rejectDeadline(error);
    }, remainingMs);
  };
  const disarm = (): void => {
    clearTimeout(timer);
    remainingMs = Math.max(0, remainingMs - (Date.now() - armedAt));
  };
  const ask: ActionContext['ask'] = async (request) => {
    disarm();
    try {
      return await options.ask(request);
    } finally {
      if (!controller.signal.aborted) arm();
    }
  };
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  arm();
  try {
    const context = buildContext(options, controller.signal, ask);
    return await Promise.race([options.definition.run(options.params, context), deadline, aborted]);
  } catch (error) {
    return { status: 'failed', calls: [], error: messageOf(error) };
  } finally {
    clearTimeout(timer);
    options.runSignal.removeEventListener('abort', onRunAbort);
    if (!controller.signal.aborted) controller.abort(new Error('attempt finished'));
  }
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
