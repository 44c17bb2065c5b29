// Commands of the run screen: each sends one intent to the run's controls (RunControl) or
// moves what the screen shows. Questions the view asks first (abort, take over) open the
// run-question screen; form-commands.ts answers them.

import { detailStepOf, selectShownRun, shownAwaiting, stepKeyOf, stepsOf } from '../../src/store/selectors/active-run';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { sendToRun } from './playbook-intents';

/** The number key pressed, as a 0-based index (1 -> 0), or undefined. */
function digitIndex(context: CommandContext): number | undefined {
  const digit = Number.parseInt(context.press.name, 10);
  return Number.isInteger(digit) && digit >= 1 ? digit - 1 : undefined;
}

function moveStep(context: CommandContext, delta: number): void {
  const state = context.store.getState();
  const run = selectShownRun(state);
  if (!run) return;
  const steps = stepsOf(run);
  const current = detailStepOf(run, state.ui.wizard.selectedStepId);
  const index = current ? steps.indexOf(current) : -1;
  const next = steps[Math.min(steps.length - 1, Math.max(0, index + delta))];
  if (next) state.selectRunStep(stepKeyOf(next));
}

function scrollOutput(context: CommandContext, direction: 1 | -1): void {
  const state = context.store.getState();
  const page = Math.max(1, Math.floor(context.viewport.logRows / 2));
  state.setOutputScroll(state.ui.wizard.outputScroll + direction * page);
}

/** Keys refused in read-only mode still answer, with the reason. */
function refusedInReadOnly(context: CommandContext, what: string): boolean {
  const state = context.store.getState();
  if (!state.readOnly) return false;
  state.showStatus(`${what} refused: read-only`, 'warning');
  return true;
}

export const RUN_COMMANDS = {
  'run.next': (context) => sendToRun(context, (control) => control.runNext()),
  'run.toNextStop': (context) => sendToRun(context, (control) => control.runToNextStop()),
  'run.skip': (context) => sendToRun(context, (control) => control.skip()),
  'run.retry': (context) => sendToRun(context, (control) => control.retry()),
  'run.dryRun': (context) =>
    sendToRun(context, (control, run) => {
      control.toggleDryRun();
      context.store.getState().showStatus(run.dryRun ? 'dry-run off: the steps not run yet act for real' : 'dry-run on: mutating steps show their call and send nothing');
    }),
  'run.yes': (context) => sendToRun(context, (control) => control.confirm(true)),
  'run.no': (context) => sendToRun(context, (control) => control.confirm(false)),
  'run.choose': (context) => {
    const options = shownAwaiting(context.store.getState(), 'decision')?.options ?? [];
    const index = digitIndex(context);
    const option = index === undefined ? undefined : options[index];
    if (!option) context.store.getState().showStatus(`choose 1-${options.length}`, 'warning');
    else sendToRun(context, (control) => control.choose(option.id));
  },
  'run.tick': (context) => {
    const items = shownAwaiting(context.store.getState(), 'checklist')?.items ?? [];
    const index = digitIndex(context);
    if (index === undefined || index >= items.length) context.store.getState().showStatus(`tick 1-${items.length}`, 'warning');
    else sendToRun(context, (control) => control.tick(index));
  },
  'run.acknowledge': (context) => {
    const checklist = shownAwaiting(context.store.getState(), 'checklist');
    const left = checklist ? checklist.ticked.filter((ticked) => !ticked).length + Math.max(0, checklist.items.length - checklist.ticked.length) : 0;
    if (left > 0) context.store.getState().showStatus(`tick every item first (${left} left)`, 'warning');
    else sendToRun(context, (control) => control.acknowledge());
  },
  'run.rollback': (context) => {
    if (!refusedInReadOnly(context, 'rollback')) sendToRun(context, (control) => control.rollback());
  },
  'run.takeOver': (context) => {
    const state = context.store.getState();
    const run = selectShownRun(state);
    if (run && !refusedInReadOnly(context, 'take over')) state.askRunQuestion({ kind: 'take-over', runId: run.runId, askedInRead: context.press.terminalRead });
  },
  'run.abort': (context) => {
    const state = context.store.getState();
    const run = selectShownRun(state);
    if (run) state.askRunQuestion({ kind: 'abort', runId: run.runId, askedInRead: context.press.terminalRead });
  },
  'run.stepDown': (context) => moveStep(context, 1),
  'run.stepUp': (context) => moveStep(context, -1),
  'run.outputUp': (context) => scrollOutput(context, 1),
  'run.outputDown': (context) => scrollOutput(context, -1),
  'run.close': (context) => {
    const state = context.store.getState();
    state.endTextInput(false);
    state.closeRunScreen();
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
