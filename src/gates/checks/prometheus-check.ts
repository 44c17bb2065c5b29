// `prometheus` gates: a PromQL instant query whose every sample must hold the comparison
// (`< 0.05`). Each series is evidence (`{job="api"} = 0.12`); no series is `unknown` unless the
// gate says an empty answer passes (an error-rate query over a quiet service).

import type { GateChecker, GateOutcome, PrometheusCheck } from '../gate-types';
import { compareValue } from '../value-comparison';
import { sampleText, seriesText } from './series-text';

/** Evidence lists at most this many series (the failing ones first). */
const MAX_ITEMS = 20;

export const prometheusChecker: GateChecker<PrometheusCheck> = {
  type: 'prometheus',
  async run(check, context): Promise<GateOutcome> {
    const comparison = check.comparison.source;
    if (!context.prometheus) return { status: 'unknown', detail: 'no prometheus: source is configured', evidence: { error: 'no prometheus: source is configured', comparison } };
    let samples;
    try {
      samples = await context.prometheus.query(check.query, { signal: context.signal });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'unknown', detail: message, evidence: { error: message, comparison } };
    }
    if (samples.length === 0) {
      return check.emptyPasses
        ? { status: 'pass', detail: `no series (passes when empty): ${check.query}`, evidence: { items: [], comparison } }
        : { status: 'unknown', detail: `no series for ${check.query}`, evidence: { items: [], comparison } };
    }
    const judged = samples.map((sample) => ({ sample, holds: compareValue(sample.value, check.comparison).holds && !Number.isNaN(sample.value) }));
    const failing = judged.filter((entry) => !entry.holds);
    const ordered = [...failing, ...judged.filter((entry) => entry.holds)];
    const items = ordered.slice(0, MAX_ITEMS).map(({ sample }) => `${seriesText(sample.labels)} = ${sampleText(sample.value)}`);
    if (ordered.length > MAX_ITEMS) items.push(`… ${ordered.length - MAX_ITEMS} more series`);
    const first = (failing[0] ?? judged[0])?.sample;
    const evidence = { items, comparison, ...(first ? { value: sampleText(first.value) } : {}) };
    if (failing.length === 0) {
      const detail = samples.length === 1 ? `${sampleText(samples[0]?.value ?? Number.NaN)} ${comparison}` : `${samples.length} series ${comparison}`;
      return { status: 'pass', detail, evidence };
    }
    const worst = failing[0]?.sample;
    const where = worst ? `${seriesText(worst.labels)} = ${sampleText(worst.value)}` : '';
    const detail = `${failing.length} of ${samples.length} series fail ${comparison}: ${where}`;
    return { status: 'fail', detail, evidence };
  },
};
