// Prometheus and Alertmanager as live sources: timers owned by the runtime (never the render path
// or a store flush) that read the review queries (an instant query for the value, a range query
// for the sparkline) and Alertmanager's alerts every interval, and write the sources slice. A
// source that goes away is shown disconnected with its error, retried sooner, and recovers.

import type { EngineAdapter, Silenceable } from '../adapters/capabilities';
import { createAlertmanagerClient } from '../adapters/prometheus/alertmanager-client';
import { createAlertmanagerSilencer } from '../adapters/prometheus/alertmanager-silencer';
import { createPrometheusClient } from '../adapters/prometheus/prometheus-client';
import { SourceError } from '../adapters/prometheus/source-http';
import type { AlertmanagerClient, AlertmanagerConfig, MetricQuery, PrometheusClient, PrometheusConfig } from '../adapters/prometheus/source-types';
import type { EngineAction } from '../domain/engine-action';
import { currentOperator } from '../journal/operator-identity';
import type { MetricReading, SourceStatus } from '../store/slices/sources-slice';
import type { OpsdeckStore } from '../store/create-opsdeck-store';

/** While a source is away it is asked again this often (or at its interval when shorter). */
const RETRY_WHILE_DISCONNECTED_MS = 2000;

export interface SourcePollersOptions {
  prometheus?: PrometheusConfig;
  alertmanager?: AlertmanagerConfig;
  store: OpsdeckStore;
  readOnly: boolean;
  /** createdBy of the silences made here; default: the operator of this process (operator-identity.ts). */
  operator?: string;
  now?: () => number;
  /** After a silence was created through the executor (the runtime journals it in the incident). */
  onSilenced?(action: Extract<EngineAction, { verb: 'silence' }>, silenceId: string): void;
}

export interface SourcePollers {
  prometheus?: PrometheusClient;
  alertmanager?: AlertmanagerClient;
  /** The action executor's adapter for `silence` on Alertmanager alerts (engineId ALERTMANAGER_ENGINE_ID). */
  silencer?: EngineAdapter & Silenceable;
  start(): void;
  /** One read of both (headless). */
  collectOnce(): Promise<void>;
  /** Read Alertmanager's alerts now (after a silence), without waiting for the interval. */
  refreshAlerts(): void;
  stop(): void;
}

/** A network failure (no HTTP answer) means the source is away; an HTTP error means it answered. */
function isUnreachable(error: unknown): boolean {
  return !(error instanceof SourceError) || error.status === undefined || error.status >= 500;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The first series' value and sparkline of one review query. */
async function readQuery(client: PrometheusClient, query: MetricQuery, now: number, signal: AbortSignal): Promise<MetricReading> {
  const [samples, series] = await Promise.all([
    client.query(query.query, { signal }),
    client.queryRange(query.query, { start: now - query.rangeMs, end: now, stepMs: query.stepMs }, { signal }),
  ]);
  const value = samples[0]?.value;
  return { query, ...(value !== undefined ? { value } : {}), points: (series[0]?.points ?? []).map((point) => point.value), at: now };
}

/** One repeating poll: never overlapping itself, aborted by stop(). */
function createLoop(intervalMs: number, poll: (signal: AbortSignal) => Promise<boolean>): { start(): void; now(): Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const run = (): Promise<void> => {
    if (running) return running;
    clearTimeout(timer);
    controller = new AbortController();
    const signal = controller.signal;
    // Each request has its own timeout (source-http); this signal is stop()'s.
    running = poll(signal)
      .catch(() => false)
      .then((connected) => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(() => void run(), connected ? intervalMs : Math.min(intervalMs, RETRY_WHILE_DISCONNECTED_MS));
        timer.unref();
      });
    return running;
  };
  return {
    start() {
      stopped = false;
      void run();
    },
    now: () => run(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}

export function createSourcePollers(options: SourcePollersOptions): SourcePollers {
  const now = options.now ?? Date.now;
  const { store } = options;
  const statusOf = (source: 'prometheus' | 'alertmanager') => (source === 'prometheus' ? store.getState().prometheusStatus : store.getState().alertmanagerStatus);
  /** Writes the status only when it changed (a poll that finds nothing new changes nothing). */
  const report = (source: 'prometheus' | 'alertmanager', url: string, error: string | undefined): void => {
    const previous = statusOf(source);
    const state: SourceStatus['state'] = error === undefined ? 'connected' : 'disconnected';
    if (previous?.state === state && previous.error === error) return;
    store.getState().sourceStatusChanged(source, { state, url, ...(error !== undefined ? { error } : {}), checkedAt: now() });
  };

  const prometheusConfig = options.prometheus;
  const prometheus = prometheusConfig ? createPrometheusClient(prometheusConfig) : undefined;
  const alertmanagerConfig = options.alertmanager;
  const alertmanager = alertmanagerConfig ? createAlertmanagerClient(alertmanagerConfig) : undefined;

  const pollPrometheus = async (signal: AbortSignal): Promise<boolean> => {
    if (!prometheus || !prometheusConfig) return true;
    const at = now();
    const queries = prometheusConfig.queries;
    let unreachable: string | undefined;
    if (queries.length === 0) {
      // No review queries: a constant tells whether Prometheus answers.
      await prometheus.query('1', { signal }).catch((error: unknown) => {
        if (isUnreachable(error)) unreachable = messageOf(error);
      });
    } else {
      const readings = await Promise.all(
        queries.map((query) =>
          readQuery(prometheus, query, at, signal).catch((error: unknown): MetricReading => {
            if (isUnreachable(error)) unreachable ??= messageOf(error);
            const previous = store.getState().metricReadings[query.name];
            return { query, points: previous?.points ?? [], ...(previous?.value !== undefined ? { value: previous.value } : {}), error: messageOf(error), at };
          }),
        ),
      );
      if (signal.aborted) return false;
      store.getState().metricsRead(readings);
    }
    if (signal.aborted) return false;
    report('prometheus', prometheusConfig.url, unreachable);
    return unreachable === undefined;
  };

  const pollAlertmanager = async (signal: AbortSignal): Promise<boolean> => {
    if (!alertmanager || !alertmanagerConfig) return true;
    try {
      store.getState().externalAlertsReplaced(await alertmanager.alerts({ signal }));
      report('alertmanager', alertmanagerConfig.url, undefined);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      // The alerts last read stay, under a disconnected source.
      report('alertmanager', alertmanagerConfig.url, messageOf(error));
      return false;
    }
  };

  const prometheusLoop = prometheusConfig ? createLoop(prometheusConfig.intervalMs, pollPrometheus) : undefined;
  const alertmanagerLoop = alertmanagerConfig ? createLoop(alertmanagerConfig.intervalMs, pollAlertmanager) : undefined;
  const silencer =
    alertmanager && alertmanagerConfig
      ? createAlertmanagerSilencer({
          client: alertmanager,
          baseUrl: alertmanager.baseUrl,
          readOnly: options.readOnly,
          operator: options.operator ?? currentOperator().operator,
          now,
          onSilenced: (action, silenceId) => {
            void alertmanagerLoop?.now();
            options.onSilenced?.(action, silenceId);
          },
        })
      : undefined;

  const connecting = (source: 'prometheus' | 'alertmanager', url: string): void => {
    if (!statusOf(source)) store.getState().sourceStatusChanged(source, { state: 'connecting', url });
  };

  return {
    ...(prometheus ? { prometheus } : {}),
    ...(alertmanager ? { alertmanager } : {}),
    ...(silencer ? { silencer } : {}),
    start() {
      if (prometheusConfig) connecting('prometheus', prometheusConfig.url);
      if (alertmanagerConfig) connecting('alertmanager', alertmanagerConfig.url);
      prometheusLoop?.start();
      alertmanagerLoop?.start();
    },
    async collectOnce() {
      await Promise.all([prometheusLoop?.now(), alertmanagerLoop?.now()]);
    },
    refreshAlerts() {
      void alertmanagerLoop?.now();
    },
    stop() {
      prometheusLoop?.stop();
      alertmanagerLoop?.stop();
    },
  };
}
