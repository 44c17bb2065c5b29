// Domain objects shared by adapters, store, selectors and views.
// Plain data only: no formatting here (see views/format) and no SDK types.

import type { InstanceKind, RefKey, ResourceRef, WorkloadKind } from './resource-ref';

export type { RefKey, ResourceRef } from './resource-ref';

export type EngineKind = 'docker' | 'podman' | 'kubernetes';
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface EngineStatus {
  id: string;
  kind: EngineKind;
  /** Short name shown in the header, e.g. "local". */
  label: string;
  /** Where the engine is reached, e.g. "unix:///var/run/docker.sock". */
  endpoint: string;
  state: ConnectionState;
  /** Last connection error, kept while disconnected. */
  error?: string;
  /** Epoch ms of the last successful connection. */
  connectedAt?: number;
  /** Epoch ms of the next reconnection attempt while disconnected. */
  nextRetryAt?: number;
  /** Engine version string once connected. */
  version?: string;
  /** The latest problem that did not cost the connection (an unreadable event, a mapping bug). */
  problem?: string;
  /** Kubernetes: the kubeconfig context this engine is. */
  context?: string;
  /** Kubernetes: the namespace watched, or undefined for all namespaces. */
  namespace?: string;
  /** Kubernetes: the namespaces seen (for `:ns` completion), sorted. */
  namespaces?: string[];
  /** Kubernetes: whether metrics.k8s.io answers; the resources panel says so plainly when it does not. */
  metrics?: { state: 'available' | 'unavailable'; detail?: string };
}

/**
 * Engine-neutral lifecycle of an instance. The engine's own words stay in `state` and `reason`
 * for display; logic (alerts, gates, capabilities) reads the phase.
 */
export type InstancePhase = 'running' | 'pending' | 'waiting' | 'restarting' | 'crash-loop' | 'exited' | 'failed' | 'unknown';
export type HealthState = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** Group name used for containers without compose labels. */
export const STANDALONE_PROJECT = '(standalone)';

/** A compose service now; a Deployment or StatefulSet next. Has a row even without instances. */
export interface Workload {
  ref: ResourceRef & { kind: WorkloadKind };
  key: RefKey;
  /** Replicas asked for, when the engine knows (Kubernetes); compose services do not say. */
  desiredReplicas?: number;
  /** Kubernetes: replicas whose pods are Ready (status.readyReplicas). */
  readyReplicas?: number;
  /** Kubernetes: replicas available for at least minReadySeconds (status.availableReplicas). */
  availableReplicas?: number;
  /** Kubernetes: replicas running the current pod template (status.updatedReplicas). */
  updatedReplicas?: number;
  /** Kubernetes: the current revision (deployment.kubernetes.io/revision, or the StatefulSet's updateRevision). */
  revision?: string;
  /** Kubernetes: the rollout as `kubectl rollout status` judges it. */
  rollout?: RolloutProgress;
  /** Images of the pod template (Kubernetes), one per container. */
  images?: string[];
  /** Epoch ms the workload object was created (Kubernetes). */
  createdAt?: number;
}

/**
 * A Deployment's or StatefulSet's rollout, judged as `kubectl rollout status` does:
 * complete when the controller observed the latest generation and updated = ready = available = desired.
 */
export interface RolloutProgress {
  state: 'complete' | 'progressing' | 'stalled';
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** status.observedGeneration >= metadata.generation. */
  observed: boolean;
  /** "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available...", or the stall reason. */
  message: string;
}

/** A container now; a pod next. */
export interface Instance {
  ref: ResourceRef & { kind: InstanceKind };
  key: RefKey;
  /** The workload that owns it (compose service, or the container itself when standalone). */
  workload: ResourceRef & { kind: WorkloadKind };
  workloadKey: RefKey;
  image: string;
  phase: InstancePhase;
  /** The engine's own state word ("running", "exited", "CrashLoopBackOff"), for display. */
  state: string;
  /** Why it is in that phase, when the engine says ("OOMKilled", "Error"). */
  reason?: string;
  health: HealthState;
  /** Running and not failing its health check (pods: the Ready condition). */
  ready: boolean;
  restartCount: number;
  /**
   * Listed but not yet read in detail (a Docker container before its inspect answers): the
   * restart count, start and finish times, and on Podman the health, are not known yet, so
   * views show a placeholder and no restart is judged from them.
   */
  detailsPending?: true;
  /** Epoch ms; undefined when never started. */
  startedAt?: number;
  finishedAt?: number;
  createdAt: number;
  exitCode?: number;
  oomKilled?: boolean;
  /** Pods: the names of their containers, in spec order (logs and exec pick one). */
  containers?: string[];
  /** Why it waits or failed, in the engine's words: a Pending pod's scheduling message, a waiting container's message. */
  message?: string;
  /** Pods: the node it was scheduled on. */
  nodeName?: string;
}

/** Phases in which an instance has a process that can be stopped. */
export function isActivePhase(phase: InstancePhase): boolean {
  return phase === 'running' || phase === 'restarting' || phase === 'crash-loop' || phase === 'waiting';
}

/** Compose project (or namespace) of a workload or instance. */
export function groupOf(item: Pick<Instance, 'workload'> | Pick<Workload, 'ref'>): string {
  const ref = 'workload' in item ? item.workload : item.ref;
  return ref.namespace ?? STANDALONE_PROJECT;
}

export interface ContainerStatsSample {
  instanceKey: RefKey;
  /** CPU % as the docker CLI computes it (100 % = one core fully used). */
  cpuPercent: number;
  memoryUsageBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number;
  sampledAt: number;
}

export interface DiskUsage {
  path: string;
  /** Why this path is watched: root, docker data root, configured. */
  role: 'root' | 'docker-data' | 'configured';
  totalBytes: number;
  usedBytes: number;
  usedPercent: number;
  error?: string;
}

export interface HostSample {
  cpuPercent: number;
  cpuCount: number;
  load1: number;
  load5: number;
  load15: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  memoryUsedPercent: number;
  disks: DiskUsage[];
  sampledAt: number;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  instanceKey: RefKey;
  workloadKey: RefKey;
  stream: LogStream;
  /** Epoch ms parsed from the engine timestamp. */
  timestamp: number;
  /** Raw RFC3339Nano timestamp from the engine (used to resume without loss or duplicates). */
  rawTimestamp: string;
  text: string;
  /** True when the line was longer than the cap and was cut. */
  truncated?: boolean;
}

/**
 * A Kubernetes Warning event (BackOff, FailedScheduling, Unhealthy, OOMKilling), sanitised,
 * keyed by the event's uid. The errors panel fingerprints them like log lines, with their counts.
 */
export interface WarningEvent {
  /** `engineId/uid`: unique among all engines. */
  key: string;
  engineId: string;
  namespace: string;
  reason: string;
  message: string;
  /** The event's own count (series count when aggregated). */
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** What it is about (a pod, deployment, replicaset, node) as a ref on this engine. */
  involved: { kind: string; name: string; namespace?: string };
  /** The workload the involved object belongs to, when it can be told (pod or replicaset of a deployment). */
  workloadKey?: RefKey;
  /** The instance, when the event is about a pod. */
  instanceKey?: RefKey;
}

/** A node's usage from metrics.k8s.io, with its allocatable capacity. */
export interface NodeUsage {
  engineId: string;
  name: string;
  cpuMillicores: number;
  cpuCapacityMillicores?: number;
  memoryBytes: number;
  memoryCapacityBytes?: number;
  sampledAt: number;
}

export interface ErrorFingerprint {
  /** Normalised message, used as the key. */
  fingerprint: string;
  count: number;
  workloadKeys: RefKey[];
  firstSeen: number;
  lastSeen: number;
  /** Latest raw line for this fingerprint. */
  sampleLine: string;
  sampleWorkloadKey: RefKey;
  /** Kubernetes Warning events grouped like log lines: the events' reason (BackOff, FailedScheduling); absent for log lines. */
  eventReason?: string;
}

export type Severity = 'warning' | 'critical';
/** `gate`: a configured gate fails (issue 8), with the gate's severity. */
export type AlertKind = 'cpu' | 'memory' | 'disk' | 'host-cpu' | 'host-memory' | 'restarting' | 'unhealthy' | 'engine' | 'gate';

export interface Alert {
  /** Stable id: kind + target, so the same condition keeps its `since`. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** What the alert is about: a workload or instance ref key, a disk path, an engine id, 'host'. */
  target: string;
  message: string;
  /** Measured value (percent, restart count) when relevant. */
  value?: number;
  since: number;
}

/** What the check saw: shown by `enter`, written to `check --report`. Every text sanitised, excerpts bounded. */
export interface GateEvidence {
  statusCode?: number;
  bodyExcerpt?: string;
  exitCode?: number;
  outputExcerpt?: string;
  /** Certificates: days until notAfter (negative: expired). */
  daysLeft?: number;
  notAfter?: string;
  /** Certificates read from a TLS endpoint: `verified`, or `not verified: <reason>` (the dates are read either way). */
  tlsVerification?: string;
  /** Backups / files: the file judged, its age and size. */
  file?: string;
  ageMs?: number;
  sizeBytes?: number;
  /** The compared value and the comparison (`0.12 < 1000`). */
  value?: string;
  comparison?: string;
  /** The error that made it fail or unknown (refused, timed out after 5s, TLS: certificate has expired). */
  error?: string;
  /** Prometheus series / Alertmanager alerts counted. */
  items?: string[];
}

/**
 * pass/fail/warn/unknown are a check's answers; `pending`: configured, not checked yet;
 * `blocked`: an earlier pipeline stage fails, so this one is not run (issue 8).
 */
export type GateStatus = 'pass' | 'fail' | 'warn' | 'unknown' | 'pending' | 'blocked';

export interface GateResult {
  id: string;
  title: string;
  status: GateStatus;
  detail: string;
  checkedAt: number;
  /** Since when the gate has held this status (checkedAt moves on each check; since only on a flip). */
  since?: number;
  /** How long the last check took. */
  durationMs?: number;
  /** Built-in gates are derived from the live state; configured ones come from opsdeck.yaml `gates:`. */
  origin?: 'built-in' | 'configured';
  /** A configured `built-in` entry: the built-in gate it places (`engine-reachable`), listed under the entry's own id. */
  builtInGate?: string;
  /** Pipeline stage (configured); absent: independent. */
  stage?: number;
  /** A blocked gate: what blocks it (`G3 Vault unsealed failed (G3_VAULT_SEALED)`); its detail is `blocked: ` and this. */
  blockedBy?: string;
  failureCode?: string;
  severity?: 'critical' | 'warning' | 'info';
  /** What the check saw (src/gates/gate-types.ts GateEvidence). */
  evidence?: GateEvidence;
  /** Playbook that recovers from a failure. */
  playbook?: string;
  /** The recovery playbook's inputs as bound for this result (templates filled). */
  playbookInputs?: Record<string, string>;
  /** The workload of the first offender (a Kubernetes gate: the Deployment not available), so `!` can bind it. */
  workloadKey?: RefKey;
}

export interface Thresholds {
  cpu: { warning: number; critical: number };
  memory: { warning: number; critical: number };
  disk: { warning: number; critical: number };
}

/**
 * How an instance is named in alerts and gates: its name, prefixed with its engine's label
 * when several engines are watched (the same daemon configured twice has the same names).
 */
export function instanceLabel(instance: Pick<Instance, 'ref'>, engines: readonly Pick<EngineStatus, 'id' | 'label'>[]): string {
  if (engines.length <= 1) return instance.ref.name;
  const engine = engines.find((candidate) => candidate.id === instance.ref.engineId);
  return `${engine?.label ?? instance.ref.engineId}/${instance.ref.name}`;
}
