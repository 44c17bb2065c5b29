// Lines of the run screen built from the run view (pure): the window of a step's output
// that is drawn, what the run waits for, and the summary at its end.

import type { RunAwaiting, RunView, StepView } from '../../src/playbooks/run-types';
import { stepsOf } from '../../src/store/selectors/active-run';
import { truncateText } from '../format/text';
import type { Segment } from '../segments';
import { runStatusTone } from './step-status';

export interface OutputWindow {
  /** Only these lines are rendered: never more than the rows shown. */
  lines: readonly string[];
  /** 1-based number of the first of them among every line the step printed. */
  firstLineNumber: number;
  /** Kept lines below the window (scrolled up from the tail). */
  below: number;
  /** Lines printed but no longer kept (the store keeps OUTPUT_LINES_KEPT). */
  dropped: number;
}

/** The `rows` lines of a step's output to draw, `scroll` lines up from the tail. */
export function outputWindow(step: Pick<StepView, 'output' | 'outputLineCount'>, rows: number, scroll: number): OutputWindow {
  const kept = step.output.length;
  const offset = Math.min(Math.max(0, scroll), Math.max(0, kept - rows));
  const end = kept - offset;
  const start = Math.max(0, end - Math.max(0, rows));
  return { lines: step.output.slice(start, end), firstLineNumber: step.outputLineCount - kept + start + 1, below: offset, dropped: step.outputLineCount - kept };
}

/**
 * The window's lines cut to `width` columns, a cut one ending with the ellipsis, before they
 * reach Ink: Ink would otherwise measure and truncate every new line itself on each frame while
 * a step streams. An empty line is one space (an empty Text takes no row).
 */
export function fitOutputLines(lines: readonly string[], width: number, ellipsis: string): string[] {
  return lines.map((line) => (line === '' ? ' ' : truncateText(line, width, ellipsis)));
}

function titleOf(run: RunView, stepId: string): string {
  return stepsOf(run).find((step) => step.id === stepId)?.title ?? stepId;
}

const accent = (text: string): Segment => ({ text, bold: true, tone: 'accent' });
const plain = (text: string): Segment => ({ text });
const dim = (text: string): Segment => ({ text, dim: true });

/** What the run waits for, as the lines above the hint bar (whose keys answer it). */
export function awaitingLines(run: RunView, awaiting: RunAwaiting): Segment[][] {
  switch (awaiting.kind) {
    case 'inputs':
      return [[accent(' Inputs: '), plain('fill in the form; enter submits')]];
    case 'next-step':
      return [[accent(' Next: '), plain(titleOf(run, awaiting.stepId)), dim('  (enter runs it, a runs on to the next stop)')]];
    case 'confirm': {
      const how = awaiting.mode === 'type-target' ? `type ${awaiting.expected ?? 'the target name'} to confirm` : '[y/N]';
      return [[{ text: ` ${awaiting.question} `, bold: true, tone: 'warning' }, dim(how)], ...awaiting.calls.map((call) => [dim(`   ${call}`)])];
    }
    case 'approval':
      return [
        [{ text: ` Waiting for a second operator: ${awaiting.question}`, bold: true, tone: 'warning' }],
        [dim(`   requested by ${awaiting.requestedBy}; another operator approves with :approve ${run.runId} or opsdeck approve ${run.runId}`)],
      ];
    case 'decision':
      return [[accent(` ${awaiting.question}`)], ...awaiting.options.slice(0, 9).map((option, index) => [accent(`   ${index + 1} `), plain(option.label)])];
    case 'checklist':
      return [
        [accent(` ${awaiting.instructions}`)],
        ...awaiting.items.slice(0, 9).map((item, index): Segment[] => [
          accent(`   ${index + 1} `),
          { text: awaiting.ticked[index] ? '[x] ' : '[ ] ', bold: true, tone: awaiting.ticked[index] ? 'ok' : undefined },
          plain(item),
        ]),
      ];
    case 'lock-held': {
      const { holder } = awaiting;
      return [
        [{ text: ` ${awaiting.target} is locked by ${holder.operator} (run ${holder.runId}, step ${holder.stepId})`, bold: true, tone: 'warning' }],
        [dim('   wait, skip, abort, or take the lock over (journaled)')],
      ];
    }
    case 'failure':
      return [
        [{ text: ` Failed: ${titleOf(run, awaiting.stepId)}: `, bold: true, tone: 'critical' }, plain(awaiting.error)],
        [dim(`   retry, skip, abort${awaiting.canRollback ? ' or roll back' : ''}`)],
      ];
    case 'resume': {
      const found = awaiting.verdict === 'happened' ? 'it happened' : awaiting.verdict === 'not-happened' ? 'it did not happen' : 'cannot tell whether it happened';
      return [
        [{ text: ` Resumed at ${titleOf(run, awaiting.stepId)}: ${found}`, bold: true, tone: awaiting.verdict === 'unknown' ? 'warning' : 'accent' }],
        [dim(`   ${awaiting.detail}`)],
      ];
    }
  }
}

/** The end of a run: its verdict, the steps read-only refused, where the journal is. */
export function summaryLines(run: RunView): Segment[][] {
  const counts = new Map<string, number>();
  for (const step of stepsOf(run)) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  const tally = [...counts.entries()].map(([status, count]) => `${count} ${status}`).join(', ');
  const lines: Segment[][] = [[{ text: ` Run ${run.verdict ?? run.status} `, bold: true, inverse: true, tone: runStatusTone(run.status) }, plain(`  ${tally}`)]];
  if (run.refusedSteps.length > 0) {
    lines.push([{ text: ` Not run (read-only): ${run.refusedSteps.map((id) => titleOf(run, id)).join(', ')}`, tone: 'warning' }]);
  }
  if (run.journalPath) lines.push([dim(` journal: ${run.journalPath}`)]);
  return lines;
}
