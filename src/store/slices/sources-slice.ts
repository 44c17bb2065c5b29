// Prometheus and Alertmanager (issue 8): the review metrics (value and sparkline of each
// configured query) and Alertmanager's active alerts, shown beside the cockpit's own.

import type { ExternalAlert, MetricQuery } from '../../adapters/prometheus/source-types';
import type { SliceModule } from '../slice-module';

export type SourceState = 'connecting' | 'connected' | 'disconnected';

export interface SourceStatus {
  state: SourceState;
  url: string;
  error?: string;
  checkedAt?: number;
}

export interface MetricReading {
  query: MetricQuery;
  /** Latest value (the instant query's first series), undefined when no series. */
  value?: number;
  /** The range query's points for the sparkline, oldest first. */
  points: number[];
  error?: string;
  at: number;
}

export interface SourcesSlice {
  prometheusStatus: SourceStatus | undefined;
  alertmanagerStatus: SourceStatus | undefined;
  /** By query name. */
  metricReadings: Record<string, MetricReading>;
  /** By fingerprint. */
  externalAlerts: Record<string, ExternalAlert>;
  sourceStatusChanged(source: 'prometheus' | 'alertmanager', status: SourceStatus): void;
  metricsRead(readings: MetricReading[]): void;
  externalAlertsReplaced(alerts: ExternalAlert[]): void;
}

interface SourcesPending {
  readings: Map<string, MetricReading>;
  alerts: ExternalAlert[] | undefined;
}

export const sourcesSlice: SliceModule<SourcesSlice, SourcesPending> = {
  name: 'sources',
  createPending: () => ({ readings: new Map(), alerts: undefined }),
  create: ({ set, pending, requestFlush }) => ({
    prometheusStatus: undefined,
    alertmanagerStatus: undefined,
    metricReadings: {},
    externalAlerts: {},
    sourceStatusChanged: (source, status) => set(source === 'prometheus' ? { prometheusStatus: status } : { alertmanagerStatus: status }),
    metricsRead: (readings) => {
      for (const reading of readings) pending().readings.set(reading.query.name, reading);
      requestFlush();
    },
    externalAlertsReplaced: (alerts) => {
      pending().alerts = alerts;
      requestFlush();
    },
  }),
  apply: ({ next, pending }) => {
    const change: Partial<Pick<SourcesSlice, 'metricReadings' | 'externalAlerts'>> = {};
    if (pending.readings.size > 0) change.metricReadings = { ...next.metricReadings, ...Object.fromEntries(pending.readings) };
    if (pending.alerts) change.externalAlerts = Object.fromEntries(pending.alerts.map((alert) => [alert.fingerprint, alert]));
    return Object.keys(change).length > 0 ? change : undefined;
  },
};
