// opsdeck.yaml `prometheus:` and `alertmanager:`: URLs of the live sources, an optional bearer
// token file, and Prometheus' review queries (p95 latency, error rate, throughput).
//
//   prometheus:
//     url: https://prometheus.internal:9090
//     bearerTokenFile: secrets/prometheus.token   # relative to opsdeck.yaml
//     interval: 15s
//     queries:
//       - { name: p95 latency, query: 'histogram_quantile(0.95, ...)', unit: ms, warning: 300, critical: 1000, range: 30m }
//   alertmanager:
//     url: http://alertmanager.internal:9093
//
// The loader reports every zod issue as `opsdeck.yaml:LINE:COL: prometheus.queries[0].range: ...`.

import path from 'node:path';
import { z } from 'zod';
import { parseDurationWithUnit } from '../domain/duration';
import type { AlertmanagerConfig, MetricQuery, PrometheusConfig, SourceConfig } from '../adapters/prometheus/source-types';
import { describeValue } from './located-problems';

export const DEFAULT_SOURCE_INTERVAL_MS = 15_000;
export const DEFAULT_METRIC_RANGE_MS = 30 * 60_000;
/** A sparkline of about this many points when no step is written. */
const SPARKLINE_POINTS = 60;
const MINIMUM_INTERVAL_MS = 1000;

const durationSchema = z.string().superRefine((text, context) => {
  try {
    parseDurationWithUnit(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const intervalSchema = durationSchema.superRefine((text, context) => {
  try {
    if (parseDurationWithUnit(text) < MINIMUM_INTERVAL_MS) context.addIssue({ code: 'custom', message: `must be at least 1s, got ${JSON.stringify(text)}` });
  } catch {
    /* reported by durationSchema */
  }
});

const httpUrlSchema = z.string().superRefine((text, context) => {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    context.addIssue({ code: 'custom', message: `expected an http:// or https:// URL, got ${describeValue(text)}` });
  }
});

const sourceFields = {
  url: httpUrlSchema,
  /** Read once at start, sent as `Authorization: Bearer`. */
  bearerTokenFile: z.string().min(1).optional(),
  /** Default true. */
  tlsVerify: z.boolean().optional(),
  /** A PEM bundle of the CA that signed the server's certificate. */
  caFile: z.string().min(1).optional(),
  /** Default 15s. */
  interval: intervalSchema.optional(),
};

const metricQuerySchema = z.strictObject({
  name: z.string().min(1),
  query: z.string().min(1),
  unit: z.string().min(1).optional(),
  warning: z.number().optional(),
  critical: z.number().optional(),
  /** The sparkline's range query: default 30m, step range/60. */
  range: durationSchema.optional(),
  step: intervalSchema.optional(),
});

export const prometheusFileSchema = z
  .strictObject({ ...sourceFields, queries: z.array(metricQuerySchema).optional() })
  .superRefine((written, context) => {
    const seen = new Set<string>();
    (written.queries ?? []).forEach((query, index) => {
      if (seen.has(query.name)) context.addIssue({ code: 'custom', path: ['queries', index, 'name'], message: `another query is already named ${JSON.stringify(query.name)}` });
      seen.add(query.name);
    });
  });

export const alertmanagerFileSchema = z.strictObject(sourceFields);

type SourceFile = z.infer<typeof alertmanagerFileSchema>;

function resolveSource(written: SourceFile, baseDirectory: string): SourceConfig {
  const file = (name: string | undefined) => (name === undefined ? undefined : path.resolve(baseDirectory, name));
  const bearerTokenFile = file(written.bearerTokenFile);
  const caFile = file(written.caFile);
  return {
    url: written.url.replace(/\/+$/, ''),
    ...(bearerTokenFile ? { bearerTokenFile } : {}),
    tlsVerify: written.tlsVerify ?? true,
    ...(caFile ? { caFile } : {}),
    intervalMs: written.interval === undefined ? DEFAULT_SOURCE_INTERVAL_MS : parseDurationWithUnit(written.interval),
  };
}

function resolveQuery(written: z.infer<typeof metricQuerySchema>): MetricQuery {
  const rangeMs = written.range === undefined ? DEFAULT_METRIC_RANGE_MS : parseDurationWithUnit(written.range);
  const stepMs = written.step === undefined ? Math.max(MINIMUM_INTERVAL_MS, Math.round(rangeMs / SPARKLINE_POINTS)) : parseDurationWithUnit(written.step);
  return {
    name: written.name,
    query: written.query,
    ...(written.unit !== undefined ? { unit: written.unit } : {}),
    ...(written.warning !== undefined ? { warning: written.warning } : {}),
    ...(written.critical !== undefined ? { critical: written.critical } : {}),
    rangeMs,
    stepMs,
  };
}

/** The section as the loader validated it (undefined when absent), paths against the config's directory. */
export function resolvePrometheusConfig(written: unknown, baseDirectory: string): PrometheusConfig | undefined {
  if (written === undefined) return undefined;
  const file = prometheusFileSchema.parse(written);
  return { ...resolveSource(file, baseDirectory), queries: (file.queries ?? []).map(resolveQuery) };
}

export function resolveAlertmanagerConfig(written: unknown, baseDirectory: string): AlertmanagerConfig | undefined {
  if (written === undefined) return undefined;
  return resolveSource(alertmanagerFileSchema.parse(written), baseDirectory);
}
