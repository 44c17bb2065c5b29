// What a k8s.* step addresses, as kubectl does: a Deployment or StatefulSet (or a pod) by name,
// narrowed by namespace and context (the engine: its id or its kubeconfig context), or by ref
// key (what a live input gives). Found in the live state; the engine-neutral ResourceRef
// underneath. A name found in several places is an error naming them, never a first pick.

import { z } from 'zod';
import type { InstanceTarget, WorkloadTarget } from '../../domain/engine-action';
import { refKey, type ResourceRef } from '../../domain/resource-ref';
import type { Instance } from '../../domain/types';
import { isContextOf, matchingResources, placesOf, type LiveState } from '../runner/live-inputs';
import type { StepTargetName } from './action-registry';
import { nameParam } from './param-types';

/** Where: the namespace and the context (engine id or kubeconfig context name). */
export const placeParams = {
  namespace: nameParam.optional(),
  context: nameParam.optional(),
};

/** A Deployment or a StatefulSet (exactly one), by name, `namespace/name` or ref key. */
export const workloadParams = {
  deployment: nameParam.optional(),
  statefulset: nameParam.optional(),
  ...placeParams,
};

export interface PlaceValues {
  namespace?: string | undefined;
  context?: string | undefined;
}

export interface WorkloadValues extends PlaceValues {
  deployment?: string | undefined;
  statefulset?: string | undefined;
}

/** For the schemas' superRefine: exactly one of deployment and statefulset. */
export function requireOneWorkload(values: WorkloadValues, context: z.RefinementCtx): void {
  const given = (['deployment', 'statefulset'] as const).filter((key) => values[key] !== undefined);
  if (given.length === 1) return;
  context.addIssue({ code: 'custom', path: [], message: given.length === 0 ? 'give deployment or statefulset' : 'give only one of deployment and statefulset' });
}

/** For schemas that take a workload or a pod: exactly one of deployment, statefulset and pod. */
export function requireWorkloadOrPod(values: WorkloadValues & { pod?: string | undefined }, context: z.RefinementCtx): void {
  const given = (['deployment', 'statefulset', 'pod'] as const).filter((key) => values[key] !== undefined);
  if (given.length === 1) return;
  context.addIssue({ code: 'custom', path: [], message: given.length === 0 ? 'give deployment, statefulset or pod' : `give only one of deployment, statefulset and pod (got ${given.join(', ')})` });
}

/** The kind and name a step's parameters give (deployment wins when a schema let both through). */
export function workloadNameOf(values: WorkloadValues): { kind: WorkloadTarget['kind']; name: string } | undefined {
  if (values.deployment !== undefined) return { kind: 'deployment', name: values.deployment };
  if (values.statefulset !== undefined) return { kind: 'statefulset', name: values.statefulset };
  return undefined;
}

/** For targetOf: what a workload step locks and what type-target asks to type. */
export function workloadTargetOf(values: WorkloadValues): StepTargetName | undefined {
  const named = workloadNameOf(values);
  return named && { ...named, ...(values.namespace !== undefined ? { namespace: values.namespace } : {}), ...(values.context !== undefined ? { context: values.context } : {}) };
}

function placeText(place: PlaceValues): string {
  return `${place.namespace === undefined ? '' : ` in namespace ${place.namespace}`}${place.context === undefined ? '' : ` on context ${place.context}`}`;
}

function only<Ref extends ResourceRef>(found: ResourceRef[], what: string, place: PlaceValues): Ref | string {
  if (found.length === 0) return `no ${what}${placeText(place)}`;
  if (found.length > 1) return `${what} is in ${placesOf(found)}: give its namespace or context`;
  return found[0] as Ref;
}

function query(state: LiveState, place: PlaceValues) {
  const { context } = place;
  return { namespace: place.namespace, engine: context === undefined ? undefined : (engineId: string) => isContextOf(state, engineId, context) };
}

/** The Deployment or StatefulSet the parameters name, or why there is none (or several). */
export function resolveWorkload(state: LiveState, values: WorkloadValues): WorkloadTarget | string {
  const named = workloadNameOf(values);
  if (!named) return 'give deployment or statefulset';
  const found = matchingResources(state, { kind: named.kind, nameOrKey: named.name, ...query(state, values) }).filter((ref) => ref.kind === named.kind);
  return only<WorkloadTarget>(found, `${named.kind} ${named.name}`, values);
}

/** The pod the parameters name, or why there is none (or several). */
export function resolvePod(state: LiveState, pod: string, place: PlaceValues): InstanceTarget | string {
  const found = matchingResources(state, { kind: 'pod', nameOrKey: pod, ...query(state, place) }).filter((ref) => ref.kind === 'pod');
  return only<InstanceTarget>(found, `pod ${pod}`, place);
}

/** A workload or a pod, as the reading actions take them. */
export function resolveWorkloadOrPod(state: LiveState, values: WorkloadValues & { pod?: string | undefined }): ResourceRef | string {
  return values.pod !== undefined ? resolvePod(state, values.pod, values) : resolveWorkload(state, values);
}

/** The pods of a workload in the live state, by name. */
export function podsOf(state: LiveState, workload: ResourceRef): Instance[] {
  const key = refKey(workload);
  return Object.values(state.instances)
    .filter((instance) => instance.ref.kind === 'pod' && instance.workloadKey === key)
    .sort((left, right) => left.ref.name.localeCompare(right.ref.name));
}

/** The pods a target stands for: a pod itself, or every pod of a workload. */
export function podsFor(state: LiveState, target: ResourceRef): Instance[] {
  if (target.kind === 'pod') {
    const pod = state.instances[refKey(target)];
    return pod ? [pod] : [];
  }
  return podsOf(state, target);
}

/** A pod being deleted (kubectl's Terminating): no longer part of what its workload runs. */
export function isTerminating(pod: Instance): boolean {
  return pod.state === 'Terminating';
}

/** Failing, as the remedies mean it: crash-looping, failed, or not ready, and not on its way out already. */
export function isFailing(pod: Instance): boolean {
  return !isTerminating(pod) && (pod.phase === 'crash-loop' || pod.phase === 'failed' || pod.phase === 'restarting' || !pod.ready);
}
