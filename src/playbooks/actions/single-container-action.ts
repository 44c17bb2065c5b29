// The shape every single-container action shares: resolve the named container, build one
// EngineAction, describe it through the executor, run it there, and finish the outcome from
// what the engine returned.

import type { z } from 'zod';
import type { ActionOutput, EngineAction } from '../../domain/engine-action';
import type { ActionContext, Observation, StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { describeActions, plannedActions, single, execute, failedOutcome, outcomeOf, resolveContainer, type InstanceRef } from './engine-steps';

interface ContainerValues {
  container: string;
  engine?: string | undefined;
}

export interface SingleContainerAction<Schema extends z.ZodType<ContainerValues>> {
  name: string;
  summary: string;
  params: Schema;
  mutates(values: z.output<Schema>): boolean;
  build(target: InstanceRef, values: z.output<Schema>, context: ActionContext): EngineAction;
  /** Checks and preparation on the host before the call is sent (a checksum, a new directory); a string is why the step fails. */
  prepare?(action: EngineAction, values: z.output<Schema>, context: ActionContext): Promise<string | undefined>;
  /** Shapes a done outcome from the engine's output (summary lines, data, `require` checks). */
  finish?(outcome: StepOutcome, values: z.output<Schema>, output: ActionOutput | undefined, context: ActionContext, target: InstanceRef): StepOutcome | Promise<StepOutcome>;
  /** Replaces the plain streaming of output to the run (a filter). */
  onOutput?(values: z.output<Schema>, context: ActionContext): (stream: 'stdout' | 'stderr', text: string) => void;
  observe?(target: InstanceRef, values: z.output<Schema>, context: ActionContext, intentAt: number): Promise<Observation>;
}

export function singleContainerAction<Schema extends z.ZodType<ContainerValues>>(definition: SingleContainerAction<Schema>) {
  const actionFor = (values: z.output<Schema>, context: ActionContext): EngineAction | string => {
    const target = resolveContainer(context, values.container, values.engine);
    return typeof target === 'string' ? target : definition.build(target, values, context);
  };
  const { observe } = definition;
  return defineAction({
    name: definition.name,
    summary: definition.summary,
    params: definition.params,
    targetOf: (values) => ({ name: values.container, kind: 'container' }),
    mutates: (values) => definition.mutates(values),
    ...plannedActions((values: z.output<Schema>, context: ActionContext) => single(actionFor(values, context))),
    async run(values, context) {
      const action = actionFor(values, context);
      if (typeof action === 'string') return failedOutcome(action);
      const problem = await definition.prepare?.(action, values, context);
      if (problem !== undefined) return failedOutcome(problem, describeActions([action], context));
      const onOutput = definition.onOutput?.(values, context);
      const result = await execute(action, context, onOutput ? { onOutput } : {});
      const outcome = outcomeOf(result);
      const target = action.target;
      if (result.status !== 'done' || !definition.finish || target.kind !== 'container') return outcome;
      return definition.finish(outcome, values, result.output, context, { ...target, kind: 'container' });
    },
    ...(observe
      ? {
          async observe(values: z.output<Schema>, context: ActionContext, intentAt: number): Promise<Observation> {
            const target = resolveContainer(context, values.container, values.engine);
            return typeof target === 'string' ? { verdict: 'unknown', detail: target } : observe(target, values, context, intentAt);
          },
        }
      : {}),
  });
}
