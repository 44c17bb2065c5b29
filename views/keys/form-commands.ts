// Commands of the lines and questions over the run screen: the input form (fields, choices,
// submit), the typed-name confirmation, and the view's y/N questions (abort, then the
// rollback offer; take over a lock).

import { selectRunQuestion } from '../../src/store/selectors/active-run';
import { cycleChoice, focusedInput, inputChoices, selectRunForm } from '../../src/store/selectors/run-form';
import type { RunQuestionKind } from '../../src/store/slices/wizard-ui';
import type { TextInputId } from '../../src/store/slices/ui-slice';
import { RUN_FORM_INPUT, RUN_TYPED_INPUT, typedConfirmation } from '../screens/wizard-screens';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { sendToRun } from './playbook-intents';

/** A form the keys edit (the run's input form, an incident form): its fields, its focus, and the line typed into. */
export interface EditedForm {
  field: number;
  count: number;
  /** Writes the new focus. */
  focus(field: number): void;
  /** The text input that edits the focused field, and that field's value once focused. */
  inputId: TextInputId;
  focusedValue(): string;
}

/** up/down over a form's fields; the line being edited becomes the newly focused field's. */
export function moveFormField(context: CommandContext, form: EditedForm | undefined, delta: number): void {
  if (!form) return;
  form.focus(Math.min(form.count - 1, Math.max(0, form.field + delta)));
  context.store.getState().beginTextInput(form.inputId, form.focusedValue());
}

/** tab/shift-tab over the focused field's choices; false when it has none (typed freely). */
export function cycleFormChoice(context: CommandContext, choices: readonly string[], value: string, direction: 1 | -1, apply: (value: string) => void, inputId: TextInputId): boolean {
  const next = cycleChoice(choices, value, direction);
  if (next === undefined) return false;
  apply(next);
  context.store.getState().beginTextInput(inputId, next);
  return true;
}

function runEditedForm(context: CommandContext): EditedForm | undefined {
  const view = selectRunForm(context.store.getState());
  if (!view) return undefined;
  return {
    field: view.form.field,
    count: view.awaiting.inputs.length,
    focus: (field) => context.store.getState().setRunForm({ ...view.form, field }),
    inputId: 'run-input',
    focusedValue: () => RUN_FORM_INPUT.value(context.store.getState()),
  };
}

function cycleField(context: CommandContext, direction: 1 | -1): void {
  const state = context.store.getState();
  const view = selectRunForm(state);
  const input = view && focusedInput(view);
  if (!view || !input) return;
  const cycled = cycleFormChoice(context, inputChoices(state, input), view.form.values[input.name] ?? '', direction, (next) => RUN_FORM_INPUT.apply(state, next), 'run-input');
  if (!cycled) state.showStatus(`${input.name}: ${input.type}, typed freely`);
}

function closeRun(context: CommandContext): void {
  const state = context.store.getState();
  state.endTextInput(false);
  state.closeRunScreen();
}

function endTyped(context: CommandContext): void {
  const state = context.store.getState();
  state.setTypedName(undefined);
  state.endTextInput(false);
}

function endQuestion(context: CommandContext): void {
  const state = context.store.getState();
  state.askRunQuestion(undefined);
  state.setAbortedRun(undefined);
}

const CANCELLED: Record<RunQuestionKind, string> = {
  abort: 'the run goes on',
  rollback: 'no rollback: the run ends aborted',
  'take-over': 'the lock stays with its holder',
};

export const FORM_COMMANDS = {
  'form.submit': (context) => {
    const view = selectRunForm(context.store.getState());
    if (view) sendToRun(context, (control) => control.submitInputs(view.form.values));
  },
  'form.nextField': (context) => moveFormField(context, runEditedForm(context), 1),
  'form.previousField': (context) => moveFormField(context, runEditedForm(context), -1),
  'form.nextChoice': (context) => cycleField(context, 1),
  'form.previousChoice': (context) => cycleField(context, -1),
  'form.close': closeRun,
  'typed.accept': (context) => {
    const state = context.store.getState();
    const expected = RUN_TYPED_INPUT.expected(state);
    const typed = RUN_TYPED_INPUT.value(state);
    if (expected === undefined) return;
    const stepId = typedConfirmation(state)?.stepId;
    if (expected !== '' && typed.trim() !== expected) {
      // Not sent: a wrong name never reaches the runner as a confirmation. The line is cleared
      // for another try and the hint says what was wrong.
      if (stepId !== undefined) state.setTypedName({ stepId, value: '', rejected: typed });
      state.beginTextInput('run-confirm', '');
      return;
    }
    endTyped(context);
    sendToRun(context, (control) => control.confirm(typed));
  },
  'typed.cancel': (context) => {
    endTyped(context);
    sendToRun(context, (control) => control.confirm(false));
  },
  'question.accept': (context) => {
    const state = context.store.getState();
    const question = selectRunQuestion(state);
    endQuestion(context);
    if (question?.kind === 'take-over') sendToRun(context, (control) => control.takeOver());
    if (question?.kind === 'rollback') sendToRun(context, (control) => control.rollback());
    if (question?.kind !== 'abort') return;
    // The runner stops the run; when the playbook has a rollback it offers it, and the view asks (selectRunQuestion).
    state.setAbortedRun(question.runId);
    sendToRun(context, (control) => control.abort());
  },
  'question.cancel': (context) => {
    const question = selectRunQuestion(context.store.getState());
    endQuestion(context);
    if (!question) return;
    context.store.getState().showStatus(CANCELLED[question.kind]);
    // No to the rollback the runner offers after an abort: the run ends aborted.
    if (question.kind === 'rollback') sendToRun(context, (control) => control.abort());
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
