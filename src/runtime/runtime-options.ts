import type { OpsdeckConfig } from '../config/schema';
import { compileErrorPatterns } from '../engine/fingerprint';
import type { StoreOptions } from '../store/store-types';

export interface ResolvedEngine {
  name: string;
  host: string | undefined;
}

/** The Docker engines to watch: --docker-host wins over the configuration, which wins over DOCKER_HOST. */
export function resolveEngines(config: OpsdeckConfig, dockerHost: string | undefined): ResolvedEngine[] {
  const configured = config.engines.filter((engine) => engine.type === 'docker');
  if (dockerHost) return [{ name: configured[0]?.name ?? 'docker', host: dockerHost }];
  if (configured.length === 0) return [{ name: 'docker', host: undefined }];
  return configured.map((engine) => ({ name: engine.name, host: engine.host }));
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
