// The alerts the cockpit raises, in one list for the header, the errors panel, `status` and the
// incident timeline: the health slice's (engines, instances, host) and the gate slice's (failing
// configured gates), each owned by its slice. Applied after both; listed again only when one of
// them moved (each keeps its array while nothing in it changed).

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
    if (next.healthAlerts === previous.healthAlerts && next.gateAlerts === previous.gateAlerts) return undefined;
    return { alerts: [...next.healthAlerts, ...next.gateAlerts].sort(compareAlerts) };
  },
};
