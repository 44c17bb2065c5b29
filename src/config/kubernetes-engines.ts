// Kubernetes engines as kubectl finds its clusters: kubeconfig files (KUBECONFIG with several
// files, else ~/.kube/config; --kubeconfig), a context (the current-context unless named), a
// namespace (-n) or all of them (-A). Each engine is resolved when the configuration is loaded:
// its context and API server URL come from the kubeconfig, so a context that does not exist is a
// configuration error before anything connects.

import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeKubeConfigFiles } from '../adapters/kubernetes/kube-connection';
import { ConfigError } from './config-error';
import type { EngineConfig, KubernetesEngineConfig } from './schema';

/** The kubectl-style flags: where kubeconfig files come from, which contexts, which namespace. */
export interface KubernetesFlags {
  /** Repeatable --kubeconfig; each value may be a path list (KUBECONFIG syntax). */
  kubeconfig?: readonly string[];
  /** Repeatable --context: one engine per context, named by it. */
  contexts?: readonly string[];
  /** -n / --namespace */
  namespace?: string;
  /** -A / --all-namespaces */
  allNamespaces?: boolean;
}

/** A Kubernetes engine before its kubeconfig is read: context undefined means the current-context. */
export interface KubernetesEngineRequest {
  /** Undefined: named after its context. */
  name?: string;
  kubeconfig: string[];
  context?: string;
  namespace?: string;
}

/** Which setting a problem is about, so the message can point at it. */
export class KubeconfigProblem extends Error {
  constructor(
    readonly field: 'kubeconfig' | 'context',
    message: string,
  ) {
    super(message);
    this.name = 'KubeconfigProblem';
  }
}

const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a namespace name cannot exist (RFC 1123 label, as the API server checks it), or undefined. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length <= 63 && NAMESPACE_PATTERN.test(namespace)) return undefined;
  return `invalid namespace ${JSON.stringify(namespace)}: lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit`;
}

/** `~/x` with HOME expanded; other paths as written. */
function expandHome(file: string, env: NodeJS.ProcessEnv): string {
  if (file !== '~' && !file.startsWith('~/')) return file;
  return path.join(env['HOME']?.trim() || os.homedir(), file.slice(1));
}

/**
 * The files named by kubeconfig settings (each entry a file or a KUBECONFIG-style path list), with
 * `~/` expanded. Relative paths and missing files are problems: an explicitly named kubeconfig
 * must exist (kubectl --kubeconfig fails the same way).
 */
export function namedKubeconfigFiles(entries: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const files = entries.flatMap((entry) => entry.split(path.delimiter)).map((file) => file.trim()).filter((file) => file !== '');
  return files.map((written) => {
    const file = expandHome(written, env);
    if (!path.isAbsolute(file)) throw new KubeconfigProblem('kubeconfig', `expected an absolute path or ~/..., got ${JSON.stringify(written)}`);
    if (!existsSync(file)) throw new KubeconfigProblem('kubeconfig', `kubeconfig file not found: ${file}`);
    return file;
  });
}

/** kubectl's files when none is named: those of KUBECONFIG that exist (it skips missing ones), else ~/.kube/config. */
export function defaultKubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const listed = (env['KUBECONFIG'] ?? '').split(path.delimiter).map((file) => file.trim()).filter((file) => file !== '');
  if (listed.length > 0) {
    const present = listed.map((file) => expandHome(file, env)).filter((file) => existsSync(file));
    if (present.length === 0) throw new KubeconfigProblem('kubeconfig', `none of KUBECONFIG's files exists (${listed.join(', ')})`);
    return present;
  }
  const home = path.join(env['HOME']?.trim() || os.homedir(), '.kube', 'config');
  if (!existsSync(home)) throw new KubeconfigProblem('kubeconfig', `no kubeconfig: KUBECONFIG is not set and ${home} does not exist`);
  return [home];
}

/** The kubeconfig files of an engine: the named ones, else kubectl's default. */
export function kubeconfigFilesOf(entries: readonly string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  return entries && entries.length > 0 ? namedKubeconfigFiles(entries, env) : defaultKubeconfigFiles(env);
}

/** Reads the kubeconfig: the context (current-context when not named) and its API server. Throws KubeconfigProblem. */
export async function resolveKubernetesEngine(request: KubernetesEngineRequest): Promise<KubernetesEngineConfig> {
  let kubeConfig: Awaited<ReturnType<typeof mergeKubeConfigFiles>>;
  try {
    kubeConfig = await mergeKubeConfigFiles(request.kubeconfig);
  } catch (error) {
    throw new KubeconfigProblem('kubeconfig', await unreadableFileMessage(request.kubeconfig, error));
  }
  const known = kubeConfig.getContexts().map((context) => context.name);
  const knownText = `known: ${known.join(', ') || 'none'}`;
  const context = request.context ?? kubeConfig.getCurrentContext();
  if (!context) throw new KubeconfigProblem('context', `the kubeconfig sets no current-context: name a context (${knownText})`);
  const contextObject = kubeConfig.getContextObject(context);
  if (!contextObject) throw new KubeconfigProblem('context', `no context ${JSON.stringify(context)} in the kubeconfig (${knownText})`);
  const cluster = kubeConfig.getCluster(contextObject.cluster);
  if (!cluster) throw new KubeconfigProblem('context', `context ${JSON.stringify(context)} names cluster ${JSON.stringify(contextObject.cluster)}, which the kubeconfig does not define`);
  if (!cluster.server) throw new KubeconfigProblem('context', `cluster ${JSON.stringify(cluster.name)} of context ${JSON.stringify(context)} has no server`);
  return {
    name: request.name ?? context,
    type: 'kubernetes',
    kubeconfig: [...request.kubeconfig],
    context,
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    host: cluster.server.replace(/\/+$/, ''),
  };
}

/** Which file could not be read, and why (client-node's message does not say which). */
async function unreadableFileMessage(files: readonly string[], error: unknown): Promise<string> {
  for (const file of files) {
    try {
      await mergeKubeConfigFiles([file]);
    } catch (fileError) {
      return `cannot read kubeconfig ${file}: ${firstLine(fileError)}`;
    }
  }
  return `cannot read kubeconfig ${files.join(path.delimiter)}: ${firstLine(error)}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}

/** Wraps a KubeconfigProblem (or any error) of a command-line source as a ConfigError naming it. */
export function flagError(file: string, field: string | undefined, error: unknown): ConfigError {
  if (error instanceof ConfigError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError({ file, ...(field !== undefined ? { field } : {}), detail });
}

/** Whether the flags change which namespace or kubeconfig the Kubernetes engines use. */
export function hasKubernetesScopeFlags(flags: KubernetesFlags): boolean {
  return (flags.kubeconfig ?? []).some((entry) => entry.trim() !== '') || flags.namespace !== undefined || flags.allNamespaces === true;
}

/** Checks -n/-A, then returns the namespace they ask for: a name, null for all namespaces, undefined for no change. */
export function namespaceFromFlags(flags: KubernetesFlags): string | null | undefined {
  if (flags.namespace !== undefined && flags.allNamespaces) {
    throw new ConfigError({ file: '--namespace', detail: 'give either --namespace or --all-namespaces, not both' });
  }
  if (flags.allNamespaces) return null;
  if (flags.namespace === undefined) return undefined;
  const problem = namespaceProblem(flags.namespace);
  if (problem) throw new ConfigError({ file: '--namespace', detail: problem });
  return flags.namespace;
}

/**
 * The files --kubeconfig names (undefined when it is not given), or the flag's ConfigError.
 */
export function kubeconfigFromFlags(flags: KubernetesFlags, env: NodeJS.ProcessEnv): string[] | undefined {
  const entries = (flags.kubeconfig ?? []).filter((entry) => entry.trim() !== '');
  if (entries.length === 0) return undefined;
  try {
    return namedKubeconfigFiles(entries, env);
  } catch (error) {
    throw flagError('--kubeconfig', undefined, error);
  }
}

/** The kubeconfig files for an engine named on the command line: --kubeconfig's, else kubectl's default. Throws KubeconfigProblem. */
export function commandLineKubeconfig(flagFiles: string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  return flagFiles ?? defaultKubeconfigFiles(env);
}

/** The flag a Kubernetes engine came from when only -n, -A or --kubeconfig asked for one. */
export function scopeFlagName(flags: KubernetesFlags): string {
  if ((flags.kubeconfig ?? []).some((entry) => entry.trim() !== '')) return '--kubeconfig';
  return flags.namespace !== undefined ? '--namespace' : '--all-namespaces';
}

/**
 * -n, -A and --kubeconfig on every Kubernetes engine of a list: the namespace replaced (or removed
 * for all namespaces), the kubeconfig replaced and the engine resolved again from it (its context
 * must exist there too). Other engines are returned as they are.
 */
export async function applyKubernetesScope(engines: readonly EngineConfig[], flags: KubernetesFlags, env: NodeJS.ProcessEnv): Promise<EngineConfig[]> {
  const namespace = namespaceFromFlags(flags);
  const kubeconfig = kubeconfigFromFlags(flags, env);
  return Promise.all(
    engines.map(async (engine): Promise<EngineConfig> => {
      if (engine.type !== 'kubernetes') return engine;
      const { namespace: configured, ...rest } = engine;
      const scoped: KubernetesEngineConfig = namespace === null ? rest : namespace !== undefined ? { ...rest, namespace } : engine;
      if (!kubeconfig || sameFiles(kubeconfig, engine.kubeconfig)) return scoped;
      try {
        return await resolveKubernetesEngine({ ...scoped, kubeconfig });
      } catch (error) {
        throw flagError('--kubeconfig', engine.name, error);
      }
    }),
  );
}

function sameFiles(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((file, index) => file === right[index]);
}
