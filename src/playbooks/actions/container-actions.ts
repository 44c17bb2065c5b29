// container.restart|stop|start|kill: one EngineAction each, through the executor. A resumed
// run observes what an interrupted attempt did by inspecting the container: a restart shows
// as a StartedAt after the intent, a stop or kill as a state other than running.

import { z } from 'zod';
import type { EngineAction, InstanceDetails } from '../../domain/engine-action';
import type { ActionContext, Observation } from './action-registry';
import { execute, type InstanceRef } from './engine-steps';
import { containerParams, durationParam, nameParam } from './param-types';
import { singleContainerAction } from './single-container-action';

export type LifecycleStepVerb = 'restart' | 'stop' | 'start' | 'kill';

/** What a lifecycle step asks of the engine: stop grace (restart, stop), signal (kill). */
export interface LifecycleOptions {
  timeout?: number;
  signal?: string;
}

export function lifecycleAction(verb: LifecycleStepVerb, target: InstanceRef, options: LifecycleOptions): EngineAction {
  switch (verb) {
    case 'restart':
    case 'stop':
      return options.timeout === undefined ? { verb, target } : { verb, target, timeoutSeconds: Math.ceil(options.timeout / 1000) };
    case 'start':
      return { verb, target };
    case 'kill':
      return { verb, target, signal: options.signal ?? 'KILL' };
  }
}

/** The container as the engine describes it now, or why it could not be read. */
export async function inspectNow(target: InstanceRef, context: ActionContext): Promise<InstanceDetails | string> {
  const result = await execute({ verb: 'inspect', target }, context, { onOutput: () => undefined });
  if (result.status !== 'done') return result.error ?? `inspect ${target.name}: ${result.status}`;
  return result.output?.inspect ?? `inspect ${target.name} returned nothing`;
}

function clockOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

/** Whether the container was (re)started after `intentAt`: its StartedAt against the intent. */
function startedSince(details: InstanceDetails, intentAt: number, verb: string): Observation {
  const startedAt = details.startedAt === undefined ? Number.NaN : Date.parse(details.startedAt);
  if (!Number.isFinite(startedAt)) return { verdict: 'unknown', detail: `${details.name} has no readable StartedAt (${details.startedAt ?? 'none'})` };
  const comparison = `${details.name} StartedAt ${clockOf(startedAt)} is ${startedAt > intentAt ? 'after' : 'before'} the intent (${clockOf(intentAt)})`;
  if (startedAt > intentAt && details.state === 'running') return { verdict: 'happened', detail: `${comparison}: ${verb} happened` };
  if (startedAt > intentAt) return { verdict: 'happened', detail: `${comparison}, now ${details.state}: ${verb} happened` };
  return { verdict: 'not-happened', detail: `${comparison}: not ${verb === 'restart' ? 'restarted' : 'started'}` };
}

function isDown(details: InstanceDetails, verb: string): Observation {
  if (details.state === 'running' || details.state === 'restarting') return { verdict: 'not-happened', detail: `${details.name} is still ${details.state}: the ${verb} did not take effect` };
  return { verdict: 'happened', detail: `${details.name} is ${details.state}: the ${verb} happened` };
}

export function observeLifecycle(verb: LifecycleStepVerb, details: InstanceDetails, intentAt: number): Observation {
  switch (verb) {
    case 'restart':
      return startedSince(details, intentAt, 'restart');
    case 'start':
      if (details.state !== 'running') return { verdict: 'not-happened', detail: `${details.name} is ${details.state}: not started` };
      return startedSince(details, intentAt, 'start');
    case 'stop':
    case 'kill':
      return isDown(details, verb);
  }
}

const SUMMARIES: Record<LifecycleStepVerb, string> = {
  restart: 'Restart a container (stop grace `timeout`, default 10s) and report its new StartedAt',
  stop: 'Stop a container (stop grace `timeout`, default 10s)',
  start: 'Start a stopped container',
  kill: 'Send a signal to a container (default KILL)',
};

const SCHEMAS = {
  restart: z.strictObject({ ...containerParams, timeout: durationParam.optional() }),
  stop: z.strictObject({ ...containerParams, timeout: durationParam.optional() }),
  start: z.strictObject({ ...containerParams }),
  kill: z.strictObject({ ...containerParams, signal: nameParam.regex(/^(SIG)?[A-Z0-9]+$/, 'a signal name such as KILL, TERM or HUP').optional() }),
};

function containerLifecycleAction(verb: LifecycleStepVerb) {
  const params: z.ZodType<{ container: string; engine?: string | undefined } & LifecycleOptions> = SCHEMAS[verb];
  return singleContainerAction({
    name: `container.${verb}`,
    summary: SUMMARIES[verb],
    params,
    mutates: () => true,
    build: (target, values) => lifecycleAction(verb, target, values),
    async finish(outcome, _values, _output, context, target) {
      if (verb !== 'restart') return outcome;
      // The new StartedAt, for the verify step and the journal.
      const details = await inspectNow(target, context);
      if (typeof details === 'string') return outcome;
      return { ...outcome, stdout: `${details.name} ${details.state}, StartedAt ${details.startedAt ?? 'unknown'}`, data: { startedAt: details.startedAt } };
    },
    async observe(target, _values, context, intentAt) {
      const details = await inspectNow(target, context);
      if (typeof details === 'string') return { verdict: 'unknown', detail: `cannot inspect ${target.name}: ${details}` };
      return observeLifecycle(verb, details, intentAt);
    },
  });
}

export const CONTAINER_LIFECYCLE_ACTIONS = (['restart', 'stop', 'start', 'kill'] as const).map(containerLifecycleAction);
