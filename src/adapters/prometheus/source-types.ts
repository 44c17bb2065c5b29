// Prometheus and Alertmanager as live sources (issue 8): the clients' interfaces and the
// engine-neutral shapes that pass the adapter (no API payload shape goes further).

/** One series of an instant query: its labels and value (NaN kept as NaN). */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
  at: number;
}

/** One series of a range query, for a sparkline. */
export interface MetricSeries {
  labels: Record<string, string>;
  points: Array<{ at: number; value: number }>;
}

export interface PrometheusClient {
  /** GET /api/v1/query; rejects with a one-line error (HTTP status and Prometheus' `error`). */
  query(promql: string, options?: { signal?: AbortSignal; at?: number }): Promise<MetricSample[]>;
  /** GET /api/v1/query_range. */
  queryRange(promql: string, range: { start: number; end: number; stepMs: number }, options?: { signal?: AbortSignal }): Promise<MetricSeries[]>;
}

/** An active alert from Alertmanager (v2 API), every text sanitised where it entered. */
export interface ExternalAlert {
  /** Alertmanager's fingerprint. */
  fingerprint: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** From the `severity` label when it has one. */
  severity?: string;
  state: 'active' | 'suppressed' | 'unprocessed';
  /** Silences that suppress it. */
  silencedBy: string[];
  startsAt: number;
  /** Where it came from (generatorURL). */
  source?: string;
}

import type { SilenceMatcher } from '../../domain/engine-action';

export type { SilenceMatcher };

export interface SilenceRequest {
  matchers: SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

export interface Silence extends SilenceRequest {
  id: string;
  state: 'active' | 'pending' | 'expired';
}

export interface AlertmanagerClient {
  /** GET /api/v2/alerts (active, silenced and inhibited included so an acknowledged alert shows as such). */
  alerts(options?: { signal?: AbortSignal; filter?: Record<string, string> }): Promise<ExternalAlert[]>;
  /** POST /api/v2/silences; resolves with the silence id. */
  createSilence(request: SilenceRequest, options?: { signal?: AbortSignal }): Promise<string>;
  /** GET /api/v2/silences. */
  silences(options?: { signal?: AbortSignal }): Promise<Silence[]>;
}

/** A configured review query (the runbooks' p95 latency, error rate, throughput): a metrics row with a sparkline. */
export interface MetricQuery {
  name: string;
  query: string;
  /** `ms`, `%`, `req/s`, ...: how the value is shown. */
  unit?: string;
  warning?: number;
  critical?: number;
  /** Range of the sparkline (default 30m) and its step. */
  rangeMs: number;
  stepMs: number;
}

/** `prometheus:` and `alertmanager:` in opsdeck.yaml, resolved. */
export interface SourceConfig {
  url: string;
  /** Read at start; sent as `Authorization: Bearer`. */
  bearerTokenFile?: string;
  /** Default true. */
  tlsVerify: boolean;
  caFile?: string;
  intervalMs: number;
}

export interface PrometheusConfig extends SourceConfig {
  queries: MetricQuery[];
}

export type AlertmanagerConfig = SourceConfig;
