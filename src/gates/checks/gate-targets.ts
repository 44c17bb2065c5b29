// What a `container` or `command` (exec) gate names, found in the live state with the same
// resolution playbook inputs use (matchingResources): a container, a compose service
// (`service`, `project/service`, `engine/project/service`), a Deployment or StatefulSet
// (`name`, `namespace/name`), a pod, or a ref key.

import { parseRefKey, refKey, type RefKey, type ResourceKind } from '../../domain/resource-ref';
import type { Instance } from '../../domain/types';
import { matchingResources } from '../../playbooks/runner/live-inputs';
import type { OpsdeckState } from '../../store/store-types';

type TargetState = Pick<OpsdeckState, 'engines' | 'workloads' | 'instances'>;

/** Container names first (a compose container named after its service is the same instance either way). */
const KINDS_IN_ORDER: readonly ResourceKind[] = ['container', 'compose-service', 'deployment', 'statefulset', 'pod'];

export interface ResolvedTarget {
  kind: ResourceKind;
  /** Its instances, by name. */
  instances: Instance[];
  /** The workload to bind a recovery playbook to (the first one named). */
  workloadKey?: RefKey;
}

/** `engine/project/service` written without `engine:`: the first segment, when it is an engine's id. */
export function splitEngine(state: TargetState, target: string, engine: string | undefined): { target: string; engine?: string } {
  if (engine !== undefined || parseRefKey(target)) return engine === undefined ? { target } : { target, engine };
  const parts = target.split('/');
  const [first] = parts;
  if (parts.length === 3 && first !== undefined && state.engines[first]) return { engine: first, target: parts.slice(1).join('/') };
  return { target };
}

/** The instances a target names, or undefined when the live state has nothing by that name. */
export function resolveGateTarget(state: TargetState, written: string, writtenEngine?: string): ResolvedTarget | undefined {
  const { target, engine } = splitEngine(state, written, writtenEngine);
  const onEngine = engine === undefined ? undefined : (engineId: string): boolean => engineId === engine;
  for (const kind of KINDS_IN_ORDER) {
    const refs = matchingResources(state, { kind, nameOrKey: target, engine: onEngine });
    if (refs.length === 0) continue;
    if (kind === 'container' || kind === 'pod') {
      const instances = refs.flatMap((ref) => state.instances[refKey(ref)] ?? []).sort(byName);
      const workloadKey = instances[0]?.workloadKey;
      return workloadKey === undefined ? { kind, instances } : { kind, instances, workloadKey };
    }
    const keys = refs.map((ref) => refKey(ref));
    const named = new Set(keys);
    const instances = Object.values(state.instances)
      .filter((instance) => named.has(instance.workloadKey))
      .sort(byName);
    const [workloadKey] = keys;
    return workloadKey === undefined ? { kind, instances } : { kind, instances, workloadKey };
  }
  return undefined;
}

function byName(left: Instance, right: Instance): number {
  return left.ref.name.localeCompare(right.ref.name) || left.ref.engineId.localeCompare(right.ref.engineId);
}

/** Whether the live state says anything yet: until an engine is connected, a missing target is not news. */
export function liveStateKnown(state: Pick<OpsdeckState, 'engines'>): boolean {
  return Object.values(state.engines).some((engine) => engine.state === 'connected');
}

/** "service, Deployment or container vault (on engine local)": for a target that is not found. */
export function missingTargetText(target: string, engine: string | undefined): string {
  return `no container, service or Deployment named ${target}${engine === undefined ? '' : ` on engine ${engine}`}`;
}
