// The one action path: every mutation (a key, a `:` command, a playbook step) is an
// EngineAction executed here, with the read-only decision, dry-run, the exact call and a
// typed result. Adapters still refuse mutations in read-only mode themselves.

import { isRestartable, isStartable, isStoppable, ReadOnlyError, type EngineAdapter } from '../adapters/capabilities';
import {
  isMutating,
  type ActionExecutor,
  type ActionResult,
  type EngineAction,
  type ExecuteOptions,
} from '../domain/engine-action';
import { refKey } from '../domain/resource-ref';
import type { OpsdeckStore } from '../store/create-opsdeck-store';

export interface ActionExecutorOptions {
  /** Where in-flight actions and results are recorded (the cockpit); absent for headless runs. */
  store?: OpsdeckStore;
  adapterFor(engineId: string): EngineAdapter | undefined;
  readOnly: boolean;
  /** Every execution is a dry run unless it says otherwise (`--dry-run`). */
  dryRun?: boolean;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Why an action may not run, decided in one place before anything is asked or sent. */
export function refusalOf(action: EngineAction, adapter: EngineAdapter | undefined, readOnly: boolean): string | undefined {
  if (!adapter) return `engine ${action.target.engineId} is not configured`;
  if (!supports(adapter, action)) return `engine ${action.target.engineId} cannot ${action.verb} a ${action.target.kind}`;
  if (readOnly && isMutating(action)) return `read-only mode: refused to ${action.verb} ${action.target.name}`;
  return undefined;
}

function supports(adapter: EngineAdapter, action: EngineAction): boolean {
  switch (action.verb) {
    case 'restart':
      return isRestartable(adapter);
    case 'stop':
      return isStoppable(adapter);
    case 'start':
      return isStartable(adapter);
    default:
      return false;
  }
}

function perform(adapter: EngineAdapter, action: EngineAction): Promise<void> {
  switch (action.verb) {
    case 'restart':
      if (isRestartable(adapter)) return adapter.restartInstance(action.target, action.timeoutSeconds);
      break;
    case 'stop':
      if (isStoppable(adapter)) return adapter.stopInstance(action.target, action.timeoutSeconds);
      break;
    case 'start':
      if (isStartable(adapter)) return adapter.startInstance(action.target);
      break;
    default:
      break;
  }
  return Promise.reject(new Error(`cannot ${action.verb} ${action.target.name}`));
}

function withDeadline(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createActionExecutor(options: ActionExecutorOptions): ActionExecutor {
  const now = options.now ?? Date.now;
  return {
    describe: (action) => options.adapterFor(action.target.engineId)?.describeCall(action),
    refusal: (action) => refusalOf(action, options.adapterFor(action.target.engineId), options.readOnly),
    async execute(action: EngineAction, execution: ExecuteOptions = {}): Promise<ActionResult> {
      const startedAt = now();
      const elapsed = (): number => now() - startedAt;
      const adapter = options.adapterFor(action.target.engineId);
      const refusal = refusalOf(action, adapter, options.readOnly);
      const call = adapter?.describeCall(action);
      const base = call ? { action, call } : { action };
      if (refusal !== undefined || !adapter) return { ...base, status: 'refused', error: refusal, durationMs: elapsed() };
      if (execution.dryRun ?? options.dryRun) return { ...base, status: 'would-do', durationMs: elapsed() };
      const targetKey = refKey(action.target);
      options.store?.getState().actionStarted(targetKey, action.verb);
      let result: ActionResult;
      try {
        await withDeadline(perform(adapter, action), execution.timeoutMs ?? DEFAULT_TIMEOUT_MS, `${action.verb} ${action.target.name}`);
        result = { ...base, status: 'done', durationMs: elapsed() };
      } catch (error) {
        const status = error instanceof ReadOnlyError ? 'refused' : 'failed';
        result = { ...base, status, error: messageOf(error), durationMs: elapsed() };
      }
      options.store?.getState().actionFinished(targetKey, result);
      return result;
    },
  };
}
