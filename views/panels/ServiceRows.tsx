import { memo } from 'react';
import { VERB_WORDS } from '../../src/domain/engine-action';
import { isActivePhase, type Instance } from '../../src/domain/types';
import type { ServiceRowKind } from '../../src/store/selectors/service-tree';
import { alertSeverityFor } from '../../src/store/selectors/alert-selectors';
import { selectProjectSummary, selectServiceSummary, type GroupSummary } from '../../src/store/selectors/service-tree';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { formatDuration } from '../format/numbers';
import { fitText } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useNow, useOpsdeck, useOpsdeckShallow } from '../store-context';
import { healthTone, phaseTone } from '../theme';
import { LEADING_WIDTH, leadingCells } from './row-cells';

export interface ServiceRowProps {
  kind: ServiceRowKind;
  depth: number;
  label: string;
  engineId: string;
  projectKey: string;
  workloadKey: string | undefined;
  instanceKey: string | undefined;
  collapsed: boolean;
  width: number;
  /** Selected in the focused panel: marker and inverse. Only this row re-renders when the focus moves. */
  highlighted: boolean;
}

/** One row of the services tree; reads its own live data so other rows do not re-render. */
export const ServiceRow = memo(function ServiceRow(props: ServiceRowProps) {
  if (props.kind === 'container' && props.instanceKey !== undefined) return <ContainerRow {...props} instanceKey={props.instanceKey} />;
  if (props.kind === 'service' && props.workloadKey !== undefined) return <ServiceGroupRow {...props} workloadKey={props.workloadKey} />;
  return <ProjectRow {...props} />;
});

function useEngineStale(engineId: string): boolean {
  return useOpsdeck((state) => state.engines[engineId]?.state !== 'connected');
}

export interface ContainerColumns {
  name: number;
  state: number;
  health: number;
  uptime: number;
  restarts: number;
}

/** Column widths for a row `width` wide; health is folded into state below 50 columns. */
export function containerColumns(width: number): ContainerColumns {
  const state = 11;
  const uptime = 9;
  const restarts = 7;
  const health = width >= 50 ? 10 : 0;
  const name = Math.max(4, width - LEADING_WIDTH - state - health - uptime - restarts);
  return { name, state, health, uptime, restarts };
}

export function uptimeText(container: Instance, now: number): string {
  if (isActivePhase(container.phase) && container.startedAt) {
    return `up ${formatDuration(now - container.startedAt)}`;
  }
  if (container.finishedAt) return `down ${formatDuration(now - container.finishedAt)}`;
  return '-';
}

function stateText(container: Instance, withHealth: boolean): string {
  if (!withHealth && container.health === 'unhealthy') return 'unhealthy';
  if (container.state === 'exited' && container.exitCode !== undefined) return `exited(${container.exitCode})`;
  return container.state;
}

function healthText(container: Instance): string {
  if (container.oomKilled) return 'OOM';
  return container.health === 'none' ? '' : container.health;
}

/** While an action runs on the instance its state column says so ("restarting…"). */
export function containerSegments(
  container: Instance,
  label: string,
  depth: number,
  width: number,
  now: number,
  glyphs: Glyphs,
  inFlight?: string,
): Segment[] {
  const columns = containerColumns(width);
  const indent = '  '.repeat(Math.max(0, depth - 1));
  const withHealth = columns.health > 0;
  const health = healthText(container);
  const segments: Segment[] = [
    { text: fitText(indent + label, columns.name, 'left', glyphs.ellipsis) },
    inFlight
      ? { text: fitText(`${inFlight}${glyphs.ellipsis}`, columns.state), tone: 'accent', bold: true }
      : {
          text: fitText(stateText(container, withHealth), columns.state),
          tone: !withHealth && container.health === 'unhealthy' ? 'critical' : phaseTone(container.phase),
        },
  ];
  if (withHealth) segments.push({ text: fitText(health, columns.health), tone: container.oomKilled ? 'critical' : healthTone(container.health) });
  segments.push({ text: fitText(uptimeText(container, now), columns.uptime) });
  segments.push({
    text: fitText(`${container.restartCount} rst`, columns.restarts, 'right'),
    tone: container.restartCount > 0 ? 'warning' : undefined,
    dim: container.restartCount === 0,
  });
  return segments;
}

function ContainerRow(props: ServiceRowProps & { instanceKey: string }) {
  const { glyphs } = useDisplay();
  const container = useOpsdeck((state) => state.instances[props.instanceKey]);
  const inFlight = useOpsdeck((state) => state.actionsInFlight[props.instanceKey]?.verb);
  const workloadKey = props.workloadKey ?? '';
  const severity = useOpsdeck((state) => alertSeverityFor(state, [props.instanceKey, workloadKey]));
  const stale = useEngineStale(props.engineId);
  const now = useNow();
  if (!container) return null;
  const contentWidth = props.width - LEADING_WIDTH;
  const segments = [...leadingCells(props.highlighted, severity, glyphs), ...containerSegments(container, props.label, props.depth, contentWidth, now, glyphs, inFlight && VERB_WORDS[inFlight].progressive)];
  return <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} inverse={props.highlighted} dim={stale} />;
}

function groupSummarySegments(summary: GroupSummary): Segment[] {
  const segments: Segment[] = [
    { text: `${summary.running}/${summary.containers} running`, tone: summary.running < summary.containers ? 'warning' : 'ok' },
  ];
  if (summary.unhealthy > 0) segments.push({ text: `  ${summary.unhealthy} unhealthy`, tone: 'critical' });
  if (summary.restarts > 0) segments.push({ text: `  ${summary.restarts} rst`, tone: 'warning' });
  return segments;
}

function ServiceGroupRow(props: ServiceRowProps & { workloadKey: string }) {
  const { glyphs } = useDisplay();
  const summary = useOpsdeckShallow((state) => selectServiceSummary(state, props.workloadKey));
  const stale = useEngineStale(props.engineId);
  const label = fitText(`${props.label} (${summary.containers})`, Math.max(4, containerColumns(props.width - LEADING_WIDTH).name), 'left', glyphs.ellipsis);
  const segments = [...leadingCells(props.highlighted, summary.severity, glyphs), { text: label }, ...groupSummarySegments(summary)];
  return <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} inverse={props.highlighted} dim={stale} />;
}

function ProjectRow(props: ServiceRowProps) {
  const { glyphs } = useDisplay();
  const summary = useOpsdeckShallow((state) => selectProjectSummary(state, props.projectKey));
  const stale = useEngineStale(props.engineId);
  const fold = props.collapsed ? glyphs.collapsed : glyphs.expanded;
  const name = props.kind === 'engine' ? `engine ${props.label}` : props.label;
  const label = props.collapsed ? `${name} (${summary.containers})` : name;
  const segments: Segment[] = [
    ...leadingCells(props.highlighted, summary.severity, glyphs),
    { text: `${'  '.repeat(props.depth)}${fold} `, dim: true },
    { text: label, bold: true },
    { text: '  ' },
    ...groupSummarySegments(summary),
  ];
  return <RowText segments={fitSegments(segments, props.width, glyphs.ellipsis)} inverse={props.highlighted} dim={stale} />;
}
