// Commands of the lines and questions over the run screen: the input form (fields, choices,
// submit), the typed-name confirmation, and the view's y/N questions (abort, then the
// rollback offer; take over a lock).

import { selectRunQuestion } from '../../src/store/selectors/active-run';
import { cycleChoice, focusedInput, inputChoices, selectRunForm } from '../../src/store/selectors/run-form';
import type { RunQuestionKind } from '../../src/store/slices/wizard-ui';
import { RUN_FORM_INPUT, RUN_TYPED_INPUT, typedConfirmation } from '../screens/wizard-screens';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { sendToRun } from './playbook-intents';

function moveField(context: CommandContext, delta: number): void {
  const state = context.store.getState();
  const view = selectRunForm(state);
  if (!view) return;
  const field = Math.min(view.awaiting.inputs.length - 1, Math.max(0, view.form.field + delta));
  state.setRunForm({ ...view.form, field });
  // The line being edited is now the newly focused field's.
  context.store.getState().beginTextInput('run-input', RUN_FORM_INPUT.value(context.store.getState()));
}

function cycleField(context: CommandContext, direction: 1 | -1): void {
  const state = context.store.getState();
  const view = selectRunForm(state);
  const input = view && focusedInput(view);
  if (!view || !input) return;
  const next = cycleChoice(inputChoices(state, input), view.form.values[input.name] ?? '', direction);
  if (next === undefined) {
    state.showStatus(`${input.name}: ${input.type}, typed freely`);
    return;
  }
  RUN_FORM_INPUT.apply(state, next);
  context.store.getState().beginTextInput('run-input', next);
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
  'form.nextField': (context) => moveField(context, 1),
  'form.previousField': (context) => moveField(context, -1),
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
