// Domain objects shared by adapters, store, selectors and views.
// Plain data only: no formatting here (see views/format) and no SDK types.

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
  /** Docker data root, when the engine runs on this host. */
  dataRoot?: string;
}

export type ContainerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing';
export type HealthState = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** Project name used for containers without compose labels. */
export const STANDALONE_PROJECT = '(standalone)';

export interface ContainerInfo {
  id: string;
  engineId: string;
  name: string;
  image: string;
  /** Compose project (com.docker.compose.project / io.podman.compose.project) or STANDALONE_PROJECT. */
  project: string;
  /** Compose service, or the container name for standalone containers. */
  service: string;
  state: ContainerState;
  health: HealthState;
  restartCount: number;
  /** Epoch ms; undefined when never started. */
  startedAt?: number;
  finishedAt?: number;
  createdAt: number;
  exitCode?: number;
  oomKilled?: boolean;
  /** Container was created with a TTY (logs are not multiplexed). */
  tty?: boolean;
}

/** Key of a service across engines: engineId/project/service. */
export type ServiceKey = string;

export function serviceKeyOf(container: Pick<ContainerInfo, 'engineId' | 'project' | 'service'>): ServiceKey {
  return `${container.engineId}/${container.project}/${container.service}`;
}

export interface ContainerStatsSample {
  containerId: string;
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
  containerId: string;
  serviceKey: ServiceKey;
  stream: LogStream;
  /** Epoch ms parsed from the engine timestamp. */
  timestamp: number;
  /** Raw RFC3339Nano timestamp from the engine (used to resume without loss or duplicates). */
  rawTimestamp: string;
  text: string;
  /** True when the line was longer than the cap and was cut. */
  truncated?: boolean;
}

export interface ErrorFingerprint {
  /** Normalised message, used as the key. */
  fingerprint: string;
  count: number;
  serviceKeys: ServiceKey[];
  firstSeen: number;
  lastSeen: number;
  /** Latest raw line for this fingerprint. */
  sampleLine: string;
  sampleServiceKey: ServiceKey;
}

export type Severity = 'warning' | 'critical';
export type AlertKind = 'cpu' | 'memory' | 'disk' | 'host-cpu' | 'host-memory' | 'restarting' | 'unhealthy' | 'engine';

export interface Alert {
  /** Stable id: kind + target, so the same condition keeps its `since`. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** What the alert is about: a service key, a container id, a disk path, an engine id. */
  target: string;
  message: string;
  /** Measured value (percent, restart count) when relevant. */
  value?: number;
  since: number;
}

export type GateStatus = 'pass' | 'fail' | 'unknown';

export interface GateResult {
  id: string;
  title: string;
  status: GateStatus;
  detail: string;
  checkedAt: number;
  /** Playbook that recovers from a failure (filled by later work). */
  playbook?: string;
}

export interface Thresholds {
  cpu: { warning: number; critical: number };
  memory: { warning: number; critical: number };
  disk: { warning: number; critical: number };
}
