// Kubernetes objects as the watch publishes them, for unit tests: a context as an engine,
// Deployments and StatefulSets (workloads) and their pods (instances), in a real store.
import type { AccessReviewer, EngineAdapter, Scalable } from '../../src/adapters/capabilities';
import type { EngineAction } from '../../src/domain/engine-action';
import { refKey } from '../../src/domain/resource-ref';
import type { EngineStatus, Instance, InstancePhase, Workload } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { FIXED_NOW } from './domain-fixtures';
import { createTestStore } from './test-store';

export function kubeEngine(id: string, context = id, namespaces: string[] = ['shop']): EngineStatus {
  return { id, kind: 'kubernetes', label: id, endpoint: 'https://127.0.0.1:16443', state: 'connected', context, namespaces };
}

export interface WorkloadSpec {
  engineId?: string;
  namespace?: string;
  kind?: 'deployment' | 'statefulset';
  desired?: number;
  ready?: number;
  /** Replicas on the current pod template (status.updatedReplicas); all of them by default. */
  updated?: number;
  revision?: string;
}

export function kubeWorkload(name: string, spec: WorkloadSpec = {}): Workload {
  const ref = { engineId: spec.engineId ?? 'kind', kind: spec.kind ?? 'deployment', namespace: spec.namespace ?? 'shop', name } as const;
  const desired = spec.desired ?? 2;
  return {
    ref,
    key: refKey(ref),
    desiredReplicas: desired,
    readyReplicas: spec.ready ?? desired,
    availableReplicas: spec.ready ?? desired,
    updatedReplicas: spec.updated ?? desired,
    revision: spec.revision ?? '2',
    images: [`shop/${name}:2`],
    createdAt: FIXED_NOW - 86_400_000,
  };
}

export interface PodSpec {
  phase?: InstancePhase;
  state?: string;
  reason?: string;
  ready?: boolean;
  restarts?: number;
  createdAt?: number;
  uid?: string;
  message?: string;
  oomKilled?: boolean;
}

/** A pod of `workload`, running and ready unless the spec says otherwise. */
export function kubePod(workload: Workload, name: string, spec: PodSpec = {}): Instance {
  const ref = { engineId: workload.ref.engineId, kind: 'pod' as const, namespace: workload.ref.namespace ?? 'shop', name, uid: spec.uid ?? `uid-${name}` };
  const phase = spec.phase ?? 'running';
  const pod: Instance = {
    ref,
    key: refKey(ref),
    workload: workload.ref,
    workloadKey: workload.key,
    image: workload.images?.[0] ?? 'shop/app:1',
    phase,
    state: spec.state ?? (phase === 'crash-loop' ? 'CrashLoopBackOff' : phase === 'pending' ? 'Pending' : 'Running'),
    health: 'none',
    ready: spec.ready ?? phase === 'running',
    restartCount: spec.restarts ?? 0,
    createdAt: spec.createdAt ?? FIXED_NOW - 3_600_000,
    containers: ['app'],
  };
  if (spec.reason !== undefined) pod.reason = spec.reason;
  if (spec.message !== undefined) pod.message = spec.message;
  if (spec.oomKilled !== undefined) pod.oomKilled = spec.oomKilled;
  return pod;
}

/** A store holding the engines, workloads and pods given (per engine, as the watch's first list). */
export function kubeStore(engines: EngineStatus[], workloads: Workload[], pods: Instance[], options: { readOnly?: boolean } = {}): OpsdeckStore {
  const store = createTestStore({ readOnly: options.readOnly ?? false });
  for (const engine of engines) {
    store.getState().engineRegistered(engine);
    store.getState().inventoryReplaced(engine.id, {
      workloads: workloads.filter((workload) => workload.ref.engineId === engine.id),
      instances: pods.filter((pod) => pod.ref.engineId === engine.id),
    });
  }
  store.getState().flush();
  return store;
}

/**
 * A Kubernetes-like engine for runner tests behind the real action executor: it scales (and
 * answers a dry run as the server would), and answers access reviews from `forbid` (the
 * reason, or undefined when allowed), recording both.
 */
export function scalingEngine(engineId: string, forbid: (action: EngineAction) => string | undefined = () => undefined) {
  const scaled: Array<{ name: string; replicas: number; dryRun: boolean }> = [];
  const reviewed: EngineAction[] = [];
  const adapter: EngineAdapter & Scalable & AccessReviewer = {
    engineId,
    start: () => undefined,
    stop: async () => undefined,
    collectOnce: async () => undefined,
    describeCall: (action) => ({ type: 'http', method: 'PATCH', path: `/apis/apps/v1/namespaces/${action.target.namespace ?? 'default'}/deployments/${action.target.name}/scale` }),
    cachedAccess: () => undefined,
    reviewAccess: async (action) => {
      reviewed.push(action);
      const reason = forbid(action);
      return reason === undefined ? { allowed: true } : { allowed: false, reason };
    },
    scaleWorkload: async (target, replicas, options) => {
      const dryRun = options?.dryRun === true;
      scaled.push({ name: target.name, replicas, dryRun });
      return { dryRun, summary: `deployment.apps/${target.name} scaled from 3 to ${replicas}`, changes: { 'spec.replicas': [3, replicas] }, ...(dryRun ? {} : { resourceVersion: '901' }) };
    },
  };
  return { adapter, scaled, reviewed };
}
