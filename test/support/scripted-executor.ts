// An ActionExecutor that answers engine reads from a script (until the engine adapters
// implement inspect, logs, exec, stats and archive, and for cases a real engine cannot show:
// a StartedAt before the intent, an exit code 3). Like the real executor it sends nothing for
// a mutating action in a dry run (a Kubernetes one asks the script for the server's dry-run
// answer) and refuses it in read-only mode or when `forbidden` says so; it records what it executed.
import { isMutating, type ActionCall, type ActionExecutor, type ActionResult, type EngineAction, type ExecuteOptions } from '../../src/domain/engine-action';
import { hasServerDryRun } from '../../src/runtime/action-executor';

/** Where a Kubernetes object lives in the API, as kubectl addresses it. */
function apiPath(action: EngineAction): string {
  const { target } = action;
  const namespace = `/namespaces/${target.namespace ?? 'default'}`;
  if (target.kind === 'pod') return `/api/v1${namespace}/pods/${target.name}`;
  return `/apis/apps/v1${namespace}/${target.kind === 'statefulset' ? 'statefulsets' : 'deployments'}/${target.name}`;
}

/** A call in the shape the Kubernetes API takes, enough to assert which call a k8s step makes. */
function kubernetesCall(action: EngineAction): ActionCall | undefined {
  const path = apiPath(action);
  switch (action.verb) {
    case 'rollout-restart':
      return { type: 'http', method: 'PATCH', path, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '<now>' } } } } } };
    case 'rollout-status':
      return { type: 'http', method: 'GET', path: `${path}?watch=1` };
    case 'rollout-history':
      return { type: 'http', method: 'GET', path: `/apis/apps/v1/namespaces/${action.target.namespace ?? 'default'}/replicasets?labelSelector=app%3D${action.target.name}` };
    case 'rollout-undo':
      return { type: 'http', method: 'PATCH', path, body: { toRevision: action.toRevision ?? 'previous' } };
    case 'scale':
      return { type: 'http', method: 'PATCH', path: `${path}/scale`, body: { spec: { replicas: action.replicas } } };
    case 'set-resources':
      return { type: 'http', method: 'PATCH', path, body: { container: action.container ?? '*', limits: action.limits, requests: action.requests } };
    case 'set-env':
      return { type: 'http', method: 'PATCH', path, body: { container: action.container ?? '*', env: action.env } };
    case 'delete':
      return { type: 'http', method: 'DELETE', path, ...(action.gracePeriodSeconds === undefined ? {} : { body: { gracePeriodSeconds: action.gracePeriodSeconds } }) };
    case 'top':
      return { type: 'http', method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${action.target.namespace ?? 'default'}/pods` };
    case 'events':
      return { type: 'http', method: 'GET', path: `/api/v1/namespaces/${action.target.namespace ?? 'default'}/events?fieldSelector=involvedObject.name%3D${action.target.name}` };
    case 'logs':
      if (action.target.kind !== 'pod') return undefined;
      return {
        type: 'http',
        method: 'GET',
        path: `${path}/log?${[action.container && `container=${action.container}`, action.previous && 'previous=true', action.sinceSeconds !== undefined && `sinceSeconds=${action.sinceSeconds}`, action.tail !== undefined && `tailLines=${action.tail}`].filter(Boolean).join('&')}`,
      };
    default:
      return undefined;
  }
}

export type Script = (action: EngineAction, options: ExecuteOptions) => Partial<ActionResult> | Promise<Partial<ActionResult>>;

/** A call in the shape the Docker adapter describes, enough to assert which call a step makes. */
export function scriptedCall(action: EngineAction): ActionCall {
  const kubernetes = kubernetesCall(action);
  if (kubernetes) return kubernetes;
  const id = action.target.uid ?? action.target.name;
  switch (action.verb) {
    case 'inspect':
      return { type: 'http', method: 'GET', path: `/containers/${id}/json` };
    case 'logs':
      return { type: 'http', method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1${action.sinceSeconds === undefined ? '' : `&since=${action.sinceSeconds}`}${action.tail === undefined ? '' : `&tail=${action.tail}`}` };
    case 'stats':
      return { type: 'http', method: 'GET', path: `/containers/${id}/stats?stream=false` };
    case 'exec':
      return { type: 'http', method: 'POST', path: `/containers/${id}/exec`, body: { Cmd: action.argv } };
    case 'archive':
      return { type: 'http', method: 'GET', path: `/containers/${id}/archive?path=${encodeURIComponent(action.path)}` };
    case 'restore':
      return { type: 'http', method: 'PUT', path: `/containers/${id}/archive?path=${encodeURIComponent(action.path)}` };
    case 'kill':
      return { type: 'http', method: 'POST', path: `/containers/${id}/kill?signal=${action.signal ?? 'KILL'}` };
    default:
      return { type: 'http', method: 'POST', path: `/containers/${id}/${action.verb}` };
  }
}

export class ScriptedExecutor implements ActionExecutor {
  readonly executed: Array<{ action: EngineAction; options: ExecuteOptions }> = [];
  /** Actions that reached the "engine" (not answered as would-do or refused). */
  readonly sent: EngineAction[] = [];

  constructor(
    private readonly script: Script,
    private readonly readOnly = false,
    /** An access review's answer: the reason a mutation is forbidden, or undefined. */
    private readonly forbidden: (action: EngineAction) => string | undefined = () => undefined,
  ) {}

  describe(action: EngineAction): ActionCall {
    return scriptedCall(action);
  }

  refusal(action: EngineAction): string | undefined {
    return this.readOnly && isMutating(action) ? `read-only mode: refused to ${action.verb} ${action.target.name}` : undefined;
  }

  /** Asked for each mutation before its confirmation (recorded in `authorized`). */
  readonly authorized: EngineAction[] = [];

  authorize(action: EngineAction): Promise<string | undefined> {
    this.authorized.push(action);
    return Promise.resolve(this.refusal(action) ?? (isMutating(action) ? this.forbidden(action) : undefined));
  }

  async execute(action: EngineAction, options: ExecuteOptions = {}): Promise<ActionResult> {
    this.executed.push({ action, options });
    const call = scriptedCall(action);
    const refusal = this.refusal(action) ?? (isMutating(action) ? this.forbidden(action) : undefined);
    if (refusal) return { action, call, status: 'refused', error: refusal, durationMs: 0 };
    if (options.dryRun && isMutating(action)) {
      // The server answers a Kubernetes dry run (dryRun=All): the script says what it answered.
      const answered = hasServerDryRun(action) ? await this.script(action, options) : {};
      return { action, call, status: 'would-do', durationMs: 0, ...answered };
    }
    this.sent.push(action);
    return { action, call, status: 'done', durationMs: 1, ...(await this.script(action, options)) };
  }
}
