import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { StepView } from '../../src/playbooks/run-types';
import { useDisplay } from '../display-context';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { fitOutputLines, outputWindow } from './run-lines';
import { STEP_WORDS, stepGlyph } from './step-status';

/** Lines above the output: title and status, the action, its rendered calls, why it failed or was skipped. */
function headLines(step: StepView, glyphs: ReturnType<typeof useDisplay>['glyphs']): Segment[][] {
  const { glyph, tone } = stepGlyph(step.status, glyphs);
  const lines: Segment[][] = [
    [
      { text: `${glyph} `, bold: true, tone },
      { text: step.title, bold: true },
      { text: `  ${STEP_WORDS[step.status]}`, tone },
      ...(step.attempt > 1 ? [{ text: `  attempt ${step.attempt}`, dim: true }] : []),
    ],
    [{ text: `${step.action}${step.mutates ? '  (changes the system)' : ''}`, dim: true }],
    ...step.calls.map((call): Segment[] => [{ text: `$ ${call}`, tone: 'accent' }]),
  ];
  if (step.progress) lines.push([{ text: step.progress, tone: 'accent' }]);
  if (step.detail) lines.push([{ text: step.detail, tone: step.status === 'failed' ? 'critical' : 'warning' }]);
  return lines;
}

const NO_OUTPUT: StepView['output'] = [];

/**
 * The detail pane of one step: its calls, status and the window of its output that fits.
 * Output is virtualised: of the lines the store keeps, only the visible window is rendered,
 * cut to the pane's width once per store flush (not per frame), one Text per screen row: the
 * rows keep their Ink nodes while the lines scroll through them.
 */
export const StepDetail = memo(function StepDetail(props: { step: StepView | undefined; width: number; height: number; scroll: number }) {
  const { glyphs } = useDisplay();
  const { step } = props;
  const head = step ? headLines(step, glyphs).slice(0, Math.max(1, props.height - 2)) : [];
  const outputRows = Math.max(0, props.height - head.length - 1);
  const output = step?.output ?? NO_OUTPUT;
  const lineCount = step?.outputLineCount ?? 0;
  const window = useMemo(() => outputWindow({ output, outputLineCount: lineCount }, outputRows, props.scroll), [output, lineCount, outputRows, props.scroll]);
  const lines = useMemo(() => fitOutputLines(window.lines, props.width, glyphs.ellipsis), [window, props.width, glyphs.ellipsis]);
  if (!step) return <Box width={props.width} height={props.height} />;
  const info =
    lineCount === 0
      ? 'no output yet'
      : `output: ${lineCount} lines${window.dropped > 0 ? ` (last ${output.length} kept)` : ''}${window.below > 0 ? `, ${window.below} below` : ''}`;
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {head.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.width, glyphs.ellipsis)} />
      ))}
      <RowText segments={fitSegments([{ text: info, dim: true }], props.width, glyphs.ellipsis)} />
      {lines.map((line, row) => (
        // Keyed by screen row: a flush changes the rows' text, it does not remount them.
        <Text key={row} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
});
