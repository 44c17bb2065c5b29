// How Kubernetes rows read in the services panel (k9s's columns): a Deployment or StatefulSet
// with ready/desired and its rollout in progress, a pod with its status and reason (the
// scheduling message of a Pending one), age and restarts. Pod rows have columns of their own,
// laid out on the same row width as the container rows beside them.

import type { Instance, RolloutProgress, Workload } from '../../src/domain/types';
import { renderBar } from '../format/charts';
import type { Glyphs } from '../format/glyphs';
import { formatDuration } from '../format/numbers';
import type { Segment } from '../segments';
import { phaseTone, type Tone } from '../theme';
import { cellSegments, columnWidth, layoutColumns, type Cell, type ColumnLayout, type ListColumn } from './list-columns';

/** "deploy" or "sts", as kubectl's short names. */
export function workloadKindWord(workload: Pick<Workload, 'ref'>): string {
  return workload.ref.kind === 'statefulset' ? 'sts' : workload.ref.kind === 'deployment' ? 'deploy' : 'service';
}

/** "2/3": ready of desired replicas (kubectl's READY column). */
export function readyText(workload: Pick<Workload, 'readyReplicas' | 'desiredReplicas'>): string {
  return `${workload.readyReplicas ?? 0}/${workload.desiredReplicas ?? 0}`;
}

export function readyTone(workload: Pick<Workload, 'readyReplicas' | 'desiredReplicas'>): Tone {
  const ready = workload.readyReplicas ?? 0;
  const desired = workload.desiredReplicas ?? 0;
  if (ready >= desired) return 'ok';
  return ready === 0 ? 'critical' : 'warning';
}

const ROLLOUT_BAR_WIDTH = 4;

/**
 * "rolling 1/3 ▇▁▁▁" while progressing, "stalled 1/3" (red) when stuck, nothing once complete.
 * The count is of replicas both updated and available: the rollout is done when it reaches desired.
 */
export function rolloutSegments(rollout: RolloutProgress | undefined, glyphs: Glyphs): Segment[] {
  if (!rollout || rollout.state === 'complete') return [];
  const done = Math.min(rollout.updated, rollout.available);
  const progress = `${done}/${rollout.desired}`;
  if (rollout.state === 'stalled') return [{ text: `stalled ${progress}`, tone: 'critical', bold: true }];
  const percent = rollout.desired > 0 ? (done / rollout.desired) * 100 : 0;
  return [
    { text: `rolling ${progress} `, tone: 'accent', bold: true },
    { text: renderBar(percent, ROLLOUT_BAR_WIDTH, glyphs), tone: 'accent' },
  ];
}

/** The row of a Deployment or StatefulSet: its name, kind, ready/desired, rollout and restarts. */
export function workloadRowSegments(
  workload: Workload,
  name: string,
  restarts: number,
  inFlight: string | undefined,
  glyphs: Glyphs,
): Segment[] {
  const segments: Segment[] = [
    { text: name },
    { text: ` ${workloadKindWord(workload)}  `, dim: true },
    { text: `${readyText(workload)} ready`, tone: readyTone(workload) },
  ];
  const rollout = rolloutSegments(workload.rollout, glyphs);
  if (rollout.length > 0) segments.push({ text: '  ' }, ...rollout);
  if (restarts > 0) segments.push({ text: `  ${restarts} rst`, tone: 'warning' });
  if (inFlight) segments.push({ text: `  ${inFlight}…`, tone: 'accent', bold: true });
  return segments;
}

/**
 * kubectl's STATUS and why: "CrashLoopBackOff OOMKilled", "Pending: 0/3 nodes are available: …",
 * "ImagePullBackOff: Back-off pulling image …". A Pending or blocked pod's message is the reason
 * it does not run, so it is on the row; a crash loop's back-off message says nothing new.
 */
export function podStatusCell(pod: Instance, inFlight: string | undefined): Cell {
  if (inFlight) return { text: `${inFlight}…`, tone: 'accent', bold: true };
  const tone = pod.oomKilled ? 'critical' : phaseTone(pod.phase);
  if ((pod.phase === 'pending' || pod.phase === 'waiting') && pod.message) return { text: `${pod.state}: ${pod.message}`, tone };
  const reason = pod.reason !== undefined && pod.reason !== pod.state ? ` ${pod.reason}` : '';
  return { text: `${pod.state}${reason}`, tone, bold: pod.phase === 'crash-loop' };
}

/** kubectl's AGE: since the pod was created. */
export function podAgeText(pod: Pick<Instance, 'createdAt'>, now: number): string {
  return formatDuration(now - pod.createdAt);
}

export interface PodRowData {
  pod: Instance;
  label: string;
  depth: number;
  inFlight: string | undefined;
  /** The age column's text (podAgeText), computed where the clock is read. */
  age: string;
}

const POD_COLUMNS: readonly ListColumn<PodRowData>[] = [
  { id: 'name', width: 'fill', minWidth: 4, cell: ({ label, depth }) => '  '.repeat(Math.max(0, depth - 1)) + label },
  {
    id: 'status',
    gap: 1,
    // Under half of what the age and restarts leave (pod names are long): "CrashLoopBackOff OOMKilled" reads whole from 72 columns.
    width: (contentWidth) => Math.max(11, Math.floor((contentWidth - 14) * 0.45)),
    cell: ({ pod, inFlight }) => podStatusCell(pod, inFlight),
  },
  { id: 'age', gap: 1, width: 5, align: 'right', cell: ({ age }) => ({ text: age, dim: true }) },
  {
    id: 'restarts',
    width: 7,
    align: 'right',
    cell: ({ pod }) => ({ text: `${pod.restartCount} rst`, tone: pod.restartCount > 0 ? 'warning' : undefined, dim: pod.restartCount === 0 }),
  },
];

/** Pod column layouts by row width: laid out once per width, not per row. */
const podLayouts = new Map<number, ColumnLayout<PodRowData>>();

function podLayoutFor(contentWidth: number): ColumnLayout<PodRowData> {
  let layout = podLayouts.get(contentWidth);
  if (!layout) {
    layout = layoutColumns(POD_COLUMNS, contentWidth);
    podLayouts.set(contentWidth, layout);
  }
  return layout;
}

export function podRowSegments(data: PodRowData, contentWidth: number, glyphs: Glyphs): Segment[] {
  return cellSegments(podLayoutFor(contentWidth), data, glyphs);
}

/** Width of the pods' name column: a workload's row puts its counts where its pods' status starts. */
export function podNameWidth(contentWidth: number): number {
  return columnWidth(podLayoutFor(contentWidth), 'name');
}
