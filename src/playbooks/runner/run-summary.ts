// One line for the end of a run: the verdict, the reason, and the counts by step status. A
// step refused by read-only mode counts as not done (the run is failed), and the line says so.

import type { RunVerdict } from '../../journal/journal-types';
import type { StepStatus, StepView } from '../run-types';

const ORDER: readonly StepStatus[] = ['passed', 'would-do', 'skipped', 'failed', 'refused', 'pending'];

export function summaryOf(verdict: RunVerdict, reason: string | undefined, steps: readonly StepView[], rollbackSteps: readonly StepView[]): string {
  const counts = new Map<StepStatus, number>();
  for (const step of steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  const parts = ORDER.filter((status) => counts.has(status)).map((status) => `${counts.get(status)} ${status === 'pending' ? 'not run' : status}`);
  const refused = steps.filter((step) => step.status === 'refused').map((step) => step.id);
  const refusedNote = refused.length > 0 ? `; not done (read-only mode refused them): ${refused.join(', ')}` : '';
  const rolledBack = rollbackSteps.filter((step) => step.attempt > 0 || step.status !== 'pending');
  const rollbackNote = rolledBack.length > 0 ? `; rollback: ${rolledBack.map((step) => `${step.id} ${step.status}`).join(', ')}` : '';
  const why = reason && !reason.startsWith('not done: refused') ? ` (${reason})` : '';
  return `${verdict}${why}: ${parts.join(', ')}${refusedNote}${rollbackNote}`;
}
