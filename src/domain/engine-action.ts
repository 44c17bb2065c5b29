// One typed action path: every mutation, from a single key or a playbook step, is an
// EngineAction executed through the action executor with a typed result.

import type { InstanceKind, ResourceKind, ResourceRef } from './resource-ref';
import type { Instance } from './types';
import { isActivePhase } from './types';

/** Lifecycle verbs a key or a `:` command asks for on the selected instance. */
export type LifecycleVerb = 'restart' | 'stop' | 'start';

/** What can be done to a resource. Kubernetes adds scale, rollback and delete next. */
export type ActionVerb = LifecycleVerb | 'kill' | 'exec' | 'logs' | 'inspect' | 'stats' | 'archive' | 'restore';

type InstanceTarget = ResourceRef & { kind: InstanceKind };

export type EngineAction =
  | { verb: 'restart'; target: InstanceTarget; timeoutSeconds?: number }
  | { verb: 'stop'; target: InstanceTarget; timeoutSeconds?: number }
  | { verb: 'start'; target: InstanceTarget }
  | { verb: 'kill'; target: InstanceTarget; signal?: string }
  | {
      verb: 'exec';
      target: InstanceTarget;
      argv: readonly string[];
      user?: string;
      workingDir?: string;
      env?: Readonly<Record<string, string>>;
      /** A read-only exec (`vault status`, `nodetool status`) is allowed in read-only mode and runs in dry-run. */
      mutates: boolean;
    }
  | { verb: 'logs'; target: InstanceTarget; sinceSeconds?: number; tail?: number }
  | { verb: 'inspect'; target: InstanceTarget }
  | { verb: 'stats'; target: InstanceTarget }
  /** GET /containers/{id}/archive?path=…: the tar stream, gzipped into `destinationFile` on the host (a new file, never overwritten). */
  | { verb: 'archive'; target: InstanceTarget; path: string; destinationFile: string }
  /** PUT /containers/{id}/archive?path=…: extracts a .tar.gz from the host into `path`. */
  | { verb: 'restore'; target: InstanceTarget; path: string; sourceFile: string };

/** Whether an action changes the engine (read-only mode refuses these; dry-run sends nothing for them). */
export const MUTATING_VERBS: ReadonlySet<ActionVerb> = new Set<ActionVerb>(['restart', 'stop', 'start', 'kill', 'restore']);

export function isMutating(action: EngineAction): boolean {
  return action.verb === 'exec' ? action.mutates : MUTATING_VERBS.has(action.verb);
}

/** An instance as `docker inspect` describes it, engine-neutral and sanitised. */
export interface InstanceDetails {
  name: string;
  state: string;
  status?: string;
  health?: string;
  startedAt?: string;
  finishedAt?: string;
  restartCount?: number;
  exitCode?: number;
  oomKilled?: boolean;
  image?: string;
  memoryLimitBytes?: number;
  /** The inspect payload with env values and secret-looking labels redacted, text sanitised: for evidence files only. */
  raw: Record<string, unknown>;
}

/** What a reading action returned. */
export interface ActionOutput {
  exitCode?: number;
  /** exec, logs: sanitised line by line, bounded (about 1 MiB, with a truncation marker). */
  stdout?: string;
  stderr?: string;
  inspect?: InstanceDetails;
  stats?: { cpuPercent?: number; memoryBytes?: number; memoryLimitBytes?: number; memoryPercent?: number };
  /** archive: the file written. */
  file?: { path: string; bytes: number; sha256: string };
}

/** The exact call an action makes: an engine API request or an argv. */
export type ActionCall =
  | {
      type: 'http';
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      path: string;
      body?: unknown;
      /** The request the answer to this one leads to (exec: create, then start the exec it created). */
      then?: ActionCall;
    }
  | { type: 'argv'; argv: readonly string[] };

export type ActionStatus = 'done' | 'refused' | 'failed' | 'would-do';

export interface ActionResult {
  action: EngineAction;
  status: ActionStatus;
  /** The call made (done, failed) or that would be made (would-do); absent when refused before one was built. */
  call?: ActionCall;
  /** Why it was refused or how it failed. */
  error?: string;
  durationMs: number;
  output?: ActionOutput;
}

export interface ExecuteOptions {
  /** Mutating actions answer would-do with their call and send nothing; reading ones run for real. */
  dryRun?: boolean;
  /** Milliseconds before the call is abandoned (failed with a timeout, its streams closed). */
  timeoutMs?: number;
  /** Aborting fails the action and closes its streams (an exec's process may still run in the container). */
  signal?: AbortSignal;
  /** exec and logs stream through this as the output arrives: one sanitised line per call, without its newline. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/** Runs actions against the engines that own their targets. */
export interface ActionExecutor {
  execute(action: EngineAction, options?: ExecuteOptions): Promise<ActionResult>;
  /** The exact call the action would make, without making it. */
  describe(action: EngineAction): ActionCall | undefined;
  /** Why it would be refused (no such engine, not supported, read-only), decided before anything is sent. */
  refusal(action: EngineAction): string | undefined;
}

/** Present tense and past tense, for status lines and journals. */
export const VERB_WORDS: Record<ActionVerb, { present: string; progressive: string; past: string }> = {
  restart: { present: 'restart', progressive: 'restarting', past: 'restarted' },
  stop: { present: 'stop', progressive: 'stopping', past: 'stopped' },
  start: { present: 'start', progressive: 'starting', past: 'started' },
  kill: { present: 'kill', progressive: 'killing', past: 'killed' },
  exec: { present: 'run a command in', progressive: 'running a command in', past: 'ran a command in' },
  logs: { present: 'read the logs of', progressive: 'reading the logs of', past: 'read the logs of' },
  inspect: { present: 'inspect', progressive: 'inspecting', past: 'inspected' },
  stats: { present: 'sample', progressive: 'sampling', past: 'sampled' },
  archive: { present: 'archive', progressive: 'archiving', past: 'archived' },
  restore: { present: 'restore into', progressive: 'restoring into', past: 'restored into' },
};

/** Verbs each resource kind supports at all (k9s's Restartable, Stoppable, Startable per kind). */
export const VERBS_BY_KIND: Partial<Record<ResourceKind, readonly LifecycleVerb[]>> = {
  container: ['restart', 'stop', 'start'],
};

/** The verbs that make sense for an instance in its current phase. */
export function verbsFor(instance: Pick<Instance, 'ref' | 'phase'>): LifecycleVerb[] {
  const supported = VERBS_BY_KIND[instance.ref.kind] ?? [];
  const active = isActivePhase(instance.phase);
  return supported.filter((verb) => (verb === 'start' ? !active : verb === 'stop' ? active : true));
}

/** One line for the status bar or a journal: "restarted shop-api-1 (1.2 s)". */
export function describeResult(result: ActionResult): string {
  const words = VERB_WORDS[result.action.verb];
  const name = result.action.target.name;
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  switch (result.status) {
    case 'done':
      return `${words.past} ${name} (${seconds})`;
    case 'would-do':
      return `dry run: would ${words.present} ${name}${result.call ? `: ${describeCall(result.call)}` : ''}`;
    case 'refused':
      return result.error ?? `${words.present} ${name} refused`;
    case 'failed':
      return `${words.present} ${name} failed: ${result.error ?? 'unknown error'}`;
  }
}

/** "POST /containers/c0ffee/exec {"Cmd":["cat","/x"]} then POST /exec/{execId}/start". */
export function describeCall(call: ActionCall): string {
  if (call.type === 'argv') return call.argv.join(' ');
  const body = call.body === undefined ? '' : ` ${JSON.stringify(call.body)}`;
  return `${call.method} ${call.path}${body}${call.then ? ` then ${describeCall(call.then)}` : ''}`;
}

/** A call and the ones it leads to, in order (for the journal's list of calls). */
export function callSequence(call: ActionCall): ActionCall[] {
  if (call.type === 'argv' || !call.then) return [call];
  const { then, ...first } = call;
  return [first, ...callSequence(then)];
}
