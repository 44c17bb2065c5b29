import type { ContainerController } from '../adapters/capabilities';
import { createHostSampler, startHostAdapter } from '../adapters/host/host-adapter';
import type { OpsdeckConfig } from '../config/schema';
import { createOpsdeckStore, type OpsdeckStore } from '../store/create-opsdeck-store';
import { createContainerCommands, type ContainerCommands } from './container-commands';
import { createEngineSet, storeOptionsFrom } from './runtime-options';

export interface CockpitRuntimeOptions {
  config: OpsdeckConfig;
  readOnly: boolean;
  flushIntervalMs?: number;
  hostIntervalMs?: number;
}

export interface CockpitRuntime {
  store: OpsdeckStore;
  commands: ContainerCommands;
  start(): void;
  stop(): Promise<void>;
}

/** Wires the engine adapters and the host sampler to one store; the views only see the store. */
export function createCockpitRuntime(options: CockpitRuntimeOptions): CockpitRuntime {
  const store = createOpsdeckStore(storeOptionsFrom(options.config, options.readOnly, options.flushIntervalMs ?? 200));
  const { adapters, watchedDisks } = createEngineSet({
    config: options.config,
    readOnly: options.readOnly,
    sink: store.getState(),
  });
  const controllers = new Map<string, ContainerController>(adapters.map((adapter) => [adapter.engineId, adapter]));
  const commands = createContainerCommands(store, (engineId) => controllers.get(engineId));
  const sampler = createHostSampler({ diskPaths: watchedDisks });
  let host: { stop(): void } | undefined;
  let clock: { stop(): void } | undefined;

  return {
    store,
    commands,
    start() {
      for (const adapter of adapters) adapter.start();
      host = startHostAdapter({
        intervalMs: options.hostIntervalMs ?? 3000,
        sampler,
        onSample: (sample) => store.getState().hostSampled(sample),
      });
      clock = startClock(store);
    },
    async stop() {
      clock?.stop();
      host?.stop();
      await Promise.all(adapters.map((adapter) => adapter.stop()));
      store.getState().dispose();
    },
  };
}

const CLOCK_INTERVAL_MS = 10_000;
const CLOCK_INTERVAL_WHILE_DISCONNECTED_MS = 1000;

/**
 * Ages and uptimes move with a coarse tick (a full frame costs 10-17 ms, so no per-second
 * clock on a quiet screen); while an engine is away the tick is 1 s for its retry countdown.
 */
function startClock(store: OpsdeckStore): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    const state = store.getState();
    const disconnected = Object.values(state.engines).some((engine) => engine.state !== 'connected');
    timer = setTimeout(tick, disconnected ? CLOCK_INTERVAL_WHILE_DISCONNECTED_MS : CLOCK_INTERVAL_MS);
    timer.unref();
  };
  const tick = (): void => {
    store.getState().clockTicked(Date.now());
    schedule();
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
