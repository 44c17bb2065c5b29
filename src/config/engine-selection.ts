// Which engines to watch: the config file's list, or the repeatable --docker-host / --engine /
// --context flags, plus Podman's defaults and its named connections (`podman system connection
// list`, i.e. the service destinations of containers.conf). Kubernetes engines: kubernetes-engines.ts.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sshUrlProblem } from '../adapters/ssh/ssh-target';
import { ConfigError } from './config-error';
import {
  applyKubernetesScope,
  commandLineKubeconfig,
  flagError,
  hasKubernetesScopeFlags,
  kubeconfigFromFlags,
  namespaceFromFlags,
  resolveKubernetesEngine,
  scopeFlagName,
  type KubernetesFlags,
} from './kubernetes-engines';
import { DEFAULT_DOCKER_HOST, DEFAULT_PODMAN_ROOT_HOST, ENGINE_HOST_SCHEMES, type EngineConfig, type OpsdeckConfig, type PodmanEngineConfig } from './config-defaults';

export interface PodmanConnection {
  name: string;
  /** unix://, tcp:// or ssh:// URL of the remote API socket. */
  uri: string;
  isDefault: boolean;
}

/** Looks connections up (injectable so config tests never run podman). */
export type PodmanConnectionLookup = () => PodmanConnection[];

/** Rootful socket as root; $XDG_RUNTIME_DIR/podman/podman.sock (or /run/user/UID/...) otherwise. */
export function defaultPodmanHost(env: NodeJS.ProcessEnv, uid: number | undefined = process.getuid?.()): string {
  if (uid === 0 || uid === undefined) return DEFAULT_PODMAN_ROOT_HOST;
  const runtimeDirectory = env['XDG_RUNTIME_DIR']?.trim() || `/run/user/${uid}`;
  return `unix://${path.join(runtimeDirectory, 'podman', 'podman.sock')}`;
}

/** `podman system connection list --format json` output. */
export function parseConnectionList(json: string): PodmanConnection[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown) => {
    const item = entry as { Name?: unknown; URI?: unknown; Default?: unknown };
    return typeof item.Name === 'string' && typeof item.URI === 'string'
      ? [{ name: item.Name, uri: item.URI, isDefault: item.Default === true }]
      : [];
  });
}

/** `[engine.service_destinations.NAME]` tables (with `uri = "..."`) and `active_service` of a containers.conf. */
export function parseServiceDestinations(toml: string): PodmanConnection[] {
  const connections: PodmanConnection[] = [];
  let active: string | undefined;
  let current: PodmanConnection | undefined;
  let inEngine = false;
  for (const rawLine of toml.split('\n')) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const table = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (table) {
      const name = table[1] ?? '';
      inEngine = name === 'engine';
      const destination = /^engine\.service_destinations\.(?:"([^"]+)"|([A-Za-z0-9_.-]+))$/.exec(name);
      current = destination ? { name: destination[1] ?? destination[2] ?? '', uri: '', isDefault: false } : undefined;
      if (current) connections.push(current);
      continue;
    }
    const pair = /^([A-Za-z_]+)\s*=\s*"([^"]*)"$/.exec(line);
    if (!pair) continue;
    if (current && pair[1] === 'uri') current.uri = pair[2] ?? '';
    if (inEngine && pair[1] === 'active_service') active = pair[2];
  }
  return connections.filter((connection) => connection.uri !== '').map((connection) => ({ ...connection, isDefault: connection.name === active }));
}

/**
 * The connections podman knows: `podman system connection list` when podman is installed, else the
 * service destinations of the containers.conf files it would read ($CONTAINERS_CONF, or
 * /usr/share, /etc and the user's file; later ones win).
 */
export function listPodmanConnections(env: NodeJS.ProcessEnv = process.env): PodmanConnection[] {
  try {
    const output = execFileSync('podman', ['system', 'connection', 'list', '--format', 'json'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return parseConnectionList(output);
  } catch {
    // podman missing (a remote-only machine) or failing: read containers.conf ourselves
  }
  const home = env['HOME']?.trim() || os.homedir();
  const files = env['CONTAINERS_CONF']?.trim()
    ? [env['CONTAINERS_CONF'].trim()]
    : [
        '/usr/share/containers/containers.conf',
        '/etc/containers/containers.conf',
        path.join(env['XDG_CONFIG_HOME']?.trim() || path.join(home, '.config'), 'containers', 'containers.conf'),
      ];
  const byName = new Map<string, PodmanConnection>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const connection of parseServiceDestinations(text)) byName.set(connection.name, connection);
  }
  return [...byName.values()];
}

const PODMAN_SSH_PROBLEM = 'only unix:// and tcp:// podman engines are supported (forward the socket, e.g. ssh -L, and use its unix:// path)';

/** A Podman engine with its host resolved. Throws an Error whose message names the problem. */
export function resolvePodmanEngine(
  engine: { name: string; host?: string; connection?: string },
  env: NodeJS.ProcessEnv,
  lookup: PodmanConnectionLookup,
): PodmanEngineConfig {
  if (engine.host !== undefined) {
    if (/^ssh:\/\//i.test(engine.host)) throw new Error(PODMAN_SSH_PROBLEM);
    return { name: engine.name, type: 'podman', host: engine.host, ...(engine.connection ? { connection: engine.connection } : {}) };
  }
  if (engine.connection === undefined) return { name: engine.name, type: 'podman', host: defaultPodmanHost(env) };
  const connections = lookup();
  const found = connections.find((connection) => connection.name === engine.connection);
  if (!found) {
    const known = connections.map((connection) => connection.name);
    throw new Error(
      `no podman connection named ${JSON.stringify(engine.connection)} (${known.length > 0 ? `known: ${known.join(', ')}` : 'podman system connection list shows none'})`,
    );
  }
  if (!/^(unix|tcp):\/\//.test(found.uri)) {
    throw new Error(`podman connection ${JSON.stringify(found.name)} is ${found.uri}: ${PODMAN_SSH_PROBLEM}`);
  }
  return { name: engine.name, type: 'podman', host: found.uri, connection: found.name };
}

export interface EngineFlags extends KubernetesFlags {
  /** Repeatable --docker-host. */
  dockerHosts?: readonly string[];
  /** Repeatable --engine. */
  engines?: readonly string[];
}

export const ENGINE_SPEC_HELP =
  'docker[:URL], podman[:CONNECTION or URL], kubernetes[:CONTEXT] (or k8s[:CONTEXT]), NAME=one of those, or the name of a configured engine';

/**
 * The engines named on the command line, in order: each --docker-host (the first keeps the first
 * configured engine's name, as a single --docker-host always did), then each --engine, then each
 * --context (named by its context). Returns undefined when no flag names an engine (the configured
 * list applies). Throws a ConfigError naming the flag, the value and the problem.
 */
export async function enginesFromFlags(
  flags: EngineFlags,
  configured: readonly EngineConfig[],
  env: NodeJS.ProcessEnv,
  lookup: PodmanConnectionLookup,
): Promise<EngineConfig[] | undefined> {
  const dockerHosts = (flags.dockerHosts ?? []).filter((host) => host.trim() !== '');
  const specs = (flags.engines ?? []).filter((spec) => spec.trim() !== '');
  const contexts = (flags.contexts ?? []).filter((context) => context.trim() !== '');
  if (dockerHosts.length === 0 && specs.length === 0 && contexts.length === 0) return undefined;
  const engines: EngineConfig[] = [];
  const taken = new Set<string>();
  const add = (engine: EngineConfig): void => {
    let name = engine.name;
    for (let suffix = 2; taken.has(name); suffix += 1) name = `${engine.name}-${suffix}`;
    taken.add(name);
    engines.push({ ...engine, name });
  };
  // Read once, and only when a Kubernetes engine is named here.
  let kubeconfig: string[] | undefined;
  const kubeconfigFiles = (): string[] => (kubeconfig ??= commandLineKubeconfig(kubeconfigFromFlags(flags, env), env));
  dockerHosts.forEach((host, index) => {
    add({ name: index === 0 ? (configured[0]?.name ?? 'local') : 'docker', type: 'docker', host: host.trim() });
  });
  for (const spec of specs) {
    try {
      add(await engineFromSpec(spec.trim(), configured, env, lookup, kubeconfigFiles));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError({ file: '--engine', field: spec, detail: (error as Error).message });
    }
  }
  for (const context of contexts) {
    try {
      add(await resolveKubernetesEngine({ kubeconfig: kubeconfigFiles(), context: context.trim() }));
    } catch (error) {
      throw flagError('--context', context, error);
    }
  }
  return engines;
}

async function engineFromSpec(
  spec: string,
  configured: readonly EngineConfig[],
  env: NodeJS.ProcessEnv,
  lookup: PodmanConnectionLookup,
  kubeconfigFiles: () => string[],
): Promise<EngineConfig> {
  const named = /^([A-Za-z0-9_.\/-]+)=(.+)$/.exec(spec);
  const explicitName = named?.[1];
  const body = named?.[2] ?? spec;
  const [type, ...rest] = body.split(':');
  const target = rest.join(':');
  if (type === 'docker') {
    const host = target || env['DOCKER_HOST']?.trim() || DEFAULT_DOCKER_HOST;
    return { name: explicitName ?? 'docker', type: 'docker', host };
  }
  if (type === 'podman') {
    if (target.includes('://')) return resolvePodmanEngine({ name: explicitName ?? 'podman', host: target }, env, lookup);
    if (target) return resolvePodmanEngine({ name: explicitName ?? target, connection: target }, env, lookup);
    return resolvePodmanEngine({ name: explicitName ?? 'podman' }, env, lookup);
  }
  if (type === 'kubernetes' || type === 'k8s') {
    // Context names may hold colons (EKS: arn:aws:eks:REGION:ACCOUNT:cluster/NAME): all of the rest is the context.
    const files = kubeconfigFiles();
    return resolveKubernetesEngine({ ...(explicitName ? { name: explicitName } : {}), kubeconfig: files, ...(target ? { context: target } : {}) });
  }
  const fromConfig = configured.find((engine) => engine.name === body);
  if (fromConfig && !explicitName) return fromConfig;
  const names = configured.map((engine) => engine.name);
  throw new Error(`expected ${ENGINE_SPEC_HELP}${names.length > 0 ? ` (configured: ${names.join(', ')})` : ''}`);
}

/**
 * The engines to watch after the command line: --docker-host, --engine and --context replace the
 * configured engines; -n, -A and --kubeconfig then apply to every Kubernetes engine in the list.
 * Without an engine flag and without a configured Kubernetes engine, -n, -A and --kubeconfig stand
 * for the kubeconfig's current context (as `--context` with its name would). ConfigError naming the flag.
 */
export async function applyEngineFlags(config: OpsdeckConfig, flags: EngineFlags, env: NodeJS.ProcessEnv, lookup: PodmanConnectionLookup): Promise<OpsdeckConfig> {
  for (const host of flags.dockerHosts ?? []) {
    const hostProblem = host.trim() === '' ? undefined : engineHostProblem(host.trim());
    if (hostProblem) throw new ConfigError({ file: '--docker-host', detail: hostProblem });
  }
  // -n/-A mistakes are reported before anything is read.
  namespaceFromFlags(flags);
  let engines = await enginesFromFlags(flags, config.engines, env, lookup);
  for (const engine of engines ?? []) {
    const hostProblem = engine.type === 'kubernetes' ? undefined : engineHostProblem(engine.host);
    if (hostProblem) throw new ConfigError({ file: '--engine', field: engine.name, detail: hostProblem });
  }
  if (!engines && hasKubernetesScopeFlags(flags) && !config.engines.some((engine) => engine.type === 'kubernetes')) {
    const files = kubeconfigFromFlags(flags, env);
    try {
      engines = [await resolveKubernetesEngine({ kubeconfig: commandLineKubeconfig(files, env) })];
    } catch (error) {
      throw flagError(scopeFlagName(flags), undefined, error);
    }
  }
  const scoped = await applyKubernetesScope(engines ?? config.engines, flags, env);
  if (hasKubernetesScopeFlags(flags) && !scoped.some((engine) => engine.type === 'kubernetes')) {
    throw new ConfigError({ file: scopeFlagName(flags), detail: 'applies to Kubernetes engines, and none is watched (add --context NAME or --engine kubernetes[:CONTEXT])' });
  }
  return { ...config, engines: scoped };
}

/** Why a host URL is not one opsdeck can reach, or undefined when it is fine. */
export function engineHostProblem(host: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i.exec(host);
  const scheme = (match?.[1] ?? '').toLowerCase();
  if (scheme === 'ssh') return sshUrlProblem(host);
  if (match && ENGINE_HOST_SCHEMES.includes(scheme)) return undefined;
  const schemes = ENGINE_HOST_SCHEMES.map((scheme) => `${scheme}://`);
  return `expected a ${schemes.slice(0, -1).join(', ')} or ${schemes[schemes.length - 1] ?? ''} URL, got ${JSON.stringify(host)}`;
}
