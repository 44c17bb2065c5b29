// `alertmanager` gates: no firing, unsilenced alert carrying the gate's labels. Suppressed alerts
// (silenced or inhibited: acknowledged) do not fail it; the evidence lists what fires and what is silenced.

import type { ExternalAlert } from '../../adapters/prometheus/source-types';
import type { AlertmanagerCheck, GateChecker, GateOutcome } from '../gate-types';
import { seriesText } from './series-text';

const MAX_ITEMS = 20;

/** Whether an alert carries every matcher label with that value. */
export function alertMatches(alert: Pick<ExternalAlert, 'labels'>, matchers: Readonly<Record<string, string>>): boolean {
  return Object.entries(matchers).every(([name, value]) => alert.labels[name] === value);
}

/** Firing and not acknowledged: Alertmanager's `active` state with no silence on it. */
export function isFiringUnsilenced(alert: Pick<ExternalAlert, 'state' | 'silencedBy'>): boolean {
  return alert.state === 'active' && alert.silencedBy.length === 0;
}

function alertText(alert: ExternalAlert): string {
  const { alertname, ...rest } = alert.labels;
  void alertname;
  const quiet = alert.silencedBy.length > 0 ? ' (silenced)' : alert.state === 'suppressed' ? ' (inhibited)' : '';
  return `${alert.name} ${seriesText(rest)}${quiet}`;
}

export const alertmanagerChecker: GateChecker<AlertmanagerCheck> = {
  type: 'alertmanager',
  async run(check, context): Promise<GateOutcome> {
    const wanted = Object.keys(check.matchers).length === 0 ? 'any alert' : `alerts matching ${seriesText(check.matchers)}`;
    if (!context.alertmanager) return { status: 'unknown', detail: 'no alertmanager: source is configured', evidence: { error: 'no alertmanager: source is configured' } };
    let alerts: ExternalAlert[];
    try {
      alerts = (await context.alertmanager.alerts({ signal: context.signal, filter: check.matchers })).filter((alert) => alertMatches(alert, check.matchers));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'unknown', detail: message, evidence: { error: message } };
    }
    const firing = alerts.filter(isFiringUnsilenced);
    const quiet = alerts.filter((alert) => !isFiringUnsilenced(alert));
    const items = [...firing, ...quiet].slice(0, MAX_ITEMS).map(alertText);
    if (alerts.length > MAX_ITEMS) items.push(`… ${alerts.length - MAX_ITEMS} more alerts`);
    const silenced = quiet.length > 0 ? ` (${quiet.length} silenced or inhibited)` : '';
    if (firing.length === 0) return { status: 'pass', detail: `no firing ${wanted}${silenced}`, evidence: { items } };
    const names = [...new Set(firing.map((alert) => alert.name))].join(', ');
    return { status: 'fail', detail: `${firing.length} firing: ${names}${silenced}`, evidence: { items, value: String(firing.length) } };
  },
};
