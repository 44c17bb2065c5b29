// Alerts from the latest containers, stats, host sample and engine states.
//
// Defaults come from the runbooks: "CPU Usage: < 70% (healthy)", "CPU
// utilization > 80%" is a high-CPU incident; "Memory Usage: < 80% (healthy)",
// "Memory utilization > 90%" is a high-memory incident; "Disk usage > 85%" is a
// disk incident and 95 % leaves almost no room for writes.

import { instanceLabel } from './types';
import type {
  Alert,
  AlertKind,
  ContainerStatsSample,
  EngineStatus,
  HostSample,
  Instance,
  RefKey,
  Severity,
  Thresholds,
} from './types';

export const DEFAULT_THRESHOLDS: Thresholds = {
  cpu: { warning: 70, critical: 80 },
  memory: { warning: 80, critical: 90 },
  disk: { warning: 85, critical: 95 },
};

/** A container that restarted within this window counts as restarting (crash loop). */
export const RESTART_WINDOW_MS = 10 * 60 * 1000;

export interface RestartIncrease {
  /** Epoch ms when the larger restart count was first seen. */
  at: number;
  /** How many restarts were added since the previous observation. */
  restarts: number;
}

export interface RestartRecord {
  restartCount: number;
  /** Increases seen within RESTART_WINDOW_MS, oldest first. */
  recentIncreases: readonly RestartIncrease[];
}

/** Restart counts seen so far, by instance key. */
export type RestartHistory = ReadonlyMap<string, RestartRecord>;

/**
 * Next restart history after observing `containers` at `now`. The first
 * observation of a container is its baseline: restarts that happened before
 * opsdeck started are not reported as a crash loop. Containers that are gone
 * are dropped. Returns the previous map unchanged when nothing changed.
 */
export function updateRestartHistory(
  previous: RestartHistory,
  instances: readonly Instance[],
  now: number,
  windowMs: number = RESTART_WINDOW_MS,
): RestartHistory {
  const next = new Map<string, RestartRecord>();
  let changed = previous.size !== instances.length;
  for (const container of instances) {
    const record = previous.get(container.key);
    if (!record) {
      next.set(container.key, { restartCount: container.restartCount, recentIncreases: [] });
      changed = true;
      continue;
    }
    const recentIncreases = record.recentIncreases.filter((increase) => now - increase.at < windowMs);
    if (container.restartCount > record.restartCount) {
      recentIncreases.push({ at: now, restarts: container.restartCount - record.restartCount });
    }
    if (container.restartCount === record.restartCount && recentIncreases.length === record.recentIncreases.length) {
      next.set(container.key, record);
    } else {
      // A lower count means the container was recreated under the same name: new baseline.
      next.set(container.key, { restartCount: container.restartCount, recentIncreases });
      changed = true;
    }
  }
  return changed ? next : previous;
}

/** Restarts of a container seen within the window, 0 without history. */
export function recentRestartsOf(
  history: RestartHistory | undefined,
  instanceKey: RefKey,
  now: number,
  windowMs: number = RESTART_WINDOW_MS,
): number {
  const record = history?.get(instanceKey);
  if (!record) return 0;
  let restarts = 0;
  for (const increase of record.recentIncreases) {
    if (now - increase.at < windowMs) restarts += increase.restarts;
  }
  return restarts;
}

export interface AlertInput {
  instances: readonly Instance[];
  /** Latest stats by instance key. */
  statsByInstance: Readonly<Record<RefKey, ContainerStatsSample>>;
  host?: HostSample;
  engines: readonly EngineStatus[];
  thresholds: Thresholds;
  /** From updateRestartHistory; without it only the `restarting` state is reported. */
  restartHistory?: RestartHistory;
}

/**
 * Current alerts, critical first, then oldest first. An alert keeps the `since`
 * of the previous alert with the same id (kind:target), even when its severity
 * changed; an alert whose condition cleared is simply absent.
 */
export function evaluateAlerts(input: AlertInput, previous: readonly Alert[], now: number): Alert[] {
  const previousSince = new Map<string, number>();
  for (const alert of previous) previousSince.set(alert.id, alert.since);

  const alerts: Alert[] = [];
  const add = (kind: AlertKind, target: string, severity: Severity, message: string, value?: number): void => {
    const id = `${kind}:${target}`;
    const alert: Alert = { id, kind, severity, target, message, since: previousSince.get(id) ?? now };
    if (value !== undefined) alert.value = value;
    alerts.push(alert);
  };

  for (const engine of input.engines) {
    if (engine.state === 'disconnected') {
      const reason = engine.error ? `: ${engine.error}` : '';
      add('engine', engine.id, 'critical', `engine ${engine.label} disconnected${reason}`);
    }
  }

  addServiceResourceAlerts(input, add);
  addContainerStateAlerts(input, now, add);
  addHostAlerts(input, add);

  return alerts.sort(compareAlerts);
}

type AddAlert = (kind: AlertKind, target: string, severity: Severity, message: string, value?: number) => void;

function addServiceResourceAlerts(input: AlertInput, add: AddAlert): void {
  const usageByService = new Map<RefKey, { cpuPercent: number; memoryPercent: number }>();
  for (const container of input.instances) {
    if (container.phase !== 'running') continue;
    const stats = input.statsByInstance[container.key];
    if (!stats) continue;
    const key = container.workloadKey;
    const usage = usageByService.get(key) ?? { cpuPercent: 0, memoryPercent: 0 };
    // Per container, as `docker stats` shows it and the runbooks' thresholds mean it:
    // three replicas at 50 % are not one service at 150 %.
    usage.cpuPercent = Math.max(usage.cpuPercent, stats.cpuPercent);
    usage.memoryPercent = Math.max(usage.memoryPercent, stats.memoryPercent);
    usageByService.set(key, usage);
  }
  for (const [serviceKey, usage] of usageByService) {
    addLevelAlert(add, 'cpu', serviceKey, 'cpu', usage.cpuPercent, input.thresholds.cpu);
    addLevelAlert(add, 'memory', serviceKey, 'memory', usage.memoryPercent, input.thresholds.memory);
  }
}

function addContainerStateAlerts(input: AlertInput, now: number, add: AddAlert): void {
  for (const container of input.instances) {
    const name = instanceLabel(container, input.engines);
    const recentRestarts = recentRestartsOf(input.restartHistory, container.key, now);
    if (container.phase === 'restarting' || container.phase === 'crash-loop') {
      add('restarting', container.key, 'critical', `${name} ${container.state} (${restartsText(container.restartCount)})`, container.restartCount);
    } else if (recentRestarts > 0) {
      const minutes = Math.round(RESTART_WINDOW_MS / 60_000);
      add(
        'restarting',
        container.key,
        'warning',
        `${name} restarted ${recentRestarts}× in ${minutes}m (${restartsText(container.restartCount)})`,
        container.restartCount,
      );
    }
    if (container.phase === 'running' && container.health === 'unhealthy') {
      add('unhealthy', container.key, 'critical', `${name} unhealthy`);
    }
  }
}

function addHostAlerts(input: AlertInput, add: AddAlert): void {
  const host = input.host;
  if (!host) return;
  addLevelAlert(add, 'host-cpu', 'host', 'host cpu', host.cpuPercent, input.thresholds.cpu);
  addLevelAlert(add, 'host-memory', 'host', 'host memory', host.memoryUsedPercent, input.thresholds.memory);
  for (const disk of host.disks) {
    if (disk.error !== undefined) continue;
    addLevelAlert(add, 'disk', disk.path, `disk ${disk.path}`, disk.usedPercent, input.thresholds.disk);
  }
}

function addLevelAlert(
  add: AddAlert,
  kind: AlertKind,
  target: string,
  label: string,
  value: number,
  levels: { warning: number; critical: number },
): void {
  const severity = severityOf(value, levels);
  if (!severity) return;
  const threshold = levels[severity];
  add(kind, target, severity, `${label} ${percentText(value, threshold)}% ≥ ${threshold}%`, value);
}

/** Severity reached by a value (≥ threshold), or undefined when below warning. */
export function severityOf(value: number, levels: { warning: number; critical: number }): Severity | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value >= levels.critical) return 'critical';
  if (value >= levels.warning) return 'warning';
  return undefined;
}

/**
 * Whole percent, rounded down so a value never looks like it crossed a
 * threshold it did not reach; one decimal when the threshold is fractional.
 */
function percentText(value: number, threshold: number): string {
  const whole = Math.floor(value);
  if (whole >= threshold) return String(whole);
  return String(Math.floor(value * 10) / 10);
}

function restartsText(restartCount: number): string {
  return restartCount === 1 ? '1 restart' : `${restartCount} restarts`;
}

/** Critical first, then oldest first, then by id. */
export function compareAlerts(left: Alert, right: Alert): number {
  const severityOrder = (alert: Alert): number => (alert.severity === 'critical' ? 0 : 1);
  return severityOrder(left) - severityOrder(right) || left.since - right.since || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
}
