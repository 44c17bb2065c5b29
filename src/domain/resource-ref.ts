// How everything on screen is addressed: a resource of one engine. Engine-neutral: a compose
// service and a Kubernetes Deployment are both workloads; a container and a pod are instances.

/** Workloads (compose-service, deployment, statefulset) own instances (container, pod). */
export type WorkloadKind = 'compose-service' | 'deployment' | 'statefulset';
export type InstanceKind = 'container' | 'pod';
/** An alert of an external source (Alertmanager): engineId names the source, uid its fingerprint. */
export type AlertKind = 'alert';
export type ResourceKind = WorkloadKind | InstanceKind | AlertKind;

const RESOURCE_KINDS: ReadonlySet<string> = new Set<ResourceKind>(['compose-service', 'deployment', 'statefulset', 'container', 'pod', 'alert']);

export interface ResourceRef {
  /** Id of the configured engine (its name): the same daemon configured twice is two engines. */
  engineId: string;
  kind: ResourceKind;
  /** Compose project or Kubernetes namespace. */
  namespace?: string;
  name: string;
  /** The engine's own id (container id, pod uid), when known; not part of the key. */
  uid?: string;
}

/** The one string form of a ref: store records, selections, alerts and logs are keyed by it. */
export type RefKey = string;

/** Escapes the separator (and the escape character) inside one component. */
function escapeComponent(value: string): string {
  // Keys are built for every row on every tree build: skip the regexes for the usual plain name.
  if (!value.includes('%') && !value.includes('/')) return value;
  return value.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function unescapeComponent(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(/%2F/gi, '/').replace(/%25/g, '%');
}

/** `engine/kind/namespace/name`, each component escaped, so engine names may contain `/`. */
export function refKey(ref: Pick<ResourceRef, 'engineId' | 'kind' | 'namespace' | 'name'>): RefKey {
  return [ref.engineId, ref.kind, ref.namespace ?? '', ref.name].map(escapeComponent).join('/');
}

/** The ref a key was made from (without its uid); undefined for a string that is not a ref key. */
export function parseRefKey(key: RefKey): ResourceRef | undefined {
  const parts = key.split('/');
  if (parts.length !== 4) return undefined;
  const [engineId, kind, namespace, name] = parts.map(unescapeComponent) as [string, ResourceKind, string, string];
  if (!RESOURCE_KINDS.has(kind)) return undefined;
  return namespace === '' ? { engineId, kind, name } : { engineId, kind, namespace, name };
}

export function sameRef(left: ResourceRef, right: ResourceRef): boolean {
  return refKey(left) === refKey(right);
}

/** Key of a group of workloads (engine + compose project or namespace). */
export function groupKeyOf(ref: Pick<ResourceRef, 'engineId' | 'namespace'>): string {
  return `${escapeComponent(ref.engineId)}/${escapeComponent(ref.namespace ?? '')}`;
}
