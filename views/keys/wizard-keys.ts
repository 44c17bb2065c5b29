// The playbook wizard's keys, part of the key table: the picker, the run screen (what each
// key offers depends on what the run waits for, so the hint bar shows only what works now),
// the input form, the typed-name confirmation and the view's own y/N questions.

import { isAwaiting, selectActiveRun, selectResumableRuns, selectShownRun, runEnded, shownAwaiting } from '../../src/store/selectors/active-run';
import { selectRowFix } from '../../src/store/selectors/suggestion-sources';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyBinding } from './key-table';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

const running = (state: OpsdeckState): boolean => {
  const run = selectShownRun(state);
  return run !== undefined && !runEnded(run);
};

export const PICKER_KEYS: readonly KeyBinding[] = [
  { command: 'picker.accept', keys: ['enter'], label: 'open the playbook', scope: 'picker', hint: 'open' },
  { command: 'picker.down', keys: ['down', 'ctrl+n'], label: 'next playbook', scope: 'picker', hint: 'move' },
  { command: 'picker.up', keys: ['up', 'ctrl+p'], label: 'previous playbook', scope: 'picker', hint: 'move' },
  { command: 'picker.cancel', keys: ['escape'], label: 'close the picker', scope: 'picker', hint: 'cancel' },
];

/** On the panels: open the picker, fix the selected row, go back to the run, resume a dead run. */
export const MAIN_WIZARD_KEYS: readonly KeyBinding[] = [
  { command: 'picker.open', keys: ['p'], label: 'playbooks (suggested first)', scope: 'main', hint: 'playbooks' },
  {
    command: 'playbook.fix',
    keys: ['!'],
    label: "the row's suggested playbook, bound",
    scope: 'main',
    hint: 'fix',
    offered: (state) => selectRowFix(state) !== undefined,
  },
  {
    command: 'run.reopen',
    keys: ['w'],
    label: 'back to the playbook run',
    scope: 'main',
    hint: 'run',
    when: (state) => selectActiveRun(state) !== undefined,
  },
  {
    command: 'run.resumeUnfinished',
    keys: ['R'],
    label: 'resume the unfinished run',
    scope: 'main',
    hint: 'resume run',
    when: (state) => selectResumableRuns(state).length > 0,
  },
];

export const RUN_KEYS: readonly KeyBinding[] = [
  { command: 'run.next', keys: ['enter'], label: 'run the step', scope: 'run', hint: 'run step', when: (state) => isAwaiting(state, 'next-step', 'resume') },
  {
    command: 'run.acknowledge',
    keys: ['enter'],
    label: 'checklist done (every item ticked)',
    scope: 'run',
    hint: 'done',
    when: (state) => isAwaiting(state, 'checklist'),
  },
  {
    command: 'run.toNextStop',
    keys: ['a'],
    label: 'run on to the next step that needs you',
    scope: 'run',
    hint: 'run on',
    when: (state) => isAwaiting(state, 'next-step', 'resume'),
  },
  { command: 'run.yes', keys: ['y', 'Y'], label: 'yes: run the step', scope: 'run', hint: 'yes', when: (state) => shownAwaiting(state, 'confirm')?.mode === 'yes-no' },
  { command: 'run.no', keys: ['n', 'N'], label: 'no: do not run it', scope: 'run', hint: 'no', when: (state) => shownAwaiting(state, 'confirm')?.mode === 'yes-no' },
  {
    command: 'run.choose',
    keys: DIGITS,
    label: 'choose the option of that number',
    scope: 'run',
    hint: 'choose',
    hintKeys: (state) => `1-${Math.min(9, shownAwaiting(state, 'decision')?.options.length ?? 1)}`,
    when: (state) => isAwaiting(state, 'decision'),
  },
  {
    command: 'run.tick',
    keys: DIGITS,
    label: 'tick (or untick) the checklist item of that number',
    scope: 'run',
    hint: 'tick',
    hintKeys: (state) => `1-${Math.min(9, shownAwaiting(state, 'checklist')?.items.length ?? 1)}`,
    when: (state) => isAwaiting(state, 'checklist'),
  },
  { command: 'run.retry', keys: ['r'], label: 'retry the failed step', scope: 'run', hint: 'retry', when: (state) => isAwaiting(state, 'failure') },
  {
    command: 'run.skip',
    keys: ['s'],
    label: 'skip the step',
    scope: 'run',
    hint: 'skip',
    when: (state) => isAwaiting(state, 'next-step', 'confirm', 'failure', 'resume', 'lock-held'),
  },
  {
    command: 'run.rollback',
    keys: ['b'],
    label: 'roll back (the playbook has a rollback)',
    scope: 'run',
    hint: 'roll back',
    destructive: true,
    when: (state) => shownAwaiting(state, 'failure')?.canRollback === true,
  },
  {
    command: 'run.takeOver',
    keys: ['t'],
    label: 'take over the lock another run holds (asks first)',
    scope: 'run',
    hint: 'take over',
    destructive: true,
    when: (state) => isAwaiting(state, 'lock-held'),
  },
  { command: 'run.abort', keys: ['x'], label: 'abort the run (asks first, then offers the rollback)', scope: 'run', hint: 'abort', when: running },
  { command: 'run.dryRun', keys: ['d'], label: 'dry-run on/off for the steps not run yet', scope: 'run', hint: 'dry-run', when: running },
  { command: 'run.stepDown', keys: ['j', 'down'], label: 'next step (its detail)', scope: 'run', hint: 'step' },
  { command: 'run.stepUp', keys: ['k', 'up'], label: 'previous step (its detail)', scope: 'run', hint: 'step' },
  { command: 'run.outputUp', keys: ['pageup', 'ctrl+u'], label: 'scroll the output up', scope: 'run' },
  { command: 'run.outputDown', keys: ['pagedown', 'ctrl+d'], label: 'scroll the output down (to the tail)', scope: 'run' },
  { command: 'run.close', keys: ['escape'], label: 'back to the panels (the run keeps its state; w returns)', scope: 'run', hint: 'back' },

  // The input form: one line per input; enter sends them all, the runner answers with errors.
  { command: 'form.submit', keys: ['enter'], label: 'submit the inputs', scope: 'run-form', hint: 'submit' },
  { command: 'form.nextField', keys: ['down'], label: 'next input', scope: 'run-form', hint: 'field' },
  { command: 'form.previousField', keys: ['up'], label: 'previous input', scope: 'run-form', hint: 'field' },
  { command: 'form.nextChoice', keys: ['tab'], label: 'next allowed value (live objects: matching what is typed)', scope: 'run-form', hint: 'choices' },
  { command: 'form.previousChoice', keys: ['shift+tab'], label: 'previous allowed value', scope: 'run-form' },
  { command: 'form.close', keys: ['escape'], label: 'back to the panels (the form keeps its values)', scope: 'run-form', hint: 'back' },

  // Type the target's name to confirm a dangerous step.
  { command: 'typed.accept', keys: ['enter'], label: 'confirm with the typed name', scope: 'run-typed', hint: 'confirm' },
  { command: 'typed.cancel', keys: ['escape'], label: 'do not run the step', scope: 'run-typed', hint: 'no' },

  // The view's own questions before an intent (abort, rollback, take over): y, anything else cancels.
  { command: 'question.accept', keys: ['y', 'Y'], label: 'yes', scope: 'run-question', hint: 'yes' },
  { command: 'question.cancel', keys: ['n', 'N', 'escape'], label: 'no (any other key too)', scope: 'run-question', hint: 'no' },
];
