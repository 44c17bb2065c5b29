import { VERB_WORDS } from '../../src/domain/engine-action';
import { isActivePhase, type Instance, type Workload } from '../../src/domain/types';
import { isKubernetesWorkload } from '../../src/store/selectors/action-targets';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { scopeText } from '../../src/store/selectors/view-scope';
import { selectPanelRowKeys } from '../../src/store/selectors/panel-rows';
import {
  selectProjectSummary,
  selectServiceRow,
  selectServiceSummary,
  selectServiceTree,
  type GroupSummary,
  type ServiceTreeRow,
} from '../../src/store/selectors/service-tree';
import type { Glyphs } from '../format/glyphs';
import { formatDuration } from '../format/numbers';
import { fitText } from '../format/text';
import type { Segment } from '../segments';
import { useNow, useOpsdeck, useOpsdeckShallow } from '../store-context';
import { healthTone, phaseTone } from '../theme';
import { listPanel, type ListPanelDefinition, type ListRow } from './ListPanel';
import { podNameWidth, podRowSegments, workloadRowSegments } from './kubernetes-cells';
import { columnWidth, type ColumnLayout } from './list-columns';

/** "Services (12)", "Services (3/12)" while filtered, with the `:ctx` / `:ns` scope after it. */
export function servicesTitle(visible: number, total: number, filter: string, scope = ''): string {
  const counts = filter === '' ? `Services (${total})` : `Services (${visible}/${total})`;
  return scope === '' ? counts : `${counts} ${scope}`;
}

/** What a column shows for a value the engine has not told yet (listed, not yet inspected). */
function pendingCell(glyphs: Glyphs): { text: string; dim: true } {
  return { text: glyphs.ellipsis, dim: true };
}

export function uptimeText(container: Instance, now: number): string {
  if (isActivePhase(container.phase) && container.startedAt) {
    return `up ${formatDuration(now - container.startedAt)}`;
  }
  if (container.finishedAt) return `down ${formatDuration(now - container.finishedAt)}`;
  return '-';
}

/** Below this row width the health column is folded into the state ("unhealthy"). */
const HEALTH_MIN_WIDTH = 50;

function stateText(container: Instance, withHealth: boolean): string {
  if (!withHealth && container.health === 'unhealthy') return 'unhealthy';
  if (container.state === 'exited' && container.exitCode !== undefined) return `exited(${container.exitCode})`;
  return container.state;
}

function healthText(container: Instance): string {
  if (container.oomKilled) return 'OOM';
  return container.health === 'none' ? '' : container.health;
}

interface ServiceRowData {
  row: ServiceTreeRow;
  /** Container (pod) rows. */
  container: Instance | undefined;
  /** Deployment and StatefulSet rows. */
  workload: Workload | undefined;
  /** The action running on the container or workload, in words ("restarting", "scaling"). */
  inFlight: string | undefined;
  /** Project and service rows. */
  summary: GroupSummary | undefined;
  /** Engine rows: a Kubernetes context is called one. */
  engineKind: string | undefined;
  now: number;
}

function groupSummarySegments(summary: GroupSummary): Segment[] {
  const segments: Segment[] = [
    { text: `${summary.running}/${summary.containers} running`, tone: summary.running < summary.containers ? 'warning' : 'ok' },
  ];
  if (summary.unhealthy > 0) segments.push({ text: `  ${summary.unhealthy} unhealthy`, tone: 'critical' });
  if (summary.restarts > 0) segments.push({ text: `  ${summary.restarts} rst`, tone: 'warning' });
  return segments;
}

/**
 * Engine, project and service rows span the columns: a heading with the group's counts (a
 * Deployment's with ready/desired and its rollout). Pod rows have columns of their own.
 */
function groupSegments(data: ServiceRowData, layout: ColumnLayout<ServiceRowData>, glyphs: Glyphs): Segment[] | undefined {
  const { row, summary, container, workload } = data;
  if (row.kind === 'container') {
    if (container?.ref.kind !== 'pod') return undefined;
    return podRowSegments({ pod: container, label: row.label, depth: row.depth, inFlight: data.inFlight, now: data.now }, layout.contentWidth, glyphs);
  }
  if (!summary) return undefined;
  const nameWidth = Math.max(4, columnWidth(layout, 'name'));
  if (row.kind === 'service' && workload && isKubernetesWorkload(workload)) {
    const label = fitText('  '.repeat(Math.max(0, row.depth - 1)) + row.label, podNameWidth(layout.contentWidth), 'left', glyphs.ellipsis);
    return workloadRowSegments(workload, label, summary.restarts, data.inFlight, glyphs);
  }
  if (row.kind === 'service') {
    const label = fitText(`${row.label} (${summary.containers})`, nameWidth, 'left', glyphs.ellipsis);
    return [{ text: label }, ...groupSummarySegments(summary)];
  }
  const fold = row.collapsed ? glyphs.collapsed : glyphs.expanded;
  const name = row.kind === 'engine' ? `${data.engineKind === 'kubernetes' ? 'context' : 'engine'} ${row.label}` : row.label;
  return [
    { text: `${'  '.repeat(row.depth)}${fold} `, dim: true },
    { text: row.collapsed ? `${name} (${summary.containers})` : name, bold: true },
    { text: '  ' },
    ...groupSummarySegments(summary),
  ];
}

/** Every container and pod of the engines, grouped engine -> project (namespace) -> service (Deployment, StatefulSet). */
export const SERVICES_PANEL: ListPanelDefinition<ServiceRowData> = {
  panel: 'services',
  selectKeys: (state) => selectPanelRowKeys(state, 'services'),
  useTitle(_keys, filter) {
    const counts = useOpsdeckShallow((state) => {
      const tree = selectServiceTree(state);
      return { visible: tree.visibleContainerCount, total: tree.containerCount, scope: scopeText(state) };
    });
    return servicesTitle(counts.visible, counts.total, filter, counts.scope);
  },
  useRow(key): ListRow<ServiceRowData> | undefined {
    // Shallow: the tree is rebuilt when any container changes, its rows' fields rarely do.
    const row = useOpsdeckShallow((state) => selectServiceRow(state, key));
    const container = useOpsdeck((state) => (row?.instanceKey === undefined ? undefined : state.instances[row.instanceKey]));
    const workload = useOpsdeck((state) => (row?.kind === 'service' && row.workloadKey !== undefined ? state.workloads[row.workloadKey] : undefined));
    const actionKey = row?.instanceKey ?? (row?.kind === 'service' ? row.workloadKey : undefined);
    const inFlightVerb = useOpsdeck((state) => (actionKey === undefined ? undefined : state.actionsInFlight[actionKey]?.verb));
    const engineKind = useOpsdeck((state) => (row?.kind === 'engine' ? state.engines[row.engineId]?.kind : undefined));
    const summary = useOpsdeckShallow((state) => {
      if (row?.kind === 'project' || row?.kind === 'engine') return selectProjectSummary(state, row.projectKey);
      if (row?.kind === 'service' && row.workloadKey !== undefined) return selectServiceSummary(state, row.workloadKey);
      return undefined;
    });
    const containerSeverity = useOpsdeck((state) =>
      row?.instanceKey === undefined ? undefined : alertSeverityFor(state, [row.instanceKey, row.workloadKey ?? '']),
    );
    const stale = useOpsdeck((state) => (row ? state.engines[row.engineId]?.state !== 'connected' : true));
    const now = useNow();
    if (!row || (row.kind === 'container' && !container)) return undefined;
    const inFlight = inFlightVerb && VERB_WORDS[inFlightVerb].progressive;
    return { data: { row, container, workload, inFlight, summary, engineKind, now }, severity: summary?.severity ?? containerSeverity, dim: stale };
  },
  markers: 'selection-and-alert',
  spanningSegments: groupSegments,
  columns: [
    {
      id: 'name',
      width: 'fill',
      minWidth: 4,
      cell: ({ row }) => '  '.repeat(Math.max(0, row.depth - 1)) + row.label,
    },
    {
      id: 'state',
      width: 11,
      cell: ({ container, inFlight }, { contentWidth }) => {
        if (!container) return '';
        // While an action runs on the container its state column says so ("restarting…").
        if (inFlight) return { text: `${inFlight}…`, tone: 'accent', bold: true };
        const withHealth = contentWidth >= HEALTH_MIN_WIDTH;
        const tone = !withHealth && container.health === 'unhealthy' ? 'critical' : phaseTone(container.phase);
        return { text: stateText(container, withHealth), tone };
      },
    },
    {
      id: 'health',
      width: 10,
      hiddenBelow: HEALTH_MIN_WIDTH,
      cell: ({ container }, { glyphs }) => {
        if (!container) return '';
        // Podman's list has no health: until inspect answers it is not known, not absent.
        if (container.detailsPending && container.health === 'none') return pendingCell(glyphs);
        return { text: healthText(container), tone: container.oomKilled ? 'critical' : healthTone(container.health) };
      },
    },
    {
      id: 'uptime',
      width: 9,
      cell: ({ container, now }, { glyphs }) => {
        if (!container) return '';
        return container.detailsPending ? pendingCell(glyphs) : uptimeText(container, now);
      },
    },
    {
      id: 'restarts',
      width: 7,
      align: 'right',
      cell: ({ container }, { glyphs }) => {
        if (!container) return '';
        if (container.detailsPending) return pendingCell(glyphs);
        return { text: `${container.restartCount} rst`, tone: container.restartCount > 0 ? 'warning' : undefined, dim: container.restartCount === 0 };
      },
    },
  ],
  emptyText: (filter) => (filter === '' ? 'no containers yet' : `no container matches "${filter}"`),
};

export const ServicesPanel = listPanel(SERVICES_PANEL);
