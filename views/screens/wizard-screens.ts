// The wizard's parts of the screen stack: when the run screen is open, and the two lines
// typed into on it (the input form's focused field, the name typed to confirm a step).

import { selectShownRun, shownAwaiting } from '../../src/store/selectors/active-run';
import { selectPickerSelection } from '../../src/store/selectors/playbook-picker';
import { focusedInput, selectRunForm } from '../../src/store/selectors/run-form';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyScope } from '../keys/key-table';
import type { TextInputScreen } from './screen-stack';

export function runScreenOpen(state: OpsdeckState): boolean {
  return selectShownRun(state) !== undefined;
}

/** Help on the run screen: its keys, then the form's, the typed name's and the questions'. */
export const WIZARD_SCOPES: readonly KeyScope[] = ['run', 'run-form', 'run-typed', 'run-question', 'input', 'global'];

/** The confirmation waiting for the target's name, if that is what the shown run waits for. */
export function typedConfirmation(state: OpsdeckState) {
  const awaiting = shownAwaiting(state, 'confirm');
  return awaiting?.mode === 'type-target' ? awaiting : undefined;
}

/** Beside the picker's filter: why the selected file cannot be opened. */
export function pickerHint(state: OpsdeckState): string {
  const { entries, index } = selectPickerSelection(state);
  const entry = entries[index];
  return entry?.invalid ? `cannot open: ${entry.detail}` : '';
}

/** The focused field of the input form: typing edits its value in the ui slice's form. */
export const RUN_FORM_INPUT: TextInputScreen = {
  id: 'run-input',
  label: 'value: ',
  value(state) {
    const view = selectRunForm(state);
    const input = view && focusedInput(view);
    return input ? (view.form.values[input.name] ?? '') : '';
  },
  apply(state, value) {
    const view = selectRunForm(state);
    const input = view && focusedInput(view);
    if (!view || !input) return;
    state.setRunForm({ ...view.form, values: { ...view.form.values, [input.name]: value } });
  },
  // The choices are listed in the form itself; the line says which field it edits.
  hint(state) {
    const view = selectRunForm(state);
    const input = view && focusedInput(view);
    return input ? `${input.name} (${input.type})` : '';
  },
};

/** The name typed to confirm a dangerous step; the hint says which name. */
export const RUN_TYPED_INPUT: TextInputScreen & { expected(state: OpsdeckState): string | undefined } = {
  id: 'run-confirm',
  label: 'type the name: ',
  expected: (state) => {
    const awaiting = typedConfirmation(state);
    return awaiting ? (awaiting.expected ?? '') : undefined;
  },
  value(state) {
    const awaiting = typedConfirmation(state);
    const typed = state.ui.wizard.typedName;
    return awaiting && typed?.stepId === awaiting.stepId ? typed.value : '';
  },
  apply(state, value) {
    const awaiting = typedConfirmation(state);
    if (awaiting) state.setTypedName({ stepId: awaiting.stepId, value });
  },
  hint(state) {
    const awaiting = typedConfirmation(state);
    const typed = state.ui.wizard.typedName;
    const rejected = typed?.stepId === awaiting?.stepId && typed?.rejected !== undefined ? `"${typed.rejected}" is not the name; ` : '';
    const expected = awaiting?.expected;
    return `${rejected}${expected ? `type ${expected} to run the step` : 'type the target name to run the step'}`;
  },
};
