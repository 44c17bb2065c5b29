// The global options every command shares, and the config load that ends the process with
// exit code 2 and one located line on a configuration error. Commands live in src/cli/commands/,
// each registering itself on the program (main.ts lists them).

import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load-config';

export interface GlobalOptions {
  dockerHost: string[];
  engine: string[];
  /** Repeatable --kubeconfig (each may be a path list). */
  kubeconfig: string[];
  /** Repeatable --context. */
  context: string[];
  namespace?: string;
  allNamespaces?: boolean;
  config?: string;
  readOnly?: boolean;
  dryRun?: boolean;
  ascii?: boolean;
  /** Extra playbook directories (--playbooks DIR, repeatable). */
  playbooks?: string[];
}

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function loadConfigOrExit(options: GlobalOptions) {
  try {
    return (
      await loadConfig({
        path: options.config,
        dockerHosts: options.dockerHost,
        engines: options.engine,
        kubeconfig: options.kubeconfig,
        contexts: options.context,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.allNamespaces ? { allNamespaces: true } : {}),
      })
    ).config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`opsdeck: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** A command registers itself on the program; it reads the global options with `program.opts()`. */
export type CommandRegistration = (program: Command) => void;
