import { Box } from 'ink';
import { memo, useEffect, useState } from 'react';
import type { RunView } from '../../src/playbooks/run-types';
import { detailStepOf, runEnded, selectShownRun, stepsOf } from '../../src/store/selectors/active-run';
import { useDisplay } from '../display-context';
import { PanelFrame } from '../panels/PanelFrame';
import { RowText } from '../RowText';
import { fitSegments, segmentsWidth, type Segment } from '../segments';
import { useOpsdeck } from '../store-context';
import { InputForm } from './InputForm';
import { awaitingLines, summaryLines } from './run-lines';
import { StepDetail } from './StepDetail';
import { StepList } from './StepList';
import { runStatusTone, stepDuration } from './step-status';

/** The time, ticking every second while the run is going (elapsed time, a running step's duration); still once it ended. */
function useRunClock(run: RunView | undefined): number {
  const ended = run === undefined || runEnded(run);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (ended) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ended]);
  return ended ? (run?.endedAt ?? now) : Math.max(now, Date.now());
}

function headerSegments(run: RunView, now: number): { left: Segment[]; right: Segment[] } {
  const left: Segment[] = [{ text: ` ${run.title} `, bold: true }, { text: ` ${run.status} `, bold: true, tone: runStatusTone(run.status) }];
  if (run.dryRun) left.push({ text: ' ' }, { text: ' DRY-RUN ', tone: 'accent', inverse: true, bold: true });
  if (run.readOnly) left.push({ text: ' ' }, { text: ' READ-ONLY ', tone: 'warning', inverse: true, bold: true });
  const right: Segment[] = [{ text: `${run.operator}  elapsed ${stepDuration((run.endedAt ?? now) - run.startedAt)} `, dim: true }];
  return { left, right };
}

/**
 * The run screen: a header (title, status, dry-run and read-only badges, elapsed time), the
 * step list beside the detail of the selected or current step (or the input form), and at the
 * bottom what the run waits for, or its summary once it ended.
 */
export const RunScreen = memo(function RunScreen(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const run = useOpsdeck(selectShownRun);
  const selectedStepKey = useOpsdeck((state) => state.ui.wizard.selectedStepId);
  const scroll = useOpsdeck((state) => state.ui.wizard.outputScroll);
  const now = useRunClock(run);
  if (!run) return null;

  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(1, props.height - 2);
  const bottom = (runEnded(run) ? summaryLines(run) : run.awaiting ? awaitingLines(run, run.awaiting) : []).slice(0, Math.floor(rows / 2));
  const middle = Math.max(0, rows - 1 - bottom.length - (bottom.length > 0 ? 1 : 0));
  const steps = stepsOf(run);
  const detailStep = detailStepOf(run, selectedStepKey);
  const listWidth = Math.min(48, Math.max(20, Math.floor(innerWidth * 0.38)));
  const { left, right } = headerSegments(run, now);
  const rule: Segment[] = [{ text: glyphs.border.top.repeat(innerWidth), dim: true }];

  return (
    <PanelFrame title="Playbook run" info={`run ${run.runId}`} width={props.width} height={props.height} focused>
      <RowText segments={[...fitSegments(left, Math.max(0, innerWidth - segmentsWidth(right)), glyphs.ellipsis), ...right]} />
      {run.awaiting?.kind === 'inputs' ? (
        <InputForm width={innerWidth} height={middle} />
      ) : (
        <Box flexDirection="row" width={innerWidth} height={middle}>
          <StepList steps={steps} detailStep={detailStep} width={listWidth} height={middle} now={now} />
          <Box width={1} flexShrink={0} />
          <StepDetail step={detailStep} width={Math.max(0, innerWidth - listWidth - 1)} height={middle} scroll={scroll} />
        </Box>
      )}
      {bottom.length > 0 ? <RowText segments={rule} /> : null}
      {bottom.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, innerWidth, glyphs.ellipsis)} />
      ))}
    </PanelFrame>
  );
});
