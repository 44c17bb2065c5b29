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
  let changed = false;
  for (const container of instances) {
    const record = previous.get(container.key);
    const updated = restartRecordOf(record, container, now, windowMs);
    if (updated === undefined) continue;
    next.set(container.key, updated);
    if (updated !== record) changed = true;
  }
  return changed || next.size !== previous.size ? next : previous;
}

/**
 * An instance's record after observing it at `now`; an instance whose details are not in yet
 * keeps what it had (its restart count is unknown, not 0: no baseline is taken from it, so the
 * real count arriving later is not an increase).
 */
export function restartRecordOf(record: RestartRecord | undefined, instance: Instance, now: number, windowMs: number = RESTART_WINDOW_MS): RestartRecord | undefined {
  if (instance.detailsPending) return record;
  return nextRestartRecord(record, instance.restartCount, now, windowMs);
}

/**
 * One instance's record after observing its restart count at `now`: the same object when
 * nothing changed. The first observation is the baseline; a lower count means the container was
 * recreated under the same name (a new baseline); increases older than the window are dropped.
 */
export function nextRestartRecord(record: RestartRecord | undefined, restartCount: number, now: number, windowMs: number = RESTART_WINDOW_MS): RestartRecord {
  if (!record) return { restartCount, recentIncreases: [] };
  if (restartCount === record.restartCount && record.recentIncreases.every((increase) => now - increase.at < windowMs)) return record;
  const recentIncreases = record.recentIncreases.filter((increase) => now - increase.at < windowMs);
  if (restartCount > record.restartCount) recentIncreases.push({ at: now, restarts: restartCount - record.restartCount });
  return { restartCount, recentIncreases };
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

/** An alert before its `since` is known: what one instance, service, engine or disk raises now. */
export type AlertDraft = Omit<Alert, 'since'>;

/**
 * Current alerts, critical first, then oldest first. An alert keeps the `since`
 * of the previous alert with the same id (kind:target), even when its severity
 * changed; an alert whose condition cleared is simply absent.
 */
export function evaluateAlerts(input: AlertInput, previous: readonly Alert[], now: number): Alert[] {
  const byKey = new Map(input.instances.map((instance) => [instance.key, instance]));
  const drafts: AlertDraft[] = [
    ...engineAlertDrafts(input.engines),
    ...serviceResourceAlertDrafts(input.statsByInstance, (key) => byKey.get(key), input.thresholds),
  ];
  for (const container of input.instances) drafts.push(...instanceAlertDrafts(container, input.engines, input.restartHistory, now));
  drafts.push(...hostAlertDrafts(input.host, input.thresholds));
  return datedAlerts(drafts, previous, now);
}

/** The drafts as alerts: each keeps the `since` of the previous alert with its id; sorted. */
export function datedAlerts(drafts: Iterable<AlertDraft>, previous: readonly Alert[], now: number): Alert[] {
  const previousSince = new Map<string, number>();
  for (const alert of previous) previousSince.set(alert.id, alert.since);
  const alerts: Alert[] = [];
  for (const draft of drafts) {
    const alert: Alert = { id: draft.id, kind: draft.kind, severity: draft.severity, target: draft.target, message: draft.message, since: previousSince.get(draft.id) ?? now };
    if (draft.value !== undefined) alert.value = draft.value;
    alerts.push(alert);
  }
  return alerts.sort(compareAlerts);
}

function draft(kind: AlertKind, target: string, severity: Severity, message: string, value?: number): AlertDraft {
  const result: AlertDraft = { id: `${kind}:${target}`, kind, severity, target, message };
  if (value !== undefined) result.value = value;
  return result;
}

export function engineAlertDrafts(engines: readonly EngineStatus[]): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  for (const engine of engines) {
    if (engine.state === 'disconnected') {
      const reason = engine.error ? `: ${engine.error}` : '';
      drafts.push(draft('engine', engine.id, 'critical', `engine ${engine.label} disconnected${reason}`));
    }
  }
  return drafts;
}

/**
 * CPU and memory per service, on its busiest running container (per container, as `docker
 * stats` shows it and the runbooks' thresholds mean it: three replicas at 50 % are not one
 * service at 150 %). Walks the samples, not the instances: a cluster without metrics costs nothing.
 */
export function serviceResourceAlertDrafts(
  statsByInstance: Readonly<Record<RefKey, ContainerStatsSample>>,
  instanceOf: (key: RefKey) => Instance | undefined,
  thresholds: Thresholds,
): AlertDraft[] {
  const usageByService = new Map<RefKey, { cpuPercent: number; memoryPercent: number }>();
  for (const key in statsByInstance) {
    const container = instanceOf(key);
    const stats = statsByInstance[key];
    if (!container || !stats || container.phase !== 'running') continue;
    const usage = usageByService.get(container.workloadKey) ?? { cpuPercent: 0, memoryPercent: 0 };
    usage.cpuPercent = Math.max(usage.cpuPercent, stats.cpuPercent);
    usage.memoryPercent = Math.max(usage.memoryPercent, stats.memoryPercent);
    usageByService.set(container.workloadKey, usage);
  }
  const drafts: AlertDraft[] = [];
  for (const [serviceKey, usage] of usageByService) {
    levelAlert(drafts, 'cpu', serviceKey, 'cpu', usage.cpuPercent, thresholds.cpu);
    levelAlert(drafts, 'memory', serviceKey, 'memory', usage.memoryPercent, thresholds.memory);
  }
  return drafts;
}

/** What one instance raises: restarting or crash-looping, restarted within the window, unhealthy. */
export function instanceAlertDrafts(container: Instance, engines: readonly EngineStatus[], restartHistory: RestartHistory | undefined, now: number): readonly AlertDraft[] {
  const looping = container.phase === 'restarting' || container.phase === 'crash-loop';
  const recentRestarts = looping ? 0 : recentRestartsOf(restartHistory, container.key, now);
  const unhealthy = container.phase === 'running' && container.health === 'unhealthy';
  if (!looping && recentRestarts === 0 && !unhealthy) return NO_DRAFTS;
  const name = instanceLabel(container, engines);
  const drafts: AlertDraft[] = [];
  if (looping) {
    const restarts = container.detailsPending ? '' : ` (${restartsText(container.restartCount)})`;
    drafts.push(draft('restarting', container.key, 'critical', `${name} ${container.state}${restarts}`, container.restartCount));
  } else if (recentRestarts > 0) {
    const minutes = Math.round(RESTART_WINDOW_MS / 60_000);
    drafts.push(draft('restarting', container.key, 'warning', `${name} restarted ${recentRestarts}× in ${minutes}m (${restartsText(container.restartCount)})`, container.restartCount));
  }
  if (unhealthy) drafts.push(draft('unhealthy', container.key, 'critical', `${name} unhealthy`));
  return drafts;
}

const NO_DRAFTS: readonly AlertDraft[] = [];

export function hostAlertDrafts(host: HostSample | undefined, thresholds: Thresholds): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  if (!host) return drafts;
  levelAlert(drafts, 'host-cpu', 'host', 'host cpu', host.cpuPercent, thresholds.cpu);
  levelAlert(drafts, 'host-memory', 'host', 'host memory', host.memoryUsedPercent, thresholds.memory);
  for (const disk of host.disks) {
    if (disk.error !== undefined) continue;
    levelAlert(drafts, 'disk', disk.path, `disk ${disk.path}`, disk.usedPercent, thresholds.disk);
  }
  return drafts;
}

function levelAlert(
  drafts: AlertDraft[],
  kind: AlertKind,
  target: string,
  label: string,
  value: number,
  levels: { warning: number; critical: number },
): void {
  const severity = severityOf(value, levels);
  if (!severity) return;
  const threshold = levels[severity];
  drafts.push(draft(kind, target, severity, `${label} ${percentText(value, threshold)}% ≥ ${threshold}%`, value));
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
