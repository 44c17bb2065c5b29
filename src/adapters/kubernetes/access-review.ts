// Whether the current user may do an action: SelfSubjectAccessReviews (kubectl auth can-i),
// one per permission the action needs, each answer cached per verb, group, resource,
// subresource and namespace for a while (k9s's Authorizer.CanI). A role may grant a verb on
// some objects only (RBAC resourceNames): when the namespace-wide question is denied, the
// named object is asked about, and that answer is kept for that name alone, so a denial for
// one deployment never hides an action allowed on another. A denial reads like kubectl:
// forbidden: user "viewer" cannot patch deployments.apps in namespace "shop".

import type { EngineAction } from '../../domain/engine-action';
import type { ResourceRef } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import type { AccessDecision } from '../capabilities';
import type { KubeConnection } from './kube-connection';
import { namespaceOf, RESOURCES, workloadResource, type KubeResource } from './kube-calls';

export const DEFAULT_ACCESS_TTL_MS = 60_000;

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

function attributes(verb: string, resource: KubeResource, namespace: string, name?: string, subresource?: string): AccessAttributes {
  const { group, resource: plural } = RESOURCES[resource];
  return { verb, group, resource: plural, namespace, ...(subresource ? { subresource } : {}), ...(name !== undefined ? { name } : {}) };
}

/** The permission `verb` on the target itself (a pod, or the workload's deployments/statefulsets), optionally a subresource of it. */
export function targetAccess(verb: string, target: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>, subresource?: string): AccessAttributes {
  return attributes(verb, target.kind === 'pod' || target.kind === 'container' ? 'pod' : workloadResource(target), namespaceOf(target), target.name, subresource);
}

/** The permissions an action needs, the mutation first. */
export function accessNeeded(action: EngineAction): AccessAttributes[] {
  const namespace = namespaceOf(action.target);
  const { name } = action.target;
  const workload = workloadResource(action.target);
  const history: KubeResource = workload === 'statefulset' ? 'controllerrevision' : 'replicaset';
  switch (action.verb) {
    case 'rollout-restart':
    case 'set-resources':
    case 'set-env':
      return [attributes('patch', workload, namespace, name)];
    case 'rollout-undo':
      return [attributes('patch', workload, namespace, name), attributes('list', history, namespace)];
    case 'scale':
      return [attributes('patch', workload, namespace, name, 'scale')];
    case 'rollout-status':
      return [attributes('watch', workload, namespace, name)];
    case 'rollout-history':
      return [attributes('list', history, namespace)];
    case 'delete':
      return [attributes('delete', 'pod', namespace, name)];
    case 'exec':
      return [attributes('create', 'pod', namespace, name, 'exec')];
    case 'logs':
      return [attributes('get', 'pod', namespace, name, 'log')];
    case 'inspect':
      return [attributes('get', 'pod', namespace, name)];
    case 'top':
      return [attributes('list', 'podmetrics', namespace)];
    case 'events':
      return [attributes('list', 'event', namespace)];
    default:
      return [];
  }
}

/** "deployments.apps/scale", "pods/exec", "pods". */
export function resourceName(access: Pick<AccessAttributes, 'group' | 'resource' | 'subresource'>): string {
  return `${access.resource}${access.group ? `.${access.group}` : ''}${access.subresource ? `/${access.subresource}` : ''}`;
}

/** The same permission on every object of the namespace: the question without a name. */
function namespaceWide(access: AccessAttributes): AccessAttributes {
  const { name: _name, ...wide } = access;
  return wide;
}

function cacheKey(access: AccessAttributes): string {
  return [access.verb, access.group, access.resource, access.subresource ?? '', access.namespace, access.name ?? ''].join('|');
}

const USER_IN_MESSAGE = /User "([^"]*)"/;

export interface AccessReviewsOptions {
  connect(): Promise<KubeConnection>;
  now(): number;
  ttlMs: number;
}

export class AccessReviews {
  private readonly answers = new Map<string, { decision: AccessDecision; expiresAt: number }>();
  private readonly asking = new Map<string, Promise<AccessDecision>>();
  /** Who the server says we are (from a 403 or a SelfSubjectReview); the kubeconfig's user name until then. */
  private identity: string | undefined;
  private kubeconfigUser = '';
  private identityAsked: Promise<string | undefined> | undefined;

  constructor(private readonly options: AccessReviewsOptions) {}

  /** The cached answer: a cached denial of any needed permission, allowed when all are cached, else undefined. */
  cached(action: EngineAction): AccessDecision | undefined {
    let complete = true;
    for (const access of accessNeeded(action)) {
      const decision = this.cachedOne(access);
      if (!decision) complete = false;
      else if (!decision.allowed) return decision;
    }
    return complete ? { allowed: true } : undefined;
  }

  async review(action: EngineAction, signal?: AbortSignal): Promise<AccessDecision> {
    const decisions = await Promise.all(accessNeeded(action).map((access) => this.reviewOne(access, signal)));
    return decisions.find((decision) => !decision.allowed) ?? { allowed: true };
  }

  /** The kubeconfig's user name, named in a denial until the server says who we are. */
  connected(connection: Pick<KubeConnection, 'userName'>): void {
    this.kubeconfigUser = connection.userName;
  }

  /** A 403 from the server for a request that needed `access`: the denial is cached and its sentence returned. */
  forbiddenByServer(access: AccessAttributes, serverMessage: string): string {
    const user = USER_IN_MESSAGE.exec(serverMessage)?.[1];
    if (user !== undefined) this.identity = user;
    const reason = this.sentence(access, this.identity ?? this.kubeconfigUser);
    this.remember(access, { allowed: false, reason });
    return reason;
  }

  /** The named object's own answer first; else a namespace-wide allow answers for every name, a namespace-wide denial only for the question without a name. */
  private cachedOne(access: AccessAttributes): AccessDecision | undefined {
    const named = access.name === undefined ? undefined : this.fresh(access);
    if (named) return named;
    const wide = this.fresh(namespaceWide(access));
    return wide?.allowed || access.name === undefined ? wide : undefined;
  }

  private fresh(access: AccessAttributes): AccessDecision | undefined {
    const answer = this.answers.get(cacheKey(access));
    return answer && answer.expiresAt > this.options.now() ? answer.decision : undefined;
  }

  private async reviewOne(access: AccessAttributes, signal?: AbortSignal): Promise<AccessDecision> {
    const named = access.name === undefined ? undefined : this.fresh(access);
    if (named) return named;
    const wide = await this.reviewCached(namespaceWide(access), signal);
    if (wide.allowed || access.name === undefined) return wide;
    return this.reviewCached(access, signal);
  }

  private reviewCached(access: AccessAttributes, signal?: AbortSignal): Promise<AccessDecision> {
    const key = cacheKey(access);
    const cached = this.fresh(access);
    if (cached) return Promise.resolve(cached);
    const pending = this.asking.get(key);
    if (pending) return pending;
    const asking = this.ask(access, signal).finally(() => this.asking.delete(key));
    this.asking.set(key, asking);
    return asking;
  }

  private async ask(access: AccessAttributes, signal?: AbortSignal): Promise<AccessDecision> {
    const connection = await this.options.connect();
    const answer = await connection.request<{ status?: { allowed?: boolean; denied?: boolean; reason?: string } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: access } },
      ...(signal ? { signal } : {}),
    });
    let decision: AccessDecision;
    if (answer?.status?.allowed === true) decision = { allowed: true };
    else {
      const user = (await this.identityOf(connection)) ?? connection.userName;
      const detail = answer?.status?.reason ? `: ${toDisplayText(answer.status.reason)}` : '';
      decision = { allowed: false, reason: `${this.sentence(access, user)}${detail}` };
    }
    this.remember(access, decision);
    return decision;
  }

  private remember(access: AccessAttributes, decision: AccessDecision): void {
    this.answers.set(cacheKey(access), { decision, expiresAt: this.options.now() + this.options.ttlMs });
  }

  private sentence(access: AccessAttributes, user: string): string {
    return `forbidden: user ${JSON.stringify(toDisplayText(user))} cannot ${access.verb} ${resourceName(access)} in namespace ${JSON.stringify(access.namespace)}`;
  }

  /** The authenticated user's name: SelfSubjectReview where served (1.27+), asked once. */
  private identityOf(connection: KubeConnection): Promise<string | undefined> {
    if (this.identity !== undefined) return Promise.resolve(this.identity);
    this.identityAsked ??= (async () => {
      for (const version of ['v1', 'v1beta1']) {
        try {
          const review = await connection.request<{ status?: { userInfo?: { username?: string } } }>({
            method: 'POST',
            path: `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
            body: { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview' },
          });
          const name = review?.status?.userInfo?.username;
          if (name) return (this.identity ??= name);
        } catch {
          // Not served by this version of Kubernetes: the next, then the kubeconfig's user name.
        }
      }
      return undefined;
    })();
    return this.identityAsked;
  }
}
