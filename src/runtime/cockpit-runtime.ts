import type { ContainerController } from '../adapters/capabilities';
import type { DockerEngineAdapter } from '../adapters/docker/docker-adapter';
import { createHostSampler, startHostAdapter } from '../adapters/host/host-adapter';
import type { OpsdeckConfig } from '../config/schema';
import { createOpsdeckStore, type OpsdeckStore } from '../store/create-opsdeck-store';
import { createContainerCommands, type ContainerCommands } from './container-commands';
import { createEngineSet, storeOptionsFrom } from './runtime-options';

export interface CockpitRuntimeOptions {
  config: OpsdeckConfig;
  /** --docker-host: overrides the configured Docker engine. */
  dockerHost?: string;
  readOnly: boolean;
  flushIntervalMs?: number;
  hostIntervalMs?: number;
}

export interface CockpitRuntime {
  store: OpsdeckStore;
  commands: ContainerCommands;
  adapters: DockerEngineAdapter[];
  start(): void;
  stop(): Promise<void>;
}

/** Wires the engine adapters and the host sampler to one store; the views only see the store. */
export function createCockpitRuntime(options: CockpitRuntimeOptions): CockpitRuntime {
  const store = createOpsdeckStore(storeOptionsFrom(options.config, options.readOnly, options.flushIntervalMs ?? 200));
  const { adapters, watchedDisks } = createEngineSet({
    config: options.config,
    dockerHost: options.dockerHost,
    readOnly: options.readOnly,
    sink: store.getState(),
    streams: true,
  });
  const controllers = new Map<string, ContainerController>(adapters.map((adapter) => [adapter.engineId, adapter]));
  const commands = createContainerCommands(store, (engineId) => controllers.get(engineId));
  const sampler = createHostSampler({ diskPaths: watchedDisks });
  let host: { stop(): void } | undefined;

  return {
    store,
    commands,
    adapters,
    start() {
      for (const adapter of adapters) adapter.start();
      host = startHostAdapter({
        intervalMs: options.hostIntervalMs ?? 2000,
        sampler,
        onSample: (sample) => store.getState().hostSampled(sample),
      });
    },
    async stop() {
      host?.stop();
      await Promise.all(adapters.map((adapter) => adapter.stop()));
      store.getState().dispose();
    },
  };
}
