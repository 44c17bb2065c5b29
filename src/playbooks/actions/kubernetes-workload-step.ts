// The shape every k8s.* step on one Deployment or StatefulSet shares: resolve it from the live
// state, build one EngineAction, describe it through the executor, authorize and run it there,
// and report the server's answer (also a server-side dry run's). Plus what a resumed run reads
// to tell whether an interrupted mutation took effect: the rollout history.

import type { z } from 'zod';
import type { EngineAction, RolloutRevision, WorkloadTarget } from '../../domain/engine-action';
import type { ActionContext, Observation, StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { plannedActions, single, execute, executeInOrder, failedOutcome, outcomeOf } from './engine-steps';
import { resolveWorkload, workloadTargetOf, type WorkloadValues } from './kubernetes-targets';

export interface WorkloadStep<Schema extends z.ZodType<WorkloadValues>> {
  name: string;
  summary: string;
  params: Schema;
  mutates: boolean;
  build(target: WorkloadTarget, values: z.output<Schema>): EngineAction;
  /** Shapes a done (or would-do) outcome from the engine's result: lines, data, failure. */
  finish?(outcome: StepOutcome, values: z.output<Schema>, result: Awaited<ReturnType<typeof execute>>, context: ActionContext): StepOutcome;
  onOutput?(context: ActionContext): (stream: 'stdout' | 'stderr', text: string) => void;
  defaultTimeoutMs?(values: z.output<Schema>): number;
  observe?(target: WorkloadTarget, values: z.output<Schema>, context: ActionContext, intentAt: number): Promise<Observation>;
}

export function workloadStep<Schema extends z.ZodType<WorkloadValues>>(definition: WorkloadStep<Schema>) {
  const actionFor = (values: z.output<Schema>, context: ActionContext): EngineAction | string => {
    const target = resolveWorkload(context.state(), values);
    return typeof target === 'string' ? target : definition.build(target, values);
  };
  const { observe, defaultTimeoutMs } = definition;
  return defineAction({
    name: definition.name,
    summary: definition.summary,
    params: definition.params,
    targetOf: workloadTargetOf,
    mutates: () => definition.mutates,
    ...(definition.mutates ? { answersDryRun: true } : {}),
    ...plannedActions((values: z.output<Schema>, context: ActionContext) => single(actionFor(values, context))),
    async run(values, context) {
      const action = actionFor(values, context);
      if (typeof action === 'string') return failedOutcome(action);
      if (definition.mutates) {
        // The server's answer (a dry run's too) is the step's output and data.
        const { outcome, results } = await executeInOrder([action], context);
        const answer = results[0]?.output?.answer;
        return answer ? { ...outcome, data: { answer } } : outcome;
      }
      const onOutput = definition.onOutput?.(context);
      const result = await execute(action, context, onOutput ? { onOutput } : {});
      const outcome = outcomeOf(result);
      return result.status === 'done' && definition.finish ? definition.finish(outcome, values, result, context) : outcome;
    },
    ...(defaultTimeoutMs ? { defaultTimeoutMs: (values: z.output<Schema>) => defaultTimeoutMs(values) } : {}),
    ...(observe
      ? {
          async observe(values: z.output<Schema>, context: ActionContext, intentAt: number): Promise<Observation> {
            const target = resolveWorkload(context.state(), values);
            return typeof target === 'string' ? { verdict: 'unknown', detail: target } : observe(target, values, context, intentAt);
          },
        }
      : {}),
  });
}

/** The workload's revisions as the engine reads them now, or why they could not be read. */
export async function historyNow(target: WorkloadTarget, context: ActionContext): Promise<RolloutRevision[] | string> {
  const result = await execute({ verb: 'rollout-history', target }, context, { onOutput: () => undefined });
  if (result.status !== 'done') return result.error ?? `rollout history of ${target.name}: ${result.status}`;
  return result.output?.history ?? `rollout history of ${target.name} returned nothing`;
}

export function clockOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

/**
 * Whether the pod template changed after the intent: the current revision's ReplicaSet (or
 * ControllerRevision) was created after it (to the second, as the server stamps it). A change of the template always makes a new one
 * (a rollout restart: its restartedAt annotation is new); a patch that changed nothing makes
 * none, and repeating it changes nothing either.
 */
export async function observeNewTemplate(target: WorkloadTarget, context: ActionContext, intentAt: number, what: string, options: { restartMark?: boolean } = {}): Promise<Observation> {
  const history = await historyNow(target, context);
  if (typeof history === 'string') return { verdict: 'unknown', detail: `cannot read the rollout history of ${target.name}: ${history}` };
  const current = history.find((revision) => revision.current);
  if (!current) return { verdict: 'unknown', detail: `${target.name} has no current revision` };
  // A rollout restart marks the template with its time (kubectl.kubernetes.io/restartedAt): the surest sign.
  const restartMark = options.restartMark === true ? current.restartedAt : undefined;
  const mark = restartMark ?? current.createdAt;
  const markText = restartMark !== undefined ? `its template's restartedAt ${clockOf(mark)}` : `created ${clockOf(mark)}`;
  // The server writes both to the second (RFC 3339 without a fraction): the intent's second counts as after it.
  const after = mark >= Math.floor(intentAt / 1000) * 1000;
  const comparison = `revision ${current.revision} (${current.name}) ${markText} is ${after ? 'not before' : 'before'} the intent (${clockOf(intentAt)})`;
  return after ? { verdict: 'happened', detail: `${comparison}: the ${what} happened` } : { verdict: 'not-happened', detail: `${comparison}: the ${what} did not take effect` };
}
