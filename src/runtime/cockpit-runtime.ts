import type { ContainerController } from '../adapters/capabilities';
import { DockerEngineAdapter } from '../adapters/docker/docker-adapter';
import { createHostSampler, startHostAdapter } from '../adapters/host/host-adapter';
import type { OpsdeckConfig } from '../config/schema';
import type { DiskUsage } from '../domain/types';
import { createOpsdeckStore, type OpsdeckStore } from '../store/create-opsdeck-store';
import { createContainerCommands, type ContainerCommands } from './container-commands';
import { resolveEngines, storeOptionsFrom } from './runtime-options';

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
  const actions = store.getState();
  const dataRoots = new Map<string, string>();
  const adapters = resolveEngines(options.config, options.dockerHost).map(
    (engine) =>
      new DockerEngineAdapter({
        engineId: engine.name,
        label: engine.name,
        host: engine.host,
        readOnly: options.readOnly,
        sink: actions,
        logs: { backfillMs: options.config.logs.sinceMs, maxLineBytes: options.config.logs.maxLineBytes },
        onDataRoot: (dataRoot) => {
          if (dataRoot) dataRoots.set(engine.name, dataRoot);
          else dataRoots.delete(engine.name);
        },
      }),
  );
  const controllers = new Map<string, ContainerController>(adapters.map((adapter) => [adapter.engineId, adapter]));
  const commands = createContainerCommands(store, (engineId) => controllers.get(engineId));
  const sampler = createHostSampler({ diskPaths: () => watchedDisks(options.config, dataRoots) });
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

export function watchedDisks(config: OpsdeckConfig, dataRoots: ReadonlyMap<string, string>): Array<Pick<DiskUsage, 'path' | 'role'>> {
  return [
    { path: '/', role: 'root' as const },
    ...[...dataRoots.values()].map((path) => ({ path, role: 'docker-data' as const })),
    ...config.disk.paths.map((path) => ({ path, role: 'configured' as const })),
  ];
}
