import { DockerEngineAdapter, type EngineSink } from '../adapters/docker/docker-adapter';
import type { OpsdeckConfig } from '../config/schema';
import type { DiskUsage } from '../domain/types';
import { compileErrorPatterns } from '../domain/fingerprint';
import type { StoreOptions } from '../store/store-types';

export interface ResolvedEngine {
  name: string;
  host: string | undefined;
  sshConfig?: string;
}

/**
 * The Docker engines to watch. The loaded config always lists at least one (its default
 * engine already follows --docker-host, then DOCKER_HOST); --docker-host also replaces the
 * engines a file lists, with one engine under the first one's name.
 */
export function resolveEngines(config: OpsdeckConfig, dockerHost: string | undefined): ResolvedEngine[] {
  if (dockerHost) return [{ name: config.engines[0]?.name ?? 'local', host: dockerHost }];
  return config.engines.map((engine) => ({ name: engine.name, host: engine.host, sshConfig: engine.sshConfig }));
}

export function storeOptionsFrom(config: OpsdeckConfig, readOnly: boolean, flushIntervalMs: number): StoreOptions {
  return {
    thresholds: config.thresholds,
    errorPatterns: compileErrorPatterns(config.errors.patterns),
    maxFingerprints: config.errors.maxFingerprints,
    logBufferLines: config.logs.bufferLines,
    readOnly,
    flushIntervalMs,
  };
}

export interface EngineSet {
  adapters: DockerEngineAdapter[];
  /** Resolves once every engine has said where its data root is (or that it has none here). */
  dataRootsKnown: Promise<void>;
  /** Disks to measure: /, each local engine's data root, the configured paths. */
  watchedDisks(): Array<Pick<DiskUsage, 'path' | 'role'>>;
}

/** One adapter per configured engine, all writing to the same store actions. */
export function createEngineSet(options: {
  config: OpsdeckConfig;
  dockerHost: string | undefined;
  readOnly: boolean;
  sink: EngineSink;
}): EngineSet {
  const { config } = options;
  const dataRoots = new Map<string, string>();
  const answered: Array<Promise<void>> = [];
  const adapters = resolveEngines(config, options.dockerHost).map((engine) => {
    let markAnswered: () => void = () => undefined;
    answered.push(new Promise<void>((resolve) => (markAnswered = resolve)));
    return new DockerEngineAdapter({
        engineId: engine.name,
        label: engine.name,
        host: engine.host,
        sshConfig: engine.sshConfig,
        readOnly: options.readOnly,
        sink: options.sink,
        logs: { backfillMs: config.logs.sinceMs, maxLineBytes: config.logs.maxLineBytes },
        onDataRoot: (dataRoot) => {
          if (dataRoot) dataRoots.set(engine.name, dataRoot);
          else dataRoots.delete(engine.name);
          markAnswered();
        },
      });
  });
  return {
    adapters,
    dataRootsKnown: Promise.all(answered).then(() => undefined),
    watchedDisks: () => [
      { path: '/', role: 'root' as const },
      ...[...dataRoots.values()].map((path) => ({ path, role: 'docker-data' as const })),
      ...config.disk.paths.map((path) => ({ path, role: 'configured' as const })),
    ],
  };
}
