// Commands of the confirmation dialog, help overlay, error sample and quitting.

import { selectFingerprint } from '../../src/store/selectors/error-rows';
import { runCommand } from '../commands/command-registry';
import type { CommandId } from './command-ids';
import { runConfirmedAction } from './engine-actions';
import type { CommandHandler } from './command-context';

export const OVERLAY_COMMANDS = {
  'app.quit': (context) => runCommand(context, 'quit'),
  'help.open': (context) => runCommand(context, 'help'),
  'help.close': (context) => context.store.getState().setHelpOpen(false),
  'confirm.accept': runConfirmedAction,
  'confirm.cancel': (context) => {
    const state = context.store.getState();
    const confirmation = state.ui.confirmation;
    state.askConfirmation(undefined);
    if (confirmation) state.showStatus(`${confirmation.action.verb} ${confirmation.targetLabel} cancelled`);
  },
  'detail.close': (context) => context.store.getState().closeErrorDetail(),
  'detail.openLogs': (context) => {
    const state = context.store.getState();
    const fingerprint = state.ui.errorDetail === undefined ? undefined : selectFingerprint(state, state.ui.errorDetail);
    state.closeErrorDetail();
    if (fingerprint) state.openLogView(fingerprint.sampleWorkloadKey);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
