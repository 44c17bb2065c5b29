// The actions of one context, each a capability of its resource kind: rollout restart, status,
// history and undo (from ReplicaSet revisions, as kubectl computes them), scale (scale
// subresource), delete pod, set resources, set env, logs, exec, top, events; a cached
// SelfSubjectAccessReview per verb, resource and namespace; server-side dryRun=All.
// (Implementation: see the issue; this file is the contract.)

import type {
  AccessDecision,
  EnvChange,
  ExecOutcome,
  ExecRequest,
  LogWindow,
  MutationOptions,
  OperationOptions,
  ResourceChange,
} from '../capabilities';
import type { ActionCall, EngineAction, EventSummary, MutationAnswer, PodUsage, RolloutRevision } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import type { InstanceDetails } from '../../domain/engine-action';
import type { RolloutProgress } from '../../domain/types';
import type { KubeConnection } from './kube-connection';

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

const NOT_YET = 'kubernetes operations are not implemented yet';

export class KubernetesOperations {
  constructor(protected readonly options: KubernetesOperationsOptions) {}

  describeCall(_action: EngineAction): ActionCall | undefined {
    return undefined;
  }
  cachedAccess(_action: EngineAction): AccessDecision | undefined {
    return undefined;
  }
  reviewAccess(_action: EngineAction): Promise<AccessDecision> {
    return Promise.reject(new Error(NOT_YET));
  }
  restartRollout(_target: WorkloadRef, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  watchRollout(_target: WorkloadRef, _timeoutSeconds: number, _options?: OperationOptions): Promise<RolloutProgress> {
    return Promise.reject(new Error(NOT_YET));
  }
  rolloutHistory(_target: WorkloadRef, _options?: OperationOptions): Promise<RolloutRevision[]> {
    return Promise.reject(new Error(NOT_YET));
  }
  undoRollout(_target: WorkloadRef, _toRevision: number | undefined, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  scaleWorkload(_target: WorkloadRef, _replicas: number, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  deleteInstance(_target: InstanceRef, _gracePeriodSeconds: number | undefined, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  setResources(_target: WorkloadRef, _change: ResourceChange, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  setEnv(_target: WorkloadRef, _change: EnvChange, _options?: MutationOptions): Promise<MutationAnswer> {
    return Promise.reject(new Error(NOT_YET));
  }
  readUsage(_target: ResourceRef, _options?: OperationOptions): Promise<PodUsage[]> {
    return Promise.reject(new Error(NOT_YET));
  }
  readEvents(_target: ResourceRef, _limit: number | undefined, _options?: OperationOptions): Promise<EventSummary[]> {
    return Promise.reject(new Error(NOT_YET));
  }
  readInstanceLogs(_target: InstanceRef, _window: LogWindow, _options?: OperationOptions): Promise<string> {
    return Promise.reject(new Error(NOT_YET));
  }
  execInInstance(_target: InstanceRef, _request: ExecRequest, _options?: OperationOptions): Promise<ExecOutcome> {
    return Promise.reject(new Error(NOT_YET));
  }
  inspectInstance(_target: InstanceRef, _options?: OperationOptions): Promise<InstanceDetails> {
    return Promise.reject(new Error(NOT_YET));
  }
  async stop(): Promise<void> {}
}
