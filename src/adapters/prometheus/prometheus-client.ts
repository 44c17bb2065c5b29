// Prometheus' HTTP API (v1): instant and range queries. The answer's shape stops here: callers get
// MetricSample / MetricSeries with every label sanitised and values as numbers (NaN and ±Inf kept).

import { toDisplayText } from '../../domain/untrusted-text';
import { createSourceHttp, queryString, SourceError, type SourceHttp, type SourceHttpOptions } from './source-http';
import type { MetricSample, MetricSeries, PrometheusClient, SourceConfig } from './source-types';

interface ApiAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Labels as they enter: keys and values through toDisplayText (a label can carry escape sequences). */
export function sanitisedLabels(labels: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (labels === null || typeof labels !== 'object') return out;
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (typeof value === 'string') out[toDisplayText(key)] = toDisplayText(value);
  }
  return out;
}

/** Prometheus writes sample values as strings: "0.5", "NaN", "+Inf", "-Inf". */
export function sampleValue(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** [unix seconds, "value"] -> { at (ms), value }. */
function pointOf(pair: unknown): { at: number; value: number } {
  const [seconds, value] = Array.isArray(pair) ? pair : [];
  return { at: Math.round(Number(seconds) * 1000), value: sampleValue(value) };
}

function dataOf(answer: unknown, label: string): NonNullable<ApiAnswer['data']> {
  const parsed = (answer ?? {}) as ApiAnswer;
  if (parsed.status !== 'success' || !parsed.data) throw new SourceError(`${label}: ${toDisplayText(parsed.error ?? 'unexpected answer')}`);
  return parsed.data;
}

/** An instant query's result (vector, scalar, or a matrix from a range selector: its last point) as samples. */
export function samplesOf(answer: unknown, label = 'Prometheus'): MetricSample[] {
  const data = dataOf(answer, label);
  const result = data.result;
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const point = pointOf(result);
    return [{ labels: {}, ...point }];
  }
  if (!Array.isArray(result)) return [];
  return result.map((entry: { metric?: unknown; value?: unknown; values?: unknown[] }) => {
    const point = pointOf(entry.value ?? entry.values?.[entry.values.length - 1]);
    return { labels: sanitisedLabels(entry.metric), value: point.value, at: point.at };
  });
}

/** A range query's matrix as series, oldest point first. */
export function seriesOf(answer: unknown, label = 'Prometheus'): MetricSeries[] {
  const data = dataOf(answer, label);
  if (!Array.isArray(data.result)) return [];
  return data.result.map((entry: { metric?: unknown; values?: unknown[] }) => ({
    labels: sanitisedLabels(entry.metric),
    points: (entry.values ?? []).map(pointOf),
  }));
}

const seconds = (milliseconds: number): string => (milliseconds / 1000).toFixed(3);

export function createPrometheusClient(config: SourceConfig, options: Partial<SourceHttpOptions> = {}): PrometheusClient & { readonly baseUrl: string } {
  const source: SourceHttp = createSourceHttp(config, { label: 'Prometheus', ...options });
  return {
    baseUrl: source.baseUrl,
    async query(promql, queryOptions = {}) {
      const path = `/api/v1/query${queryString({ query: promql, time: queryOptions.at === undefined ? undefined : seconds(queryOptions.at) })}`;
      return samplesOf(await source.requestJson({ method: 'GET', path, ...(queryOptions.signal ? { signal: queryOptions.signal } : {}) }));
    },
    async queryRange(promql, range, queryOptions = {}) {
      const path = `/api/v1/query_range${queryString({ query: promql, start: seconds(range.start), end: seconds(range.end), step: seconds(Math.max(1, range.stepMs)) })}`;
      return seriesOf(await source.requestJson({ method: 'GET', path, ...(queryOptions.signal ? { signal: queryOptions.signal } : {}) }));
    },
  };
}
