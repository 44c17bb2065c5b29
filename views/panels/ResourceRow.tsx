import { memo } from 'react';
import type { ContainerStatsSample, Instance, Thresholds } from '../../src/domain/types';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { useDisplay } from '../display-context';
import { renderSparkline } from '../format/charts';
import type { Glyphs } from '../format/glyphs';
import { formatBytes, formatPercent } from '../format/numbers';
import { fitText } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck } from '../store-context';
import { usageTone } from '../theme';
import { LEADING_WIDTH, leadingCells } from './row-cells';

export interface ResourceColumns {
  name: number;
  sparkline: number;
  memoryBytes: number;
}

const FIXED_WIDTH = ' cpu '.length + 5 + 1 + '  mem '.length + 5;

export function resourceColumns(width: number): ResourceColumns {
  const room = width - LEADING_WIDTH - FIXED_WIDTH;
  const sparkline = Math.max(0, Math.min(10, room - 12));
  const memoryBytes = room - sparkline >= 24 ? 10 : 0;
  return { name: Math.max(4, room - sparkline - memoryBytes), sparkline, memoryBytes };
}

/** Service name; replicas beyond the first get their compose index ("worker#2"). */
export function resourceLabel(instance: Pick<Instance, 'ref' | 'workload'>): string {
  const name = instance.ref.name;
  const service = instance.workload.name;
  const replica = /[-_](\d+)$/.exec(name)?.[1];
  return replica !== undefined && replica !== '1' && name !== service ? `${service}#${replica}` : service;
}

export function resourceSegments(
  container: Instance,
  sample: ContainerStatsSample,
  cpuHistory: readonly number[],
  thresholds: Thresholds,
  width: number,
  glyphs: Glyphs,
): Segment[] {
  const columns = resourceColumns(width + LEADING_WIDTH);
  const cpuTone = usageTone(sample.cpuPercent, thresholds.cpu);
  const memoryTone = usageTone(sample.memoryPercent, thresholds.memory);
  const segments: Segment[] = [
    { text: fitText(resourceLabel(container), columns.name, 'left', glyphs.ellipsis) },
    { text: ' cpu ' },
    { text: fitText(formatPercent(sample.cpuPercent), 5, 'right'), tone: cpuTone, bold: cpuTone === 'critical' },
    { text: ' ' },
    { text: renderSparkline(cpuHistory, columns.sparkline, glyphs), tone: cpuTone },
    { text: '  mem ' },
    { text: fitText(formatPercent(sample.memoryPercent), 5, 'right'), tone: memoryTone, bold: memoryTone === 'critical' },
  ];
  if (columns.memoryBytes > 0) segments.push({ text: fitText(formatBytes(sample.memoryUsageBytes), columns.memoryBytes, 'right'), dim: true });
  return segments;
}

const NO_HISTORY: readonly number[] = [];

/** One container's CPU (with sparkline) and memory; reads only its own samples. */
export const ResourceRow = memo(function ResourceRow(props: { instanceKey: string; width: number; highlighted: boolean }) {
  const { glyphs } = useDisplay();
  const container = useOpsdeck((state) => state.instances[props.instanceKey]);
  const sample = useOpsdeck((state) => state.statsByInstance[props.instanceKey]);
  const cpuHistory = useOpsdeck((state) => state.cpuHistoryByInstance[props.instanceKey]) ?? NO_HISTORY;
  const thresholds = useOpsdeck((state) => state.thresholds);
  const workloadKey = container?.workloadKey ?? '';
  const severity = useOpsdeck((state) => alertSeverityFor(state, [props.instanceKey, workloadKey]));
  const stale = useOpsdeck((state) => (container ? state.engines[container.ref.engineId]?.state !== 'connected' : true));
  if (!container || !sample) return null;
  const segments = [
    ...leadingCells(props.highlighted, severity, glyphs),
    ...resourceSegments(container, sample, cpuHistory, thresholds, props.width - LEADING_WIDTH, glyphs),
  ];
  return <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} inverse={props.highlighted} dim={stale} />;
});
