// One line for the end of a run: the verdict, the reason, and the counts by step status. A
// step refused (by read-only mode, or forbidden by the engine) counts as not done (the run is
// failed), and the line says so, with the engine's reason.

import type { RunVerdict } from '../../journal/journal-types';
import type { StepStatus, StepView } from '../run-types';

const ORDER: readonly StepStatus[] = ['passed', 'would-do', 'skipped', 'failed', 'refused', 'pending'];

export function summaryOf(verdict: RunVerdict, reason: string | undefined, steps: readonly StepView[], rollbackSteps: readonly StepView[]): string {
  const counts = new Map<StepStatus, number>();
  for (const step of steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  const parts = ORDER.filter((status) => counts.has(status)).map((status) => `${counts.get(status)} ${status === 'pending' ? 'not run' : status}`);
  const refused = steps.filter((step) => step.status === 'refused');
  const byReadOnly = refused.filter((step) => step.detail === undefined || step.detail.startsWith('read-only mode')).map((step) => step.id);
  // Refused otherwise: forbidden by the engine (an access review), or not supported there; the reason is named.
  const byEngine = refused.filter((step) => !byReadOnly.includes(step.id)).map((step) => `${step.id} (${step.detail ?? 'refused'})`);
  const refusedNote = `${byReadOnly.length > 0 ? `; not done (read-only mode refused them): ${byReadOnly.join(', ')}` : ''}${byEngine.length > 0 ? `; not done (refused): ${byEngine.join(', ')}` : ''}`;
  const rolledBack = rollbackSteps.filter((step) => step.attempt > 0 || step.status !== 'pending');
  const rollbackNote = rolledBack.length > 0 ? `; rollback: ${rolledBack.map((step) => `${step.id} ${step.status}`).join(', ')}` : '';
  const why = reason && !reason.startsWith('not done: refused') ? ` (${reason})` : '';
  return `${verdict}${why}: ${parts.join(', ')}${refusedNote}${rollbackNote}`;
}
