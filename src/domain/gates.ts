// Readiness gates: yes/no checks an operator looks at before acting
// ("is it safe to deploy?"). Each gate is plain data plus an evaluate
// function, so configurable gates can later be appended to the list.

import { instanceLabel } from './types';
import type { Instance, EngineStatus, GateResult, GateStatus, HostSample, RefKey, Thresholds, Workload } from './types';
import { RESTART_WINDOW_MS, recentRestartsOf } from './thresholds';
import type { RestartHistory } from './thresholds';

export interface GateInput {
  engines: readonly EngineStatus[];
  instances: readonly Instance[];
  /** Undefined until the first host sample arrived. */
  host?: HostSample;
  thresholds: Thresholds;
  /** From updateRestartHistory; without it only the `restarting` state counts. */
  restartHistory?: RestartHistory;
  /** Deployments, StatefulSets and compose services (the Kubernetes gates read their replicas). */
  workloads?: readonly Workload[];
  /** How long a pod may stay Pending before its gate fails (config `kubernetes.pendingThreshold`). */
  pendingThresholdMs?: number;
}

/** A pod Pending for longer fails "No pod pending longer than …" unless the config says otherwise. */
export const DEFAULT_PENDING_THRESHOLD_MS = 5 * 60 * 1000;

export interface GateEvaluation {
  status: GateStatus;
  detail: string;
  /** The workload of the first offender, when the gate can name one (copied to the result). */
  workloadKey?: RefKey;
}

export interface GateDefinition {
  id: string;
  title: string;
  /** Recovery playbook id, copied to the result. */
  playbook?: string;
  /** Whether the gate means anything for these engines (the Kubernetes gates need a Kubernetes engine); absent: always. */
  appliesTo?(input: GateInput): boolean;
  /** The title for this input (a threshold in it); absent: `title`. */
  titleFor?(input: GateInput): string;
  evaluate(input: GateInput, now: number): GateEvaluation;
}

/** How many offenders a detail names before summarising the rest. */
const MAX_NAMED_IN_DETAIL = 3;

const engineReachableGate: GateDefinition = {
  id: 'engine-reachable',
  title: 'Engines reachable',
  evaluate(input) {
    if (input.engines.length === 0) return { status: 'unknown', detail: 'no engine configured' };
    const disconnected = input.engines.filter((engine) => engine.state === 'disconnected');
    if (disconnected.length > 0) {
      const named = disconnected.map((engine) => (engine.error ? `${engine.label} disconnected: ${engine.error}` : `${engine.label} disconnected`));
      return { status: 'fail', detail: listText(named) };
    }
    const connecting = input.engines.filter((engine) => engine.state === 'connecting');
    if (connecting.length > 0) {
      return { status: 'unknown', detail: listText(connecting.map((engine) => `${engine.label} connecting`)) };
    }
    return { status: 'pass', detail: input.engines.length === 1 ? `${input.engines[0]?.label ?? 'engine'} connected` : `${input.engines.length} engines connected` };
  },
};

/** Docker and Podman engines (or none yet): the container gates mean something. Pods have gates of their own. */
const hasContainerEngine = (input: GateInput): boolean => input.engines.length === 0 || input.engines.some((engine) => engine.kind !== 'kubernetes');

/** Instances of one kind, filtered once per instances array (two gates ask, and the array is kept while nothing changed). */
const ofKind = (kind: Instance['ref']['kind']) => {
  const byList = new WeakMap<readonly Instance[], Instance[]>();
  return (input: GateInput): Instance[] => {
    let found = byList.get(input.instances);
    if (!found) {
      found = input.instances.filter((instance) => instance.ref.kind === kind);
      byList.set(input.instances, found);
    }
    return found;
  };
};

const containersOf = ofKind('container');

const noRestartingGate: GateDefinition = {
  id: 'no-restarting',
  title: 'No restarting containers',
  appliesTo: hasContainerEngine,
  evaluate(input, now) {
    const unknown = containerDataUnknown(input);
    if (unknown) return unknown;
    const minutes = Math.round(RESTART_WINDOW_MS / 60_000);
    const offenders: string[] = [];
    for (const container of containersOf(input)) {
      const recentRestarts = recentRestartsOf(input.restartHistory, container.key, now);
      if (container.phase === 'restarting' || container.phase === 'crash-loop') {
        offenders.push(`${instanceLabel(container, input.engines)} ${container.state}${container.detailsPending ? '' : ` (${restartsText(container.restartCount)})`}`);
      } else if (recentRestarts > 0) {
        offenders.push(`${instanceLabel(container, input.engines)} restarted ${recentRestarts}× in ${minutes}m (${restartsText(container.restartCount)})`);
      }
    }
    if (offenders.length > 0) return { status: 'fail', detail: listText(offenders) };
    return { status: 'pass', detail: `no restarts in ${minutes}m` };
  },
};

const noUnhealthyGate: GateDefinition = {
  id: 'no-unhealthy',
  title: 'No unhealthy containers',
  appliesTo: hasContainerEngine,
  evaluate(input) {
    const unknown = containerDataUnknown(input);
    if (unknown) return unknown;
    const running = containersOf(input).filter((container) => container.phase === 'running');
    const unhealthy = running.filter((container) => container.health === 'unhealthy');
    if (unhealthy.length > 0) return { status: 'fail', detail: listText(unhealthy.map((container) => `${instanceLabel(container, input.engines)} unhealthy`)) };
    const checked = running.filter((container) => container.health !== 'none').length;
    return { status: 'pass', detail: checked === 0 ? 'no healthchecks defined' : `${checked} with healthchecks, none unhealthy` };
  },
};

const hostDiskGate: GateDefinition = {
  id: 'host-disk',
  title: 'Disk space',
  evaluate(input) {
    if (!input.host) return { status: 'unknown', detail: 'no host sample yet' };
    const disks = input.host.disks;
    if (disks.length === 0) return { status: 'unknown', detail: 'no disk watched' };
    const warning = input.thresholds.disk.warning;
    const measured = disks.filter((disk) => disk.error === undefined);
    const full = measured.filter((disk) => disk.usedPercent >= warning);
    if (full.length > 0) {
      return { status: 'fail', detail: listText(full.map((disk) => `${disk.path} ${Math.floor(disk.usedPercent)}%`)) };
    }
    const failed = disks.filter((disk) => disk.error !== undefined);
    if (failed.length > 0) {
      return { status: 'unknown', detail: listText(failed.map((disk) => `${disk.path}: ${disk.error ?? 'unreadable'}`)) };
    }
    return { status: 'pass', detail: listText(measured.map((disk) => `${disk.path} ${Math.floor(disk.usedPercent)}%`)) };
  },
};

const hostMemoryGate: GateDefinition = {
  id: 'host-memory',
  title: 'Host memory',
  evaluate(input) {
    if (!input.host) return { status: 'unknown', detail: 'no host sample yet' };
    const used = input.host.memoryUsedPercent;
    if (!Number.isFinite(used)) return { status: 'unknown', detail: 'memory usage unavailable' };
    const warning = input.thresholds.memory.warning;
    if (used >= warning) return { status: 'fail', detail: `memory ${Math.floor(used)}% ≥ ${warning}%` };
    return { status: 'pass', detail: `memory ${Math.floor(used)}%` };
  },
};

const hasKubernetes = (input: GateInput): boolean => input.engines.some((engine) => engine.kind === 'kubernetes');

/** Kubernetes gates answer only from connected contexts (a disconnected one's pods are stale). */
function kubernetesDataUnknown(input: GateInput): GateEvaluation | undefined {
  if (!input.engines.some((engine) => engine.kind === 'kubernetes' && engine.state === 'connected')) {
    return { status: 'unknown', detail: 'no Kubernetes context connected' };
  }
  return undefined;
}

function isKubernetesEngine(input: GateInput, engineId: string): boolean {
  return input.engines.some((engine) => engine.id === engineId && engine.kind === 'kubernetes');
}

/** "shop/api" with the context's label in front when several engines are watched. */
function workloadLabel(workload: Pick<Workload, 'ref'>, engines: readonly Pick<EngineStatus, 'id' | 'label'>[]): string {
  const name = workload.ref.namespace ? `${workload.ref.namespace}/${workload.ref.name}` : workload.ref.name;
  if (engines.length <= 1) return name;
  return `${engines.find((engine) => engine.id === workload.ref.engineId)?.label ?? workload.ref.engineId}/${name}`;
}

const deploymentsAvailableGate: GateDefinition = {
  id: 'deployments-available',
  title: 'Deployments available',
  appliesTo: hasKubernetes,
  evaluate(input) {
    const unknown = kubernetesDataUnknown(input);
    if (unknown) return unknown;
    let checked = 0;
    const short: string[] = [];
    let firstShort: RefKey | undefined;
    for (const workload of input.workloads ?? []) {
      if (workload.ref.kind === 'compose-service' || !isKubernetesEngine(input, workload.ref.engineId)) continue;
      checked += 1;
      const desired = workload.desiredReplicas ?? 0;
      const available = workload.availableReplicas ?? 0;
      if (available < desired) {
        short.push(`${workloadLabel(workload, input.engines)} ${available}/${desired} available`);
        firstShort ??= workload.key;
      }
    }
    if (short.length > 0) return { status: 'fail', detail: listText(short), ...offender(firstShort) };
    if (checked === 0) return { status: 'pass', detail: 'no Deployment or StatefulSet' };
    return { status: 'pass', detail: checked === 1 ? '1 workload fully available' : `${checked} workloads fully available` };
  },
};

/** The first offender's workload, for `!` to bind (a playbook's deployment input). */
function offender(workloadKey: RefKey | undefined): Pick<GateEvaluation, 'workloadKey'> {
  return workloadKey === undefined ? {} : { workloadKey };
}

const podsOf = ofKind('pod');

const noCrashLoopGate: GateDefinition = {
  id: 'no-pod-crash-loop',
  title: 'No pod crash-looping',
  appliesTo: hasKubernetes,
  evaluate(input) {
    const unknown = kubernetesDataUnknown(input);
    if (unknown) return unknown;
    const pods = podsOf(input);
    const looping = pods.filter((pod) => pod.phase === 'crash-loop');
    if (looping.length > 0) {
      return {
        status: 'fail',
        ...offender(looping[0]?.workloadKey),
        detail: listText(
          looping.map((pod) => {
            const reason = pod.reason !== undefined && pod.reason !== pod.state ? ` ${pod.reason}` : '';
            return `${instanceLabel(pod, input.engines)} ${pod.state}${reason} (${restartsText(pod.restartCount)})`;
          }),
        ),
      };
    }
    return { status: 'pass', detail: pods.length === 1 ? '1 pod, none crash-looping' : `${pods.length} pods, none crash-looping` };
  },
};

function pendingThresholdOf(input: GateInput): number {
  return input.pendingThresholdMs ?? DEFAULT_PENDING_THRESHOLD_MS;
}

const noLongPendingGate: GateDefinition = {
  id: 'no-pod-pending',
  title: 'No pod pending too long',
  titleFor: (input) => `No pod pending > ${durationText(pendingThresholdOf(input))}`,
  appliesTo: hasKubernetes,
  evaluate(input, now) {
    const unknown = kubernetesDataUnknown(input);
    if (unknown) return unknown;
    const threshold = pendingThresholdOf(input);
    const pending = podsOf(input).filter((pod) => pod.phase === 'pending');
    const stuck = pending.filter((pod) => now - pod.createdAt > threshold);
    if (stuck.length > 0) {
      return {
        status: 'fail',
        ...offender(stuck[0]?.workloadKey),
        detail: listText(
          stuck.map((pod) => `${instanceLabel(pod, input.engines)} pending ${durationText(now - pod.createdAt)}${pod.message ? `: ${pod.message}` : ''}`),
        ),
      };
    }
    if (pending.length > 0) return { status: 'pass', detail: `${pending.length} pending for less than ${durationText(threshold)}` };
    return { status: 'pass', detail: 'no pod pending' };
  },
};

export const BUILT_IN_GATES: readonly GateDefinition[] = [
  engineReachableGate,
  noRestartingGate,
  noUnhealthyGate,
  deploymentsAvailableGate,
  noCrashLoopGate,
  noLongPendingGate,
  hostDiskGate,
  hostMemoryGate,
];

/**
 * Results in gate order. A gate whose evaluate throws reports `unknown` with
 * the error as detail instead of breaking the others.
 */
export function evaluateGates(input: GateInput, now: number, gates: readonly GateDefinition[] = BUILT_IN_GATES): GateResult[] {
  return gates.filter((gate) => gate.appliesTo?.(input) ?? true).map((gate) => {
    let evaluation: GateEvaluation;
    try {
      evaluation = gate.evaluate(input, now);
    } catch (error) {
      evaluation = { status: 'unknown', detail: `gate failed to evaluate: ${error instanceof Error ? error.message : String(error)}` };
    }
    const result: GateResult = { id: gate.id, title: gate.titleFor?.(input) ?? gate.title, status: evaluation.status, detail: evaluation.detail, checkedAt: now };
    if (gate.playbook !== undefined) result.playbook = gate.playbook;
    if (evaluation.workloadKey !== undefined) result.workloadKey = evaluation.workloadKey;
    return result;
  });
}

/**
 * Container gates cannot be answered while no engine is connected: the
 * container list is then empty or stale.
 */
function containerDataUnknown(input: GateInput): GateEvaluation | undefined {
  if (input.engines.length === 0) return { status: 'unknown', detail: 'no engine configured' };
  if (!input.engines.some((engine) => engine.state === 'connected')) return { status: 'unknown', detail: 'no engine connected' };
  return undefined;
}

/** "a, b, c (+2 more)": offenders named in a detail. */
export function listText(items: readonly string[]): string {
  if (items.length <= MAX_NAMED_IN_DETAIL) return items.join(', ');
  return `${items.slice(0, MAX_NAMED_IN_DETAIL).join(', ')} (+${items.length - MAX_NAMED_IN_DETAIL} more)`;
}

/** "5m", "90s", "2h": the largest whole unit. */
function durationText(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

function restartsText(restartCount: number): string {
  return restartCount === 1 ? '1 restart' : `${restartCount} restarts`;
}
