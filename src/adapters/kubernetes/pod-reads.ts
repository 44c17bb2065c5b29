// Reading pods: inspect (InstanceDetails of the default container, as the playbooks' inspect
// and wait actions read a container's) and kubectl top (metrics.k8s.io), for one pod or for
// every pod a workload's selector finds.

import type { InstanceDetails, PodUsage } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import type { OperationOptions } from '../capabilities';
import { KubeApiError } from './kube-connection';
import { namespaceOf, resourcePath, RESOURCES, resourceWord, withQuery } from './kube-calls';
import { selectorString, type PodMetricsObject, type PodObject } from './kube-objects';
import { podRecordOf, standaloneWorkloadOf, type RawPod } from './pod-mapping';
import { redactedObject } from './kube-redaction';
import { failureOf, listAll, signalOption, type OperationContext } from './operation-context';
import { containerOf, readPod } from './pod-logs';
import { bytesOf, millicoresOf } from './quantity';
import { readWorkload } from './rollout-operations';

type InstanceRef = ResourceRef & { kind: InstanceKind };

/**
 * A pod as the inspect and wait actions read a container: state is the watch's phase
 * (running, crash-loop, pending, ...), status kubectl's STATUS word, health from the readiness
 * probes, restarts, exit code and OOM kill as the cockpit shows them (the watch's own mapping);
 * startedAt, image and memory limit of the default container, startedAt as the server wrote it.
 */
export async function inspectInstance(context: OperationContext, target: InstanceRef, options: OperationOptions = {}): Promise<InstanceDetails> {
  const pod = await readPod(context, target, options);
  const record = podRecordOf(context.engineId, pod as RawPod, (namespace, _owner, name) => standaloneWorkloadOf(context.engineId, namespace, name));
  if (!record) throw new Error(`${resourceWord(target)}: the server answered a pod without name or uid`);
  const { instance } = record;
  const container = containerOf(pod, target, undefined);
  const spec = pod.spec?.containers?.find((candidate) => candidate.name === container);
  const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === container);
  const details: InstanceDetails = {
    name: instance.ref.name,
    state: instance.phase,
    status: instance.state,
    health: instance.health,
    restartCount: instance.restartCount,
    image: toDisplayText(spec?.image ?? instance.image),
    raw: redactedObject(pod),
  };
  // The server's own strings, compared by the playbooks (startedAfter) as given.
  const startedAt = status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
  if (startedAt) details.startedAt = toDisplayText(startedAt);
  const finishedAt = status?.state?.terminated?.finishedAt ?? status?.lastState?.terminated?.finishedAt;
  if (finishedAt) details.finishedAt = toDisplayText(finishedAt);
  if (instance.exitCode !== undefined) details.exitCode = instance.exitCode;
  if (instance.oomKilled !== undefined) details.oomKilled = instance.oomKilled;
  const memoryLimit = bytesOf(spec?.resources?.limits?.['memory']);
  if (memoryLimit !== undefined && memoryLimit > 0) details.memoryLimitBytes = memoryLimit;
  return details;
}

const METRICS_ACCESS = { verb: 'list', group: RESOURCES.podmetrics.group, resource: RESOURCES.podmetrics.resource } as const;

/** A plain sentence for a cluster without metrics.k8s.io (no metrics-server), as the panel says it. */
function metricsFailure(context: OperationContext, error: unknown, namespace: string, what: string): Error {
  if (error instanceof KubeApiError && (error.status === 404 || error.status === 503)) {
    // An absent API group answers a bare 404 ("404 page not found"); a pod not measured yet names its podmetrics.
    if (error.status === 503 || !/podmetrics/i.test(error.message)) {
      return new Error(`this cluster does not serve metrics.k8s.io (no metrics-server): no CPU or memory usage for ${what}`);
    }
    return new Error(`no usage figures for ${what} yet (metrics-server has not measured it)`);
  }
  return failureOf(context, error, { ...METRICS_ACCESS, namespace });
}

/** kubectl top pod: one pod, or every pod a workload's selector finds. */
export async function readUsage(context: OperationContext, target: ResourceRef, options: OperationOptions = {}): Promise<PodUsage[]> {
  const namespace = namespaceOf(target);
  const signal = signalOption(options);
  const connection = await context.connect();
  let metrics: PodMetricsObject[];
  let pods: PodObject[];
  if (target.kind === 'pod') {
    const metricsPath = resourcePath('podmetrics', namespace, target.name);
    try {
      metrics = [await connection.request<PodMetricsObject>({ path: metricsPath, ...signal })];
    } catch (error) {
      throw metricsFailure(context, error, namespace, resourceWord(target));
    }
    pods = [await readPod(context, { ...target, kind: 'pod' }, options)];
  } else {
    if (target.kind !== 'deployment' && target.kind !== 'statefulset') throw new Error(`${target.name}: top reads pods, deployments and statefulsets`);
    const workload = await readWorkload(context, { ...target, kind: target.kind }, options);
    const labelSelector = selectorString(workload.spec?.selector);
    try {
      metrics = (await connection.request<{ items?: PodMetricsObject[] }>({ path: withQuery(resourcePath('podmetrics', namespace), { labelSelector }), ...signal }))?.items ?? [];
    } catch (error) {
      throw metricsFailure(context, error, namespace, resourceWord(target));
    }
    pods = await listAll<PodObject>(context, {
      path: withQuery(resourcePath('pod', namespace), { labelSelector }),
      access: { verb: 'list', group: '', resource: 'pods', namespace },
      ...signal,
    });
  }
  const podsByName = new Map(pods.map((pod) => [pod.metadata?.name ?? '', pod]));
  return metrics
    .map((entry) => usageOf(entry, podsByName.get(entry.metadata?.name ?? ''), namespace))
    .sort((left, right) => (left.pod < right.pod ? -1 : left.pod > right.pod ? 1 : 0));
}

function usageOf(metrics: PodMetricsObject, pod: PodObject | undefined, namespace: string): PodUsage {
  const containers = (metrics.containers ?? []).map((container) => ({
    name: toDisplayText(container.name),
    cpuMillicores: millicoresOf(container.usage?.cpu) ?? 0,
    memoryBytes: bytesOf(container.usage?.memory) ?? 0,
  }));
  const limits = (pod?.spec?.containers ?? []).map((container) => bytesOf(container.resources?.limits?.['memory']));
  const allLimited = limits.length > 0 && limits.every((limit): limit is number => limit !== undefined && limit > 0);
  return {
    pod: toDisplayText(metrics.metadata?.name ?? ''),
    namespace: toDisplayText(metrics.metadata?.namespace ?? namespace),
    cpuMillicores: containers.reduce((sum, container) => sum + container.cpuMillicores, 0),
    memoryBytes: containers.reduce((sum, container) => sum + container.memoryBytes, 0),
    ...(allLimited ? { memoryLimitBytes: (limits as number[]).reduce((sum, limit) => sum + limit, 0) } : {}),
    containers,
  };
}
