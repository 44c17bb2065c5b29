// One typed action path: every mutation, from a single key or a playbook step, is an
// EngineAction executed through the action executor with a typed result.

import type { InstanceKind, ResourceKind, ResourceRef } from './resource-ref';
import type { Instance } from './types';
import { isActivePhase } from './types';

/** What can be done to a resource. Kubernetes adds scale, rollback and delete next. */
export type ActionVerb = 'restart' | 'stop' | 'start';

export type EngineAction =
  | { verb: 'restart'; target: ResourceRef & { kind: InstanceKind }; timeoutSeconds?: number }
  | { verb: 'stop'; target: ResourceRef & { kind: InstanceKind }; timeoutSeconds?: number }
  | { verb: 'start'; target: ResourceRef & { kind: InstanceKind } };

/** Whether an action changes the engine (read-only mode refuses these). */
export const MUTATING_VERBS: ReadonlySet<ActionVerb> = new Set<ActionVerb>(['restart', 'stop', 'start']);

/** The exact call an action makes: an engine API request or an argv. */
export type ActionCall =
  | { type: 'http'; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown }
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
}

export interface ExecuteOptions {
  dryRun?: boolean;
  /** Milliseconds before the call is abandoned (failed with a timeout). */
  timeoutMs?: number;
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
};

/** Verbs each resource kind supports at all (k9s's Restartable, Stoppable, Startable per kind). */
export const VERBS_BY_KIND: Partial<Record<ResourceKind, readonly ActionVerb[]>> = {
  container: ['restart', 'stop', 'start'],
};

/** The verbs that make sense for an instance in its current phase. */
export function verbsFor(instance: Pick<Instance, 'ref' | 'phase'>): ActionVerb[] {
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

export function describeCall(call: ActionCall): string {
  return call.type === 'http' ? `${call.method} ${call.path}` : call.argv.join(' ');
}
