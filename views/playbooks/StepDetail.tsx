import { Box, Text } from 'ink';
import { memo } from 'react';
import type { StepView } from '../../src/playbooks/run-types';
import { useDisplay } from '../display-context';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { outputWindow } from './run-lines';
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

/**
 * The detail pane of one step: its calls, status and the window of its output that fits.
 * Output is virtualised: of the lines the store keeps, only the visible window is rendered.
 */
export const StepDetail = memo(function StepDetail(props: { step: StepView | undefined; width: number; height: number; scroll: number }) {
  const { glyphs } = useDisplay();
  const { step } = props;
  if (!step) return <Box width={props.width} height={props.height} />;
  const head = headLines(step, glyphs).slice(0, Math.max(1, props.height - 2));
  const outputRows = Math.max(0, props.height - head.length - 1);
  const window = outputWindow(step, outputRows, props.scroll);
  const count = step.outputLineCount;
  const info =
    count === 0
      ? 'no output yet'
      : `output: ${count} lines${window.dropped > 0 ? ` (last ${step.output.length} kept)` : ''}${window.below > 0 ? `, ${window.below} below` : ''}`;
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {head.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.width, glyphs.ellipsis)} />
      ))}
      <RowText segments={fitSegments([{ text: info, dim: true }], props.width, glyphs.ellipsis)} />
      {window.lines.map((line, offset) => (
        <Text key={window.firstLineNumber + offset} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
});
