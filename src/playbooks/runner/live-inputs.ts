// Live inputs (engine, service, container, deployment, context, namespace, ...) resolved
// against the store's live state: an input names an object by its name as the cockpit shows
// it, or by its ref key. A Kubernetes object whose name is found in several places (two
// contexts, two namespaces) is a problem to name, not a silent first pick.

import { parseRefKey, refKey, type ResourceKind, type ResourceRef } from '../../domain/resource-ref';
import { groupOf } from '../../domain/types';
import type { OpsdeckState } from '../../store/store-types';
import type { LiveResolver } from '../input-values';
import { LIVE_INPUT_KINDS, type InputType } from '../playbook-types';

/** The parts of the live state inputs are chosen from. */
export type LiveState = Pick<OpsdeckState, 'engines' | 'workloads' | 'instances'>;

/** What a lookup asks for: a kind, a name (`namespace/name` for workloads) or ref key, and where. */
export interface ResourceQuery {
  kind: ResourceKind;
  nameOrKey: string;
  namespace?: string | undefined;
  /** Which engines count (a Kubernetes context); absent: every engine. */
  engine?: ((engineId: string) => boolean) | undefined;
}

const KUBERNETES_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['deployment', 'statefulset', 'pod']);

/** Every object of the live state the query names (one for a ref key). */
export function matchingResources(state: LiveState, query: ResourceQuery): ResourceRef[] {
  const { kind, nameOrKey } = query;
  if (parseRefKey(nameOrKey)) {
    const record = kind === 'container' || kind === 'pod' ? state.instances[nameOrKey] : state.workloads[nameOrKey];
    return record ? [record.ref] : [];
  }
  const engineCounts = query.engine ?? (() => true);
  if (kind === 'container' || kind === 'pod') {
    return Object.values(state.instances)
      .filter((instance) => instance.ref.kind === kind && instance.ref.name === nameOrKey && (query.namespace === undefined || instance.ref.namespace === query.namespace) && engineCounts(instance.ref.engineId))
      .map((instance) => instance.ref);
  }
  const slash = nameOrKey.indexOf('/');
  const namespace = slash >= 0 ? nameOrKey.slice(0, slash) : query.namespace;
  const name = slash >= 0 ? nameOrKey.slice(slash + 1) : nameOrKey;
  return Object.values(state.workloads)
    .filter((workload) => workload.ref.kind === kind && workload.ref.name === name && (namespace === undefined || workload.ref.namespace === namespace) && engineCounts(workload.ref.engineId))
    .map((workload) => workload.ref);
}

/** Finds a container by name or ref key, a compose service by `project/service`, `service` or ref key (the first found). */
export function resolveTargetIn(state: LiveState, nameOrKey: string, kind: ResourceRef['kind']): ResourceRef | undefined {
  return matchingResources(state, { kind, nameOrKey })[0];
}

/** Whether an engine is the Kubernetes context named: its engine id, or the kubeconfig context it is. */
export function isContextOf(state: Pick<LiveState, 'engines'>, engineId: string, context: string): boolean {
  const engine = state.engines[engineId];
  return engine?.kind === 'kubernetes' && (engineId === context || engine.context === context);
}

/** The namespaces a Kubernetes engine has shown: those it lists, and those its objects live in. */
export function kubernetesNamespaces(state: LiveState): string[] {
  const namespaces = new Set<string>();
  for (const engine of Object.values(state.engines)) {
    if (engine.kind !== 'kubernetes') continue;
    for (const namespace of engine.namespaces ?? []) namespaces.add(namespace);
    if (engine.namespace !== undefined) namespaces.add(engine.namespace);
  }
  for (const record of [...Object.values(state.workloads), ...Object.values(state.instances)]) {
    if (record.ref.namespace !== undefined && state.engines[record.ref.engineId]?.kind === 'kubernetes') namespaces.add(record.ref.namespace);
  }
  return [...namespaces].sort();
}

/** "api is in local/shop and remote/shop": where a name is found more than once. */
export function placesOf(refs: readonly ResourceRef[]): string {
  return refs.map((ref) => `${ref.engineId}/${ref.namespace ?? ''}`).join(' and ');
}

export function liveResolverOf(state: LiveState): LiveResolver {
  return {
    resolve(type, value) {
      if (type === 'engine') return state.engines[value] ? value : undefined;
      if (type === 'context') return Object.keys(state.engines).find((engineId) => isContextOf(state, engineId, value));
      if (type === 'namespace') return kubernetesNamespaces(state).includes(value) ? value : undefined;
      const kind = LIVE_INPUT_KINDS[type];
      if (!kind) return undefined;
      const found = matchingResources(state, { kind, nameOrKey: value });
      if (found.length > 1 && KUBERNETES_KINDS.has(kind)) return { problem: `${kind} ${value} is in ${placesOf(found)}: choose one (its ref key names the context)` };
      return found[0] ? refKey(found[0]) : undefined;
    },
  };
}

/**
 * The values a live input offers, as the form lists them: engines and contexts by id,
 * services as `project/service`, containers and pods by name, deployments and statefulsets as
 * `namespace/name`; a name found in several places is offered by its ref key (which resolves
 * to exactly one).
 */
export function liveChoices(state: LiveState, type: InputType): string[] {
  switch (type) {
    case 'engine':
      return Object.keys(state.engines);
    case 'context':
      return Object.values(state.engines)
        .filter((engine) => engine.kind === 'kubernetes')
        .map((engine) => engine.id);
    case 'namespace':
      return kubernetesNamespaces(state);
    case 'service':
      return [...new Set(Object.values(state.instances).map((instance) => `${groupOf(instance)}/${instance.workload.name}`))].sort();
    default: {
      const kind = LIVE_INPUT_KINDS[type];
      if (!kind) return [];
      const records = kind === 'container' || kind === 'pod' ? Object.values(state.instances) : Object.values(state.workloads);
      const labelled = records
        .filter((record) => record.ref.kind === kind)
        .map((record) => ({ key: record.key, label: kind === 'container' || kind === 'pod' ? record.ref.name : `${record.ref.namespace ?? ''}/${record.ref.name}` }));
      const counts = new Map<string, number>();
      for (const { label } of labelled) counts.set(label, (counts.get(label) ?? 0) + 1);
      // Containers keep their names even when two engines share one (as the form always did).
      return labelled.map(({ key, label }) => ((counts.get(label) ?? 0) > 1 && kind !== 'container' ? key : label)).sort();
    }
  }
}
