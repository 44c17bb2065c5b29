// Kubernetes domain objects as the adapter writes them (contexts, Deployments, StatefulSets,
// pods, Warning events), and an adapter that records the actions and access reviews the real
// action executor asks of it (the informers are another helper's; these tests are the cockpit's).

import type {
  AccessDecision,
  AccessReviewer,
  Deletable,
  EngineAdapter,
  MutationOptions,
  OperationOptions,
  RolloutReadable,
  RolloutRestartable,
  RolloutUndoable,
  Scalable,
  WorkloadLogFollower,
} from '../../src/adapters/capabilities';
import { accessKeyOf, type ActionCall, type EngineAction, type MutationAnswer, type RolloutRevision } from '../../src/domain/engine-action';
import { refKey, type InstanceKind, type ResourceRef, type WorkloadKind } from '../../src/domain/resource-ref';
import type { EngineStatus, Instance, RolloutProgress, WarningEvent, Workload } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { feedIncident, NOW } from './fixtures';

const MINUTE = 60_000;

export function kubeEngine(id: string, change: Partial<EngineStatus> = {}): EngineStatus {
  return {
    id,
    kind: 'kubernetes',
    label: id,
    context: id,
    endpoint: 'https://127.0.0.1:16443',
    state: 'connected',
    connectedAt: NOW - 10 * MINUTE,
    namespaces: ['default', 'shop'],
    metrics: { state: 'available' },
    ...change,
  };
}

type WorkloadRef = ResourceRef & { kind: WorkloadKind };
type PodRef = ResourceRef & { kind: InstanceKind };

/** A Deployment (or StatefulSet) fully rolled out at `replicas`, unless the change says otherwise. */
export function deployment(engineId: string, namespace: string, name: string, change: Partial<Workload> & { kind?: 'deployment' | 'statefulset'; replicas?: number } = {}): Workload {
  const { kind = 'deployment', replicas = 3, ...rest } = change;
  const ref: WorkloadRef = { engineId, kind, namespace, name, uid: `${name}-uid` };
  return {
    ref,
    key: refKey(ref),
    desiredReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
    revision: '4',
    images: [`${namespace}/${name}:1.4`],
    createdAt: NOW - 24 * 60 * MINUTE,
    rollout: { state: 'complete', desired: replicas, updated: replicas, ready: replicas, available: replicas, observed: true, message: `deployment "${name}" successfully rolled out` },
    ...rest,
  };
}

export function rollout(state: RolloutProgress['state'], desired: number, updated: number, message = ''): RolloutProgress {
  return { state, desired, updated, ready: updated, available: updated, observed: state !== 'progressing', message };
}

/** A running, ready pod of `owner`, created 5 minutes ago. */
export function pod(owner: Workload, suffix: string, change: Partial<Instance> = {}): Instance {
  const ref: PodRef = { engineId: owner.ref.engineId, kind: 'pod', namespace: owner.ref.namespace, name: `${owner.ref.name}-7d9f8-${suffix}`, uid: `${owner.ref.name}-${suffix}-uid` };
  return {
    ref,
    key: refKey(ref),
    workload: owner.ref,
    workloadKey: owner.key,
    image: owner.images?.[0] ?? 'image',
    phase: 'running',
    state: 'Running',
    health: 'healthy',
    ready: true,
    restartCount: 0,
    startedAt: NOW - 4 * MINUTE,
    createdAt: NOW - 5 * MINUTE,
    containers: [owner.ref.name],
    nodeName: 'node-1',
    ...change,
  };
}

export function warningEvent(engineId: string, uid: string, change: Partial<WarningEvent> & Pick<WarningEvent, 'reason' | 'message'>): WarningEvent {
  return {
    key: `${engineId}/${uid}`,
    engineId,
    namespace: 'shop',
    count: 1,
    firstSeen: NOW - 10 * MINUTE,
    lastSeen: NOW - MINUTE,
    involved: { kind: 'Pod', name: 'api-7d9f8-a', namespace: 'shop' },
    ...change,
  };
}

export interface RecordedKubernetesCall {
  verb: EngineAction['verb'];
  target: string;
  replicas?: number;
  toRevision?: number;
  dryRun?: boolean;
}

/**
 * An engine adapter with the Kubernetes capabilities the cockpit's keys use. It answers access
 * reviews from `forbidden` (verb -> reason), caching them as the real adapter does, and records
 * every mutation and every log follow it is asked for.
 */
export class RecordingKubernetesAdapter
  implements EngineAdapter, AccessReviewer, RolloutRestartable, RolloutReadable, RolloutUndoable, Scalable, Deletable, WorkloadLogFollower
{
  readonly calls: RecordedKubernetesCall[] = [];
  readonly reviews: string[] = [];
  readonly followed: Array<string | undefined> = [];
  readonly forbidden = new Map<string, string>();
  history: RolloutRevision[] = [];
  private readonly decisions = new Map<string, AccessDecision>();
  constructor(readonly engineId: string) {}
  start(): void {}
  stop(): Promise<void> {
    return Promise.resolve();
  }
  collectOnce(): Promise<void> {
    return Promise.resolve();
  }
  describeCall(action: EngineAction): ActionCall {
    return { type: 'http', method: 'PATCH', path: `/apis/apps/v1/namespaces/${action.target.namespace ?? ''}/${action.target.kind}s/${action.target.name}` };
  }
  cachedAccess(action: EngineAction): AccessDecision | undefined {
    return this.decisions.get(accessKeyOf(action));
  }
  /** The cached answers expire (the real adapter keeps them 60 s). */
  expireAccessCache(): void {
    this.decisions.clear();
  }
  /** Answers from its cache first, as the real adapter does (per verb, resource and namespace). */
  reviewAccess(action: EngineAction): Promise<AccessDecision> {
    const cached = this.decisions.get(accessKeyOf(action));
    if (cached) return Promise.resolve(cached);
    this.reviews.push(`${action.verb} ${action.target.name}`);
    const reason = this.forbidden.get(action.verb);
    const decision: AccessDecision = reason === undefined ? { allowed: true } : { allowed: false, reason };
    this.decisions.set(accessKeyOf(action), decision);
    return Promise.resolve(decision);
  }
  restartRollout(target: WorkloadRef, options?: MutationOptions): Promise<MutationAnswer> {
    return this.mutate({ verb: 'rollout-restart', target: target.name }, options, `deployment.apps/${target.name} restarted`);
  }
  watchRollout(_target: WorkloadRef, _timeoutSeconds: number, _options?: OperationOptions): Promise<RolloutProgress> {
    return Promise.resolve(rollout('complete', 3, 3));
  }
  rolloutHistory(_target: WorkloadRef): Promise<RolloutRevision[]> {
    return Promise.resolve(this.history);
  }
  undoRollout(target: WorkloadRef, toRevision: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return this.mutate({ verb: 'rollout-undo', target: target.name, ...(toRevision !== undefined ? { toRevision } : {}) }, options, `deployment.apps/${target.name} rolled back`);
  }
  scaleWorkload(target: WorkloadRef, replicas: number, options?: MutationOptions): Promise<MutationAnswer> {
    return this.mutate({ verb: 'scale', target: target.name, replicas }, options, `deployment.apps/${target.name} scaled to ${replicas}`);
  }
  deleteInstance(target: PodRef, _gracePeriodSeconds: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return this.mutate({ verb: 'delete', target: target.name }, options, `pod/${target.name} deleted`);
  }
  followWorkloadLogs(workload: WorkloadRef | undefined): void {
    this.followed.push(workload?.name);
  }
  private mutate(call: RecordedKubernetesCall, options: MutationOptions | undefined, summary: string): Promise<MutationAnswer> {
    const dryRun = options?.dryRun === true;
    this.calls.push(dryRun ? { ...call, dryRun } : call);
    return Promise.resolve({ dryRun, summary: dryRun ? `${summary} (server dry run)` : summary });
  }
}

/** The Deployment mid-rollout of feedClusters, with its three pods (running, crash-looping after an OOM kill, Pending). */
export const API = deployment('prod', 'shop', 'api', {
  readyReplicas: 2,
  availableReplicas: 2,
  updatedReplicas: 1,
  rollout: rollout('progressing', 3, 1, 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...'),
});
export const WEB = deployment('prod', 'shop', 'web', { replicas: 1 });
export const DB = deployment('staging', 'data', 'db', { kind: 'statefulset', replicas: 1, readyReplicas: 0, availableReplicas: 0, rollout: rollout('stalled', 1, 0, 'partitioned roll out stalled') });
export const API_PODS = {
  running: pod(API, 'a'),
  crashing: pod(API, 'b', { phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'OOMKilled', oomKilled: true, ready: false, restartCount: 5 }),
  pending: pod(API, 'c', {
    phase: 'pending',
    state: 'Pending',
    reason: 'Unschedulable',
    message: '0/1 nodes are available: 1 Insufficient cpu.',
    ready: false,
    startedAt: undefined,
    createdAt: NOW - 12 * MINUTE,
    nodeName: undefined,
  }),
};

/** Docker's incident, and two contexts: prod (api mid-rollout, web) in namespace shop and staging (a stalled StatefulSet) in data. */
export function feedClusters(store: OpsdeckStore): void {
  feedIncident(store);
  const state = store.getState();
  state.engineRegistered(kubeEngine('prod'));
  state.engineRegistered(kubeEngine('staging', { namespaces: ['data'] }));
  state.inventoryReplaced('prod', { workloads: [API, WEB], instances: [API_PODS.running, API_PODS.crashing, API_PODS.pending, pod(WEB, 'a')] });
  state.inventoryReplaced('staging', { workloads: [DB], instances: [pod(DB, '0', { phase: 'waiting', state: 'ImagePullBackOff', reason: 'ImagePullBackOff', ready: false })] });
  state.flush();
}
