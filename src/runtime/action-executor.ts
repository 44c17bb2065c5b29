// The one action path: every engine action (a key, a `:` command, a playbook step) is an
// EngineAction executed here, with the read-only decision, dry-run, the exact call and a
// typed result. Adapters still refuse mutations in read-only mode themselves.

import {
  isAccessReviewer,
  isDeletable,
  isEventReadable,
  isRolloutReadable,
  isRolloutRestartable,
  isRolloutUndoable,
  isScalable,
  isTemplateSettable,
  isUsageReadable,
  isArchivable,
  isExecutable,
  isInspectable,
  isKillable,
  isLogReadable,
  isRestartable,
  isStartable,
  isStatsReadable,
  isStoppable,
  isSilenceable,
  ReadOnlyError,
  type EngineAdapter,
  type MutationOptions,
} from '../adapters/capabilities';
import {
  isMutating,
  type ActionExecutor,
  type ActionOutput,
  type ActionResult,
  type EngineAction,
  type ExecuteOptions,
} from '../domain/engine-action';
import { refKey } from '../domain/resource-ref';
import type { OpsdeckStore } from '../store/create-opsdeck-store';

export interface ActionExecutorOptions {
  /** Where in-flight mutations and their results are recorded (the cockpit); absent for headless runs. */
  store?: OpsdeckStore;
  adapterFor(engineId: string): EngineAdapter | undefined;
  readOnly: boolean;
  /** Every execution is a dry run unless it says otherwise (`--dry-run`). */
  dryRun?: boolean;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** What an action that waits by itself gets beyond its own wait before the executor gives up. */
const OWN_WAIT_GRACE_MS = 10_000;
/** `kubectl rollout status`'s own default wait. */
const DEFAULT_ROLLOUT_WAIT_SECONDS = 300;

/**
 * How long the executor lets an action run when the caller sets no timeout: a minute, or longer
 * when the action waits by itself (a stop's grace period, `kubectl rollout status`'s 5 minutes),
 * so the executor never cuts a wait the action was asked to make.
 */
export function defaultDeadlineMs(action: EngineAction): number {
  const ownWaitSeconds = action.verb === 'rollout-status' ? (action.timeoutSeconds ?? DEFAULT_ROLLOUT_WAIT_SECONDS) : action.verb === 'restart' || action.verb === 'stop' ? (action.timeoutSeconds ?? 0) : 0;
  return Math.max(DEFAULT_TIMEOUT_MS, ownWaitSeconds * 1000 + OWN_WAIT_GRACE_MS);
}

/** Why an action may not run, decided in one place before anything is asked or sent. */
export function refusalOf(action: EngineAction, adapter: EngineAdapter | undefined, readOnly: boolean): string | undefined {
  if (!adapter) return `engine ${action.target.engineId} is not configured`;
  if (!supports(adapter, action)) return `engine ${action.target.engineId} cannot ${action.verb} a ${action.target.kind}`;
  if (readOnly && isMutating(action)) return `read-only mode: refused to ${action.verb} ${action.target.name}`;
  return cachedForbidden(action, adapter);
}

/** The refusal after asking the engine (a SelfSubjectAccessReview) for a mutation. */
export async function authorizationOf(action: EngineAction, adapter: EngineAdapter | undefined, readOnly: boolean): Promise<string | undefined> {
  const refusal = refusalOf(action, adapter, readOnly);
  if (refusal !== undefined || !adapter || !isMutating(action) || !isAccessReviewer(adapter)) return refusal;
  try {
    const decision = await adapter.reviewAccess(action);
    return decision.allowed ? undefined : decision.reason;
  } catch (error) {
    // An access review that cannot be made does not decide: the server still refuses what is forbidden.
    return undefined;
  }
}

/** Whether the engine can do the verb at all (k9s's per-kind capabilities). */
export function supports(adapter: EngineAdapter, action: EngineAction): boolean {
  switch (action.verb) {
    case 'restart':
      return isRestartable(adapter);
    case 'stop':
      return isStoppable(adapter);
    case 'start':
      return isStartable(adapter);
    case 'kill':
      return isKillable(adapter);
    case 'exec':
      return isExecutable(adapter);
    case 'logs':
      return isLogReadable(adapter);
    case 'inspect':
      return isInspectable(adapter);
    case 'stats':
      return isStatsReadable(adapter);
    case 'archive':
    case 'restore':
      return isArchivable(adapter);
    case 'rollout-restart':
      return isRolloutRestartable(adapter);
    case 'rollout-status':
    case 'rollout-history':
      return isRolloutReadable(adapter);
    case 'rollout-undo':
      return isRolloutUndoable(adapter);
    case 'scale':
      return isScalable(adapter);
    case 'set-resources':
    case 'set-env':
      return isTemplateSettable(adapter);
    case 'delete':
      return isDeletable(adapter);
    case 'top':
      return isUsageReadable(adapter);
    case 'events':
      return isEventReadable(adapter);
    case 'silence':
      return isSilenceable(adapter);
  }
}

/** Kubernetes mutations answer a dry run on the server (dryRun=All); the others only say their call. */
export function hasServerDryRun(action: EngineAction): boolean {
  switch (action.verb) {
    case 'rollout-restart':
    case 'rollout-undo':
    case 'scale':
    case 'set-resources':
    case 'set-env':
    case 'delete':
      return true;
    default:
      return false;
  }
}

/** The forbidden answer of an access review already made (sync: for hints and refusals). */
function cachedForbidden(action: EngineAction, adapter: EngineAdapter): string | undefined {
  if (!isMutating(action) || !isAccessReviewer(adapter)) return undefined;
  const decision = adapter.cachedAccess(action);
  return decision && !decision.allowed ? decision.reason : undefined;
}

/** The adapter call for the verb; what it returns becomes the result's output. */
async function perform(adapter: EngineAdapter, action: EngineAction, io: MutationOptions): Promise<ActionOutput | undefined> {
  switch (action.verb) {
    case 'restart':
      if (!isRestartable(adapter)) break;
      await adapter.restartInstance(action.target, action.timeoutSeconds);
      return undefined;
    case 'stop':
      if (!isStoppable(adapter)) break;
      await adapter.stopInstance(action.target, action.timeoutSeconds);
      return undefined;
    case 'start':
      if (!isStartable(adapter)) break;
      await adapter.startInstance(action.target);
      return undefined;
    case 'kill':
      if (!isKillable(adapter)) break;
      await adapter.killInstance(action.target, action.signal);
      return undefined;
    case 'exec':
      if (!isExecutable(adapter)) break;
      return adapter.execInInstance(action.target, action, io);
    case 'logs':
      if (!isLogReadable(adapter)) break;
      return { stdout: await adapter.readInstanceLogs(action.target, action, io) };
    case 'inspect':
      if (!isInspectable(adapter)) break;
      return { inspect: await adapter.inspectInstance(action.target, io) };
    case 'stats':
      if (!isStatsReadable(adapter)) break;
      return { stats: await adapter.readInstanceStats(action.target, io) };
    case 'archive':
      if (!isArchivable(adapter)) break;
      return { file: await adapter.archiveInstancePath(action.target, action.path, action.destinationFile, io) };
    case 'restore':
      if (!isArchivable(adapter)) break;
      await adapter.restoreInstancePath(action.target, action.path, action.sourceFile, io);
      return undefined;
    case 'rollout-restart':
      if (!isRolloutRestartable(adapter)) break;
      return { answer: await adapter.restartRollout(action.target, io) };
    case 'rollout-status':
      if (!isRolloutReadable(adapter)) break;
      return { rollout: await adapter.watchRollout(action.target, action.timeoutSeconds ?? DEFAULT_ROLLOUT_WAIT_SECONDS, io) };
    case 'rollout-history':
      if (!isRolloutReadable(adapter)) break;
      return { history: await adapter.rolloutHistory(action.target, io) };
    case 'rollout-undo':
      if (!isRolloutUndoable(adapter)) break;
      return { answer: await adapter.undoRollout(action.target, action.toRevision, io) };
    case 'scale':
      if (!isScalable(adapter)) break;
      return { answer: await adapter.scaleWorkload(action.target, action.replicas, io) };
    case 'set-resources':
      if (!isTemplateSettable(adapter)) break;
      return { answer: await adapter.setResources(action.target, action, io) };
    case 'set-env':
      if (!isTemplateSettable(adapter)) break;
      return { answer: await adapter.setEnv(action.target, action, io) };
    case 'delete':
      if (!isDeletable(adapter)) break;
      return { answer: await adapter.deleteInstance(action.target, action.gracePeriodSeconds, io) };
    case 'top':
      if (!isUsageReadable(adapter)) break;
      return { usage: await adapter.readUsage(action.target, io) };
    case 'events':
      if (!isEventReadable(adapter)) break;
      return { events: await adapter.readEvents(action.target, action.limit, io) };
    case 'silence':
      if (!isSilenceable(adapter)) break;
      return { silenceId: await adapter.silenceAlert(action.target, action, io) };
  }
  throw new Error(`cannot ${action.verb} ${action.target.name}`);
}

/**
 * Runs `work` with a signal that aborts on the caller's signal or after `ms`, so the adapter
 * closes its requests and streams; the promise rejects with the reason at once either way.
 */
async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, what: string, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: Error): void => {
      reject(reason);
      controller.abort(reason);
    };
    timer = setTimeout(() => stop(new Error(`${what} timed out after ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`)), ms);
    onOuterAbort = () => stop(new Error(`${what} was cancelled`));
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onOuterAbort) outer?.removeEventListener('abort', onOuterAbort);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createActionExecutor(options: ActionExecutorOptions): ActionExecutor {
  const now = options.now ?? Date.now;
  return {
    describe: (action) => options.adapterFor(action.target.engineId)?.describeCall(action),
    refusal: (action) => refusalOf(action, options.adapterFor(action.target.engineId), options.readOnly),
    authorize: (action) => authorizationOf(action, options.adapterFor(action.target.engineId), options.readOnly),
    async execute(action: EngineAction, execution: ExecuteOptions = {}): Promise<ActionResult> {
      const startedAt = now();
      const elapsed = (): number => now() - startedAt;
      const adapter = options.adapterFor(action.target.engineId);
      // Mutations ask the engine first (a SelfSubjectAccessReview on Kubernetes): forbidden is a refusal.
      const refusal = await authorizationOf(action, adapter, options.readOnly);
      const call = adapter?.describeCall(action);
      const base = call ? { action, call } : { action };
      if (refusal !== undefined || !adapter) return { ...base, status: 'refused', error: refusal, durationMs: elapsed() };
      const mutating = isMutating(action);
      const dryRun = mutating && (execution.dryRun ?? options.dryRun) === true;
      // A dry run shows what would really happen: reads run for real, mutations only say their call,
      // except where the server can answer a dry run itself (Kubernetes dryRun=All): then its answer.
      if (dryRun && !hasServerDryRun(action)) return { ...base, status: 'would-do', durationMs: elapsed() };
      // Only mutations mark their row and reach the status line's results: a playbook's reads
      // (an inspect polled during someone's restart, the logs of twelve containers) would clear
      // that restart's in-flight mark, push real results out and keep megabytes of output.
      const store = mutating ? options.store : undefined;
      const targetKey = refKey(action.target);
      store?.getState().actionStarted(targetKey, action.verb);
      let result: ActionResult;
      try {
        const what = `${action.verb} ${action.target.name}`;
        const io = (signal: AbortSignal): MutationOptions => ({
          signal,
          ...(execution.onOutput ? { onOutput: execution.onOutput } : {}),
          ...(dryRun ? { dryRun: true } : {}),
        });
        const output = await withDeadline((signal) => perform(adapter, action, io(signal)), execution.timeoutMs ?? defaultDeadlineMs(action), what, execution.signal);
        result = { ...base, status: dryRun ? 'would-do' : 'done', durationMs: elapsed(), ...(output ? { output } : {}) };
      } catch (error) {
        const status = error instanceof ReadOnlyError ? 'refused' : 'failed';
        result = { ...base, status, error: messageOf(error), durationMs: elapsed() };
      }
      store?.getState().actionFinished(targetKey, result);
      return result;
    },
  };
}
