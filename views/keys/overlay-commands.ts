// Commands of the confirmation dialog, help overlay, error sample and quitting.

import { selectFingerprint } from '../../src/store/selectors/error-rows';
import type { CommandId } from './command-ids';
import type { CommandHandler } from './command-context';

export const OVERLAY_COMMANDS = {
  'app.quit': (context) => {
    context.store.getState().requestQuit();
    context.exit();
  },
  'help.open': (context) => context.store.getState().setHelpOpen(true),
  'help.close': (context) => context.store.getState().setHelpOpen(false),
  'confirm.accept': (context) => {
    const state = context.store.getState();
    const confirmation = state.ui.confirmation;
    state.askConfirmation(undefined);
    if (!confirmation) return;
    if (state.readOnly) {
      state.showStatus(`read-only mode: ${confirmation.action} ${confirmation.containerName} refused`, 'warning');
      return;
    }
    context.commands.run(confirmation.action, confirmation.containerId).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      context.store.getState().showStatus(`${confirmation.action} ${confirmation.containerName} failed: ${message}`, 'error');
    });
  },
  'confirm.cancel': (context) => {
    const state = context.store.getState();
    const confirmation = state.ui.confirmation;
    state.askConfirmation(undefined);
    if (confirmation) state.showStatus(`${confirmation.action} ${confirmation.containerName} cancelled`);
  },
  'detail.close': (context) => context.store.getState().closeErrorDetail(),
  'detail.openLogs': (context) => {
    const state = context.store.getState();
    const fingerprint = state.ui.errorDetail === undefined ? undefined : selectFingerprint(state, state.ui.errorDetail);
    state.closeErrorDetail();
    if (fingerprint) state.openLogView(fingerprint.sampleServiceKey);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
