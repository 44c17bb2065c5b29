// One Kubernetes context as an engine: KubernetesWatch keeps the store live, KubernetesOperations
// does the actions. The adapter only joins them behind the capability interfaces the action
// executor asks for (k9s's per-kind Restartable, Scalable, ...).

import type {
  AccessDecision,
  AccessReviewer,
  Deletable,
  EngineAdapter,
  EnvChange,
  EventReadable,
  ExecOutcome,
  ExecRequest,
  Executable,
  Inspectable,
  LogReadable,
  LogWindow,
  MutationOptions,
  OperationOptions,
  ResourceChange,
  RolloutReadable,
  RolloutRestartable,
  RolloutUndoable,
  Scalable,
  TemplateSettable,
  UsageReadable,
  WorkloadLogFollower,
} from '../capabilities';
import type { ActionCall, EngineAction, EventSummary, InstanceDetails, MutationAnswer, PodUsage, RolloutRevision } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import type { RolloutProgress } from '../../domain/types';
import type { EngineSink } from '../engine-sink';
import { connectKube, type KubeConnection } from './kube-connection';
import { KubernetesLogFollower } from './kubernetes-log-follower';
import { KubernetesOperations } from './kubernetes-operations';
import { KubernetesWatch } from './kubernetes-watch';

type InstanceRef = ResourceRef & { kind: InstanceKind };
type WorkloadRef = ResourceRef & { kind: WorkloadKind };

export interface KubernetesAdapterOptions {
  engineId: string;
  label: string;
  kubeconfig: readonly string[];
  context: string;
  /** The API server's URL when the configuration resolved it (shown before the kubeconfig is read). */
  host?: string;
  /** Undefined: all namespaces. */
  namespace?: string;
  readOnly: boolean;
  sink: EngineSink;
  now?: () => number;
  backoff?: { initialMs: number; maxMs: number };
}

export class KubernetesEngineAdapter
  implements
    EngineAdapter,
    AccessReviewer,
    RolloutRestartable,
    RolloutReadable,
    RolloutUndoable,
    Scalable,
    Deletable,
    TemplateSettable,
    UsageReadable,
    EventReadable,
    LogReadable,
    Executable,
    Inspectable,
    WorkloadLogFollower
{
  readonly engineId: string;
  private readonly watch: KubernetesWatch;
  private readonly operations: KubernetesOperations;
  private readonly logFollower: KubernetesLogFollower;
  private connection: Promise<KubeConnection> | undefined;

  constructor(options: KubernetesAdapterOptions) {
    this.engineId = options.engineId;
    // Loaded on first use, so a broken kubeconfig costs this engine only (shown as disconnected).
    const connect = (): Promise<KubeConnection> => {
      const connecting = (this.connection ??= connectKube({ kubeconfig: options.kubeconfig, context: options.context }));
      // A kubeconfig that could not be read is read again on the next attempt (it may have been fixed).
      connecting.catch(() => {
        if (this.connection === connecting) this.connection = undefined;
      });
      return connecting;
    };
    const now = options.now ?? Date.now;
    this.watch = new KubernetesWatch({
      engineId: options.engineId,
      label: options.label,
      context: options.context,
      ...(options.host ? { endpoint: options.host } : {}),
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      sink: options.sink,
      connect,
      now,
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    this.operations = new KubernetesOperations({ engineId: options.engineId, readOnly: options.readOnly, connect, now });
    this.logFollower = new KubernetesLogFollower({ sink: options.sink, connect, pods: this.watch, now });
  }

  start(): void {
    this.watch.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.watch.stop(), this.operations.stop(), this.logFollower.stop()]);
  }

  collectOnce(): Promise<void> {
    return this.watch.collectOnce();
  }

  describeCall(action: EngineAction): ActionCall | undefined {
    return this.operations.describeCall(action);
  }

  followWorkloadLogs(workload: WorkloadRef | undefined): void {
    this.logFollower.follow(workload);
  }

  cachedAccess(action: EngineAction): AccessDecision | undefined {
    return this.operations.cachedAccess(action);
  }

  reviewAccess(action: EngineAction): Promise<AccessDecision> {
    return this.operations.reviewAccess(action);
  }

  restartRollout(target: WorkloadRef, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.restartRollout(target, options);
  }

  watchRollout(target: WorkloadRef, timeoutSeconds: number, options?: OperationOptions): Promise<RolloutProgress> {
    return this.operations.watchRollout(target, timeoutSeconds, options);
  }

  rolloutHistory(target: WorkloadRef, options?: OperationOptions): Promise<RolloutRevision[]> {
    return this.operations.rolloutHistory(target, options);
  }

  undoRollout(target: WorkloadRef, toRevision: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.undoRollout(target, toRevision, options);
  }

  scaleWorkload(target: WorkloadRef, replicas: number, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.scaleWorkload(target, replicas, options);
  }

  deleteInstance(target: InstanceRef, gracePeriodSeconds: number | undefined, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.deleteInstance(target, gracePeriodSeconds, options);
  }

  setResources(target: WorkloadRef, change: ResourceChange, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.setResources(target, change, options);
  }

  setEnv(target: WorkloadRef, change: EnvChange, options?: MutationOptions): Promise<MutationAnswer> {
    return this.operations.setEnv(target, change, options);
  }

  readUsage(target: ResourceRef, options?: OperationOptions): Promise<PodUsage[]> {
    return this.operations.readUsage(target, options);
  }

  readEvents(target: ResourceRef, limit: number | undefined, options?: OperationOptions): Promise<EventSummary[]> {
    return this.operations.readEvents(target, limit, options);
  }

  readInstanceLogs(target: InstanceRef, window: LogWindow, options?: OperationOptions): Promise<string> {
    return this.operations.readInstanceLogs(target, window, options);
  }

  execInInstance(target: InstanceRef, request: ExecRequest, options?: OperationOptions): Promise<ExecOutcome> {
    return this.operations.execInInstance(target, request, options);
  }

  inspectInstance(target: InstanceRef, options?: OperationOptions): Promise<InstanceDetails> {
    return this.operations.inspectInstance(target, options);
  }
}
