import { Box } from 'ink';
import { memo } from 'react';
import type { StepView } from '../../src/playbooks/run-types';
import { stepKeyOf } from '../../src/store/selectors/active-run';
import { useDisplay } from '../display-context';
import { RowText } from '../RowText';
import { fitSegments, segmentsWidth, type Segment } from '../segments';
import { useListWindow } from '../use-list-window';
import { stepDuration, stepGlyph } from './step-status';

/** Right side of a step row: its progress while it runs, else how long it took. */
function timing(step: StepView, now: number): string {
  if (step.status === 'running') {
    const elapsed = step.startedAt === undefined ? '' : stepDuration(now - step.startedAt);
    return step.progress ? `${step.progress} ${elapsed}` : elapsed;
  }
  return step.durationMs === undefined ? '' : stepDuration(step.durationMs);
}

const StepRow = memo(function StepRow(props: { step: StepView; selected: boolean; width: number; now: number }) {
  const { glyphs } = useDisplay();
  const { step } = props;
  const { glyph, tone } = stepGlyph(step.status, glyphs);
  const right: Segment[] = [{ text: ` ${timing(step, props.now)} `, dim: true }];
  const left: Segment[] = [
    { text: props.selected ? glyphs.selected : ' ', bold: true, tone: 'accent' },
    { text: ` ${glyph} `, bold: true, tone },
    ...(step.phase === 'rollback' ? [{ text: 'rollback: ', tone: 'warning' as const }] : []),
    { text: step.title, bold: step.status === 'running' },
    ...(step.attempt > 1 ? [{ text: ` #${step.attempt}`, dim: true }] : []),
  ];
  const leftWidth = Math.max(0, props.width - segmentsWidth(right));
  return <RowText segments={fitSegments([...fitSegments(left, leftWidth, glyphs.ellipsis), ...right], props.width, glyphs.ellipsis)} inverse={props.selected} />;
});

/** The run's steps (main, then rollback) with status glyph, title and timing; only the visible window is rendered. */
export function StepList(props: { steps: readonly StepView[]; detailStep: StepView | undefined; width: number; height: number; now: number }) {
  const selectedIndex = props.detailStep ? props.steps.indexOf(props.detailStep) : -1;
  const window = useListWindow(props.steps.length, selectedIndex, props.height);
  return (
    <Box flexDirection="column" width={props.width} height={props.height} flexShrink={0} overflow="hidden">
      {props.steps.slice(window.start, window.end).map((step, offset) => (
        <StepRow key={stepKeyOf(step)} step={step} selected={window.start + offset === selectedIndex} width={props.width} now={props.now} />
      ))}
    </Box>
  );
}
