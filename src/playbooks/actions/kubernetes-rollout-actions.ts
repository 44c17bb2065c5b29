// k8s.rollout.restart|status|history|undo, k8s.scale, k8s.set-resources, k8s.set-env on a
// Deployment or StatefulSet: one EngineAction each, through the executor, the server's answer
// as output. A resumed run observes each mutation where it shows: a restart, a resources or env
// change as a new revision after the intent (restart: its restartedAt mark), a scale as
// spec.replicas equal to the asked value, an undo as the target revision being current.

import { z } from 'zod';
import { formatDuration } from '../../domain/duration';
import type { ResourceQuantities, RolloutRevision } from '../../domain/engine-action';
import { refKey } from '../../domain/resource-ref';
import type { RolloutProgress } from '../../domain/types';
import type { Observation, StepOutcome } from './action-registry';
import { requireOneWorkload, workloadParams } from './kubernetes-targets';
import { clockOf, historyNow, observeNewTemplate, workloadStep } from './kubernetes-workload-step';
import { durationParam, nameParam, positiveIntegerParam } from './param-types';
import { alignColumns } from './status-actions';

const workloadOnly = z.strictObject(workloadParams).superRefine(requireOneWorkload);

const restart = workloadStep({
  name: 'k8s.rollout.restart',
  summary: 'Restart the pods of a deployment or statefulset by a rolling update (kubectl rollout restart: the template\'s restartedAt annotation)',
  params: workloadOnly,
  mutates: true,
  build: (target) => ({ verb: 'rollout-restart', target }),
  observe: (target, _values, context, intentAt) => observeNewTemplate(target, context, intentAt, 'rollout restart', { restartMark: true }),
});

// --- status ---------------------------------------------------------------------------------

const DEFAULT_ROLLOUT_TIMEOUT_MS = 5 * 60_000;
/** Room after the rollout's own timeout for the last progress to arrive. */
const STATUS_MARGIN_MS = 30_000;

function progressLine(progress: RolloutProgress): string {
  return `${progress.message} (${progress.updated} updated, ${progress.ready} ready, ${progress.available} available of ${progress.desired})`;
}

const status = workloadStep({
  name: 'k8s.rollout.status',
  summary: 'Wait for a rollout to finish (kubectl rollout status), streaming its progress; fails when it stalls or `timeout` (default 5m) is up',
  params: z.strictObject({ ...workloadParams, timeout: durationParam.default(DEFAULT_ROLLOUT_TIMEOUT_MS) }).superRefine(requireOneWorkload),
  mutates: false,
  build: (target, values) => ({ verb: 'rollout-status', target, timeoutSeconds: Math.max(1, Math.ceil(values.timeout / 1000)) }),
  onOutput: (context) => (stream, text) => {
    context.onOutput(stream, text);
    context.onProgress(text);
  },
  defaultTimeoutMs: (values) => values.timeout + STATUS_MARGIN_MS,
  finish(outcome, values, result) {
    const progress = result.output?.rollout;
    if (!progress) return { ...outcome, status: 'failed', error: 'the engine returned no rollout progress' };
    const finished: StepOutcome = { ...outcome, stdout: progressLine(progress), data: { ...progress } };
    if (progress.state === 'complete') return finished;
    if (progress.state === 'stalled') return { ...finished, status: 'failed', error: `rollout stalled: ${progress.message}` };
    return { ...finished, status: 'failed', error: `rollout not finished after ${formatDuration(values.timeout)}: ${progress.message}` };
  },
});

// --- history --------------------------------------------------------------------------------

/** kubectl's "previous" revision: the second highest (what undo without --to-revision goes back to). */
export function previousRevisionOf(history: readonly RolloutRevision[]): number | undefined {
  const numbers = history.map((revision) => revision.revision).sort((left, right) => right - left);
  return numbers[1];
}

const history = workloadStep({
  name: 'k8s.rollout.history',
  summary: 'The revisions of a deployment or statefulset with change cause and images, the current one marked (kubectl rollout history); data.previous is what undo goes back to',
  params: workloadOnly,
  mutates: false,
  build: (target) => ({ verb: 'rollout-history', target }),
  finish(outcome, _values, result) {
    const revisions = result.output?.history ?? [];
    const rows = revisions.map((revision) => [
      `${revision.current ? '*' : ' '} ${revision.revision}`,
      revision.name,
      clockOf(revision.createdAt),
      revision.images.join(','),
      revision.changeCause ?? '<none>',
    ]);
    const current = revisions.find((revision) => revision.current);
    const previous = previousRevisionOf(revisions);
    const data = {
      revisions: revisions.map(({ revision, name, images, current: isCurrent, createdAt }) => ({ revision, name, images, current: isCurrent, createdAt })),
      count: revisions.length,
      ...(current ? { current: current.revision, currentImages: current.images.join(',') } : {}),
      ...(previous !== undefined ? { previous } : {}),
      ...(current ? { lastRolloutAt: new Date(current.createdAt).toISOString() } : {}),
    };
    return { ...outcome, stdout: revisions.length === 0 ? 'no revisions' : alignColumns([['  REVISION', 'NAME', 'CREATED', 'IMAGES', 'CHANGE-CAUSE'], ...rows]).join('\n'), data };
  },
});

// --- undo -----------------------------------------------------------------------------------

async function observeUndo(target: Parameters<typeof historyNow>[0], toRevision: number | undefined, context: Parameters<typeof historyNow>[1], intentAt: number): Promise<Observation> {
  if (toRevision === undefined) {
    return { verdict: 'unknown', detail: `undo without toRevision: the revision it went back to cannot be told afterwards (pass toRevision, e.g. from k8s.rollout.history's data.previous)` };
  }
  const revisions = await historyNow(target, context);
  if (typeof revisions === 'string') return { verdict: 'unknown', detail: `cannot read the rollout history of ${target.name}: ${revisions}` };
  const current = revisions.find((revision) => revision.current);
  const wanted = revisions.find((revision) => revision.revision === toRevision);
  if (wanted?.current) return { verdict: 'happened', detail: `revision ${toRevision} (${wanted.name}) is the current template: the undo happened` };
  if (wanted) return { verdict: 'not-happened', detail: `revision ${toRevision} (${wanted.name}) is not current (current: ${current?.revision ?? 'none'}): the undo did not take effect` };
  // Going back makes the old ReplicaSet the newest revision again: its number moves on.
  if (current && current.createdAt <= intentAt) {
    return { verdict: 'happened', detail: `revision ${toRevision} is now revision ${current.revision}: its ReplicaSet ${current.name} (created ${clockOf(current.createdAt)}) is current again` };
  }
  return { verdict: 'unknown', detail: `revision ${toRevision} is gone and the current revision ${current?.revision ?? 'none'} is new since the intent` };
}

const undo = workloadStep({
  name: 'k8s.rollout.undo',
  summary: 'Roll a deployment or statefulset back to the previous revision, or to `toRevision` (kubectl rollout undo)',
  params: z.strictObject({ ...workloadParams, toRevision: positiveIntegerParam.pipe(z.number().min(1, 'revisions start at 1')).optional() }).superRefine(requireOneWorkload),
  mutates: true,
  build: (target, values) => (values.toRevision === undefined ? { verb: 'rollout-undo', target } : { verb: 'rollout-undo', target, toRevision: values.toRevision }),
  observe: (target, values, context, intentAt) => observeUndo(target, values.toRevision, context, intentAt),
});

// --- scale ----------------------------------------------------------------------------------

const scale = workloadStep({
  name: 'k8s.scale',
  summary: 'Set the replicas of a deployment or statefulset (kubectl scale, through the scale subresource)',
  params: z.strictObject({ ...workloadParams, replicas: positiveIntegerParam }).superRefine(requireOneWorkload),
  mutates: true,
  build: (target, values) => ({ verb: 'scale', target, replicas: values.replicas }),
  observe(target, values, context) {
    const workload = context.state().workloads[refKey(target)];
    if (workload?.desiredReplicas === undefined) return Promise.resolve({ verdict: 'unknown', detail: `${target.name} does not say its replicas` });
    const seen = `spec.replicas of ${target.name} is ${workload.desiredReplicas}, asked ${values.replicas}`;
    return Promise.resolve(workload.desiredReplicas === values.replicas ? { verdict: 'happened', detail: `${seen}: the scale happened` } : { verdict: 'not-happened', detail: `${seen}: not scaled` });
  },
});

// --- set resources, set env -----------------------------------------------------------------

/** A Kubernetes quantity: 500m, 2, 1.5, 512Mi, 8Gi, 1G. */
const quantityParam = z.union([z.number().transform(String), z.string().trim()]).pipe(
  z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, 'expected a quantity such as 500m, 2, 512Mi or 8Gi'),
);
const quantitiesParam = z.strictObject({ cpu: quantityParam.optional(), memory: quantityParam.optional() });

function quantitiesOf(values: { cpu?: string | undefined; memory?: string | undefined } | undefined): ResourceQuantities | undefined {
  if (!values || (values.cpu === undefined && values.memory === undefined)) return undefined;
  return { ...(values.cpu !== undefined ? { cpu: values.cpu } : {}), ...(values.memory !== undefined ? { memory: values.memory } : {}) };
}

const setResources = workloadStep({
  name: 'k8s.set-resources',
  summary: 'Set the limits and requests (cpu, memory) of one container, or of every container, of a deployment or statefulset (kubectl set resources)',
  params: z
    .strictObject({ ...workloadParams, container: nameParam.optional(), limits: quantitiesParam.optional(), requests: quantitiesParam.optional() })
    .superRefine(requireOneWorkload)
    .refine((values) => quantitiesOf(values.limits) !== undefined || quantitiesOf(values.requests) !== undefined, 'give limits or requests (cpu, memory)'),
  mutates: true,
  build(target, values) {
    const limits = quantitiesOf(values.limits);
    const requests = quantitiesOf(values.requests);
    return { verb: 'set-resources', target, ...(values.container !== undefined ? { container: values.container } : {}), ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
  },
  observe: (target, _values, context, intentAt) => observeNewTemplate(target, context, intentAt, 'resources change'),
});

/** What kubectl set env accepts as a name. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A variable's value: text (numbers and booleans as written), or null to remove it. */
const envValueParam = z.union([z.string(), z.number().transform(String), z.boolean().transform(String), z.null()]);

const setEnv = workloadStep({
  name: 'k8s.set-env',
  summary: 'Set (or, with null, remove) environment variables of one container, or of every container, of a deployment or statefulset (kubectl set env)',
  params: z
    .strictObject({
      ...workloadParams,
      container: nameParam.optional(),
      env: z.record(z.string(), envValueParam).superRefine((env, context) => {
        if (Object.keys(env).length === 0) context.addIssue({ code: 'custom', message: 'give at least one variable' });
        for (const name of Object.keys(env)) {
          if (!ENV_NAME.test(name)) context.addIssue({ code: 'custom', path: [name], message: 'expected a variable name (letters, digits, "_", "-", ".", not starting with a digit)' });
        }
      }),
    })
    .superRefine(requireOneWorkload),
  mutates: true,
  build: (target, values) => ({ verb: 'set-env', target, ...(values.container !== undefined ? { container: values.container } : {}), env: values.env }),
  observe: (target, _values, context, intentAt) => observeNewTemplate(target, context, intentAt, 'environment change'),
});

export const KUBERNETES_ROLLOUT_ACTIONS = [restart, status, history, undo, scale, setResources, setEnv];
