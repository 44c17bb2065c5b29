// Rows of the live sources: Alertmanager's alerts in the errors panel (beside the cockpit's own
// errors), and Prometheus' review queries in the resources panel (value and sparkline).

import type { ExternalAlert } from '../../adapters/prometheus/source-types';
import type { EngineAction, SilenceMatcher } from '../../domain/engine-action';
import type { Severity } from '../../domain/types';
import type { MetricReading } from '../slices/sources-slice';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeList } from './memoize';

const EXTERNAL_ALERT_PREFIX = 'external-alert:';
const METRIC_PREFIX = 'metric:';

export function externalAlertKey(fingerprint: string): string {
  return `${EXTERNAL_ALERT_PREFIX}${fingerprint}`;
}

/** The fingerprint an errors-panel row stands for, or undefined for an error fingerprint row. */
export function externalAlertFingerprint(key: string): string | undefined {
  return key.startsWith(EXTERNAL_ALERT_PREFIX) ? key.slice(EXTERNAL_ALERT_PREFIX.length) : undefined;
}

export function metricRowKey(name: string): string {
  return `${METRIC_PREFIX}${name}`;
}

export function metricRowName(key: string): string | undefined {
  return key.startsWith(METRIC_PREFIX) ? key.slice(METRIC_PREFIX.length) : undefined;
}

/** Firing and not acknowledged (no silence, not inhibited). */
export function isFiring(alert: Pick<ExternalAlert, 'state' | 'silencedBy'>): boolean {
  return alert.state === 'active' && alert.silencedBy.length === 0;
}

/** Alertmanager's severity label as the cockpit's: critical (also `page`, `error`), else warning. */
export function externalSeverity(alert: Pick<ExternalAlert, 'severity'>): Severity {
  const severity = alert.severity?.toLowerCase();
  return severity === 'critical' || severity === 'page' || severity === 'error' ? 'critical' : 'warning';
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1 };

const orderAlerts = memoizeList((alerts: Record<string, ExternalAlert>, filter: string): string[] =>
  Object.values(alerts)
    .filter((alert) => matchesFilter(filter, alert.name, ...Object.values(alert.labels)))
    .sort(
      (left, right) =>
        Number(isFiring(right)) - Number(isFiring(left)) ||
        SEVERITY_RANK[externalSeverity(left)] - SEVERITY_RANK[externalSeverity(right)] ||
        right.startsAt - left.startsAt ||
        left.fingerprint.localeCompare(right.fingerprint),
    )
    .map((alert) => externalAlertKey(alert.fingerprint)),
);

/** Alertmanager's alerts as errors-panel rows: firing first, critical first, newest first. */
export function selectExternalAlertRowKeys(state: Pick<OpsdeckState, 'externalAlerts' | 'ui'>): string[] {
  return orderAlerts(state.externalAlerts, filterFor(state.ui, 'errors'));
}

export interface ExternalAlertCounts {
  critical: number;
  warning: number;
  silenced: number;
}

/** Firing alerts by severity and the acknowledged ones, for the header. A fresh object: use a shallow selector. */
export function countExternalAlerts(alerts: Record<string, ExternalAlert>): ExternalAlertCounts {
  const counts = { critical: 0, warning: 0, silenced: 0 };
  for (const alert of Object.values(alerts)) {
    if (!isFiring(alert)) counts.silenced += 1;
    else counts[externalSeverity(alert)] += 1;
  }
  return counts;
}

const orderMetrics = memoizeList((readings: Record<string, MetricReading>, filter: string): string[] =>
  Object.keys(readings)
    .filter((name) => matchesFilter(filter, name))
    .map(metricRowKey),
);

/** The review queries as resources-panel rows, in the order configured. */
export function selectMetricRowKeys(state: Pick<OpsdeckState, 'metricReadings' | 'ui'>): string[] {
  return orderMetrics(state.metricReadings, filterFor(state.ui, 'resources'));
}

/**
 * A reading against its levels: higher is worse when warning <= critical (latency, error rate),
 * lower is worse when critical < warning (throughput). No value, no severity.
 */
export function metricSeverity(reading: Pick<MetricReading, 'value' | 'query'>): Severity | undefined {
  const { value, query } = reading;
  if (value === undefined || Number.isNaN(value)) return undefined;
  const lowerIsWorse = query.warning !== undefined && query.critical !== undefined && query.critical < query.warning;
  const crosses = (level: number | undefined): boolean => level !== undefined && (lowerIsWorse ? value <= level : value >= level);
  if (crosses(query.critical)) return 'critical';
  if (crosses(query.warning)) return 'warning';
  return undefined;
}

/** The source name alerts of Alertmanager carry as their engineId (the executor finds its silencer by it). */
export const ALERTMANAGER_SOURCE_ID = 'alertmanager';

/** Matchers that select exactly this alert: every label, equal (Alertmanager's own "silence this" form). */
export function matchersOfAlert(alert: Pick<ExternalAlert, 'labels'>): SilenceMatcher[] {
  return Object.entries(alert.labels)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

/** Acknowledging an alert: a silence of its labels for `durationMs`, createdBy the cockpit's operator unless named. */
export function silenceActionFor(alert: ExternalAlert, durationMs: number, comment: string, createdBy?: string): Extract<EngineAction, { verb: 'silence' }> {
  return {
    verb: 'silence',
    target: { engineId: ALERTMANAGER_SOURCE_ID, kind: 'alert', name: alert.name, uid: alert.fingerprint },
    matchers: matchersOfAlert(alert),
    durationMs,
    comment,
    ...(createdBy !== undefined ? { createdBy } : {}),
  };
}
