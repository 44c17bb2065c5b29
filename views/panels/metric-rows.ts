// Prometheus' review queries (p95 latency, error rate, throughput) as rows of the resources panel:
// the name, the value with its unit coloured by the query's warning/critical levels, and a
// sparkline of the range query.

import { sampleText } from '../../src/gates/checks/series-text';
import { metricSeverity } from '../../src/store/selectors/source-rows';
import type { MetricReading } from '../../src/store/slices/sources-slice';
import { renderSparkline } from '../format/charts';
import type { Glyphs } from '../format/glyphs';
import { fitText } from '../format/text';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';
import { severityTone } from '../theme';
import type { ListRow } from './ListPanel';

export interface MetricRowData {
  reading: MetricReading;
}

const VALUE_WIDTH = 12;
const MAX_SPARKLINE_WIDTH = 20;

/** `0.25 ms`, `12 req/s`, `-` without a series. */
export function metricValueText(reading: Pick<MetricReading, 'value' | 'query'>): string {
  if (reading.value === undefined) return '-';
  const unit = reading.query.unit;
  return unit === undefined ? sampleText(reading.value) : `${sampleText(reading.value)} ${unit}`;
}

export function useMetricRow(name: string): ListRow<MetricRowData> | undefined {
  const reading = useOpsdeck((state) => state.metricReadings[name]);
  const away = useOpsdeck((state) => state.prometheusStatus?.state !== 'connected');
  if (!reading) return undefined;
  return { data: { reading }, severity: metricSeverity(reading), dim: away || reading.error !== undefined };
}

/** Name, value and sparkline across the row (`contentWidth` wide), or the query's error. */
export function metricRowSegments(data: MetricRowData, contentWidth: number, glyphs: Glyphs): Segment[] {
  const { reading } = data;
  const tone = severityTone(metricSeverity(reading));
  const sparklineWidth = Math.max(0, Math.min(MAX_SPARKLINE_WIDTH, contentWidth - VALUE_WIDTH - 14));
  const nameWidth = Math.max(4, contentWidth - VALUE_WIDTH - (sparklineWidth > 0 ? sparklineWidth + 1 : 0));
  const segments: Segment[] = [
    { text: fitText(reading.query.name, nameWidth, 'left', glyphs.ellipsis) },
    { text: fitText(metricValueText(reading), VALUE_WIDTH, 'right', glyphs.ellipsis), tone, bold: tone === 'critical' },
  ];
  if (reading.error !== undefined) return [...segments.slice(0, 1), { text: ` ${reading.error}`, tone: 'warning' }];
  // Scaled to the largest point (and the critical level when higher): a flat line reads as flat.
  const ceiling = Math.max(0, reading.query.critical ?? 0);
  if (sparklineWidth > 0) segments.push({ text: ' ' }, { text: renderSparkline(reading.points, sparklineWidth, glyphs, ceiling), tone });
  return segments;
}
