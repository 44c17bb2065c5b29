// k8s.logs: the logs of a pod, or of every pod of a Deployment or StatefulSet (one EngineAction
// `logs` each), with kubectl's --since, --tail, -c and -p; `pattern` keeps the matching lines and
// counts them, like `kubectl logs --since=24h deployment/x | grep -c ERROR`: the count is in the
// output ("12 lines match /ERROR/ in 3 pods", for `expect.output`) and in data.matches (for `when`),
// and `maxMatches` fails the step above it.

import { z } from 'zod';
import type { EngineAction } from '../../domain/engine-action';
import { compilePattern } from '../../domain/pattern';
import type { ActionContext, StepOutcome } from './action-registry';
import { matchingLines, sinceSecondsOf } from './container-read-actions';
import { defineAction } from './define-action';
import { plannedActions, execute, failedOutcome } from './engine-steps';
import { podsFor, requireWorkloadOrPod, resolveWorkloadOrPod, workloadParams } from './kubernetes-targets';
import { booleanParam, nameParam, patternParam, positiveIntegerParam, sinceParam } from './param-types';

const params = z
  .strictObject({
    ...workloadParams,
    pod: nameParam.optional(),
    container: nameParam.optional(),
    since: sinceParam.optional(),
    tail: positiveIntegerParam.optional(),
    previous: booleanParam.default(false),
    pattern: patternParam.optional(),
    maxMatches: positiveIntegerParam.optional(),
  })
  .superRefine(requireWorkloadOrPod);

type LogsValues = z.output<typeof params>;
type LogsAction = Extract<EngineAction, { verb: 'logs' }>;

function actionsFor(values: LogsValues, context: ActionContext): LogsAction[] | string {
  const state = context.state();
  const target = resolveWorkloadOrPod(state, values);
  if (typeof target === 'string') return target;
  const pods = podsFor(state, target);
  if (pods.length === 0) return `no pods of ${target.kind} ${target.name}`;
  return pods.map((pod) => ({
    verb: 'logs',
    target: { ...pod.ref, kind: 'pod' },
    ...(values.since !== undefined ? { sinceSeconds: sinceSecondsOf(values.since, context.now()) } : {}),
    ...(values.tail !== undefined ? { tail: values.tail } : {}),
    ...(values.container !== undefined ? { container: values.container } : {}),
    ...(values.previous ? { previous: true } : {}),
  }));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

const logs = defineAction({
  name: 'k8s.logs',
  summary: 'Logs of a pod or of every pod of a deployment/statefulset (`since`, `tail`, `container`, `previous`); `pattern` keeps and counts the matching lines, `maxMatches` fails above a count',
  params,
  mutates: () => false,
  describe: plannedActions(actionsFor).describe,
  async run(values, context) {
    const actions = actionsFor(values, context);
    if (typeof actions === 'string') return failedOutcome(actions);
    const pattern = values.pattern === undefined ? undefined : compilePattern(values.pattern);
    // Several pods: each line says whose it is, as kubectl logs --prefix does.
    const prefixOf = (action: LogsAction): string => (actions.length > 1 ? `[${action.target.name}] ` : '');
    const kept: string[] = [];
    const failures: string[] = [];
    let lines = 0;
    const outcome: StepOutcome = { status: 'passed', calls: [] };
    for (const action of actions) {
      const prefix = prefixOf(action);
      let streamed = false;
      const result = await execute(action, context, {
        onOutput: (stream, text) => {
          streamed = true;
          for (const line of matchingLines(text, pattern)) context.onOutput(stream, `${prefix}${line}`);
        },
      });
      if (result.call) outcome.calls = [...outcome.calls, result.call];
      if (result.status !== 'done') {
        failures.push(`${action.target.name}: ${result.error ?? result.status}`);
        if (result.status === 'refused') return { ...outcome, status: 'refused', error: failures.join('; ') };
        continue;
      }
      const all = (result.output?.stdout ?? '').split('\n').filter((line) => line !== '');
      lines += all.length;
      const matching = all.filter((line) => !pattern || pattern.test(line)).map((line) => `${prefix}${line}`);
      // An engine that returned the text without streaming it: shown now, in order.
      if (!streamed) for (const line of matching) context.onOutput('stdout', line);
      kept.push(...matching);
    }
    const read = actions.length - failures.length;
    const count = pattern ? `${plural(kept.length, 'line')} match /${values.pattern ?? ''}/` : plural(lines, 'line');
    const summary = `${count} in ${plural(read, 'pod')}${failures.length > 0 ? ` (not read: ${failures.join('; ')})` : ''}`;
    context.onOutput('info', summary);
    const data = { lines, matches: kept.length, pods: read };
    const stdout = [...kept, summary].join('\n');
    if (read === 0) return { ...outcome, status: 'failed', stdout, data, error: failures.join('; ') };
    if (values.maxMatches !== undefined && kept.length > values.maxMatches) {
      return { ...outcome, status: 'failed', stdout, data, error: `${count}, more than ${values.maxMatches}` };
    }
    return { ...outcome, stdout, data };
  },
});

export const KUBERNETES_LOG_ACTIONS = [logs];
