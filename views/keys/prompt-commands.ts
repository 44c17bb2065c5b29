// Commands of the `:` prompt: open it, complete on tab, run the line on enter.

import { completeCommandLine, runCommandLine } from '../commands/command-registry';
import type { CommandId } from './command-ids';
import type { CommandHandler } from './command-context';
import { editInput } from './input-commands';

export const PROMPT_COMMANDS = {
  'prompt.open': (context) => context.store.getState().openPrompt(),
  'prompt.cancel': (context) => context.store.getState().closePrompt(false),
  'prompt.accept': (context) => {
    const state = context.store.getState();
    const line = state.ui.textInput?.id === 'prompt' ? state.ui.textInput.state.value : '';
    state.closePrompt(true);
    runCommandLine(context, line);
  },
  'prompt.complete': (context) => {
    const state = context.store.getState();
    const input = state.ui.textInput?.id === 'prompt' ? state.ui.textInput.state : undefined;
    if (!input) return;
    const completion = completeCommandLine(state, input.value);
    if (completion.line !== input.value) {
      editInput(context, { kind: 'end' });
      editInput(context, { kind: 'insert', text: completion.line.slice(input.value.length) });
    }
    // Several candidates stay listed beside the line until the next edit.
    context.store.getState().setPromptCompletions(completion.candidates.length > 1 ? completion.candidates : []);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
