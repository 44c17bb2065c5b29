// The alerts the cockpit raises, in one list for the header, the errors panel, `status` and the
// incident timeline: the health slice's (engines, instances, host) and the gate slice's (failing
// configured gates), each owned by its slice. Applied after both; the list is the same array
// while neither moved.

import type { Alert } from '../../domain/types';
import { compareAlerts } from '../../domain/thresholds';
import { NO_PENDING, type SliceModule } from '../slice-module';

export interface AlertsSlice {
  /** Every alert raised, worst first. */
  alerts: Alert[];
}

export const alertsSlice: SliceModule<AlertsSlice, undefined> = {
  name: 'alerts',
  createPending: NO_PENDING,
  create: () => ({ alerts: [] }),
  apply: ({ previous, next }) => {
    if (next.healthAlerts === previous.healthAlerts && next.gateAlerts === previous.gateAlerts && next.alerts.length === next.healthAlerts.length + next.gateAlerts.length) return undefined;
    const alerts = [...next.healthAlerts, ...next.gateAlerts].sort(compareAlerts);
    return alerts.length === next.alerts.length && alerts.every((alert, index) => alert === next.alerts[index]) ? undefined : { alerts };
  },
};
