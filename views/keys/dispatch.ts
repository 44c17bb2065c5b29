// The one keypress dispatcher: key name -> binding of the active scope -> command handler.

import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { FORM_COMMANDS } from './form-commands';
import { GATE_COMMANDS } from './gate-commands';
import { INCIDENT_COMMANDS } from './incident-commands';
import { INPUT_COMMANDS } from './input-commands';
import { KUBERNETES_COMMANDS } from './kubernetes-commands';
import { LOG_COMMANDS } from './log-commands';
import { MAIN_COMMANDS } from './main-commands';
import { OVERLAY_COMMANDS } from './overlay-commands';
import { PICKER_COMMANDS } from './picker-commands';
import { PROMPT_COMMANDS } from './prompt-commands';
import { RUN_COMMANDS } from './run-commands';
import { screenById, topScreen } from '../screens/screen-stack';
import { EMERGENCY_QUIT_KEY, findBinding, resolveScope } from './scopes';

/** Every command has a handler: `satisfies` fails to compile when one is missing. */
export const COMMAND_HANDLERS = {
  ...MAIN_COMMANDS,
  ...OVERLAY_COMMANDS,
  ...LOG_COMMANDS,
  ...INPUT_COMMANDS,
  ...PROMPT_COMMANDS,
  ...PICKER_COMMANDS,
  ...RUN_COMMANDS,
  ...FORM_COMMANDS,
  ...KUBERNETES_COMMANDS,
  ...GATE_COMMANDS,
  ...INCIDENT_COMMANDS,
} satisfies Record<CommandId, CommandHandler>;

/** Runs the command bound to the key press; returns the command id, or undefined when the key does nothing. */
export function dispatchKey(context: CommandContext): CommandId | undefined {
  const state = context.store.getState();
  const scope = resolveScope(state);
  const { press } = context;
  // A paste is text: it goes to a text input, and does nothing anywhere else.
  if (press.paste) {
    const screen = screenById(scope);
    if (screen.textInput === undefined || screen.fallback === undefined || press.text === '') return undefined;
    COMMAND_HANDLERS[screen.fallback](context);
    return screen.fallback;
  }
  // A question is answered only by input read after it was asked: "ry" in one chunk asks, never confirms.
  const asked = topScreen(state).askedInRead?.(state);
  if (asked !== undefined && asked === press.terminalRead && press.name !== EMERGENCY_QUIT_KEY) return undefined;
  const command: CommandId | undefined =
    context.press.name === EMERGENCY_QUIT_KEY
      ? 'app.quit'
      : (findBinding(state, context.press.name, scope)?.command ?? fallbackFor(scope, context));
  if (command === undefined) return undefined;
  COMMAND_HANDLERS[command](context);
  return command;
}

function fallbackFor(scope: ReturnType<typeof resolveScope>, context: CommandContext): CommandId | undefined {
  const screen = screenById(scope);
  // Text input takes printable text only; the dialog cancels on any key.
  if (screen.textInput !== undefined && context.press.text === '') return undefined;
  return screen.fallback;
}
