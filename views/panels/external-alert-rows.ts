// An Alertmanager alert as a row of the errors panel, beside the cockpit's own errors: its
// severity, name and labels, and whether it is silenced (acknowledged) or inhibited.

import type { ExternalAlert } from '../../src/adapters/prometheus/source-types';
import { externalSeverity, isFiring } from '../../src/store/selectors/source-rows';
import type { Segment } from '../segments';
import { useClockValue, useOpsdeck } from '../store-context';
import { severityTone } from '../theme';
import { formatAgo } from '../format/numbers';
import type { ListRow } from './ListPanel';

export interface ExternalAlertRowData {
  alert: ExternalAlert;
  /** "5m ago" since the alert started: a clock tick re-renders the row only when it changes. */
  startedText: string;
}

/** Labels worth a look on the row: every label but the name and severity it already shows. */
export function alertLabelsText(alert: Pick<ExternalAlert, 'labels'>): string {
  return Object.entries(alert.labels)
    .filter(([name]) => name !== 'alertname' && name !== 'severity')
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

export function useExternalAlertRow(fingerprint: string): ListRow<ExternalAlertRowData> | undefined {
  const alert = useOpsdeck((state) => state.externalAlerts[fingerprint]);
  const stale = useOpsdeck((state) => state.alertmanagerStatus?.state !== 'connected');
  const startsAt = alert?.startsAt;
  const startedText = useClockValue((_state, now) => formatAgo(startsAt, now));
  if (!alert) return undefined;
  return { data: { alert, startedText }, severity: isFiring(alert) ? externalSeverity(alert) : undefined, dim: stale || !isFiring(alert) };
}

/** `ALERT critical HighErrorRate  job=api scenario=x  5m ago  silenced`. */
export function externalAlertRowSegments(data: ExternalAlertRowData): Segment[] {
  const { alert } = data;
  const severity = externalSeverity(alert);
  const firing = isFiring(alert);
  const quiet = alert.silencedBy.length > 0 ? 'silenced' : alert.state === 'suppressed' ? 'inhibited' : undefined;
  const segments: Segment[] = [
    { text: 'ALERT ', tone: firing ? severityTone(severity) : undefined, bold: firing },
    { text: `${alert.severity ?? severity} `, tone: firing ? severityTone(severity) : undefined },
    { text: alert.name, bold: true },
  ];
  if (quiet) segments.push({ text: ` ${quiet}`, tone: 'accent', bold: true });
  segments.push({ text: ` ${data.startedText}`, dim: true });
  const labels = alertLabelsText(alert);
  if (labels !== '') segments.push({ text: `  ${labels}`, dim: true });
  return segments;
}
