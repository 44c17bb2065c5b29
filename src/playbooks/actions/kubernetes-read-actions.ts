// k8s.pods, k8s.events, k8s.top: what `kubectl get pods`, `kubectl get events
// --sort-by=.lastTimestamp` and `kubectl top pods` show, for a Deployment, a StatefulSet, a pod
// (events, top) or a namespace (pods). Pods come from the live state (the watch keeps it);
// events and usage are read through the executor (EngineActions `events`, `top`).

import { z } from 'zod';
import { formatDuration } from '../../domain/duration';
import type { EngineAction, EventSummary, PodUsage } from '../../domain/engine-action';
import { compilePattern } from '../../domain/pattern';
import { refKey } from '../../domain/resource-ref';
import type { Instance } from '../../domain/types';
import { isContextOf, type LiveState } from '../runner/live-inputs';
import type { ActionContext, StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { plannedActions, single, execute, failedOutcome, outcomeOf } from './engine-steps';
import { isFailing, isTerminating, podsOf, requireWorkloadOrPod, resolveWorkload, resolveWorkloadOrPod, workloadNameOf, workloadParams, type WorkloadValues } from './kubernetes-targets';
import { booleanParam, nameParam, patternParam, positiveIntegerParam } from './param-types';
import { alignColumns } from './status-actions';

// --- k8s.pods -------------------------------------------------------------------------------

const podsParams = z
  .strictObject({
    ...workloadParams,
    require: z.strictObject({ allReady: booleanParam.optional(), minReady: positiveIntegerParam.optional(), noneFailing: booleanParam.optional() }).optional(),
  })
  .superRefine((values, context) => {
    if (values.deployment !== undefined && values.statefulset !== undefined) context.addIssue({ code: 'custom', path: [], message: 'give only one of deployment and statefulset' });
    if (workloadNameOf(values) === undefined && values.namespace === undefined) context.addIssue({ code: 'custom', path: [], message: 'give deployment, statefulset or namespace' });
  });

type PodsValues = z.output<typeof podsParams>;

/** `CrashLoopBackOff`, `Running (last: OOMKilled)`, `Pending`: the engine's word, and its reason when that says more. */
function statusOf(pod: Instance): string {
  return pod.reason !== undefined && pod.reason !== pod.state ? `${pod.state} (${pod.reason})` : pod.state;
}

/** The replicas a workload asks for, and how many run its current pod template (status.updatedReplicas). */
interface Replicas {
  desired?: number;
  updated?: number;
}

/** The pods the step covers, the replicas asked for (a workload), and what the scope is called. */
function podsInScope(state: LiveState, values: PodsValues): { pods: Instance[]; replicas: Replicas; scope: string } | string {
  if (workloadNameOf(values)) {
    const workload = resolveWorkload(state, values);
    if (typeof workload === 'string') return workload;
    const known = state.workloads[refKey(workload)];
    const replicas: Replicas = {
      ...(known?.desiredReplicas !== undefined ? { desired: known.desiredReplicas } : {}),
      ...(known?.updatedReplicas !== undefined ? { updated: known.updatedReplicas } : {}),
    };
    return { pods: podsOf(state, workload), replicas, scope: `${workload.kind} ${workload.name}` };
  }
  const { namespace, context } = values;
  const pods = Object.values(state.instances)
    .filter((instance) => instance.ref.kind === 'pod' && instance.ref.namespace === namespace && (context === undefined || isContextOf(state, instance.ref.engineId, context)))
    .sort((left, right) => left.ref.engineId.localeCompare(right.ref.engineId) || left.ref.name.localeCompare(right.ref.name));
  return { pods, replicas: {}, scope: `namespace ${namespace ?? ''}` };
}

/**
 * What `require` judges: the pods the workload runs, not those being deleted. All ready also needs
 * the workload's current template on every replica: in a stuck rollout the old pods are all ready
 * while the new one's replacement is not yet created, and that is not recovered.
 */
function unmetRequirements(values: PodsValues, all: readonly Instance[], replicas: Replicas): string[] {
  const desired = replicas.desired;
  const require = values.require;
  if (!require) return [];
  const pods = all.filter((pod) => !isTerminating(pod));
  const ready = pods.filter((pod) => pod.ready).length;
  const failing = pods.filter(isFailing);
  const problems: string[] = [];
  const failingText = failing.map((pod) => `${pod.ref.name} ${statusOf(pod)}`).join(', ');
  if (require.allReady) {
    const wanted = desired ?? Math.max(1, pods.length);
    if (ready < wanted || failing.length > 0) problems.push(`${ready} of ${wanted} ready${failing.length > 0 ? `: ${failingText}` : ''}`);
    else if (desired !== undefined && replicas.updated !== undefined && replicas.updated < desired) problems.push(`${ready} of ${wanted} replicas ready, only ${replicas.updated} ${replicas.updated === 1 ? 'runs' : 'run'} the current pod template (a rollout is not finished)`);
  }
  if (require.minReady !== undefined && ready < require.minReady) problems.push(`${ready} ready, required at least ${require.minReady}`);
  if (require.noneFailing && failing.length > 0 && !require.allReady) problems.push(`failing: ${failingText}`);
  return problems;
}

const pods = defineAction({
  name: 'k8s.pods',
  summary: 'The pods of a deployment, statefulset or namespace (ready, status and reason, restarts, age), like kubectl get pods; fails when `require` (allReady, minReady, noneFailing) is not met',
  params: podsParams,
  mutates: () => false,
  describe: () => [],
  run(values, context) {
    const found = podsInScope(context.state(), values);
    if (typeof found === 'string') return Promise.resolve(failedOutcome(found));
    const now = context.now();
    const rows = found.pods.map((pod) => [pod.ref.name, pod.ready ? 'ready' : 'not ready', statusOf(pod), `${pod.restartCount} restarts`, formatDuration(Math.max(0, now - pod.createdAt))]);
    const lines = found.pods.length === 0 ? [`no pods of ${found.scope}`] : alignColumns(rows);
    // A pending pod's scheduling message, a waiting container's message: under its row.
    found.pods.forEach((pod, index) => {
      if (pod.message !== undefined && lines[index] !== undefined) lines[index] = `${lines[index]}\n    ${pod.message}`;
    });
    const failing = found.pods.filter(isFailing);
    const data = {
      pods: found.pods.length,
      ready: found.pods.filter((pod) => pod.ready && !isTerminating(pod)).length,
      ...(found.replicas.desired !== undefined ? { desired: found.replicas.desired } : {}),
      failing: failing.length,
      failingPods: failing.map((pod) => pod.ref.name),
      restarts: found.pods.reduce((total, pod) => total + pod.restartCount, 0),
      oomKilled: found.pods.filter((pod) => pod.oomKilled === true || pod.reason === 'OOMKilled').map((pod) => pod.ref.name),
    };
    const outcome: StepOutcome = { status: 'passed', calls: [], stdout: lines.join('\n'), data };
    const problems = unmetRequirements(values, found.pods, found.replicas);
    return Promise.resolve(problems.length > 0 ? { ...outcome, status: 'failed', error: `${found.scope}: ${problems.join('; ')}` } : outcome);
  },
});

// --- k8s.events -----------------------------------------------------------------------------

/** A workload or a pod, and where. */
const objectParams = { ...workloadParams, pod: nameParam.optional() };

function eventsAction(values: WorkloadValues & { pod?: string | undefined; limit: number }, context: ActionContext): EngineAction | string {
  const target = resolveWorkloadOrPod(context.state(), values);
  return typeof target === 'string' ? target : { verb: 'events', target, limit: values.limit };
}

function eventLine(event: EventSummary, now: number): string[] {
  return [`${formatDuration(Math.max(0, now - event.lastSeen))} ago`, event.type, event.reason, event.object, `${event.message}${event.count > 1 ? ` (x${event.count})` : ''}`];
}

const DEFAULT_EVENT_LIMIT = 20;

const events = defineAction({
  name: 'k8s.events',
  summary: 'The events of a deployment, statefulset (with its pods and ReplicaSets) or pod, newest last, like kubectl get events --sort-by=.lastTimestamp; `reason` keeps the matching ones',
  params: z
    .strictObject({ ...objectParams, limit: positiveIntegerParam.default(DEFAULT_EVENT_LIMIT), reason: patternParam.optional(), warningsOnly: booleanParam.default(false) })
    .superRefine(requireWorkloadOrPod),
  mutates: () => false,
  describe: plannedActions((values: Parameters<typeof eventsAction>[0], context: ActionContext) => single(eventsAction(values, context))).describe,
  async run(values, context) {
    const action = eventsAction(values, context);
    if (typeof action === 'string') return failedOutcome(action);
    const result = await execute(action, context);
    const outcome = outcomeOf(result);
    if (result.status !== 'done') return outcome;
    const all = result.output?.events ?? [];
    const pattern = values.reason === undefined ? undefined : compilePattern(values.reason);
    const kept = all.filter((event) => (!values.warningsOnly || event.type === 'Warning') && (!pattern || pattern.test(`${event.reason} ${event.message}`)));
    const now = context.now();
    const lines = kept.length === 0 ? [`no ${values.warningsOnly ? 'warning ' : ''}events${pattern ? ` matching /${values.reason ?? ''}/` : ''} for ${action.target.name}`] : alignColumns(kept.map((event) => eventLine(event, now)));
    const reasons: Record<string, number> = {};
    for (const event of kept) reasons[event.reason] = (reasons[event.reason] ?? 0) + event.count;
    return { ...outcome, stdout: lines.join('\n'), data: { events: all.length, warnings: all.filter((event) => event.type === 'Warning').length, matched: kept.length, reasons } };
  },
});

// --- k8s.top --------------------------------------------------------------------------------

function cpuText(millicores: number): string {
  return `${Math.round(millicores)}m`;
}

function memoryText(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))}Mi`;
}

function memoryPercentOf(usage: PodUsage): number | undefined {
  return usage.memoryLimitBytes === undefined || usage.memoryLimitBytes <= 0 ? undefined : (usage.memoryBytes / usage.memoryLimitBytes) * 100;
}

function topAction(values: WorkloadValues & { pod?: string | undefined }, context: ActionContext): EngineAction | string {
  const target = resolveWorkloadOrPod(context.state(), values);
  return typeof target === 'string' ? target : { verb: 'top', target };
}

const top = defineAction({
  name: 'k8s.top',
  summary: 'CPU and memory of the pods of a deployment, statefulset or of one pod (metrics.k8s.io), with memory against the limit, like kubectl top pods',
  params: z.strictObject(objectParams).superRefine(requireWorkloadOrPod),
  mutates: () => false,
  describe: plannedActions((values: Parameters<typeof topAction>[0], context: ActionContext) => single(topAction(values, context))).describe,
  async run(values, context) {
    const action = topAction(values, context);
    if (typeof action === 'string') return failedOutcome(action);
    const result = await execute(action, context);
    const outcome = outcomeOf(result);
    if (result.status !== 'done') return outcome;
    const usage = result.output?.usage ?? [];
    const rows = usage.map((pod) => {
      const percent = memoryPercentOf(pod);
      return [pod.pod, cpuText(pod.cpuMillicores), memoryText(pod.memoryBytes), pod.memoryLimitBytes === undefined ? 'no limit' : `${percent?.toFixed(0) ?? '?'}% of ${memoryText(pod.memoryLimitBytes)}`];
    });
    const percents = usage.map(memoryPercentOf).filter((percent): percent is number => percent !== undefined);
    const data = {
      pods: usage.map((pod) => ({ pod: pod.pod, cpuMillicores: pod.cpuMillicores, memoryBytes: pod.memoryBytes, memoryPercent: memoryPercentOf(pod) })),
      highestMemoryPercent: percents.length > 0 ? Math.max(...percents) : 0,
    };
    return { ...outcome, stdout: usage.length === 0 ? `no usage reported for ${action.target.name}` : alignColumns([['POD', 'CPU', 'MEMORY', 'LIMIT'], ...rows]).join('\n'), data };
  },
});

export const KUBERNETES_READ_ACTIONS = [pods, events, top];
