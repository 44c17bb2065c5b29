// The API requests behind each Kubernetes action, built in one place: the operations send
// them and describeCall shows them (confirmations, dry runs, journals), so what is shown is
// what is sent. A value known only from an earlier answer is shown as {placeholder}.

import type { ActionCall, EngineAction } from '../../domain/engine-action';
import type { ResourceRef } from '../../domain/resource-ref';
import { looksSecret, REDACTED } from '../../domain/secret-names';
import type { LogWindow } from '../capabilities';
import { redactedEnvPatch, resourcesPatch, restartPatch } from './template-patches';

/** The resource of a kind: its API path segment, group and the word kubectl prints (deployment.apps/api). */
export const RESOURCES = {
  deployment: { group: 'apps', resource: 'deployments', word: 'deployment.apps' },
  statefulset: { group: 'apps', resource: 'statefulsets', word: 'statefulset.apps' },
  pod: { group: '', resource: 'pods', word: 'pod' },
  replicaset: { group: 'apps', resource: 'replicasets', word: 'replicaset.apps' },
  controllerrevision: { group: 'apps', resource: 'controllerrevisions', word: 'controllerrevision.apps' },
  event: { group: '', resource: 'events', word: 'event' },
  podmetrics: { group: 'metrics.k8s.io', resource: 'pods', word: 'pods.metrics.k8s.io' },
} as const;

export type KubeResource = keyof typeof RESOURCES;

export function namespaceOf(target: Pick<ResourceRef, 'namespace'>): string {
  return target.namespace ?? 'default';
}

const GROUP_VERSIONS: Record<string, string> = { '': '/api/v1', apps: '/apis/apps/v1', 'metrics.k8s.io': '/apis/metrics.k8s.io/v1beta1' };

/** /apis/apps/v1/namespaces/shop/deployments[/api[/scale]] */
export function resourcePath(resource: KubeResource, namespace: string, name?: string, subresource?: string): string {
  const { group, resource: plural } = RESOURCES[resource];
  const base = `${GROUP_VERSIONS[group] ?? '/api/v1'}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  if (name === undefined) return base;
  return `${base}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

const PLACEHOLDER = /^\{[^{}]*\}$/;

/** `path?a=1&b=x` (parameters that are undefined left out; arrays repeat the name). */
export function withQuery(path: string, parameters: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    // A {placeholder} (a value known only from an earlier answer) is shown as it is.
    for (const each of values) pairs.push(`${name}=${PLACEHOLDER.test(String(each)) ? String(each) : encodeURIComponent(String(each))}`);
  }
  if (pairs.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** The same request as a server-side dry run. */
export function dryRunPath(path: string, dryRun: boolean | undefined): string {
  return dryRun ? withQuery(path, { dryRun: 'All' }) : path;
}

/** "deployment.apps/api", "pod/api-1". */
export function resourceWord(target: Pick<ResourceRef, 'kind' | 'name'>): string {
  const resource = target.kind === 'statefulset' ? 'statefulset' : target.kind === 'deployment' ? 'deployment' : 'pod';
  return `${RESOURCES[resource].word}/${target.name}`;
}

export function workloadResource(target: Pick<ResourceRef, 'kind'>): 'deployment' | 'statefulset' {
  return target.kind === 'statefulset' ? 'statefulset' : 'deployment';
}

/** GET /api/v1/namespaces/ns/pods/p/log parameters of a read (no follow). */
export function podLogQuery(window: LogWindow, container: string): Record<string, string | number | boolean | undefined> {
  return {
    container,
    ...(window.sinceSeconds !== undefined ? { sinceSeconds: Math.max(1, Math.ceil(window.sinceSeconds)) } : {}),
    ...(window.tail !== undefined ? { tailLines: window.tail } : {}),
    ...(window.previous ? { previous: true } : {}),
  };
}

/** The exec subresource's query: argv as repeated command=, both output streams, no stdin, no TTY. */
export function execQuery(argv: readonly string[], container: string): Record<string, string | boolean | readonly string[]> {
  return { command: argv, container, stdout: true, stderr: true };
}

/** The argv an exec runs: env given as `env NAME=value ... argv` (the exec subresource has no env). */
export function execArgv(argv: readonly string[], env: Readonly<Record<string, string>> | undefined): string[] {
  const pairs = Object.entries(env ?? {}).map(([name, value]) => `${name}=${value}`);
  return pairs.length === 0 ? [...argv] : ['env', ...pairs, ...argv];
}

/** Lists are read a page at a time (limit, then continue). */
export const LIST_PAGE = 500;

function get(path: string, then?: ActionCall): ActionCall {
  return { type: 'http', method: 'GET', path, ...(then ? { then } : {}) };
}

/** The exact requests an action makes, in order; undefined for a kind the verb does not apply to. */
export function describeKubeCall(action: EngineAction, nowMs: number): ActionCall | undefined {
  const namespace = namespaceOf(action.target);
  const isWorkload = action.target.kind === 'deployment' || action.target.kind === 'statefulset';
  const isPod = action.target.kind === 'pod';
  const resource = workloadResource(action.target);
  const workload = resourcePath(resource, namespace, action.target.name);
  const pod = resourcePath('pod', namespace, action.target.name);
  switch (action.verb) {
    case 'rollout-restart':
      if (!isWorkload) return undefined;
      return get(workload, { type: 'http', method: 'PATCH', path: workload, body: restartPatch(nowMs) });
    case 'rollout-status':
      if (!isWorkload) return undefined;
      return get(workload, get(withQuery(resourcePath(resource, namespace), { fieldSelector: `metadata.name=${action.target.name}`, watch: true, resourceVersion: '{resourceVersion}' })));
    case 'rollout-history':
      if (!isWorkload) return undefined;
      return get(workload, get(withQuery(resourcePath(resource === 'statefulset' ? 'controllerrevision' : 'replicaset', namespace), { labelSelector: '{selector}', limit: LIST_PAGE })));
    case 'rollout-undo': {
      if (!isWorkload) return undefined;
      const history = resourcePath(resource === 'statefulset' ? 'controllerrevision' : 'replicaset', namespace);
      const revision = action.toRevision === undefined ? '{previous revision}' : `revision ${action.toRevision}`;
      const body =
        resource === 'statefulset'
          ? `{data of the ControllerRevision of ${revision}}`
          : [
              { op: 'replace', path: '/spec/template', value: `{pod template of ${revision}, without pod-template-hash}` },
              { op: 'replace', path: '/metadata/annotations', value: '{annotations}' },
            ];
      return get(workload, get(withQuery(history, { labelSelector: '{selector}', limit: LIST_PAGE }), { type: 'http', method: 'PATCH', path: workload, body }));
    }
    case 'scale': {
      if (!isWorkload) return undefined;
      const scale = resourcePath(resource, namespace, action.target.name, 'scale');
      return get(scale, { type: 'http', method: 'PATCH', path: scale, body: { spec: { replicas: action.replicas } } });
    }
    case 'set-resources': {
      if (!isWorkload) return undefined;
      const names = action.container === undefined ? ['{each container}'] : [action.container];
      return get(workload, { type: 'http', method: 'PATCH', path: workload, body: resourcesPatch(names, action) });
    }
    case 'set-env': {
      if (!isWorkload) return undefined;
      const container = action.container ?? '{each container}';
      const env = Object.entries(action.env).map(([name, value]) => (value === null ? { name, $patch: 'delete' } : { name, value }));
      return get(workload, { type: 'http', method: 'PATCH', path: workload, body: redactedEnvPatch({ spec: { template: { spec: { containers: [{ name: container, env }] } } } }) });
    }
    case 'delete':
      if (!isPod) return undefined;
      return { type: 'http', method: 'DELETE', path: withQuery(pod, { gracePeriodSeconds: action.gracePeriodSeconds }) };
    case 'logs': {
      if (!isPod) return undefined;
      const container = action.container ?? '{default container}';
      return get(pod, get(withQuery(`${pod}/log`, podLogQuery(action, container))));
    }
    case 'exec': {
      if (!isPod) return undefined;
      const container = action.container ?? '{default container}';
      return get(pod, get(withQuery(`${pod}/exec`, execQuery(execArgv(action.argv, redactedEnv(action.env)), container))));
    }
    case 'inspect':
      return isPod ? get(pod) : undefined;
    case 'top': {
      const metrics = resourcePath('podmetrics', namespace, isPod ? action.target.name : undefined);
      if (isPod) return get(metrics, get(pod));
      const pods = withQuery(resourcePath('pod', namespace), { labelSelector: '{selector}', limit: LIST_PAGE });
      return get(workload, get(withQuery(metrics, { labelSelector: '{selector}' }), get(pods)));
    }
    case 'events': {
      // Every event of the namespace, kept when it is about the target (a workload: its ReplicaSets and pods too).
      const events = get(withQuery(resourcePath('event', namespace), { limit: LIST_PAGE }));
      if (!isWorkload) return events;
      const pods = get(withQuery(resourcePath('pod', namespace), { labelSelector: '{selector}', limit: LIST_PAGE }), events);
      return get(workload, resource === 'deployment' ? get(withQuery(resourcePath('replicaset', namespace), { labelSelector: '{selector}', limit: LIST_PAGE }), pods) : pods);
    }
    default:
      return undefined;
  }
}

function redactedEnv(env: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!env) return undefined;
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, looksSecret(name) ? REDACTED : value]));
}
