// The detail screen (d) of a Deployment, StatefulSet or pod: the rollout as the store has it
// live, the history read through the action executor when the screen opened, a pod's state and why.

import { memo } from 'react';
import type { RolloutRevision } from '../../src/domain/engine-action';
import type { EngineStatus, Instance, Workload } from '../../src/domain/types';
import type { ResourceDetailState } from '../../src/store/slices/cluster-ui';
import { useDisplay } from '../display-context';
import { formatAgo, formatDuration } from '../format/numbers';
import { podStatusCell, readyText, readyTone, rolloutSegments, workloadKindWord } from '../panels/kubernetes-cells';
import type { Segment } from '../segments';
import type { Glyphs } from '../format/glyphs';
import { useNow, useOpsdeck, useOpsdeckShallow } from '../store-context';
import { DetailScreen, labelCell, labelled } from './DetailScreen';

function where(ref: { namespace?: string | undefined; name: string; engineId: string }, engine: EngineStatus | undefined): string {
  const context = engine?.context !== undefined && engine.context !== engine.label ? ` (context ${engine.context})` : '';
  return `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} on ${engine?.label ?? ref.engineId}${context}`;
}

function historyLines(history: ResourceDetailState['history'], width: number, now: number): Segment[][] {
  if (history === undefined) return [[{ text: ' reading the rollout history…', dim: true }]];
  if ('error' in history) return labelled('history', `could not be read: ${history.error}`, width, 'critical');
  if (history.revisions.length === 0) return [[{ text: ' no revisions', dim: true }]];
  const revisionLine = (revision: RolloutRevision): Segment[] => [
    { text: `  ${String(revision.revision).padStart(4)}  `, bold: revision.current },
    { text: `${formatAgo(revision.createdAt, now).padEnd(9)} `, dim: true },
    { text: revision.images.join(', '), tone: revision.current ? 'accent' : undefined },
    { text: revision.current ? '  current' : '', tone: 'ok', bold: true },
    { text: revision.replicas !== undefined && revision.replicas > 0 ? `  ${revision.replicas} pods` : '', dim: true },
    { text: revision.changeCause ? `  ${revision.changeCause}` : '', dim: true },
  ];
  return [[{ text: ' revision  created   images', bold: true }], ...history.revisions.map(revisionLine)];
}

export function workloadDetailLines(workload: Workload, pods: readonly Instance[], engine: EngineStatus | undefined, history: ResourceDetailState['history'], width: number, now: number, glyphs: Glyphs): Segment[][] {
  const rollout = workload.rollout;
  const replicas = [
    `${workload.desiredReplicas ?? 0} desired`,
    `${workload.readyReplicas ?? 0} ready`,
    `${workload.availableReplicas ?? 0} available`,
    `${workload.updatedReplicas ?? 0} updated`,
  ].join('  ');
  const rolloutLine: Segment[][] = rollout
    ? [
        [labelCell('rollout'), ...(rollout.state === 'complete' ? [{ text: 'complete', tone: 'ok' as const }] : rolloutSegments(rollout, glyphs))],
        ...labelled('', rollout.message, width, rollout.state === 'stalled' ? 'critical' : undefined),
      ]
    : [];
  return [
    [{ text: ` ${workload.ref.kind} `, bold: true }, { text: where(workload.ref, engine), tone: 'accent' }],
    [labelCell('ready'), { text: readyText(workload), tone: readyTone(workload), bold: true }, { text: `   ${replicas}`, dim: true }],
    ...rolloutLine,
    ...labelled('revision', workload.revision ?? '-', width),
    ...labelled('images', (workload.images ?? []).join(', ') || '-', width),
    ...labelled('pods', pods.map((pod) => `${pod.ref.name} ${podStatusCell(pod, undefined).text}`).join(', ') || 'none', width),
    [],
    [{ text: ` rollout history of ${workloadKindWord(workload)} ${workload.ref.name} (oldest first)`, bold: true }],
    ...historyLines(history, width, now),
  ];
}

export function podDetailLines(pod: Instance, engine: EngineStatus | undefined, width: number, now: number): Segment[][] {
  const status = podStatusCell({ ...pod, message: undefined }, undefined);
  return [
    [{ text: ' pod ', bold: true }, { text: where(pod.ref, engine), tone: 'accent' }],
    [labelCell('status'), { text: status.text, tone: status.tone, bold: true }, { text: `   phase ${pod.phase}${pod.ready ? ', ready' : ''}`, dim: true }],
    ...(pod.message ? labelled('message', pod.message, width, 'warning') : []),
    ...labelled('owner', `${pod.workload.kind} ${pod.workload.name}`, width),
    ...labelled('node', pod.nodeName ?? 'not scheduled', width),
    ...labelled('containers', (pod.containers ?? []).join(', ') || '-', width),
    ...labelled('image', pod.image, width),
    ...labelled('restarts', String(pod.restartCount), width, pod.restartCount > 0 ? 'warning' : undefined),
    ...labelled('age', `${formatDuration(now - pod.createdAt)}${pod.startedAt ? `, started ${formatAgo(pod.startedAt, now)}` : ''}`, width),
  ];
}

/** The detail (d) of a Deployment or StatefulSet (live rollout status, history) or of a pod (its state and why). */
export const ResourceDetail = memo(function ResourceDetail(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const detail = useOpsdeck((state) => state.ui.cluster.resourceDetail);
  const workload = useOpsdeck((state) => (detail ? state.workloads[detail.key] : undefined));
  const pod = useOpsdeck((state) => (detail ? state.instances[detail.key] : undefined));
  const pods = useOpsdeckShallow((state) =>
    workload ? Object.values(state.instances).filter((instance) => instance.workloadKey === workload.key).sort((left, right) => left.ref.name.localeCompare(right.ref.name)) : [],
  );
  const engine = useOpsdeck((state) => state.engines[(workload ?? pod)?.ref.engineId ?? '']);
  const now = useNow();
  const innerWidth = Math.max(0, props.width - 2);
  const lines: Segment[][] = workload
    ? workloadDetailLines(workload, pods, engine, detail?.history, innerWidth, now, glyphs)
    : pod
      ? podDetailLines(pod, engine, innerWidth, now)
      : [[{ text: ' this workload or pod is gone', dim: true }]];
  return <DetailScreen title={workload ? 'Rollout status and history' : 'Pod'} lines={lines} width={props.width} height={props.height} />;
});
