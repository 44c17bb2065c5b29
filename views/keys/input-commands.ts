// Commands of every text input (filter, log search, `:` prompt): typing, cursor, deleting
// and history, on the one model in src/store/text-input.ts. The screen on top of the stack
// says which input it is and where its value goes.

import { editTextInput, textInputOf, type TextInputEdit } from '../../src/store/text-input';
import { topScreen } from '../screens/screen-stack';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';

/** Applies one edit to the input of the screen on top, and writes a changed value through. */
export function editInput(context: CommandContext, edit: TextInputEdit): void {
  const state = context.store.getState();
  const input = topScreen(state).textInput;
  if (!input) return;
  if (state.ui.textInput?.id !== input.id) state.beginTextInput(input.id, input.value(state));
  const current = context.store.getState().ui.textInput?.state ?? textInputOf(input.value(state));
  const next = editTextInput(current, edit);
  if (next === current) return;
  context.store.getState().setTextInput(next);
  if (next.value !== current.value) input.apply(context.store.getState(), next.value);
}

const edit =
  (change: TextInputEdit): CommandHandler =>
  (context) =>
    editInput(context, change);

export const INPUT_COMMANDS = {
  'input.type': (context) => {
    if (context.press.text !== '') editInput(context, { kind: 'insert', text: context.press.text });
  },
  'input.deleteBackward': edit({ kind: 'deleteBackward' }),
  'input.deleteForward': edit({ kind: 'deleteForward' }),
  'input.deleteWord': edit({ kind: 'deleteWordBackward' }),
  'input.left': edit({ kind: 'left' }),
  'input.right': edit({ kind: 'right' }),
  'input.home': edit({ kind: 'home' }),
  'input.end': edit({ kind: 'end' }),
  'input.historyPrevious': edit({ kind: 'historyPrevious' }),
  'input.historyNext': edit({ kind: 'historyNext' }),
} satisfies Partial<Record<CommandId, CommandHandler>>;
