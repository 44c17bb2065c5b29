// Plain domain objects for unit tests: compose containers (instances) of project "shop" and their stats.
import { phaseOf, workloadOf } from '../../src/adapters/docker/container-mapping';
import { refKey } from '../../src/domain/resource-ref';
import type { ContainerStatsSample, HealthState, Instance, InstancePhase, RefKey, Workload } from '../../src/domain/types';

export const FIXED_NOW = 1_800_000_000_000;

/** What a test says about a container; everything else has a plain default. */
export interface InstanceSpec {
  engineId?: string;
  /** Container id (the ref's uid). */
  id?: string;
  name?: string;
  project?: string;
  service?: string;
  image?: string;
  /** Docker's state word; the phase follows from it unless given. */
  state?: 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing';
  phase?: InstancePhase;
  health?: HealthState;
  restartCount?: number;
  startedAt?: number;
  finishedAt?: number;
  createdAt?: number;
  exitCode?: number;
  oomKilled?: boolean;
}

/** An instance exactly as the Docker adapter would publish it. */
export function buildInstance(spec: InstanceSpec & { name: string; project: string; service: string }): Instance {
  const engineId = spec.engineId ?? 'local';
  const ref = { engineId, kind: 'container' as const, namespace: spec.project, name: spec.name, uid: spec.id ?? spec.name };
  const workload = { engineId, kind: 'compose-service' as const, namespace: spec.project, name: spec.service };
  const state = spec.state ?? 'running';
  const phase = spec.phase ?? phaseOf(state, spec.exitCode);
  const health = spec.health ?? 'none';
  const instance: Instance = {
    ref,
    key: refKey(ref),
    workload,
    workloadKey: refKey(workload),
    image: spec.image ?? `${spec.project}/${spec.service}:1`,
    phase,
    state,
    health,
    ready: phase === 'running' && health !== 'unhealthy' && health !== 'starting',
    restartCount: spec.restartCount ?? 0,
    createdAt: spec.createdAt ?? FIXED_NOW - 3_600_000,
  };
  if (spec.startedAt !== undefined) instance.startedAt = spec.startedAt;
  if (spec.finishedAt !== undefined) instance.finishedAt = spec.finishedAt;
  if (spec.exitCode !== undefined) instance.exitCode = spec.exitCode;
  if (spec.oomKilled !== undefined) {
    instance.oomKilled = spec.oomKilled;
    if (spec.oomKilled) instance.reason = 'OOMKilled';
  }
  return instance;
}

/** Container `id` of service `id` (unless `service` says otherwise) in project shop, running, no healthcheck. */
export function container(id: string, overrides: InstanceSpec = {}): Instance {
  const project = overrides.project ?? 'shop';
  const service = overrides.service ?? id;
  return buildInstance({ id, ...overrides, project, service, name: overrides.name ?? `${project}-${id}-1` });
}

/** The compose service of an instance, as the Docker adapter derives it. */
export { workloadOf };

/** The inventory an adapter would publish for these instances. */
export function inventoryOf(instances: Instance[]): { workloads: Workload[]; instances: Instance[] } {
  const workloads = new Map(instances.map((instance) => [instance.workloadKey, workloadOf(instance)]));
  return { workloads: [...workloads.values()], instances };
}

/** A stats sample of an instance; memory use in bytes equals the percentage of a 100-byte limit. */
export function stats(instance: Instance | RefKey, cpuPercent: number, memoryPercent = 10): ContainerStatsSample {
  const instanceKey = typeof instance === 'string' ? instance : instance.key;
  return { instanceKey, cpuPercent, memoryUsageBytes: memoryPercent, memoryLimitBytes: 100, memoryPercent, sampledAt: FIXED_NOW };
}

/** Stats by instance key, as the store keeps them. */
export function statsByInstance(...samples: ContainerStatsSample[]): Record<RefKey, ContainerStatsSample> {
  return Object.fromEntries(samples.map((sample) => [sample.instanceKey, sample]));
}

/** The instance of a store's records whose engine id (container id) is `uid`. */
export function instanceWithUid(instances: Record<RefKey, Instance>, uid: string): Instance | undefined {
  return Object.values(instances).find((instance) => instance.ref.uid === uid);
}
