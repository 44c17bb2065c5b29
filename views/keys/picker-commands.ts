// Commands of the playbook picker, and the panel keys that reach the wizard: `p` opens the
// picker, `!` starts the selected row's suggested playbook, `w` goes back to the run, `R`
// resumes a run that never ended.

import { selectActiveRun, selectResumableRuns } from '../../src/store/selectors/active-run';
import { gateRecoveryProblem, selectSelectedGate } from '../../src/store/selectors/gate-panel';
import { selectPickerSelection } from '../../src/store/selectors/playbook-picker';
import { selectRowFix } from '../../src/store/selectors/suggestion-sources';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { resumeRun, showActiveRun, startPlaybook } from './playbook-intents';

function movePicker(context: CommandContext, delta: number): void {
  const state = context.store.getState();
  const { entries, index } = selectPickerSelection(state);
  const next = entries[Math.min(entries.length - 1, Math.max(0, index + delta))];
  if (next) state.selectPickerEntry(next.key);
}

/** Opens the picker: suggestions for the row selected now come first. */
export function openPicker(context: CommandContext): void {
  const state = context.store.getState();
  state.openPicker();
  state.beginTextInput('playbook-filter', '');
  if (!catalogEmpty(state.catalog)) return;
  // The cockpit reads its catalog once the engines have answered: a picker opened before reads it now.
  const reading = context.playbooks?.refresh();
  const sayIfEmpty = (): void => {
    if (catalogEmpty(context.store.getState().catalog)) context.store.getState().showStatus('no playbooks found (see opsdeck playbooks list)', 'warning');
  };
  if (reading) void reading.then(sayIfEmpty, () => undefined);
  else sayIfEmpty();
}

function catalogEmpty(catalog: { playbooks: readonly unknown[]; invalid: readonly unknown[] }): boolean {
  return catalog.playbooks.length === 0 && catalog.invalid.length === 0;
}

export const PICKER_COMMANDS = {
  'picker.open': openPicker,
  'picker.down': (context) => movePicker(context, 1),
  'picker.up': (context) => movePicker(context, -1),
  'picker.cancel': (context) => {
    const state = context.store.getState();
    state.endTextInput(false);
    state.closePicker();
  },
  'picker.accept': (context) => {
    const state = context.store.getState();
    const { entries, index } = selectPickerSelection(state);
    const entry = entries[index];
    if (!entry) return;
    if (entry.invalid || entry.playbookId === undefined) {
      state.showStatus(`invalid playbook: ${entry.detail}`, 'warning');
      return;
    }
    state.endTextInput(true);
    state.closePicker();
    startPlaybook(context, entry.playbookId, entry.inputs);
  },
  'playbook.fix': (context) => {
    const state = context.store.getState();
    const suggestion = selectRowFix(state);
    if (!suggestion) {
      // On a gate, the notice says why its own recovery cannot start (none, not in the catalog, it passes).
      const gate = state.ui.focusedPanel === 'gates' ? selectSelectedGate(state) : undefined;
      state.showStatus((gate && gateRecoveryProblem(state, gate)) ?? 'no playbook is suggested for this row (p lists them all)', 'warning');
      return;
    }
    startPlaybook(context, suggestion.playbookId, suggestion.inputs);
  },
  'run.reopen': (context) => {
    if (selectActiveRun(context.store.getState())) showActiveRun(context);
  },
  'run.resumeUnfinished': (context) => {
    const [run] = selectResumableRuns(context.store.getState());
    if (run) resumeRun(context, run.runId);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
