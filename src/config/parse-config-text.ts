// Validates the text of opsdeck.yaml (zod schema, located problems in the YAML) and resolves it;
// load-config.ts loads this module only when there is a file to read.

import path from 'node:path';
import { sshConfigFileProblem } from '../adapters/ssh/ssh-target';
import { compileErrorPatterns } from '../domain/fingerprint';
import { DEFAULT_CONFIG, configFileSchema, parseDuration } from './schema';
import type { ConfigFile, EngineConfig, KubernetesEngineConfig, OpsdeckConfig } from './schema';
import { errorForSource, issueMessage, parseYamlSource, problemFromIssue, type ConfigProblem, type YamlSource } from './located-problems';
import { resolveGates } from './gates-config';
import { resolveIncidentConfig } from './incident-config';
import { resolveAlertmanagerConfig, resolvePrometheusConfig } from './sources-config';
import { engineHostProblem, listPodmanConnections, resolvePodmanEngine, type PodmanConnectionLookup } from './engine-selection';
import { kubeconfigFilesOf, KubeconfigProblem, namespaceProblem, resolveKubernetesEngine } from './kubernetes-engines';
import { defaultEngineConfig, resolveConfig } from './resolve-config';

export interface ParseConfigOptions {
  fileName: string;
  defaultEngine?: EngineConfig;
  env?: NodeJS.ProcessEnv;
  podmanConnections?: PodmanConnectionLookup;
  /** Relative paths in the file (gates, token files) resolve against this: the config file's directory. */
  baseDirectory?: string;
}

/** Validates YAML text (located problems), reads the kubeconfig of each Kubernetes engine and applies the defaults. Throws ConfigError. */
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
