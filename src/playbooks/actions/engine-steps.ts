// How playbook actions reach the engines: targets resolved from the live state, every call
// through the one action executor (dry-run and read-only decided there), its result mapped
// onto a step outcome.

import { isMutating, type ActionCall, type ActionResult, type EngineAction, type ExecuteOptions, type MutationAnswer } from '../../domain/engine-action';
import { parseRefKey, refKey, type InstanceKind, type ResourceRef } from '../../domain/resource-ref';
import type { Instance } from '../../domain/types';
import type { ActionContext, StepOutcome } from './action-registry';

export type InstanceRef = ResourceRef & { kind: InstanceKind };

const STATUS_OF: Record<ActionResult['status'], StepOutcome['status']> = {
  done: 'passed',
  'would-do': 'would-do',
  refused: 'refused',
  failed: 'failed',
};

export function failedOutcome(error: string, calls: readonly ActionCall[] = []): StepOutcome {
  return { status: 'failed', calls, error };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The step outcome of an executor result. A command that ran and exited non-zero failed,
 * and keeps its exit code: a failed outcome carries `exitCode` only when the exit code is
 * why it failed, so a step's `expect.exitCode` can accept it (see judgeOutcome).
 */
export function outcomeOf(result: ActionResult): StepOutcome {
  const calls = result.call ? [result.call] : [];
  const outcome: StepOutcome = { status: STATUS_OF[result.status], calls };
  if (result.error !== undefined) outcome.error = result.error;
  const output = result.output;
  if (output?.stdout !== undefined) outcome.stdout = output.stdout;
  if (output?.stderr !== undefined) outcome.stderr = output.stderr;
  if (result.status === 'done' && output?.exitCode !== undefined) {
    outcome.exitCode = output.exitCode;
    if (output.exitCode !== 0) {
      outcome.status = 'failed';
      outcome.error = `exit code ${output.exitCode}`;
    }
  }
  return outcome;
}

/**
 * Executes through the executor. Reads run for real even in a dry run (so `when` conditions
 * and registered values are real); a mutating action in a dry run only says what it would do.
 */
export function execute(action: EngineAction, context: ActionContext, options: Pick<ExecuteOptions, 'onOutput' | 'timeoutMs'> = {}): Promise<ActionResult> {
  const execution: ExecuteOptions = {
    signal: context.signal,
    timeoutMs: options.timeoutMs ?? context.timeoutMs,
    onOutput: options.onOutput ?? ((stream, text) => context.onOutput(stream, text)),
  };
  if (!isMutating(action)) execution.dryRun = false;
  else if (context.dryRun) execution.dryRun = true;
  return context.executor.execute(action, execution);
}

const STATUS_RANK: Record<StepOutcome['status'], number> = { passed: 0, 'would-do': 1, refused: 2, failed: 3 };

/** "deployment.apps/api scaled from 3 to 5", then one line per changed field; a server dry run says so. */
export function answerLines(answer: MutationAnswer): string[] {
  const lines = [answer.dryRun ? `dry run (server, nothing persisted): ${answer.summary}` : answer.summary];
  for (const [field, [before, after]] of Object.entries(answer.changes ?? {})) lines.push(`  ${field}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  return lines;
}

/** The line(s) one action of a step reports: the server's answer, else its target and status. */
function resultLines(result: ActionResult, outcome: StepOutcome): string[] {
  if (result.output?.answer) return answerLines(result.output.answer);
  return [`${result.action.target.name}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}`];
}

/**
 * Runs a step's engine actions one by one, reporting each as it ends. A failed one stops the
 * step: the operator decides before the rest are touched. The step's status is the worst one.
 */
export async function executeInOrder(actions: readonly EngineAction[], context: ActionContext): Promise<{ outcome: StepOutcome; results: ActionResult[] }> {
  const calls: ActionCall[] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  const results: ActionResult[] = [];
  let status: StepOutcome['status'] = 'passed';
  for (const action of actions) {
    const result = await execute(action, context);
    const outcome = outcomeOf(result);
    results.push(result);
    calls.push(...outcome.calls);
    if (STATUS_RANK[outcome.status] > STATUS_RANK[status]) status = outcome.status;
    if (outcome.error) errors.push(`${action.target.name}: ${outcome.error}`);
    for (const line of resultLines(result, outcome)) {
      lines.push(line);
      context.onOutput('info', line);
    }
    if (outcome.status === 'failed') break;
  }
  const outcome: StepOutcome = { status, calls, stdout: lines.join('\n') };
  if (errors.length > 0) outcome.error = errors.join('; ');
  return { outcome, results };
}

/**
 * `describe` and `actionsOf` of a step whose EngineActions `plan` resolves (or a problem
 * sentence, when its target cannot be resolved: then neither calls nor actions).
 */
export function plannedActions<Params>(plan: (values: Params, context: ActionContext) => readonly EngineAction[] | string): {
  describe(values: Params, context: ActionContext): ActionCall[];
  actionsOf(values: Params, context: ActionContext): readonly EngineAction[];
} {
  const actionsOf = (values: Params, context: ActionContext): readonly EngineAction[] => {
    const planned = plan(values, context);
    return typeof planned === 'string' ? [] : planned;
  };
  return { actionsOf, describe: (values, context) => describeActions(actionsOf(values, context), context) };
}

/** One action or a problem sentence, as plannedActions takes it. */
export function single(action: EngineAction | string): readonly EngineAction[] | string {
  return typeof action === 'string' ? action : [action];
}

/** The calls an action would make, as the engine's adapter describes them. */
export function describeActions(actions: readonly EngineAction[], context: ActionContext): ActionCall[] {
  return actions.flatMap((action) => {
    const call = context.executor.describe(action);
    return call ? [call] : [];
  });
}

function instanceList(context: ActionContext): Instance[] {
  return Object.values(context.state().instances);
}

/** The container a step names (a name or a ref key, on `engine` when given), or why there is none. */
export function resolveContainer(context: ActionContext, nameOrKey: string, engine?: string): InstanceRef | string {
  const missing = `no container ${nameOrKey} on ${engine === undefined ? 'any engine' : `engine ${engine}`}`;
  if (engine !== undefined) {
    const found = instanceList(context).find((instance) => instance.ref.engineId === engine && (instance.ref.name === nameOrKey || instance.key === nameOrKey));
    return found ? found.ref : missing;
  }
  const ref = context.resolveTarget(nameOrKey, 'container');
  return ref && (ref.kind === 'container' || ref.kind === 'pod') ? (ref as InstanceRef) : missing;
}

/** The containers of a compose service (`project/service`, `service` or a ref key), or why there are none. */
export function resolveServiceContainers(context: ActionContext, service: string, engine?: string): InstanceRef[] | string {
  const missing = `no service ${service} on ${engine === undefined ? 'any engine' : `engine ${engine}`}`;
  let workloadKeys: Set<string>;
  const byKey = parseRefKey(service);
  if (byKey) workloadKeys = new Set([refKey(byKey)]);
  else if (engine === undefined) {
    const ref = context.resolveTarget(service, 'compose-service');
    if (!ref) return missing;
    workloadKeys = new Set([refKey(ref)]);
  } else {
    const slash = service.lastIndexOf('/');
    const project = slash === -1 ? undefined : service.slice(0, slash);
    const name = slash === -1 ? service : service.slice(slash + 1);
    workloadKeys = new Set(
      Object.values(context.state().workloads)
        .filter((workload) => workload.ref.engineId === engine && workload.ref.name === name && (project === undefined || workload.ref.namespace === project))
        .map((workload) => workload.key),
    );
  }
  const containers = instanceList(context)
    .filter((instance) => workloadKeys.has(instance.workloadKey))
    .sort((left, right) => left.ref.name.localeCompare(right.ref.name))
    .map((instance) => instance.ref);
  return containers.length > 0 ? containers : missing;
}

/** The instances of the live state a report covers: a compose project and/or an engine. */
export function instancesIn(context: ActionContext, filter: { project?: string; engine?: string }): Instance[] {
  return instanceList(context)
    .filter((instance) => (filter.engine === undefined || instance.ref.engineId === filter.engine) && (filter.project === undefined || instance.workload.namespace === filter.project))
    .sort((left, right) => left.ref.engineId.localeCompare(right.ref.engineId) || left.ref.name.localeCompare(right.ref.name));
}
