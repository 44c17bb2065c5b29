import { memo } from 'react';
import type { ErrorFingerprint } from '../../src/domain/types';
import { selectFingerprint, workloadLabelOf } from '../../src/store/selectors/error-rows';
import { useDisplay } from '../display-context';
import { formatAgo } from '../format/numbers';
import { wrapText } from '../format/text';
import { PanelFrame } from '../panels/PanelFrame';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck } from '../store-context';

const LABEL_WIDTH = 10;

function labelled(label: string, value: string, width: number, tone?: Segment['tone']): Segment[][] {
  const wrapped = wrapText(value, Math.max(1, width - LABEL_WIDTH));
  return wrapped.map((part, index) => [{ text: (index === 0 ? ` ${label}` : '').padEnd(LABEL_WIDTH), bold: true }, { text: part, tone }]);
}

export function errorDetailLines(entry: ErrorFingerprint, width: number, now: number): Segment[][] {
  return [
    [
      { text: ' count'.padEnd(LABEL_WIDTH), bold: true },
      { text: `${entry.count}`, bold: true, tone: 'critical' },
      { text: `   first ${formatAgo(entry.firstSeen, now)}   last ${formatAgo(entry.lastSeen, now)}`, dim: true },
    ],
    ...labelled('services', entry.workloadKeys.map(workloadLabelOf).join(', '), width, 'accent'),
    ...labelled('pattern', entry.fingerprint, width),
    [],
    [{ text: ` raw sample from ${workloadLabelOf(entry.sampleWorkloadKey)}, ${formatAgo(entry.lastSeen, now)}:`, bold: true }],
    ...wrapText(entry.sampleLine, Math.max(1, width - 2)).map((part): Segment[] => [{ text: ` ${part}` }]),
  ];
}

/** The raw sample line of one fingerprint (enter in the errors panel), wrapped to the width. */
export const ErrorDetail = memo(function ErrorDetail(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const entry = useOpsdeck((state) => (state.ui.errorDetail === undefined ? undefined : selectFingerprint(state, state.ui.errorDetail)));
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(0, props.height - 2);
  const all = entry ? errorDetailLines(entry, innerWidth, Date.now()) : [[{ text: ' this fingerprint is no longer tracked', dim: true }]];
  const lines: Segment[][] =
    all.length > rows ? [...all.slice(0, Math.max(0, rows - 1)), [{ text: ` ${glyphs.ellipsis} ${all.length - rows + 1} more lines`, dim: true }]] : all;
  return (
    <PanelFrame title="Error sample" width={props.width} height={props.height} focused>
      {lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line.length === 0 ? [{ text: ' ' }] : line, innerWidth, glyphs.ellipsis)} />
      ))}
    </PanelFrame>
  );
});
