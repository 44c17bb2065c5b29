import { memo } from 'react';
import type { ErrorFingerprint } from '../../src/domain/types';
import { selectFingerprint, workloadLabelOf } from '../../src/store/selectors/error-rows';
import { eventMessageOf } from '../../src/store/selectors/event-fingerprints';
import { formatAgo } from '../format/numbers';
import { wrapText } from '../format/text';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';
import { DetailScreen, labelCell, labelled } from './DetailScreen';

export function errorDetailLines(entry: ErrorFingerprint, width: number, now: number): Segment[][] {
  const event = eventMessageOf(entry);
  return [
    [
      labelCell('count'),
      { text: `${entry.count}`, bold: true, tone: 'critical' },
      { text: `   first ${formatAgo(entry.firstSeen, now)}   last ${formatAgo(entry.lastSeen, now)}`, dim: true },
    ],
    ...(entry.eventReason !== undefined ? labelled('event', `${entry.eventReason} (Kubernetes Warning events, counts summed)`, width, 'warning') : []),
    ...labelled('services', entry.workloadKeys.map(workloadLabelOf).join(', '), width, 'accent'),
    ...labelled('pattern', event ?? entry.fingerprint, width),
    [],
    [{ text: ` raw sample${entry.sampleWorkloadKey ? ` from ${workloadLabelOf(entry.sampleWorkloadKey)}` : ''}, ${formatAgo(entry.lastSeen, now)}:`, bold: true }],
    ...wrapText(entry.sampleLine, Math.max(1, width - 2)).map((part): Segment[] => [{ text: ` ${part}` }]),
  ];
}

/** The raw sample line of one fingerprint (enter in the errors panel), wrapped to the width. */
export const ErrorDetail = memo(function ErrorDetail(props: { width: number; height: number }) {
  const entry = useOpsdeck((state) => (state.ui.errorDetail === undefined ? undefined : selectFingerprint(state, state.ui.errorDetail)));
  const innerWidth = Math.max(0, props.width - 2);
  const lines = entry ? errorDetailLines(entry, innerWidth, Date.now()) : [[{ text: ' this fingerprint is no longer tracked', dim: true }]];
  return <DetailScreen title="Error sample" lines={lines} width={props.width} height={props.height} />;
});
