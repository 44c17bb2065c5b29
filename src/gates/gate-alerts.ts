// A failing configured gate is an alert (kind `gate`, the gate's severity; an `info` gate raises
// none): listed beside the cockpit's own alerts, so the header, the errors panel, `status` and
// the incident timeline see it. Built-in gates already have alerts of their own (an engine
// disconnected, a container restarting), so a `built-in` entry raises no second one.

import type { Alert, GateResult } from '../domain/types';
import { compareAlerts } from '../domain/thresholds';
import { FAILING_STATUSES } from './pipeline';

/** The alerts of the shown gates that fail (blocked ones do not: their blocker does), in alert order; `previous` (the last ones) keeps their `since`. */
export function gateAlertsOf(gates: readonly GateResult[], previous: readonly Alert[], now: number): Alert[] {
  const since = new Map(previous.map((alert) => [alert.id, alert.since]));
  const alerts: Alert[] = [];
  for (const gate of gates) {
    if (gate.origin !== 'configured' || !FAILING_STATUSES.has(gate.status)) continue;
    if (gate.severity !== 'critical' && gate.severity !== 'warning') continue;
    const id = `gate:${gate.id}`;
    const what = gate.status === 'unknown' ? 'could not be checked' : 'failed';
    const code = gate.failureCode ? ` (${gate.failureCode})` : '';
    alerts.push({ id, kind: 'gate', severity: gate.severity, target: gate.workloadKey ?? id, message: `gate ${gate.id} ${gate.title} ${what}${code}: ${gate.detail}`, since: since.get(id) ?? gate.since ?? now });
  }
  return alerts.sort(compareAlerts);
}

/** Whether two alert lists say the same (same alerts, same order). */
export function sameAlerts(left: readonly Alert[], right: readonly Alert[]): boolean {
  return left.length === right.length && left.every((alert, index) => sameAlert(alert, right[index]));
}

function sameAlert(left: Alert, right: Alert | undefined): boolean {
  return !!right && left.id === right.id && left.severity === right.severity && left.message === right.message && left.since === right.since && left.target === right.target;
}
