import { memo } from 'react';
import type { RunView } from '../../src/playbooks/run-types';
import { selectRunQuestion } from '../../src/store/selectors/active-run';
import type { RunQuestion } from '../../src/store/slices/wizard-ui';
import { useDisplay } from '../display-context';
import { CenteredDialog, dialogKeyLine } from '../overlays/CenteredDialog';
import type { Segment } from '../segments';
import { useOpsdeck, useOpsdeckStore } from '../store-context';

function questionLines(question: RunQuestion, run: RunView | undefined): Segment[][] {
  switch (question.kind) {
    case 'abort':
      return [[{ text: ` Abort the run of ${run?.title ?? question.runId}? [y/N]`, bold: true, tone: 'critical' }], [{ text: ' steps not run yet stay not run', dim: true }]];
    case 'rollback':
      return [
        [{ text: ` Aborted. Roll back? [y/N]`, bold: true, tone: 'warning' }],
        [{ text: ` ${run?.rollbackSteps.map((step) => step.title).join(', ') ?? ''}`, dim: true }],
      ];
    case 'take-over': {
      const holder = run?.awaiting?.kind === 'lock-held' ? run.awaiting.holder : undefined;
      const who = holder ? `${holder.operator} (run ${holder.runId}, step ${holder.stepId})` : 'another run';
      return [[{ text: ` Take over the lock held by ${who}? [y/N]`, bold: true, tone: 'warning' }], [{ text: ' the take-over is journaled', dim: true }]];
    }
  }
}

/** The view's own y/N question on the run screen (abort, the rollback offer, a lock take-over), over the run. */
export const RunQuestionDialog = memo(function RunQuestionDialog(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const store = useOpsdeckStore();
  const question = useOpsdeck(selectRunQuestion);
  const run = useOpsdeck((state) => (question ? state.runs[question.runId] : undefined));
  if (!question) return null;
  const keys = dialogKeyLine(store.getState(), 'run-question', glyphs.ascii);
  const lines = [...questionLines(question, run), [{ text: '' }], [{ text: ` ${keys}` }]];
  const width = Math.min(72, Math.max(20, props.width - 4));
  return <CenteredDialog width={props.width} height={props.height} dialogWidth={width} tone={question.kind === 'abort' ? 'critical' : 'warning'} lines={lines} />;
});
