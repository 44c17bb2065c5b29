// The rollback list, run when a step's policy says so or the operator asks (after an abort or
// a failure): best effort, a failing rollback step does not stop the ones after it.

import type { RunVerdict } from '../../journal/journal-types';
import type { PlaybookStep } from '../playbook-types';
import type { RunInternals } from './run-internals';
import { visitStep } from './step-visit';

/** The rollback list, best effort: a failing rollback step does not stop the others. */
export async function runRollback(run: RunInternals, reason: string, startIndex = 0): Promise<{ verdict: RunVerdict; reason?: string }> {
  run.resetAbort();
  run.journal({ type: 'note', text: `rolling back: ${reason}`, operator: run.dependencies.operator.operator });
  const notDone: string[] = [];
  for (let index = startIndex; index < run.playbook.rollback.length; index += 1) {
    const step = run.playbook.rollback[index] as PlaybookStep;
    run.view.view.currentStepId = step.id;
    const visit = await visitStep(run, 'rollback', step, { stepping: !run.runsOn() });
    run.checkSuspended();
    if (visit.kind === 'again') {
      index -= 1;
      continue;
    }
    if (visit.kind === 'abort') return { verdict: 'aborted', reason: `aborted by the operator during the rollback (${reason})` };
    if (visit.kind === 'done' && (visit.verdict === 'failed' || visit.verdict === 'refused')) notDone.push(step.id);
  }
  if (notDone.length > 0) return { verdict: 'failed', reason: `${reason}; rollback steps not done: ${notDone.join(', ')}` };
  return { verdict: 'rolled-back', reason };
}
