// The wizard's intents to the playbook service, in one place: start a playbook (picker, `!`,
// `:run`), resume a dead run, and reach the controls of the run on screen. The runner does
// the work and writes the run into the store; the views only show it.

import type { RunControl, RunView } from '../../src/playbooks/run-types';
import { selectShownRun } from '../../src/store/selectors/active-run';
import type { CommandContext } from './command-context';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function serviceOf(context: CommandContext) {
  if (!context.playbooks) context.store.getState().showStatus('playbooks are not available in this session', 'warning');
  return context.playbooks;
}

/** Shows the active run on the run screen, leaving whatever line was being typed. */
export function showActiveRun(context: CommandContext): void {
  const state = context.store.getState();
  state.endTextInput(false);
  state.clearStatus();
  state.openRunScreen();
}

/** Starts `playbookId` (the form asks for what `inputs` leaves out) and shows the run. */
export function startPlaybook(context: CommandContext, playbookId: string, inputs: Readonly<Record<string, string>> = {}): void {
  const service = serviceOf(context);
  if (!service) return;
  const state = context.store.getState();
  try {
    service.start(playbookId, { inputs, ...(state.dryRun ? { dryRun: true } : {}) });
  } catch (error) {
    state.showStatus(`${playbookId}: ${messageOf(error)}`, 'error');
    return;
  }
  showActiveRun(context);
}

/** Resumes a run that never ended (the runner observes its interrupted step first) and shows it. */
export function resumeRun(context: CommandContext, runId: string): void {
  const service = serviceOf(context);
  if (!service) return;
  try {
    service.resume(runId);
  } catch (error) {
    context.store.getState().showStatus(`resume ${runId}: ${messageOf(error)}`, 'error');
    return;
  }
  showActiveRun(context);
}

/** The run on screen and its controls, or undefined (with the reason in the status line). */
export function shownRunControl(context: CommandContext): { run: RunView; control: RunControl } | undefined {
  const state = context.store.getState();
  const run = selectShownRun(state);
  if (!run) return undefined;
  const service = serviceOf(context);
  const control = service?.control(run.runId);
  if (service && !control) state.showStatus(`run ${run.runId} is not controlled by this cockpit`, 'warning');
  return control ? { run, control } : undefined;
}

/** Runs `send` on the shown run's controls; a control that throws says so in the status line. */
export function sendToRun(context: CommandContext, send: (control: RunControl, run: RunView) => void): void {
  const target = shownRunControl(context);
  if (!target) return;
  try {
    send(target.control, target.run);
  } catch (error) {
    context.store.getState().showStatus(messageOf(error), 'error');
  }
}
