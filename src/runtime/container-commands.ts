import type { ContainerController } from '../adapters/capabilities';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import type { ContainerAction } from '../store/slices/ui-slice';

/** What the views may ask of the engines: named commands, never SDK calls. */
export interface ContainerCommands {
  /** Runs the action; the outcome (done, refused, failed) is reported in the store's status line. */
  run(action: ContainerAction, containerId: string): Promise<void>;
}

const PAST_TENSE: Record<ContainerAction, string> = { restart: 'restarted', stop: 'stopped', start: 'started' };

/** Routes a container action to the adapter of the engine that owns the container. */
export function createContainerCommands(
  store: OpsdeckStore,
  controllerFor: (engineId: string) => ContainerController | undefined,
): ContainerCommands {
  return {
    async run(action, containerId) {
      const state = store.getState();
      const container = state.containers[containerId];
      const name = container?.name ?? containerId.slice(0, 12);
      const controller = container ? controllerFor(container.engineId) : undefined;
      if (!controller) {
        state.showStatus(`cannot ${action} ${name}: its engine is not available`, 'error');
        return;
      }
      state.showStatus(`${action} ${name}…`);
      try {
        if (action === 'restart') await controller.restartContainer(containerId);
        else if (action === 'stop') await controller.stopContainer(containerId);
        else await controller.startContainer(containerId);
        store.getState().showStatus(`${name} ${PAST_TENSE[action]}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        store.getState().showStatus(`${action} ${name} failed: ${message}`, 'error');
      }
    },
  };
}
