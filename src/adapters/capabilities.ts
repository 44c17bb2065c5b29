// What an engine adapter can do, per resource kind (k9s style). The action executor asks an
// adapter for these; an adapter implements the ones its engine supports.

import type {
  ActionCall,
  ActionOutput,
  EngineAction,
  EventSummary,
  InstanceDetails,
  MutationAnswer,
  PodUsage,
  ResourceQuantities,
  RolloutRevision,
} from '../domain/engine-action';
import type { AlertKind, InstanceKind, ResourceRef, WorkloadKind } from '../domain/resource-ref';
import type { RolloutProgress } from '../domain/types';

type InstanceRef = ResourceRef & { kind: InstanceKind };
type WorkloadRef = ResourceRef & { kind: WorkloadKind };
type AlertRef = ResourceRef & { kind: AlertKind };

export interface Restartable {
  restartInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void>;
}

export interface Stoppable {
  stopInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void>;
}

export interface Startable {
  startInstance(target: InstanceRef): Promise<void>;
}

/** How a reading or streaming operation is cancelled and where its output goes as it arrives. */
export interface OperationOptions {
  /** Aborting closes the operation's requests and streams; it then rejects. */
  signal?: AbortSignal;
  /** One sanitised line per call, without its newline. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/** A command to run inside an instance (argv, never a shell string). */
export type ExecRequest = Pick<Extract<EngineAction, { verb: 'exec' }>, 'argv' | 'user' | 'workingDir' | 'env' | 'mutates' | 'container'>;

export interface ExecOutcome {
  exitCode: number;
  /** Sanitised line by line, bounded (the first ~1 MiB, then a truncation marker). */
  stdout: string;
  stderr: string;
}

export interface LogWindow {
  sinceSeconds?: number;
  tail?: number;
  /** Pods: which container (default: the first); `previous`: the last terminated one. */
  container?: string;
  previous?: boolean;
}

export type InstanceStats = NonNullable<ActionOutput['stats']>;
export type ArchiveFile = NonNullable<ActionOutput['file']>;

export interface Killable {
  /** `signal`: a name (KILL, SIGTERM, HUP) or number; KILL when absent. */
  killInstance(target: InstanceRef, signal?: string): Promise<void>;
}

export interface Executable {
  /** Runs to completion; a non-zero exit code is an answer, not a failure. A mutating exec is refused in read-only mode. */
  execInInstance(target: InstanceRef, request: ExecRequest, options?: OperationOptions): Promise<ExecOutcome>;
}

export interface LogReadable {
  /** The lines there are now (no follow), both streams in order, sanitised, bounded to the newest ~1 MiB. */
  readInstanceLogs(target: InstanceRef, window: LogWindow, options?: OperationOptions): Promise<string>;
}

export interface Inspectable {
  inspectInstance(target: InstanceRef, options?: OperationOptions): Promise<InstanceDetails>;
}

export interface StatsReadable {
  /** One reading over one collection cycle of the engine. */
  readInstanceStats(target: InstanceRef, options?: OperationOptions): Promise<InstanceStats>;
}

export interface Archivable {
  /** A path inside the instance, as a gzipped tar in a NEW host file (never overwritten), checksummed while written. */
  archiveInstancePath(target: InstanceRef, path: string, destinationFile: string, options?: OperationOptions): Promise<ArchiveFile>;
  /** Extracts a host .tar.gz into a directory inside the instance. */
  restoreInstancePath(target: InstanceRef, path: string, sourceFile: string, options?: OperationOptions): Promise<void>;
}

/** A Kubernetes mutation: with `dryRun` the server is asked with dryRun=All and nothing is persisted. */
export interface MutationOptions extends OperationOptions {
  dryRun?: boolean;
}

/** Deployments and StatefulSets (kubectl rollout restart). */
export interface RolloutRestartable {
  restartRollout(target: WorkloadRef, options?: MutationOptions): Promise<MutationAnswer>;
}

/** kubectl rollout status and history. */
export interface RolloutReadable {
  /** Resolves when the rollout is complete or stalled, or at `timeoutSeconds` (then with its last progress); onOutput gets one line per change of progress. */
  watchRollout(target: WorkloadRef, timeoutSeconds: number, options?: OperationOptions): Promise<RolloutProgress>;
  rolloutHistory(target: WorkloadRef, options?: OperationOptions): Promise<RolloutRevision[]>;
}

/** kubectl rollout undo [--to-revision N]. */
export interface RolloutUndoable {
  undoRollout(target: WorkloadRef, toRevision: number | undefined, options?: MutationOptions): Promise<MutationAnswer>;
}

/** kubectl scale, through the scale subresource. */
export interface Scalable {
  scaleWorkload(target: WorkloadRef, replicas: number, options?: MutationOptions): Promise<MutationAnswer>;
}

/** kubectl delete pod. */
export interface Deletable {
  deleteInstance(target: InstanceRef, gracePeriodSeconds: number | undefined, options?: MutationOptions): Promise<MutationAnswer>;
}

export interface ResourceChange {
  container?: string;
  limits?: ResourceQuantities;
  requests?: ResourceQuantities;
}

export interface EnvChange {
  container?: string;
  env: Readonly<Record<string, string | null>>;
}

/** kubectl set resources / set env on a workload's pod template. */
export interface TemplateSettable {
  setResources(target: WorkloadRef, change: ResourceChange, options?: MutationOptions): Promise<MutationAnswer>;
  setEnv(target: WorkloadRef, change: EnvChange, options?: MutationOptions): Promise<MutationAnswer>;
}

/** kubectl top pods (metrics.k8s.io); rejects with a plain sentence when the cluster does not serve it. */
export interface UsageReadable {
  readUsage(target: ResourceRef, options?: OperationOptions): Promise<PodUsage[]>;
}

/** kubectl get events for a resource (a workload includes its ReplicaSets and pods). */
export interface EventReadable {
  readEvents(target: ResourceRef, limit: number | undefined, options?: OperationOptions): Promise<EventSummary[]>;
}

/** Alertmanager: acknowledge an alert by a silence (POST /api/v2/silences); resolves with its id. */
export interface Silenceable {
  silenceAlert(target: AlertRef, silence: Pick<Extract<EngineAction, { verb: 'silence' }>, 'matchers' | 'durationMs' | 'comment' | 'createdBy'>, options?: OperationOptions): Promise<string>;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Asks the engine whether the current user may do an action (Kubernetes: a
 * SelfSubjectAccessReview), cached per verb, resource and namespace, and per name where a role allows some names only (k9s's Authorizer.CanI).
 */
export interface AccessReviewer {
  /** The cached answer, undefined when never asked (or expired). */
  cachedAccess(action: EngineAction): AccessDecision | undefined;
  reviewAccess(action: EngineAction): Promise<AccessDecision>;
}

/** Kubernetes: the pods of one workload are followed for the log view and the errors panel (not every pod of the cluster). */
export interface WorkloadLogFollower {
  /** Follows the logs of this workload's pods (undefined: none); replaces what was followed. */
  followWorkloadLogs(workload: WorkloadRef | undefined): void;
}

/** Every adapter: connect, keep the store live, describe the exact call an action makes. */
export interface EngineAdapter {
  readonly engineId: string;
  /** Connects and keeps the store live until `stop()`; reconnects on its own. */
  start(): void;
  stop(): Promise<void>;
  /** One read of everything for the headless twins, then done. */
  collectOnce(): Promise<void>;
  /** The exact API call (method, path, body) or argv the action makes; undefined when unsupported. */
  describeCall(action: EngineAction): ActionCall | undefined;
}

export type ContainerAdapter = EngineAdapter & Restartable & Stoppable & Startable;

export function isRestartable(adapter: EngineAdapter): adapter is EngineAdapter & Restartable {
  return typeof (adapter as Partial<Restartable>).restartInstance === 'function';
}

export function isStoppable(adapter: EngineAdapter): adapter is EngineAdapter & Stoppable {
  return typeof (adapter as Partial<Stoppable>).stopInstance === 'function';
}

export function isStartable(adapter: EngineAdapter): adapter is EngineAdapter & Startable {
  return typeof (adapter as Partial<Startable>).startInstance === 'function';
}

export function isKillable(adapter: EngineAdapter): adapter is EngineAdapter & Killable {
  return typeof (adapter as Partial<Killable>).killInstance === 'function';
}

export function isExecutable(adapter: EngineAdapter): adapter is EngineAdapter & Executable {
  return typeof (adapter as Partial<Executable>).execInInstance === 'function';
}

export function isLogReadable(adapter: EngineAdapter): adapter is EngineAdapter & LogReadable {
  return typeof (adapter as Partial<LogReadable>).readInstanceLogs === 'function';
}

export function isInspectable(adapter: EngineAdapter): adapter is EngineAdapter & Inspectable {
  return typeof (adapter as Partial<Inspectable>).inspectInstance === 'function';
}

export function isStatsReadable(adapter: EngineAdapter): adapter is EngineAdapter & StatsReadable {
  return typeof (adapter as Partial<StatsReadable>).readInstanceStats === 'function';
}

export function isArchivable(adapter: EngineAdapter): adapter is EngineAdapter & Archivable {
  const candidate = adapter as Partial<Archivable>;
  return typeof candidate.archiveInstancePath === 'function' && typeof candidate.restoreInstancePath === 'function';
}

export function isRolloutRestartable(adapter: EngineAdapter): adapter is EngineAdapter & RolloutRestartable {
  return typeof (adapter as Partial<RolloutRestartable>).restartRollout === 'function';
}

export function isRolloutReadable(adapter: EngineAdapter): adapter is EngineAdapter & RolloutReadable {
  const candidate = adapter as Partial<RolloutReadable>;
  return typeof candidate.watchRollout === 'function' && typeof candidate.rolloutHistory === 'function';
}

export function isRolloutUndoable(adapter: EngineAdapter): adapter is EngineAdapter & RolloutUndoable {
  return typeof (adapter as Partial<RolloutUndoable>).undoRollout === 'function';
}

export function isScalable(adapter: EngineAdapter): adapter is EngineAdapter & Scalable {
  return typeof (adapter as Partial<Scalable>).scaleWorkload === 'function';
}

export function isDeletable(adapter: EngineAdapter): adapter is EngineAdapter & Deletable {
  return typeof (adapter as Partial<Deletable>).deleteInstance === 'function';
}

export function isTemplateSettable(adapter: EngineAdapter): adapter is EngineAdapter & TemplateSettable {
  const candidate = adapter as Partial<TemplateSettable>;
  return typeof candidate.setResources === 'function' && typeof candidate.setEnv === 'function';
}

export function isUsageReadable(adapter: EngineAdapter): adapter is EngineAdapter & UsageReadable {
  return typeof (adapter as Partial<UsageReadable>).readUsage === 'function';
}

export function isEventReadable(adapter: EngineAdapter): adapter is EngineAdapter & EventReadable {
  return typeof (adapter as Partial<EventReadable>).readEvents === 'function';
}

export function isAccessReviewer(adapter: EngineAdapter): adapter is EngineAdapter & AccessReviewer {
  const candidate = adapter as Partial<AccessReviewer>;
  return typeof candidate.cachedAccess === 'function' && typeof candidate.reviewAccess === 'function';
}

export function isWorkloadLogFollower(adapter: EngineAdapter): adapter is EngineAdapter & WorkloadLogFollower {
  return typeof (adapter as Partial<WorkloadLogFollower>).followWorkloadLogs === 'function';
}

export function isSilenceable(adapter: EngineAdapter): adapter is EngineAdapter & Silenceable {
  return typeof (adapter as Partial<Silenceable>).silenceAlert === 'function';
}

/** Thrown by an adapter when a mutating call is made in read-only mode. Nothing is sent to the engine. */
export class ReadOnlyError extends Error {
  constructor(action: string, target: string) {
    super(`read-only mode: refused to ${action} ${target}`);
    this.name = 'ReadOnlyError';
  }
}
