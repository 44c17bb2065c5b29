// kubectl scale (the scale subresource), set resources, set env and delete pod. Each takes
// options.dryRun to the server (dryRun=All) and answers with what the server returned.

import type { MutationAnswer } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import type { EnvChange, MutationOptions, ResourceChange } from '../capabilities';
import { dryRunPath, namespaceOf, resourcePath, resourceWord, withQuery, workloadResource } from './kube-calls';
import { targetAccess } from './access-review';
import type { PodObject, ScaleObject, WorkloadObject } from './kube-objects';
import { mutationAnswer, refuseInReadOnly, send, signalOption, type OperationContext } from './operation-context';
import { readWorkload } from './rollout-operations';
import { checkEnvChange, checkResourceChange, chosenContainers, envPatch, resourcesPatch, templateChanges } from './template-patches';

type WorkloadRef = ResourceRef & { kind: WorkloadKind };
type InstanceRef = ResourceRef & { kind: InstanceKind };

/** GET then PATCH of the scale subresource (kubectl scale patches it too): "deployment.apps/api scaled from 3 to 5". */
export async function scaleWorkload(context: OperationContext, target: WorkloadRef, replicas: number, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'scale', target);
  const word = resourceWord(target);
  if (!Number.isInteger(replicas) || replicas < 0) throw new Error(`scale ${word}: replicas must be a whole number of at least 0 (got ${replicas})`);
  const path = resourcePath(workloadResource(target), namespaceOf(target), target.name, 'scale');
  const before = await send<ScaleObject>(context, { path, access: targetAccess('get', target, 'scale'), ...signalOption(options) });
  const after = await send<ScaleObject>(context, {
    method: 'PATCH',
    path: dryRunPath(path, options.dryRun),
    patchType: 'merge',
    body: { spec: { replicas } },
    access: targetAccess('patch', target, 'scale'),
    ...signalOption(options),
  });
  const was = before?.spec?.replicas ?? 0;
  const now = after?.spec?.replicas ?? replicas;
  const summary = was === now ? `${word} already has ${now} replicas (unchanged)` : `${word} scaled from ${was} to ${now}`;
  return mutationAnswer(options.dryRun, summary, was === now ? {} : { 'spec.replicas': [was, now] }, after);
}

/** GET the template (to check the container and show before/after), then a strategic merge patch. */
async function patchTemplate(
  context: OperationContext,
  target: WorkloadRef,
  options: MutationOptions,
  build: (workload: WorkloadObject) => Record<string, unknown>,
  words: { changed: string; unchanged: string },
): Promise<MutationAnswer> {
  const before = await readWorkload(context, target, options);
  const body = build(before);
  const path = resourcePath(workloadResource(target), namespaceOf(target), target.name);
  const after = await send<WorkloadObject>(context, {
    method: 'PATCH',
    path: dryRunPath(path, options.dryRun),
    patchType: 'strategic',
    body,
    access: targetAccess('patch', target),
    ...signalOption(options),
  });
  const changes = templateChanges(before.spec?.template, after?.spec?.template);
  const word = resourceWord(target);
  return mutationAnswer(options.dryRun, `${word} ${Object.keys(changes).length > 0 ? words.changed : words.unchanged}`, changes, after);
}

/** kubectl set resources: limits and requests of one container, or of every container. */
export async function setResources(context: OperationContext, target: WorkloadRef, change: ResourceChange, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'set-resources', target);
  checkResourceChange(change);
  return patchTemplate(
    context,
    target,
    options,
    (workload) => resourcesPatch(chosenContainers(workload.spec?.template?.spec?.containers, change.container, resourceWord(target)), change),
    { changed: 'resource requirements updated', unchanged: 'resource requirements unchanged (already as asked)' },
  );
}

/** kubectl set env: add or change variables, `null` removes one; one container, or every container. */
export async function setEnv(context: OperationContext, target: WorkloadRef, change: EnvChange, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'set-env', target);
  checkEnvChange(change);
  return patchTemplate(
    context,
    target,
    options,
    (workload) => {
      const containers = workload.spec?.template?.spec?.containers ?? [];
      return envPatch(containers, chosenContainers(containers, change.container, resourceWord(target)), change);
    },
    { changed: 'env updated', unchanged: 'env unchanged (already as asked)' },
  );
}

/** kubectl delete pod [--grace-period]: the server's answer is the pod being deleted (or a Status). */
export async function deleteInstance(context: OperationContext, target: InstanceRef, gracePeriodSeconds: number | undefined, options: MutationOptions = {}): Promise<MutationAnswer> {
  refuseInReadOnly(context, 'delete', target);
  const word = resourceWord(target);
  if (target.kind !== 'pod') throw new Error(`${word} is not a pod`);
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) {
    throw new Error(`delete ${word}: the grace period must be a whole number of seconds (got ${gracePeriodSeconds})`);
  }
  const path = withQuery(resourcePath('pod', namespaceOf(target), target.name), { gracePeriodSeconds });
  const answer = await send<PodObject & { kind?: string }>(context, { method: 'DELETE', path: dryRunPath(path, options.dryRun), access: targetAccess('delete', target), ...signalOption(options) });
  const deletion = answer?.kind === 'Pod' ? answer.metadata?.deletionTimestamp : undefined;
  const changes: Record<string, [unknown, unknown]> = deletion ? { 'metadata.deletionTimestamp': [undefined, toDisplayText(deletion)] } : {};
  // A dry run persisted nothing: no resourceVersion to speak of.
  return mutationAnswer(options.dryRun, `${word} deleted`, changes, options.dryRun || answer?.kind !== 'Pod' ? undefined : answer);
}
