// Live inputs (engine, service, container, ...) resolved against the store's live state: an
// input names an object by its name as the cockpit shows it, or by its ref key.

import { parseRefKey, refKey, type ResourceRef } from '../../domain/resource-ref';
import type { OpsdeckState } from '../../store/store-types';
import type { LiveResolver } from '../input-values';
import { LIVE_INPUT_KINDS } from '../playbook-types';

export function liveResolverOf(state: OpsdeckState): LiveResolver {
  return {
    resolve(type, value) {
      if (type === 'engine') return state.engines[value] ? value : undefined;
      const kind = LIVE_INPUT_KINDS[type];
      const ref = kind ? resolveTargetIn(state, value, kind) : undefined;
      return ref ? refKey(ref) : undefined;
    },
  };
}

/** Finds a container by name or ref key, a compose service by `project/service`, `service` or ref key. */
export function resolveTargetIn(state: OpsdeckState, nameOrKey: string, kind: ResourceRef['kind']): ResourceRef | undefined {
  const parsed = parseRefKey(nameOrKey);
  if (parsed) {
    const record = kind === 'compose-service' || kind === 'deployment' ? state.workloads[nameOrKey] : state.instances[nameOrKey];
    return record?.ref;
  }
  if (kind === 'container' || kind === 'pod') {
    return Object.values(state.instances).find((instance) => instance.ref.kind === kind && instance.ref.name === nameOrKey)?.ref;
  }
  const slash = nameOrKey.indexOf('/');
  const project = slash >= 0 ? nameOrKey.slice(0, slash) : undefined;
  const name = slash >= 0 ? nameOrKey.slice(slash + 1) : nameOrKey;
  return Object.values(state.workloads).find(
    (workload) => workload.ref.kind === kind && workload.ref.name === name && (project === undefined || workload.ref.namespace === project),
  )?.ref;
}
