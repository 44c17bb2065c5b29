// k8s.delete-pod: one pod (kubectl delete pod), or the failing pods of a Deployment or
// StatefulSet (crash-looping, failed or not ready), each its own EngineAction `delete` with the
// pod's uid, one by one. Its controller makes new ones. A resumed run observes that the pods
// deleted are gone: no pod of that name created before the intent is left.

import { z } from 'zod';
import type { EngineAction, InstanceTarget } from '../../domain/engine-action';
import { refKey } from '../../domain/resource-ref';
import type { Instance } from '../../domain/types';
import type { LiveState } from '../runner/live-inputs';
import type { ActionContext, Observation } from './action-registry';
import { defineAction } from './define-action';
import { describeActions, executeInOrder, failedOutcome } from './engine-steps';
import { isFailing, podsOf, requireWorkloadOrPod, resolvePod, resolveWorkload, workloadTargetOf, workloadParams, type WorkloadValues } from './kubernetes-targets';
import { clockOf } from './kubernetes-workload-step';
import { durationParam, nameParam } from './param-types';

const params = z.strictObject({ ...workloadParams, pod: nameParam.optional(), gracePeriod: durationParam.optional() }).superRefine(requireWorkloadOrPod);
type DeleteValues = z.output<typeof params>;

/** The pods the step deletes now: the one named, or the workload's failing ones (none is not an error). */
function podsToDelete(state: LiveState, values: DeleteValues): { pods: Instance[]; scope: string } | string {
  if (values.pod !== undefined) {
    const target = resolvePod(state, values.pod, values);
    if (typeof target === 'string') return target;
    const pod = state.instances[refKey(target)];
    return pod ? { pods: [pod], scope: `pod ${target.name}` } : `no pod ${values.pod}`;
  }
  const workload = resolveWorkload(state, values);
  if (typeof workload === 'string') return workload;
  return { pods: podsOf(state, workload).filter(isFailing), scope: `${workload.kind} ${workload.name}` };
}

function actionsFor(values: DeleteValues, context: ActionContext): { actions: EngineAction[]; scope: string } | string {
  const found = podsToDelete(context.state(), values);
  if (typeof found === 'string') return found;
  const grace = values.gracePeriod === undefined ? {} : { gracePeriodSeconds: Math.ceil(values.gracePeriod / 1000) };
  return { scope: found.scope, actions: found.pods.map((pod) => ({ verb: 'delete', target: { ...pod.ref, kind: 'pod' } as InstanceTarget, ...grace })) };
}

/** Whether the pod named is gone: no pod of that name from before the intent is left (a StatefulSet's comes back under its name, newer). */
function observePod(state: LiveState, values: DeleteValues, pod: string, intentAt: number): Observation {
  const target = resolvePod(state, pod, values);
  if (typeof target === 'string') return { verdict: 'happened', detail: `pod ${pod} is gone: the delete happened` };
  const now = state.instances[refKey(target)];
  if (now?.state === 'Terminating') return { verdict: 'happened', detail: `pod ${pod} is terminating: the delete happened` };
  if (now && now.createdAt > intentAt) return { verdict: 'happened', detail: `pod ${pod} is a new one (created ${clockOf(now.createdAt)}, after the intent ${clockOf(intentAt)}): the delete happened` };
  return { verdict: 'not-happened', detail: `pod ${pod} (created ${clockOf(now?.createdAt ?? 0)}) is still there: not deleted` };
}

/** The failing pods of the workload from before the intent: all gone is done, all there with no replacement is not done. */
function observeFailing(state: LiveState, values: WorkloadValues, intentAt: number): Observation {
  const workload = resolveWorkload(state, values);
  if (typeof workload === 'string') return { verdict: 'unknown', detail: workload };
  const pods = podsOf(state, workload);
  const oldFailing = pods.filter((pod) => pod.createdAt <= intentAt && isFailing(pod));
  const replacements = pods.filter((pod) => pod.createdAt > intentAt);
  if (oldFailing.length === 0) return { verdict: 'happened', detail: `no failing pod of ${workload.name} from before the intent is left (${replacements.length} created since): the delete happened` };
  const names = oldFailing.map((pod) => pod.ref.name).join(', ');
  if (replacements.length === 0) return { verdict: 'not-happened', detail: `${names} still failing and no pod created since the intent: nothing was deleted` };
  return { verdict: 'unknown', detail: `${names} still failing, ${replacements.length} pod(s) created since the intent: some were deleted` };
}

const deletePod = defineAction({
  name: 'k8s.delete-pod',
  summary: 'Delete a pod, or the failing pods (crash-looping, failed, not ready) of a deployment or statefulset, one by one; their controller makes new ones',
  params,
  targetOf: (values) =>
    values.pod !== undefined
      ? { name: values.pod, kind: 'pod', ...(values.namespace !== undefined ? { namespace: values.namespace } : {}), ...(values.context !== undefined ? { context: values.context } : {}) }
      : workloadTargetOf(values),
  mutates: () => true,
  answersDryRun: true,
  describe(values, context) {
    const found = actionsFor(values, context);
    return typeof found === 'string' ? [] : describeActions(found.actions, context);
  },
  actionsOf(values, context) {
    const found = actionsFor(values, context);
    return typeof found === 'string' ? [] : found.actions;
  },
  async run(values, context) {
    const found = actionsFor(values, context);
    if (typeof found === 'string') return failedOutcome(found);
    if (found.actions.length === 0) {
      const line = `no failing pods of ${found.scope}: nothing to delete`;
      context.onOutput('info', line);
      return { status: 'passed', calls: [], stdout: line, data: { pods: [], deleted: 0 } };
    }
    const { outcome, results } = await executeInOrder(found.actions, context);
    const answers = results.flatMap((result) => (result.output?.answer ? [result.output.answer] : []));
    return { ...outcome, data: { pods: found.actions.map((action) => action.target.name), deleted: results.filter((result) => result.status === 'done').length, answers } };
  },
  observe(values, context, intentAt) {
    const state = context.state();
    return Promise.resolve(values.pod !== undefined ? observePod(state, values, values.pod, intentAt) : observeFailing(state, values, intentAt));
  },
});

export const KUBERNETES_POD_ACTIONS = [deletePod];
