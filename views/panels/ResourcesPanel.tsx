import type { ContainerStatsSample, Instance, Thresholds } from '../../src/domain/types';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { hasMemoryLimit, selectResourceRowIds } from '../../src/store/selectors/resource-rows';
import { renderSparkline } from '../format/charts';
import { formatBytes, formatPercent } from '../format/numbers';
import { HOST_LINES } from '../layout/screen-layout';
import { useOpsdeck } from '../store-context';
import { usageTone } from '../theme';
import { HostSummary } from './HostSummary';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';
import { literalColumn } from './list-columns';

/** Service name; replicas beyond the first get their compose index ("worker#2"). */
export function resourceLabel(instance: Pick<Instance, 'ref' | 'workload'>): string {
  const name = instance.ref.name;
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

/** Host usage on top, then containers worst first: CPU with a sparkline, memory. */
export const RESOURCES_PANEL: ListPanelDefinition<ResourceRowData> = {
  panel: 'resources',
  selectKeys: selectResourceRowIds,
  useTitle: () => 'Resources',
  useRow(instanceKey): ListRow<ResourceRowData> | undefined {
    const container = useOpsdeck((state) => state.instances[instanceKey]);
    const sample = useOpsdeck((state) => state.statsByInstance[instanceKey]);
    const cpuHistory = useOpsdeck((state) => state.cpuHistoryByInstance[instanceKey]) ?? NO_HISTORY;
    const thresholds = useOpsdeck((state) => state.thresholds);
    const workloadKey = container?.workloadKey ?? '';
    const severity = useOpsdeck((state) => alertSeverityFor(state, [instanceKey, workloadKey]));
    const stale = useOpsdeck((state) => (container ? state.engines[container.ref.engineId]?.state !== 'connected' : true));
    if (!container || !sample) return undefined;
    return { data: { container, sample, cpuHistory, thresholds }, severity, dim: stale };
  },
  markers: 'selection-and-alert',
  columns: [
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
  ],
  emptyText: (filter) => (filter === '' ? 'no container stats yet' : `no container matches "${filter}"`),
  header: { lines: HOST_LINES, Component: HostSummary },
};

export const ResourcesPanel = listPanel(RESOURCES_PANEL);
