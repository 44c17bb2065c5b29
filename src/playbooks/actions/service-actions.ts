// service.restart|stop|start: every container of a compose service, one EngineAction each,
// in name order. A resumed run observes each container as the container actions do.

import { z } from 'zod';
import type { ActionContext, Observation } from './action-registry';
import { inspectNow, lifecycleAction, observeLifecycle, type LifecycleStepVerb } from './container-actions';
import { defineAction } from './define-action';
import { plannedActions, executeInOrder, failedOutcome, resolveServiceContainers } from './engine-steps';
import { durationParam, nameParam } from './param-types';

type ServiceVerb = Exclude<LifecycleStepVerb, 'kill'>;

const params = z.strictObject({ service: nameParam, engine: nameParam.optional(), timeout: durationParam.optional() });
type ServiceParams = z.output<typeof params>;

function actionsFor(verb: ServiceVerb, values: ServiceParams, context: ActionContext) {
  const containers = resolveServiceContainers(context, values.service, values.engine);
  return typeof containers === 'string' ? containers : containers.map((target) => lifecycleAction(verb, target, values));
}

async function observeService(verb: ServiceVerb, values: ServiceParams, context: ActionContext, intentAt: number): Promise<Observation> {
  const containers = resolveServiceContainers(context, values.service, values.engine);
  if (typeof containers === 'string') return { verdict: 'unknown', detail: containers };
  const observations: Observation[] = [];
  for (const target of containers) {
    const details = await inspectNow(target, context);
    observations.push(typeof details === 'string' ? { verdict: 'unknown', detail: `cannot inspect ${target.name}: ${details}` } : observeLifecycle(verb, details, intentAt));
  }
  const detail = observations.map((observation) => observation.detail).join('; ');
  if (observations.every((observation) => observation.verdict === 'happened')) return { verdict: 'happened', detail };
  if (observations.every((observation) => observation.verdict === 'not-happened')) return { verdict: 'not-happened', detail };
  // Some containers took the action and some did not: repeating it would repeat it for all.
  return { verdict: 'unknown', detail };
}

function serviceAction(verb: ServiceVerb) {
  return defineAction({
    name: `service.${verb}`,
    summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} every container of a compose service, one by one`,
    params,
    targetOf: (values) => ({ name: values.service, kind: 'compose-service' }),
    mutates: () => true,
    ...plannedActions((values: Parameters<typeof actionsFor>[1], context: ActionContext) => actionsFor(verb, values, context)),
    async run(values, context) {
      const actions = actionsFor(verb, values, context);
      if (typeof actions === 'string') return failedOutcome(actions);
      const { outcome } = await executeInOrder(actions, context);
      return { ...outcome, data: { containers: actions.map((action) => action.target.name) } };
    },
    observe: (values, context, intentAt) => observeService(verb, values, context, intentAt),
  });
}

export const SERVICE_ACTIONS = (['restart', 'stop', 'start'] as const).map(serviceAction);
