// A raw Pod -> the small record the watch keeps (the Instance the store shows, plus its owner
// and memory limit), judged as `kubectl get pods` shows it: Running, Pending with the
// scheduler's message, CrashLoopBackOff with rising restarts, ImagePullBackOff, OOMKilled,
// Completed, Terminating. A full Pod costs ~36 KiB in client-go's cache; this record a few
// hundred bytes (strings many pods share are kept once). Untrusted text is cleaned here, once.

import { refKey } from '../../domain/resource-ref';
import type { HealthState, Instance, InstancePhase, ResourceRef } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';
import type { KubeObject } from './kube-informer';
import { countOf, sharedText, sharedTextOrUndefined, timeOf } from './kube-text';
import { bytesOf } from './quantity';

type WorkloadRef = Instance['workload'];
/** RFC 3339 in JSON; epoch milliseconds from the protobuf reader (pod-protobuf.ts). */
type RawTime = string | number;

interface RawContainerState {
  running?: { startedAt?: RawTime };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; finishedAt?: RawTime; startedAt?: RawTime };
}

interface RawContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: RawContainerState;
  lastState?: RawContainerState;
}

interface RawContainer {
  name?: string;
  image?: string;
  readinessProbe?: unknown;
  resources?: { limits?: Record<string, string> };
}

export interface RawPod extends KubeObject {
  metadata?: KubeObject['metadata'] & {
    creationTimestamp?: RawTime;
    deletionTimestamp?: RawTime;
    ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
  };
  spec?: { containers?: RawContainer[]; nodeName?: string; restartPolicy?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: RawTime;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    containerStatuses?: RawContainerStatus[];
    initContainerStatuses?: RawContainerStatus[];
  };
}

/** The pod's controller (ownerReferences with controller: true). */
export interface PodOwner {
  kind: string;
  name: string;
  uid: string;
}

/** What the watch keeps of one pod. */
export interface PodRecord {
  instance: Instance;
  owner?: PodOwner;
  /** Whether any container has started (logs exist). */
  started: boolean;
  /** The sum of the containers' memory limits when every container has one, else 0. */
  memoryLimitBytes: number;
}

/** The workload a pod belongs to, from its controller (the watch knows the ReplicaSets). */
export type WorkloadResolver = (namespace: string, owner: PodOwner | undefined, podName: string) => WorkloadRef;

/** Waiting reasons that mean the container cannot start until something is fixed. */
const BLOCKED_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const listPool = new Map<string, string[]>();

/** One shared array per distinct list of container names (pods of one template share it). */
function sharedList(names: string[]): string[] {
  const key = names.join('\u0000');
  const kept = listPool.get(key);
  if (kept) return kept;
  if (listPool.size >= 10_000) listPool.clear();
  listPool.set(key, names);
  return names;
}

export function ownerOf(raw: RawPod): PodOwner | undefined {
  const owner = raw.metadata?.ownerReferences?.find((reference) => reference.controller) ?? raw.metadata?.ownerReferences?.[0];
  if (!owner?.kind || !owner.name || !owner.uid) return undefined;
  return { kind: sharedText(owner.kind), name: sharedText(owner.name), uid: owner.uid };
}

interface PodState {
  phase: InstancePhase;
  state: string;
  reason?: string | undefined;
  message?: string | undefined;
  exitCode?: number | undefined;
  finishedAt?: number | undefined;
}

/** The worst of the containers, as kubectl's STATUS column tells it. */
function stateOf(raw: RawPod, oomKilled: boolean): PodState {
  const status = raw.status ?? {};
  const containers = status.containerStatuses ?? [];
  const terminatedInfo = (terminated: RawContainerState['terminated']): Pick<PodState, 'exitCode' | 'finishedAt'> => ({
    exitCode: terminated?.exitCode,
    finishedAt: timeOf(terminated?.finishedAt),
  });
  const podPhase = status.phase ?? 'Unknown';
  if (podPhase === 'Succeeded') return { phase: 'exited', state: 'Completed', exitCode: 0, finishedAt: latestFinish(containers) };
  if (podPhase === 'Failed') {
    const terminated = containers.find((container) => container.state?.terminated)?.state?.terminated;
    const reason = status.reason ?? terminated?.reason ?? 'Failed';
    return { phase: 'failed', state: sharedText(reason), reason: sharedText(reason), message: cleanOrUndefined(status.message ?? terminated?.message), ...terminatedInfo(terminated) };
  }
  // Init containers first: a pod does not start its containers before they are done.
  for (const container of status.initContainerStatuses ?? []) {
    const waiting = container.state?.waiting?.reason;
    if (waiting === 'CrashLoopBackOff') return { phase: 'crash-loop', state: 'Init:CrashLoopBackOff', reason: 'CrashLoopBackOff', message: cleanOrUndefined(container.state?.waiting?.message), ...terminatedInfo(container.lastState?.terminated) };
    if (waiting && BLOCKED_REASONS.has(waiting)) return { phase: 'waiting', state: `Init:${waiting}`, reason: waiting, message: cleanOrUndefined(container.state?.waiting?.message) };
  }
  const crashing = containers.find((container) => container.state?.waiting?.reason === 'CrashLoopBackOff');
  if (crashing) {
    return {
      phase: 'crash-loop',
      state: 'CrashLoopBackOff',
      reason: oomKilled ? 'OOMKilled' : 'CrashLoopBackOff',
      message: cleanOrUndefined(crashing.state?.waiting?.message),
      ...terminatedInfo(crashing.lastState?.terminated),
    };
  }
  const blocked = containers.find((container) => BLOCKED_REASONS.has(container.state?.waiting?.reason ?? ''));
  if (blocked) {
    const reason = sharedText(blocked.state?.waiting?.reason ?? 'Waiting');
    return { phase: 'waiting', state: reason, reason, message: cleanOrUndefined(blocked.state?.waiting?.message) };
  }
  if (podPhase === 'Pending') {
    const scheduled = status.conditions?.find((condition) => condition.type === 'PodScheduled');
    if (scheduled?.status === 'False') {
      return { phase: 'pending', state: 'Pending', reason: sharedText(scheduled.reason ?? 'Unschedulable'), message: cleanOrUndefined(scheduled.message) };
    }
    const creating = containers.find((container) => container.state?.waiting?.reason)?.state?.waiting?.reason;
    return { phase: 'pending', state: creating ? sharedText(creating) : 'Pending', reason: creating ? sharedText(creating) : undefined };
  }
  if (podPhase === 'Running') {
    // A container that ended and will be started again (OOMKilled, Error): kubectl shows its reason.
    const ended = containers.find((container) => container.state?.terminated && !container.state.running);
    if (ended && raw.spec?.restartPolicy !== 'Never') {
      const reason = sharedText(ended.state?.terminated?.reason ?? 'Error');
      return { phase: 'restarting', state: reason, reason, ...terminatedInfo(ended.state?.terminated) };
    }
    return { phase: 'running', state: 'Running', reason: oomKilled ? 'OOMKilled' : undefined };
  }
  return { phase: 'unknown', state: sharedText(status.reason ?? podPhase), reason: sharedTextOrUndefined(status.reason), message: cleanOrUndefined(status.message) };
}

/** Messages many pods share (the scheduler's) are kept once too. */
function cleanOrUndefined(text: string | undefined): string | undefined {
  return text ? sharedText(text) : undefined;
}

function latestFinish(containers: RawContainerStatus[]): number | undefined {
  let latest: number | undefined;
  for (const container of containers) {
    const finished = timeOf(container.state?.terminated?.finishedAt);
    if (finished !== undefined && (latest === undefined || finished > latest)) latest = finished;
  }
  return latest;
}

function healthOf(raw: RawPod, phase: InstancePhase, ready: boolean): HealthState {
  if (!(raw.spec?.containers ?? []).some((container) => container.readinessProbe)) return 'none';
  if (phase === 'running' || phase === 'restarting' || phase === 'crash-loop') return ready ? 'healthy' : 'unhealthy';
  return phase === 'pending' || phase === 'waiting' ? 'starting' : 'none';
}

function memoryLimitOf(containers: RawContainer[]): number {
  let total = 0;
  for (const container of containers) {
    const limit = bytesOf(container.resources?.limits?.['memory']);
    if (limit === undefined || limit <= 0) return 0;
    total += limit;
  }
  return total;
}

/** The record of a raw pod; undefined for an object without identity. */
export function podRecordOf(engineId: string, raw: RawPod, resolve: WorkloadResolver): PodRecord | undefined {
  const metadata = raw.metadata;
  if (!metadata?.name || !metadata.uid) return undefined;
  const namespace = sharedText(metadata.namespace ?? 'default');
  const name = toDisplayText(metadata.name);
  const owner = ownerOf(raw);
  const specContainers = raw.spec?.containers ?? [];
  const statuses = raw.status?.containerStatuses ?? [];
  const oomKilled = statuses.some((container) => container.lastState?.terminated?.reason === 'OOMKilled' || container.state?.terminated?.reason === 'OOMKilled');
  const podState = stateOf(raw, oomKilled);
  const ready = raw.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
  let restartCount = 0;
  let runningSince: number | undefined;
  let started = false;
  for (const container of statuses) {
    restartCount += countOf(container.restartCount);
    const since = timeOf(container.state?.running?.startedAt);
    if (since !== undefined && (runningSince === undefined || since > runningSince)) runningSince = since;
    if (container.state?.running || container.state?.terminated || container.lastState?.terminated) started = true;
  }
  const ref = { engineId, kind: 'pod' as const, namespace, name, uid: metadata.uid };
  const workload = resolve(namespace, owner, name);
  const images = [...new Set(specContainers.map((container) => container.image ?? ''))].filter((image) => image !== '');
  const instance: Instance = {
    ref,
    key: refKey(ref),
    workload,
    workloadKey: sharedText(refKey(workload)),
    image: sharedText(images.join(', ')),
    phase: podState.phase,
    state: metadata.deletionTimestamp ? 'Terminating' : podState.state,
    health: healthOf(raw, podState.phase, ready),
    ready,
    restartCount,
    createdAt: timeOf(metadata.creationTimestamp) ?? 0,
    containers: sharedList(specContainers.map((container) => sharedText(container.name ?? ''))),
  };
  const startedAt = runningSince ?? timeOf(raw.status?.startTime);
  if (podState.reason !== undefined) instance.reason = podState.reason;
  if (podState.message !== undefined) instance.message = podState.message;
  if (startedAt !== undefined) instance.startedAt = startedAt;
  if (podState.finishedAt !== undefined) instance.finishedAt = podState.finishedAt;
  if (podState.exitCode !== undefined) instance.exitCode = podState.exitCode;
  if (oomKilled) instance.oomKilled = true;
  const nodeName = sharedTextOrUndefined(raw.spec?.nodeName);
  if (nodeName !== undefined) instance.nodeName = nodeName;
  const record: PodRecord = { instance, started, memoryLimitBytes: memoryLimitOf(specContainers) };
  if (owner) record.owner = owner;
  return record;
}

/** The same pod under another workload (its ReplicaSet was seen, adopted or orphaned). */
export function withWorkload(record: PodRecord, workload: WorkloadRef): PodRecord {
  return { ...record, instance: { ...record.instance, workload, workloadKey: sharedText(refKey(workload)) } };
}

/** The workload of a pod no Deployment or StatefulSet owns: the pod itself, as the docker adapter does for a standalone container. */
export function standaloneWorkloadOf(engineId: string, namespace: string, podName: string): WorkloadRef {
  return { engineId, kind: 'compose-service', namespace, name: podName } satisfies ResourceRef;
}
