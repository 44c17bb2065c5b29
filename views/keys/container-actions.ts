// The one path of a container action from the keyboard: asked (the `r`/`s`/`S` keys and the
// `:restart`/`:stop`/`:start` commands both call askContainerAction), confirmed with y, and
// then run through ContainerCommands in exactly one place, runConfirmedAction.

import type { ContainerInfo } from '../../src/domain/types';
import type { ContainerAction } from '../../src/store/slices/ui-slice';
import type { CommandContext } from './command-context';

/** Opens the y/N confirmation for `action` on `container` (refused at once in read-only mode). */
export function askContainerAction(context: CommandContext, action: ContainerAction, container: ContainerInfo): void {
  const state = context.store.getState();
  if (state.readOnly) {
    state.showStatus(`read-only mode: ${action} refused`, 'warning');
    return;
  }
  state.askConfirmation({ action, containerId: container.id, containerName: container.name, askedInRead: context.press.terminalRead });
}

/** Runs the pending confirmation's action (y in the dialog): the only call of ContainerCommands.run. */
export function runConfirmedAction(context: CommandContext): void {
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
}
