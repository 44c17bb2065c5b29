// wait.until: repeats a check (any registered action that changes nothing) until its outcome
// passes and matches `expect`, or the time is up; each attempt reports "attempt 3, 12 s left".

import { z } from 'zod';
import { formatDuration } from '../../domain/duration';
import type { ActionContext, PlaybookActionDefinition, StepOutcome } from './action-registry';
import { defineAction } from './define-action';
import { failedOutcome, messageOf } from './engine-steps';
import { judgeOutcome, stepExpectParam } from './expect-match';
import { durationParam } from './param-types';
import { abortableDelay } from '../../domain/abortable-delay';

type Definition = PlaybookActionDefinition<Record<string, unknown>>;
type Lookup = (name: string) => Definition | undefined;

const DEFAULT_INTERVAL_MS = 2000;
const DEFAULT_TIMEOUT_MS = 60_000;
const ATTEMPT_MARGIN_MS = 10_000;

/** The repeated action and its parsed parameters, or why it cannot be repeated. */
function innerOf(lookup: Lookup, name: string, values: Record<string, unknown>): { definition: Definition; params: Record<string, unknown> } | string {
  if (name === 'wait.until') return 'wait.until cannot repeat itself';
  const definition = lookup(name);
  if (!definition) return `unknown action ${name}`;
  const parsed = definition.params.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${name}: ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid parameters'}`;
  }
  if (definition.mutates(parsed.data)) return `wait.until repeats only actions that change nothing, and ${name} with these parameters mutates`;
  return { definition, params: parsed.data };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function secondsLeft(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))} s left`;
}

export function createWaitUntilAction(lookup: Lookup) {
  const params = z
    .strictObject({
      action: z.string().min(1),
      with: z.record(z.string(), z.unknown()).default({}),
      expect: stepExpectParam.optional(),
      interval: durationParam.default(DEFAULT_INTERVAL_MS),
      timeout: durationParam.default(DEFAULT_TIMEOUT_MS),
    })
    .superRefine((values, context) => {
      // Parameters holding templates are checked once rendered, when the step runs.
      if (JSON.stringify(values.with).includes('{{')) return;
      const inner = innerOf(lookup, values.action, values.with);
      if (typeof inner === 'string') context.addIssue({ code: 'custom', path: ['action'], message: inner });
    });

  return defineAction({
    name: 'wait.until',
    summary: 'Repeat a check until it passes (and matches `expect`) or `timeout` is up, every `interval`',
    params,
    targetOf(values) {
      const inner = innerOf(lookup, values.action, values.with);
      return typeof inner === 'string' ? undefined : inner.definition.targetOf?.(inner.params);
    },
    mutates: () => false,
    // The wait's own timeout bounds the step, with room for the last attempt to finish.
    defaultTimeoutMs: (values) => values.timeout + Math.max(values.interval, ATTEMPT_MARGIN_MS),
    describe(values, context) {
      const inner = innerOf(lookup, values.action, values.with);
      return typeof inner === 'string' ? [] : inner.definition.describe(inner.params, context);
    },
    async run(values, context) {
      const inner = innerOf(lookup, values.action, values.with);
      if (typeof inner === 'string') return failedOutcome(inner);
      const deadline = context.now() + values.timeout;
      let attempt = 0;
      for (;;) {
        attempt += 1;
        const remaining = deadline - context.now();
        context.onProgress(`attempt ${attempt}, ${secondsLeft(remaining)}`);
        const judged = judgeOutcome(await attemptOnce(inner, context, Math.max(1, Math.min(remaining, context.timeoutMs))), values.expect);
        if (judged.status === 'passed') {
          const line = `passed on attempt ${attempt}`;
          context.onOutput('info', line);
          return { ...judged, stdout: judged.stdout ?? line, data: judged.data ?? { attempts: attempt } };
        }
        context.onOutput('info', `attempt ${attempt}: ${judged.error ?? judged.status}`);
        if (judged.status === 'refused') return judged;
        const left = deadline - context.now();
        if (left <= values.interval) {
          return {
            ...judged,
            status: 'failed',
            error: `still not passing after ${plural(attempt, 'attempt')} in ${formatDuration(values.timeout)}: ${judged.error ?? judged.status}`,
          };
        }
        context.onProgress(`attempt ${attempt} failed, next in ${formatDuration(values.interval)}, ${secondsLeft(left)}`);
        // An abort ends the pause at once.
        await abortableDelay(values.interval, context.signal);
        if (context.signal.aborted) return { ...judged, status: 'failed', error: `aborted after ${plural(attempt, 'attempt')}` };
      }
    },
  });
}

async function attemptOnce(inner: { definition: Definition; params: Record<string, unknown> }, context: ActionContext, timeoutMs: number): Promise<StepOutcome> {
  try {
    return await inner.definition.run(inner.params, { ...context, timeoutMs });
  } catch (error) {
    return failedOutcome(messageOf(error));
  }
}
