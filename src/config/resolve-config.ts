// The resolved configuration from a validated file's settings (or none: the defaults), and the
// engine watched without a configured list. Free of the file's schema: a start without a
// config file resolves its defaults here without loading zod or yaml.

import type { ConfigFile } from './schema';
import { DEFAULT_CONFIG, DEFAULT_DOCKER_HOST, parseDuration, type EngineConfig, type KubernetesEngineConfig, type OpsdeckConfig } from './config-defaults';
import { ConfigError } from './config-error';
import { engineHostProblem, resolvePodmanEngine, type PodmanConnectionLookup } from './engine-selection';
import { hasKubernetesScopeFlags, type KubernetesFlags } from './kubernetes-engines';

/** The engine flags given on the command line (they replace the default engine). */
export interface EngineFlagsGiven extends KubernetesFlags {
  dockerHosts?: readonly string[];
  engines?: readonly string[];
}

/** The engine watched without a configured list: DOCKER_HOST, else the default socket. */
export function defaultEngineConfig(env: NodeJS.ProcessEnv, flags: EngineFlagsGiven): EngineConfig {
  const host = nonEmpty(env['DOCKER_HOST']) ?? DEFAULT_DOCKER_HOST;
  const hostProblem = engineHostProblem(host);
  // Engines named on the command line replace this one (so do -n, -A and --kubeconfig, which then
  // stand for the current context): a bad DOCKER_HOST does not matter then.
  const replaced = (flags.dockerHosts?.length ?? 0) + (flags.engines?.length ?? 0) + (flags.contexts?.length ?? 0) > 0 || hasKubernetesScopeFlags(flags);
  if (hostProblem && !replaced) throw new ConfigError({ file: 'DOCKER_HOST', detail: hostProblem });
  return { name: 'local', type: 'docker', host };
}

function resolveEngine(
  engine: NonNullable<ConfigFile['engines']>[number],
  env: NodeJS.ProcessEnv,
  lookup: PodmanConnectionLookup,
  kubernetes: KubernetesEngineConfig | undefined,
): EngineConfig {
  if (engine.type === 'docker') return { name: engine.name, type: 'docker', host: engine.host, ...(engine.sshConfig ? { sshConfig: engine.sshConfig } : {}) };
  if (engine.type === 'kubernetes') {
    if (!kubernetes) throw new Error(`engine ${engine.name}: its kubeconfig was not read`);
    return kubernetes;
  }
  return resolvePodmanEngine(engine, env, lookup);
}

export function resolveConfig(
  file: ConfigFile,
  defaultEngine: EngineConfig,
  env: NodeJS.ProcessEnv,
  lookup: PodmanConnectionLookup,
  kubernetes: ReadonlyMap<number, KubernetesEngineConfig>,
): Omit<OpsdeckConfig, 'gates' | 'incident' | 'prometheus' | 'alertmanager'> & Pick<OpsdeckConfig, 'gates' | 'incident'> {
  const defaults = DEFAULT_CONFIG;
  const levels = (kind: 'cpu' | 'memory' | 'disk') => ({
    warning: file.thresholds?.[kind]?.warning ?? defaults.thresholds[kind].warning,
    critical: file.thresholds?.[kind]?.critical ?? defaults.thresholds[kind].critical,
  });
  const since = file.logs?.since?.trim() ?? defaults.logs.since;
  const pendingThreshold = file.kubernetes?.pendingThreshold?.trim() ?? defaults.kubernetes.pendingThreshold;
  return {
    engines: file.engines ? file.engines.map((engine, index) => resolveEngine(engine, env, lookup, kubernetes.get(index))) : [defaultEngine],
    thresholds: { cpu: levels('cpu'), memory: levels('memory'), disk: levels('disk') },
    errors: {
      patterns: [...(file.errors?.patterns ?? defaults.errors.patterns), ...(file.errors?.extraPatterns ?? [])],
      maxFingerprints: file.errors?.maxFingerprints ?? defaults.errors.maxFingerprints,
    },
    disk: { paths: [...(file.disk?.paths ?? defaults.disk.paths)] },
    logs: {
      since,
      sinceMs: parseDuration(since),
      maxLineBytes: file.logs?.maxLineBytes ?? defaults.logs.maxLineBytes,
      bufferLines: file.logs?.bufferLines ?? defaults.logs.bufferLines,
    },
    kubernetes: { pendingThreshold, pendingThresholdMs: parseDuration(pendingThreshold) },
    gates: defaults.gates,
    incident: defaults.incident,
  };
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
