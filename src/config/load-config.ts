// Finds, reads and validates opsdeck.yaml. Every problem becomes a ConfigError
// whose message is one line an operator can act on:
//   opsdeck.yaml:7:14: thresholds.cpu.warning: expected a number, got "high"

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sshConfigFileProblem } from '../adapters/ssh/ssh-target';
import { compileErrorPatterns } from '../domain/fingerprint';
import { DEFAULT_CONFIG, DEFAULT_DOCKER_HOST, configFileSchema, parseDuration } from './schema';
import type { ConfigFile, EngineConfig, OpsdeckConfig } from './schema';
import { ConfigError } from './config-error';
import { displayFileName, errorForSource, issueMessage, parseYamlSource, problemFromIssue, type ConfigProblem, type YamlSource } from './located-problems';
import { resolveGates } from './gates-config';
import { resolveIncidentConfig } from './incident-config';
import { resolveAlertmanagerConfig, resolvePrometheusConfig } from './sources-config';
import { applyEngineFlags, engineHostProblem, listPodmanConnections, resolvePodmanEngine, type PodmanConnectionLookup } from './engine-selection';
import { hasKubernetesScopeFlags, kubeconfigFilesOf, KubeconfigProblem, namespaceProblem, resolveKubernetesEngine, type KubernetesFlags } from './kubernetes-engines';
import type { KubernetesEngineConfig } from './schema';

export { ConfigError, DEFAULT_CONFIG, parseDuration };
export type { OpsdeckConfig };

export const CONFIG_FILE_NAME = 'opsdeck.yaml';

export interface LoadConfigOptions extends KubernetesFlags {
  /** Explicit config file (--config); it must exist. */
  path?: string;
  /** Directory searched for ./opsdeck.yaml and against which relative paths resolve. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Repeatable --docker-host: Docker engines that replace the configured ones. */
  dockerHosts?: readonly string[];
  /** Repeatable --engine (docker[:URL], podman[:CONNECTION|URL], NAME=..., a configured name): replace them too. */
  engines?: readonly string[];
  /** Where podman connections come from (default: `podman system connection list`, run only when one is named). */
  podmanConnections?: PodmanConnectionLookup;
}

export interface LoadedConfig {
  config: OpsdeckConfig;
  /** Absolute path of the file read, undefined when running on defaults. */
  source: string | undefined;
}

/**
 * Looks for the config in order: options.path, $OPSDECK_CONFIG, ./opsdeck.yaml,
 * $XDG_CONFIG_HOME/opsdeck/opsdeck.yaml, ~/.config/opsdeck/opsdeck.yaml.
 * Without a file the defaults apply. Throws ConfigError.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const found = await findConfigFile(cwd, env, options.path);
  const podmanConnections = options.podmanConnections ?? (() => listPodmanConnections(env));
  const selectFlagEngines = (config: OpsdeckConfig): Promise<OpsdeckConfig> => applyEngineFlags(config, options, env, podmanConnections);
  if (!found) return { config: await selectFlagEngines(resolveConfig({}, defaultEngineConfig(env, options), env, podmanConnections, new Map())), source: undefined };

  const fileName = displayFileName(found.path, cwd);
  let text: string;
  try {
    text = await fs.readFile(found.path, 'utf8');
  } catch (error) {
    throw new ConfigError({ file: fileName, detail: readErrorText(error) });
  }
  const config = await parseConfigText(text, { fileName, defaultEngine: defaultEngineConfig(env, options), env, podmanConnections, baseDirectory: path.dirname(found.path) });
  return { config: await selectFlagEngines(config), source: found.path };
}

export interface ParseConfigOptions {
  fileName: string;
  defaultEngine?: EngineConfig;
  env?: NodeJS.ProcessEnv;
  podmanConnections?: PodmanConnectionLookup;
  /** Relative paths in the file (gates, token files) resolve against this: the config file's directory. */
  baseDirectory?: string;
}

/** Validates YAML text, reads the kubeconfig of each Kubernetes engine and applies the defaults. Throws ConfigError. */
export async function parseConfigText(text: string, options: ParseConfigOptions): Promise<OpsdeckConfig> {
  const env = options.env ?? process.env;
  const podmanConnections = memoize(options.podmanConnections ?? (() => listPodmanConnections(env)));
  const source = parseYamlSource(text, options.fileName);
  const data = source.data ?? {};
  const parsed = configFileSchema.safeParse(data, { error: issueMessage });
  const problems = parsed.success ? semanticProblems(parsed.data, env, podmanConnections) : parsed.error.issues.map(problemFromIssue);
  if (problems.length > 0) throw errorForSource(problems, source);
  const kubernetes = await resolveKubernetesEngines(parsed.data ?? {}, env);
  if (kubernetes.problems.length > 0) throw errorForSource(kubernetes.problems, source);
  const file = parsed.data ?? {};
  const baseDirectory = options.baseDirectory ?? process.cwd();
  return {
    ...resolveConfig(file, options.defaultEngine ?? defaultEngineConfig(env, {}), env, podmanConnections, kubernetes.engines),
    ...resolveIssue8Sections(file, source, baseDirectory),
  };
}

/** Gates (never fatal: bad entries are listed), incident mode, and the Prometheus/Alertmanager sources. */
function resolveIssue8Sections(file: ConfigFile, source: YamlSource, baseDirectory: string): Pick<OpsdeckConfig, 'gates' | 'incident' | 'prometheus' | 'alertmanager'> {
  const prometheus = resolvePrometheusConfig(file.prometheus, baseDirectory);
  const alertmanager = resolveAlertmanagerConfig(file.alertmanager, baseDirectory);
  return {
    gates: resolveGates(file.gates, source, baseDirectory),
    incident: resolveIncidentConfig(file.incident),
    ...(prometheus ? { prometheus } : {}),
    ...(alertmanager ? { alertmanager } : {}),
  };
}

/** Each Kubernetes engine with its kubeconfig read (context and server), by index; problems located at the setting. */
async function resolveKubernetesEngines(
  file: ConfigFile,
  env: NodeJS.ProcessEnv,
): Promise<{ engines: Map<number, KubernetesEngineConfig>; problems: ConfigProblem[] }> {
  const engines = new Map<number, KubernetesEngineConfig>();
  const problems: ConfigProblem[] = [];
  await Promise.all(
    (file.engines ?? []).map(async (engine, index) => {
      if (engine.type !== 'kubernetes') return;
      try {
        const written = engine.kubeconfig === undefined ? undefined : Array.isArray(engine.kubeconfig) ? engine.kubeconfig : [engine.kubeconfig];
        const resolved = await resolveKubernetesEngine({
          name: engine.name,
          kubeconfig: kubeconfigFilesOf(written, env),
          ...(engine.context !== undefined ? { context: engine.context } : {}),
          ...(engine.namespace !== undefined ? { namespace: engine.namespace } : {}),
        });
        engines.set(index, resolved);
      } catch (error) {
        const field = error instanceof KubeconfigProblem ? error.field : 'kubeconfig';
        const written = field === 'context' ? engine.context !== undefined : engine.kubeconfig !== undefined;
        problems.push({ path: ['engines', index, field], detail: (error as Error).message, target: written ? 'value' : 'key' });
      }
    }),
  );
  return { engines, problems };
}

function memoize<T>(compute: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => (cached ??= { value: compute() }).value;
}

async function findConfigFile(cwd: string, env: NodeJS.ProcessEnv, explicitPath: string | undefined): Promise<{ path: string } | undefined> {
  const named = explicitPath ?? nonEmpty(env['OPSDECK_CONFIG']);
  if (named !== undefined) {
    const absolute = path.resolve(cwd, named);
    if (!(await isFile(absolute))) {
      const exists = await pathExists(absolute);
      throw new ConfigError({ file: displayFileName(absolute, cwd), detail: exists ? 'config path is not a file' : 'config file not found' });
    }
    return { path: absolute };
  }
  const candidates = [path.join(cwd, CONFIG_FILE_NAME)];
  const xdgConfigHome = nonEmpty(env['XDG_CONFIG_HOME']);
  if (xdgConfigHome !== undefined) candidates.push(path.join(xdgConfigHome, 'opsdeck', CONFIG_FILE_NAME));
  const home = nonEmpty(env['HOME']) ?? os.homedir();
  candidates.push(path.join(home, '.config', 'opsdeck', CONFIG_FILE_NAME));
  for (const candidate of candidates) {
    if (await isFile(candidate)) return { path: candidate };
  }
  return undefined;
}

/** The engine watched without a configured list: DOCKER_HOST, else the default socket. */
function defaultEngineConfig(env: NodeJS.ProcessEnv, flags: Pick<LoadConfigOptions, 'dockerHosts' | 'engines' | keyof KubernetesFlags>): EngineConfig {
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

function resolveConfig(
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

function semanticProblems(file: ConfigFile, env: NodeJS.ProcessEnv, lookup: PodmanConnectionLookup): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenNames = new Map<string, number>();
  file.engines?.forEach((engine, index) => {
    const firstIndex = seenNames.get(engine.name);
    if (firstIndex !== undefined) {
      problems.push({ path: ['engines', index, 'name'], detail: `duplicate engine name ${JSON.stringify(engine.name)} (also engines[${firstIndex}])`, target: 'value' });
    } else {
      seenNames.set(engine.name, index);
    }
    const hostProblem = 'host' in engine && engine.host !== undefined ? engineHostProblem(engine.host) : undefined;
    if (hostProblem) problems.push({ path: ['engines', index, 'host'], detail: hostProblem, target: 'value' });
    if (engine.type === 'podman' && engine.connection !== undefined && engine.host !== undefined) {
      problems.push({ path: ['engines', index, 'connection'], detail: 'give either host or connection, not both', target: 'key' });
    } else if (engine.type === 'podman' && !hostProblem) {
      try {
        resolvePodmanEngine(engine, env, lookup);
      } catch (error) {
        const field = engine.connection !== undefined ? 'connection' : 'host';
        problems.push({ path: ['engines', index, field], detail: (error as Error).message, target: 'value' });
      }
    }
    if (engine.type === 'kubernetes' && engine.namespace !== undefined) {
      const problem = namespaceProblem(engine.namespace);
      if (problem) problems.push({ path: ['engines', index, 'namespace'], detail: problem, target: 'value' });
    }
    if (engine.type === 'docker' && engine.sshConfig !== undefined) {
      const sshConfigProblem = sshConfigFileProblem(engine.host, engine.sshConfig);
      if (sshConfigProblem) problems.push({ path: ['engines', index, 'sshConfig'], detail: sshConfigProblem, target: 'value' });
    }
  });
  for (const kind of ['cpu', 'memory', 'disk'] as const) {
    const given = file.thresholds?.[kind];
    const warning = given?.warning ?? DEFAULT_CONFIG.thresholds[kind].warning;
    const critical = given?.critical ?? DEFAULT_CONFIG.thresholds[kind].critical;
    if (warning >= critical) {
      const field = given?.warning !== undefined ? 'warning' : 'critical';
      problems.push({ path: ['thresholds', kind, field], detail: `warning (${warning}) must be below critical (${critical})`, target: 'value' });
    }
  }
  for (const key of ['patterns', 'extraPatterns'] as const) {
    file.errors?.[key]?.forEach((source, index) => {
      try {
        compileErrorPatterns([source]);
      } catch (error) {
        problems.push({ path: ['errors', key, index], detail: (error as Error).message.replace(/^error pattern #1 /, 'pattern '), target: 'value' });
      }
    });
  }
  file.disk?.paths?.forEach((diskPath, index) => {
    if (!path.isAbsolute(diskPath)) {
      problems.push({ path: ['disk', 'paths', index], detail: `expected an absolute path, got ${JSON.stringify(diskPath)}`, target: 'value' });
    }
  });
  for (const [section, key, value] of [
    ['logs', 'since', file.logs?.since],
    ['kubernetes', 'pendingThreshold', file.kubernetes?.pendingThreshold],
  ] as const) {
    if (value === undefined) continue;
    try {
      if (parseDuration(value) <= 0) problems.push({ path: [section, key], detail: 'must be longer than 0', target: 'value' });
    } catch (error) {
      problems.push({ path: [section, key], detail: (error as Error).message, target: 'value' });
    }
  }
  return problems;
}

function readErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'config file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read config file: permission denied';
  if (code === 'EISDIR') return 'config path is a directory';
  return `cannot read config file: ${error instanceof Error ? error.message : String(error)}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

async function isFile(candidate: string): Promise<boolean> {
  try {
    return (await fs.stat(candidate)).isFile();
  } catch {
    return false;
  }
}

async function pathExists(candidate: string): Promise<boolean> {
  try {
    await fs.stat(candidate);
    return true;
  } catch {
    return false;
  }
}
