import type { Alert, Severity } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { memoizeLast } from './memoize';

export interface AlertCounts {
  critical: number;
  warning: number;
}

export function countAlerts(alerts: readonly Alert[]): AlertCounts {
  let critical = 0;
  let warning = 0;
  for (const alert of alerts) {
    if (alert.severity === 'critical') critical += 1;
    else warning += 1;
  }
  return { critical, warning };
}

/** Worst severity by alert target (container id, service key, disk path, engine id, 'host'). */
export const selectAlertSeverityByTarget = memoizeLast((alerts: readonly Alert[]): ReadonlyMap<string, Severity> => {
  const byTarget = new Map<string, Severity>();
  for (const alert of alerts) {
    if (byTarget.get(alert.target) !== 'critical') byTarget.set(alert.target, alert.severity);
  }
  return byTarget;
});

export function worseSeverity(left: Severity | undefined, right: Severity | undefined): Severity | undefined {
  if (left === 'critical' || right === 'critical') return 'critical';
  return left ?? right;
}

/** Worst severity among the alerts about any of `targets`, or undefined. A primitive: safe as a row selector. */
export function alertSeverityFor(state: Pick<OpsdeckState, 'alerts'>, targets: readonly string[]): Severity | undefined {
  const byTarget = selectAlertSeverityByTarget(state.alerts);
  let worst: Severity | undefined;
  for (const target of targets) worst = worseSeverity(worst, byTarget.get(target));
  return worst;
}
