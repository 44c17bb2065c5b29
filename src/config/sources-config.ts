// opsdeck.yaml `prometheus:` and `alertmanager:`: URLs of the live sources, an optional bearer
// token file, and Prometheus' review queries (p95 latency, error rate, throughput).

import { z } from 'zod';
import type { AlertmanagerConfig, PrometheusConfig } from '../adapters/prometheus/source-types';

/** As written; refined by the Prometheus/Alertmanager work (issue 8). */
export const prometheusFileSchema = z.unknown();
export const alertmanagerFileSchema = z.unknown();

export function resolvePrometheusConfig(written: unknown, baseDirectory: string): PrometheusConfig | undefined {
  void written;
  void baseDirectory;
  return undefined;
}

export function resolveAlertmanagerConfig(written: unknown, baseDirectory: string): AlertmanagerConfig | undefined {
  void written;
  void baseDirectory;
  return undefined;
}
