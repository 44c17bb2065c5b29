// kubectl rollout restart, status, history and undo on a Deployment or StatefulSet, through
// the raw connection: the restartedAt annotation patch, a watch on the one object judged as
// kubectl judges it, and revisions from ReplicaSets (ControllerRevisions for StatefulSets).

import type { MutationAnswer, RolloutRevision } from '../../domain/engine-action';
import { abortableDelay } from '../../domain/abortable-delay';
import type { ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import type { RolloutProgress } from '../../domain/types';
import type { MutationOptions, OperationOptions } from '../capabilities';
import { accessNeeded, targetAccess, type AccessAttributes } from './access-review';
import { dryRunPath, namespaceOf, resourcePath, resourceWord, withQuery, workloadResource } from './kube-calls';
import { selectorString, type ControllerRevisionObject, type ReplicaSetObject, type WorkloadObject } from './kube-objects';
import { failureOf, listAll, mutationAnswer, refuseInReadOnly, send, signalOption, type OperationContext } from './operation-context';
import {
  deploymentRevisions,
  deploymentUndoPatch,
  ownedControllerRevisions,
  ownedReplicaSets,
  sameTemplate,
  statefulSetMatches,
  statefulSetRevisions,
  statefulSetUndoPatch,
  undoTarget,
} from './rollout-history';
import { deploymentRollout, statefulSetRollout } from './workload-mapping';
import { restartPatch, templateChanges } from './template-patches';

type WorkloadRef = ResourceRef & { kind: WorkloadKind };

export function readWorkload(context: OperationContext, target: WorkloadRef, options: OperationOptions = {}): Promise<WorkloadObject> {
  const path = resourcePath(workloadResource(target), namespaceOf(target), target.name);
  return send<WorkloadObject>(context, { path, access: targetAccess('get', target), ...signalOption(options) });
}

export async function restartRollout(context: OperationContext, target: WorkloadRef, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'rollout-restart', target);
  const word = resourceWord(target);
  const before = await readWorkload(context, target, options);
  if (before.spec?.paused) throw new Error(`can't restart paused ${word} (run rollout resume first)`);
  const path = resourcePath(workloadResource(target), namespaceOf(target), target.name);
  const after = await send<WorkloadObject>(context, {
    method: 'PATCH',
    path: dryRunPath(path, options.dryRun),
    patchType: 'strategic',
    body: restartPatch(context.now()),
    access: targetAccess('patch', target),
    ...signalOption(options),
  });
  return mutationAnswer(options.dryRun, `${word} restarted`, templateChanges(before.spec?.template, after?.spec?.template), after);
}

/** The history objects (ReplicaSets or ControllerRevisions) the workload's selector finds. */
async function historyObjects<T>(context: OperationContext, target: WorkloadRef, workload: WorkloadObject, options: OperationOptions): Promise<T[]> {
  const resource = target.kind === 'statefulset' ? 'controllerrevision' : 'replicaset';
  const access = accessNeeded({ verb: 'rollout-history', target })[0] as AccessAttributes;
  const path = withQuery(resourcePath(resource, namespaceOf(target)), { labelSelector: selectorString(workload.spec?.selector) });
  return listAll<T>(context, { path, access, ...signalOption(options) });
}

export async function rolloutHistory(context: OperationContext, target: WorkloadRef, options: OperationOptions = {}): Promise<RolloutRevision[]> {
  const workload = await readWorkload(context, target, options);
  if (target.kind === 'statefulset') return statefulSetRevisions(workload, await historyObjects<ControllerRevisionObject>(context, target, workload, options));
  return deploymentRevisions(workload, await historyObjects<ReplicaSetObject>(context, target, workload, options));
}

export async function undoRollout(context: OperationContext, target: WorkloadRef, toRevision: number | undefined, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'rollout-undo', target);
  const word = resourceWord(target);
  if (toRevision !== undefined && (!Number.isInteger(toRevision) || toRevision < 0)) throw new Error(`${word}: revision ${toRevision} is not a revision number`);
  // kubectl: --to-revision=0 means the previous revision.
  const wanted = toRevision === 0 ? undefined : toRevision;
  const workload = await readWorkload(context, target, options);
  const path = dryRunPath(resourcePath(workloadResource(target), namespaceOf(target), target.name), options.dryRun);
  const patch = { method: 'PATCH' as const, path, access: targetAccess('patch', target), ...signalOption(options) };
  const skipped = (revision: number): MutationAnswer =>
    mutationAnswer(options.dryRun, `${word} skipped rollback (current template already matches revision ${revision})`, {}, workload);
  if (target.kind === 'statefulset') {
    const owned = ownedControllerRevisions(workload, await historyObjects<ControllerRevisionObject>(context, target, workload, options));
    const revision = undoTarget(word, statefulSetRevisions(workload, owned), wanted);
    const history = owned.find((candidate) => candidate.revision === revision.revision) as ControllerRevisionObject;
    if (statefulSetMatches(workload, history)) return skipped(revision.revision);
    const after = await send<WorkloadObject>(context, { ...patch, patchType: 'strategic', body: statefulSetUndoPatch(history) });
    return mutationAnswer(options.dryRun, `${word} rolled back to revision ${revision.revision}`, templateChanges(workload.spec?.template, after?.spec?.template), after);
  }
  if (workload.spec?.paused) throw new Error(`you cannot roll back a paused deployment (${word}); resume it first (kubectl rollout resume) and try again`);
  const owned = ownedReplicaSets(workload, await historyObjects<ReplicaSetObject>(context, target, workload, options));
  const revision = undoTarget(word, deploymentRevisions(workload, owned), wanted);
  const replicaSet = owned.find((candidate) => candidate.metadata?.name === revision.name) as ReplicaSetObject;
  if (sameTemplate(replicaSet.spec?.template, workload.spec?.template)) return skipped(revision.revision);
  const after = await send<WorkloadObject>(context, { ...patch, patchType: 'json', body: deploymentUndoPatch(workload, replicaSet) });
  return mutationAnswer(options.dryRun, `${word} rolled back to revision ${revision.revision}`, templateChanges(workload.spec?.template, after?.spec?.template), after);
}

interface WatchEvent {
  type?: string;
  object?: WorkloadObject & { code?: number; message?: string };
}

/**
 * kubectl rollout status: the object, then a watch on it alone (fieldSelector metadata.name),
 * one output line per change of progress, until complete, stalled or the timeout (then the
 * last progress). A watch the server ends (its own timeout, 410 Gone) is started again.
 */
export async function watchRollout(context: OperationContext, target: WorkloadRef, timeoutSeconds: number, options: OperationOptions = {}): Promise<RolloutProgress> {
  const deadline = context.now() + Math.max(0, timeoutSeconds) * 1000;
  let last: RolloutProgress | undefined;
  const judge = (object: WorkloadObject): RolloutProgress => {
    // The watch's judgement of the same object (kubectl's), so the panel and this action agree.
    const progress = target.kind === 'statefulset' ? statefulSetRollout(object) : deploymentRollout(object, object.metadata?.name ?? target.name);
    if (progress.message !== last?.message) options.onOutput?.('stdout', progress.message);
    last = progress;
    return progress;
  };
  // Stops at the timeout (then the last progress is the answer) or when the caller aborts (then it rejects).
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - context.now()));
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (!stop.signal.aborted && options.signal?.aborted !== true) {
      const object = await readWorkload(context, target, options);
      const progress = judge(object);
      if (progress.state !== 'progressing') return progress;
      const started = context.now();
      const settled = await watchUntilSettled(context, target, object.metadata?.resourceVersion, deadline, judge, stop.signal);
      if (settled) return settled;
      // A watch the server ended at once (410 Gone, an error event) is not retried in a tight loop.
      if (context.now() - started < 1000) await abortableDelay(500, stop.signal);
    }
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('rollout status was cancelled');
    return last as RolloutProgress;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** One watch: resolves with the progress once settled, or undefined when the watch ended first. */
async function watchUntilSettled(
  context: OperationContext,
  target: WorkloadRef,
  resourceVersion: string | undefined,
  deadline: number,
  judge: (object: WorkloadObject) => RolloutProgress,
  stopped: AbortSignal,
): Promise<RolloutProgress | undefined> {
  const watch = new AbortController();
  const stop = (): void => watch.abort();
  stopped.addEventListener('abort', stop, { once: true });
  if (stopped.aborted) stop();
  const path = withQuery(resourcePath(workloadResource(target), namespaceOf(target)), {
    fieldSelector: `metadata.name=${target.name}`,
    watch: true,
    resourceVersion,
    timeoutSeconds: Math.max(1, Math.min(300, Math.ceil((deadline - context.now()) / 1000))),
  });
  let settled: RolloutProgress | undefined;
  let failure: Error | undefined;
  try {
    const connection = await context.connect();
    await connection.stream({ path, signal: watch.signal }, (line) => {
      if (settled || failure) return;
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        return;
      }
      if (event.type === 'DELETED') failure = new Error(`${resourceWord(target)} was deleted while its rollout was watched`);
      else if (event.type === 'ERROR') watch.abort();
      else if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object) {
        const progress = judge(event.object);
        if (progress.state !== 'progressing') settled = progress;
      }
      if (settled || failure) watch.abort();
    });
  } catch (error) {
    if (!watch.signal.aborted) throw failureOf(context, error, targetAccess('watch', target));
  } finally {
    stopped.removeEventListener('abort', stop);
  }
  if (failure) throw failure;
  return settled;
}
