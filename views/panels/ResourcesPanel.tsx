import type { ContainerStatsSample, Instance, Thresholds } from '../../src/domain/types';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { hasMemoryLimit, metricsNoticeEngine, selectResourceRowIds } from '../../src/store/selectors/resource-rows';
import { renderSparkline } from '../format/charts';
import { formatBytes, formatPercent } from '../format/numbers';
import { HOST_LINES } from '../layout/screen-layout';
import { useOpsdeck } from '../store-context';
import { usageTone } from '../theme';
import { HostSummary } from './HostSummary';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';
import { literalColumn, type ColumnLayout, type ListColumn } from './list-columns';
import type { Glyphs } from '../format/glyphs';
import type { Segment } from '../segments';
import { metricRowName } from '../../src/store/selectors/source-rows';
import { metricRowSegments, useMetricRow, type MetricRowData } from './metric-rows';

/** Service name; replicas beyond the first get their compose index ("worker#2"); a pod is named as kubectl top names it. */
export function resourceLabel(instance: Pick<Instance, 'ref' | 'workload'>): string {
  const name = instance.ref.name;
  if (instance.ref.kind === 'pod') return name;
  const service = instance.workload.name;
  const replica = /[-_](\d+)$/.exec(name)?.[1];
  return replica !== undefined && replica !== '1' && name !== service ? `${service}#${replica}` : service;
}

interface ResourceRowData {
  container: Instance;
  sample: ContainerStatsSample;
  cpuHistory: readonly number[];
  thresholds: Thresholds;
}

const NO_HISTORY: readonly number[] = [];
/** Memory: a percentage of the limit, or bytes ("1023 MiB") for a container without one. */
const MEMORY_WIDTH = 8;
/** Everything but the name, the sparkline and the bytes beside a percentage. */
const FIXED_WIDTH = ' cpu '.length + 5 + 1 + '  mem '.length + MEMORY_WIDTH;
const sparklineWidth = (contentWidth: number): number => Math.max(0, Math.min(10, contentWidth - FIXED_WIDTH - 12));
const memoryBytesWidth = (contentWidth: number): number => (contentWidth - FIXED_WIDTH - sparklineWidth(contentWidth) >= 24 ? 10 : 0);

/** A Kubernetes context without metrics.k8s.io: one line saying so, instead of no rows for its pods. */
interface MetricsNotice {
  notice: { label: string; detail: string | undefined };
}

type ResourcesRow = ResourceRowData | MetricsNotice | MetricRowData;

/** The instance columns on the panel's rows (a notice or a review query's row spans them). */
function instanceColumn(column: ListColumn<ResourceRowData>): ListColumn<ResourcesRow> {
  return { ...column, cell: (data, context) => ('notice' in data || 'reading' in data ? '' : column.cell(data, context)) };
}

function noticeSegments(data: ResourcesRow, layout: ColumnLayout<ResourcesRow>, glyphs: Glyphs): Segment[] | undefined {
  if ('reading' in data) return metricRowSegments(data, layout.contentWidth, glyphs);
  if (!('notice' in data)) return undefined;
  const { label, detail } = data.notice;
  // The adapter's sentence already names the API ("metrics.k8s.io is not served by this cluster ..."): say it once.
  const sentence = detail?.includes('metrics.k8s.io') ? detail : `metrics.k8s.io not served${detail ? ` (${detail})` : ''}`;
  return [
    { text: `${label}: `, bold: true },
    { text: sentence, tone: 'warning' },
  ];
}

function useNoticeRow(engineId: string): ListRow<ResourcesRow> | undefined {
  const label = useOpsdeck((state) => state.engines[engineId]?.label ?? engineId);
  const detail = useOpsdeck((state) => state.engines[engineId]?.metrics?.detail);
  return { data: { notice: { label, detail } } };
}

function useInstanceRow(instanceKey: string): ListRow<ResourcesRow> | undefined {
  const container = useOpsdeck((state) => state.instances[instanceKey]);
  const sample = useOpsdeck((state) => state.statsByInstance[instanceKey]);
  const cpuHistory = useOpsdeck((state) => state.cpuHistoryByInstance[instanceKey]) ?? NO_HISTORY;
  const thresholds = useOpsdeck((state) => state.thresholds);
  const workloadKey = container?.workloadKey ?? '';
  const severity = useOpsdeck((state) => alertSeverityFor(state, [instanceKey, workloadKey]));
  const stale = useOpsdeck((state) => (container ? state.engines[container.ref.engineId]?.state !== 'connected' : true));
  if (!container || !sample) return undefined;
  return { data: { container, sample, cpuHistory, thresholds }, severity, dim: stale };
}

/** Host usage on top, then a line per Kubernetes context without metrics, Prometheus' review queries, then containers and pods worst first: CPU with a sparkline, memory. */
export const RESOURCES_PANEL: ListPanelDefinition<ResourcesRow> = {
  panel: 'resources',
  selectKeys: selectResourceRowIds,
  useTitle: () => 'Resources',
  useRow(key): ListRow<ResourcesRow> | undefined {
    // A row is a notice, a review query or an instance for its whole life (the key says which), so the hooks called stay the same.
    const engineId = metricsNoticeEngine(key);
    if (engineId !== undefined) return useNoticeRow(engineId);
    const metric = metricRowName(key);
    return metric === undefined ? useInstanceRow(key) : useMetricRow(metric);
  },
  markers: 'selection-and-alert',
  spanningSegments: noticeSegments,
  columns: ([
    { id: 'name', width: 'fill', minWidth: 4, cell: ({ container }) => resourceLabel(container) },
    literalColumn('cpu-label', ' cpu '),
    {
      id: 'cpu',
      width: 5,
      align: 'right',
      cell: ({ sample, thresholds }) => {
        const tone = usageTone(sample.cpuPercent, thresholds.cpu);
        return { text: formatPercent(sample.cpuPercent), tone, bold: tone === 'critical' };
      },
    },
    {
      id: 'cpu-history',
      gap: 1,
      width: sparklineWidth,
      cell: ({ sample, cpuHistory, thresholds }, { width, glyphs }) => ({
        text: renderSparkline(cpuHistory, width, glyphs),
        tone: usageTone(sample.cpuPercent, thresholds.cpu),
      }),
    },
    literalColumn('memory-label', '  mem '),
    {
      id: 'memory',
      width: MEMORY_WIDTH,
      align: 'right',
      cell: ({ sample, thresholds }) => {
        const tone = usageTone(sample.memoryPercent, thresholds.memory);
        const text = hasMemoryLimit(sample) ? formatPercent(sample.memoryPercent) : formatBytes(sample.memoryUsageBytes);
        return { text, tone, bold: tone === 'critical' };
      },
    },
    {
      id: 'memory-bytes',
      width: memoryBytesWidth,
      align: 'right',
      // Beside a percentage only: without a limit the memory column shows the bytes already.
      cell: ({ sample }) => ({ text: hasMemoryLimit(sample) ? formatBytes(sample.memoryUsageBytes) : '', dim: true }),
    },
  ] satisfies ListColumn<ResourceRowData>[]).map(instanceColumn),
  emptyText: (filter) => (filter === '' ? 'no container stats yet' : `no container matches "${filter}"`),
  header: { lines: HOST_LINES, Component: HostSummary },
};

export const ResourcesPanel = listPanel(RESOURCES_PANEL);
