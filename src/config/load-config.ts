// Finds, reads and validates opsdeck.yaml. Every problem becomes a ConfigError
// whose message is one line an operator can act on:
//   opsdeck.yaml:7:14: thresholds.cpu.warning: expected a number, got "high"
// Without a file the defaults apply (resolve-config.ts); a file is validated by
// parse-config-text.ts, loaded only then (zod and yaml are not needed otherwise).

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG, parseDuration } from './config-defaults';
import type { OpsdeckConfig } from './config-defaults';
import { ConfigError, displayFileName } from './config-error';
import { applyEngineFlags, listPodmanConnections, type PodmanConnectionLookup } from './engine-selection';
import type { KubernetesFlags } from './kubernetes-engines';
import type { ParseConfigOptions } from './parse-config-text';
import { defaultEngineConfig, nonEmpty, resolveConfig } from './resolve-config';

export { ConfigError, DEFAULT_CONFIG, parseDuration };
export type { OpsdeckConfig, ParseConfigOptions };

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

function readErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'config file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read config file: permission denied';
  if (code === 'EISDIR') return 'config path is a directory';
  return `cannot read config file: ${error instanceof Error ? error.message : String(error)}`;
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

/** Validates YAML text, reads the kubeconfig of each Kubernetes engine and applies the defaults. Throws ConfigError. */
export async function parseConfigText(text: string, options: ParseConfigOptions): Promise<OpsdeckConfig> {
  return (await import('./parse-config-text')).parseConfigText(text, options);
}
