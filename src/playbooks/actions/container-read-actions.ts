// container.exec|logs|inspect|stats: reads (and exec, mutating unless marked read-only)
// through the executor. Reads run for real in a dry run, so later steps see real values.

import { z } from 'zod';
import type { InstanceDetails } from '../../domain/engine-action';
import type { StepOutcome } from './action-registry';
import { argvParam, booleanParam, containerParams, nameParam, patternParam, positiveIntegerParam, sinceParam, stringMapParam, timestampParam } from './param-types';
import { compilePattern } from '../../domain/pattern';
import { singleContainerAction } from './single-container-action';

const exec = singleContainerAction({
  name: 'container.exec',
  summary: 'Run a command (argv) inside a container; mutating unless `readOnly: true`',
  params: z.strictObject({
    ...containerParams,
    command: argvParam,
    user: nameParam.optional(),
    workdir: z.string().min(1).optional(),
    env: stringMapParam.optional(),
    readOnly: booleanParam.default(false),
  }),
  mutates: (values) => !values.readOnly,
  build: (target, values) => ({
    verb: 'exec',
    target,
    argv: values.command,
    mutates: !values.readOnly,
    ...(values.user !== undefined ? { user: values.user } : {}),
    ...(values.workdir !== undefined ? { workingDir: values.workdir } : {}),
    ...(values.env !== undefined ? { env: values.env } : {}),
  }),
});

/** Each text the engine streams may hold several lines; only the matching ones are shown. */
export function matchingLines(text: string, pattern: RegExp | undefined): string[] {
  const lines = text.split('\n');
  return pattern ? lines.filter((line) => pattern.test(line)) : lines;
}

const logs = singleContainerAction({
  name: 'container.logs',
  summary: 'Read a container\'s logs (`since`, `tail`), keeping only lines matching `grep` when given',
  params: z.strictObject({ ...containerParams, since: sinceParam.optional(), tail: positiveIntegerParam.optional(), grep: patternParam.optional() }),
  mutates: () => false,
  build: (target, values, context) => ({
    verb: 'logs',
    target,
    ...(values.since !== undefined ? { sinceSeconds: sinceSecondsOf(values.since, context.now()) } : {}),
    ...(values.tail !== undefined ? { tail: values.tail } : {}),
  }),
  onOutput: (values, context) => {
    const pattern = values.grep === undefined ? undefined : compilePattern(values.grep);
    return (stream, text) => {
      for (const line of matchingLines(text, pattern)) context.onOutput(stream, line);
    };
  },
  finish(outcome, values) {
    const all = (outcome.stdout ?? '').split('\n').filter((line) => line !== '');
    const kept = values.grep === undefined ? all : matchingLines(all.join('\n'), compilePattern(values.grep));
    return { ...outcome, stdout: kept.join('\n'), data: { lines: all.length, matched: kept.length } };
  },
});

/** Seconds back from now: a duration, or the time given (`{{ steps.restart.data.startedAt }}`: the logs since the restart). */
export function sinceSecondsOf(since: { ms: number } | { time: string }, now: number): number {
  if ('ms' in since) return Math.ceil(since.ms / 1000);
  return Math.max(0, Math.ceil((now - Date.parse(since.time)) / 1000));
}

/** Whether engine time `later` is after `earlier`, to the nanosecond engines print (Date keeps milliseconds). */
export function isAfter(later: string, earlier: string): boolean {
  const split = (time: string): [number, string] => {
    const match = /^(.*?:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
    if (!match) return [Date.parse(time), ''];
    return [Date.parse(`${match[1]}${match[3]}`), (match[2] ?? '').padEnd(9, '0')];
  };
  const [laterSeconds, laterFraction] = split(later);
  const [earlierSeconds, earlierFraction] = split(earlier);
  return laterSeconds !== earlierSeconds ? laterSeconds > earlierSeconds : laterFraction > earlierFraction;
}

/** The inspect summary a later step can use (`{{ steps.ID.data.health }}`): everything but the raw payload. */
function summaryOf(details: InstanceDetails): Omit<InstanceDetails, 'raw'> {
  const { raw: _raw, ...summary } = details;
  return summary;
}

const STATES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'] as const;
const HEALTHS = ['healthy', 'unhealthy', 'starting', 'none'] as const;

function unmet(
  details: InstanceDetails,
  require: { state?: string | undefined; health?: string | undefined; running?: boolean | undefined; startedAfter?: string | undefined; startedAt?: string | undefined } | undefined,
): string[] {
  if (!require) return [];
  const problems: string[] = [];
  const health = details.health ?? 'none';
  if (require.state !== undefined && details.state !== require.state) problems.push(`state is ${details.state}, required ${require.state}`);
  if (require.health !== undefined && health !== require.health) problems.push(`health is ${health}, required ${require.health}`);
  if (require.running !== undefined && (details.state === 'running') !== require.running) problems.push(require.running ? `not running (${details.state})` : 'still running');
  if (require.startedAfter !== undefined && (details.startedAt === undefined || !isAfter(details.startedAt, require.startedAfter))) {
    problems.push(`StartedAt ${details.startedAt ?? 'unknown'} is not after ${require.startedAfter}: it did not start again`);
  }
  const startedAgain = require.startedAt !== undefined && (details.startedAt === undefined || isAfter(details.startedAt, require.startedAt) || isAfter(require.startedAt, details.startedAt));
  if (startedAgain) problems.push(`StartedAt ${details.startedAt ?? 'unknown'} is not ${require.startedAt}: it started again since`);
  return problems;
}

const inspect = singleContainerAction({
  name: 'container.inspect',
  summary: 'Inspect a container (state, health, StartedAt, restarts, exit code, OOM); fails when `require` is not met',
  params: z.strictObject({
    ...containerParams,
    require: z
      .strictObject({ state: z.enum(STATES).optional(), health: z.enum(HEALTHS).optional(), running: booleanParam.optional(), startedAfter: timestampParam.optional(), startedAt: timestampParam.optional() })
      .optional(),
  }),
  mutates: () => false,
  build: (target) => ({ verb: 'inspect', target }),
  finish(outcome, values, output) {
    if (!output?.inspect) return { ...outcome, status: 'failed', error: 'the engine returned no inspect data' };
    const summary = summaryOf(output.inspect);
    const stdout = Object.entries(summary)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => `${field}: ${String(value)}`)
      .join('\n');
    const problems = unmet(output.inspect, values.require);
    const inspected: StepOutcome = { ...outcome, stdout, data: summary };
    return problems.length > 0 ? { ...inspected, status: 'failed', error: `${summary.name}: ${problems.join('; ')}` } : inspected;
  },
});

function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const stats = singleContainerAction({
  name: 'container.stats',
  summary: 'Sample a container\'s CPU and memory once',
  params: z.strictObject({ ...containerParams }),
  mutates: () => false,
  build: (target) => ({ verb: 'stats', target }),
  finish(outcome, _values, output) {
    const sample = output?.stats;
    if (!sample) return { ...outcome, status: 'failed', error: 'the engine returned no stats' };
    const cpu = sample.cpuPercent === undefined ? '?' : `${sample.cpuPercent.toFixed(1)} %`;
    const memoryPercent = sample.memoryPercent === undefined ? '' : ` (${sample.memoryPercent.toFixed(1)} %)`;
    return { ...outcome, stdout: `cpu ${cpu}, memory ${megabytes(sample.memoryBytes)} of ${megabytes(sample.memoryLimitBytes)}${memoryPercent}`, data: { ...sample } };
  },
});

export const CONTAINER_READ_ACTIONS = [exec, logs, inspect, stats];
