// The actions of one context, each a capability of its resource kind: rollout restart, status,
// history and undo (from ReplicaSet revisions, as kubectl computes them), scale (scale
// subresource), delete pod, set resources, set env, logs, exec, top, events; a cached
// SelfSubjectAccessReview per verb, resource and namespace (per name where a role allows some names only); server-side dryRun=All.
// The work is done by the modules named below; this class joins them to one context.

import {
  ReadOnlyError,
  type AccessDecision,
  type EnvChange,
  type ExecOutcome,
  type ExecRequest,
  type LogWindow,
  type MutationOptions,
  type OperationOptions,
  type ResourceChange,
} from '../capabilities';
import { isMutating, type ActionCall, type EngineAction, type EventSummary, type MutationAnswer, type PodUsage, type RolloutRevision } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import type { InstanceDetails } from '../../domain/engine-action';
import type { RolloutProgress } from '../../domain/types';
import type { KubeConnection } from './kube-connection';
import { AccessReviews, DEFAULT_ACCESS_TTL_MS } from './access-review';
import { describeKubeCall } from './kube-calls';
import type { OperationContext } from './operation-context';
import { execInInstance } from './pod-exec';
import { readInstanceLogs } from './pod-logs';
import { inspectInstance, readUsage } from './pod-reads';
import { restartRollout, rolloutHistory, undoRollout, watchRollout } from './rollout-operations';
import { readEvents } from './workload-events';
import { deleteInstance, scaleWorkload, setEnv, setResources } from './workload-mutations';

type InstanceRef = ResourceRef & { kind: InstanceKind };
type WorkloadRef = ResourceRef & { kind: WorkloadKind };

export interface KubernetesOperationsOptions {
  engineId: string;
  readOnly: boolean;
  connect(): Promise<KubeConnection>;
  now?: () => number;
  /** How long an access review's answer is trusted (default 60 s). */
  accessTtlMs?: number;
}

export class KubernetesOperations {
  private readonly context: OperationContext;

  constructor(protected readonly options: KubernetesOperationsOptions) {
    const now = options.now ?? Date.now;
    const access = new AccessReviews({ connect: options.connect, now, ttlMs: options.accessTtlMs ?? DEFAULT_ACCESS_TTL_MS });
    const connect = async (): Promise<KubeConnection> => {
      const connection = await options.connect();
      access.connected(connection);
      return connection;
    };
    this.context = { engineId: options.engineId, readOnly: options.readOnly, connect, now, access };
  }

  describeCall(action: EngineAction): ActionCall | undefined {
    return describeKubeCall(action, this.context.now());
  }
  cachedAccess(action: EngineAction): AccessDecision | undefined {
    return this.readOnlyDenial(action) ?? this.context.access.cached(action);
  }
  reviewAccess(action: EngineAction): Promise<AccessDecision> {
    // Read-only mode refuses a mutation without asking the server anything.
    const denial = this.readOnlyDenial(action);
    return denial ? Promise.resolve(denial) : this.context.access.review(action);
  }
  private readOnlyDenial(action: EngineAction): AccessDecision | undefined {
    return this.context.readOnly && isMutating(action) ? { allowed: false, reason: new ReadOnlyError(action.verb, action.target.name).message } : undefined;
  }
  restartRollout(target: WorkloadRef, options?: MutationOptions): Promise<MutationAnswer> {
    return restartRollout(this.context, target, options);
  }
  watchRollout(target: WorkloadRef, timeoutSeconds: number, options?: OperationOptions): Promise<RolloutProgress> {
    return watchRollout(this.context, target, timeoutSeconds, options);
  }
  rolloutHistory(target: WorkloadRef, options?: OperationOptions): Promise<RolloutRevision[]> {
    return rolloutHistory(this.context, target, options);
  }
  undoRollout(target: WorkloadRef, toRevision: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return undoRollout(this.context, target, toRevision, options);
  }
  scaleWorkload(target: WorkloadRef, replicas: number, options?: MutationOptions): Promise<MutationAnswer> {
    return scaleWorkload(this.context, target, replicas, options);
  }
  deleteInstance(target: InstanceRef, gracePeriodSeconds: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return deleteInstance(this.context, target, gracePeriodSeconds, options);
  }
  setResources(target: WorkloadRef, change: ResourceChange, options?: MutationOptions): Promise<MutationAnswer> {
    return setResources(this.context, target, change, options);
  }
  setEnv(target: WorkloadRef, change: EnvChange, options?: MutationOptions): Promise<MutationAnswer> {
    return setEnv(this.context, target, change, options);
  }
  readUsage(target: ResourceRef, options?: OperationOptions): Promise<PodUsage[]> {
    return readUsage(this.context, target, options);
  }
  readEvents(target: ResourceRef, limit: number | undefined, options?: OperationOptions): Promise<EventSummary[]> {
    return readEvents(this.context, target, limit, options);
  }
  readInstanceLogs(target: InstanceRef, window: LogWindow, options?: OperationOptions): Promise<string> {
    return readInstanceLogs(this.context, target, window, options);
  }
  execInInstance(target: InstanceRef, request: ExecRequest, options?: OperationOptions): Promise<ExecOutcome> {
    return execInInstance(this.context, target, request, options);
  }
  inspectInstance(target: InstanceRef, options?: OperationOptions): Promise<InstanceDetails> {
    return inspectInstance(this.context, target, options);
  }
  async stop(): Promise<void> {}
}
