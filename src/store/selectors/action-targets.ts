// Which actions the selection offers: a container's lifecycle verbs in its phase, a Deployment's
// or StatefulSet's rollout restart, scale and undo, a pod's delete. The hint bar offers none in
// read-only mode, and no Kubernetes action an access review forbade; refusing is the action
// executor's call.

import type { AccessDecision } from '../../adapters/capabilities';
import { accessKeyOf, verbsFor, type ActionVerb, type EngineAction, type LifecycleVerb } from '../../domain/engine-action';
import type { Instance, RefKey, ResourceRef, Workload } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { memoizeLast } from './memoize';
import { selectSelectedKey } from './panel-rows';
import { selectTargetInstance } from './selection-targets';
import { selectServiceRow } from './service-tree';

/** Why `verb` cannot be asked for on `target` right now (its engine is away, an action runs on it). */
export function refusalForTarget(
  state: Pick<OpsdeckState, 'engines' | 'actionsInFlight'>,
  verb: ActionVerb,
  target: { key: RefKey; ref: ResourceRef },
): string | undefined {
  const engine = state.engines[target.ref.engineId];
  if (engine && engine.state !== 'connected') return `${verb}: engine ${engine.label} is ${engine.state}`;
  const inFlight = state.actionsInFlight[target.key];
  if (inFlight) return `${target.ref.name}: ${inFlight.verb} still running`;
  return undefined;
}

/** The mutations of a Deployment or StatefulSet row (k9s: restart, scale, undo). */
export const WORKLOAD_ACTION_VERBS = ['rollout-restart', 'scale', 'rollout-undo'] as const;
export type WorkloadActionVerb = (typeof WORKLOAD_ACTION_VERBS)[number];

/** The mutations of a pod row. */
export const POD_ACTION_VERBS = ['delete'] as const;

export function isKubernetesWorkload(workload: Pick<Workload, 'ref'>): boolean {
  return workload.ref.kind === 'deployment' || workload.ref.kind === 'statefulset';
}

/** The action of a workload verb; a scale's replicas are the ones asked for now until the operator types others. */
export function workloadActionFor(verb: WorkloadActionVerb, workload: Workload, replicas?: number): EngineAction {
  const target = workload.ref;
  if (verb === 'scale') return { verb, target, replicas: replicas ?? workload.desiredReplicas ?? 0 };
  return { verb, target };
}

export function podActionFor(pod: Instance): EngineAction {
  return { verb: 'delete', target: pod.ref };
}

export type WorkloadTargetResult = { workload: Workload } | { reason: string };

/** The Deployment or StatefulSet selected in the services panel. */
export function selectTargetWorkload(state: OpsdeckState): WorkloadTargetResult {
  if (state.ui.focusedPanel !== 'services') return { reason: 'select a Deployment or StatefulSet in Services' };
  const key = selectSelectedKey(state, 'services');
  const row = key === undefined ? undefined : selectServiceRow(state, key);
  if (row?.kind !== 'service' || row.workloadKey === undefined) return { reason: 'select a Deployment or StatefulSet' };
  const workload = state.workloads[row.workloadKey];
  if (!workload) return { reason: 'the workload is gone' };
  if (!isKubernetesWorkload(workload)) return { reason: `${workload.ref.name} is a compose service, not a Deployment or StatefulSet` };
  return { workload };
}

/** The pod selected in the services or resources panel. */
export function selectTargetPod(state: OpsdeckState): { pod: Instance } | { reason: string } {
  const target = selectTargetInstance(state);
  if ('reason' in target) return { reason: target.reason.replace('container', 'pod') };
  if (target.instance.ref.kind !== 'pod') return { reason: `${target.instance.ref.name} is a container, not a pod` };
  return { pod: target.instance };
}

/**
 * The Kubernetes mutations the selected row offers, as actions (the runtime asks the engine
 * whether they are allowed as soon as the row is selected). Same array while the row is.
 */
export function selectRowKubernetesActions(state: OpsdeckState): readonly EngineAction[] {
  const workload = selectTargetWorkload(state);
  if ('workload' in workload) return workloadActions(workload.workload);
  const pod = selectTargetPod(state);
  if ('pod' in pod) return podActions(pod.pod);
  return NO_ACTIONS;
}

const NO_ACTIONS: readonly EngineAction[] = [];
const workloadActions = memoizeLast((workload: Workload): readonly EngineAction[] => WORKLOAD_ACTION_VERBS.map((verb) => workloadActionFor(verb, workload)));
const podActions = memoizeLast((pod: Instance): readonly EngineAction[] => [podActionFor(pod)]);

/** An access decision from the executor's authorize answer (its refusal, or undefined when allowed). */
export function decisionFromRefusal(refusal: string | undefined): AccessDecision {
  return refusal === undefined ? { allowed: true } : { allowed: false, reason: refusal };
}

/** What an access review answered for this action, undefined when not asked yet. */
export function accessDecisionOf(state: Pick<OpsdeckState, 'accessDecisions'>, action: Pick<EngineAction, 'verb' | 'target'>): AccessDecision | undefined {
  return state.accessDecisions[accessKeyOf(action)];
}

/** The reason an access review gave for refusing the action, or undefined (allowed, or not asked yet). */
export function forbiddenReasonOf(state: Pick<OpsdeckState, 'accessDecisions'>, action: Pick<EngineAction, 'verb' | 'target'>): string | undefined {
  const decision = accessDecisionOf(state, action);
  return decision && !decision.allowed ? decision.reason : undefined;
}

/** Verbs the key table offers for the current selection (none in read-only mode, none an access review forbade). */
export function selectOfferedVerbs(state: OpsdeckState): readonly ActionVerb[] {
  if (state.readOnly) return [];
  const kubernetes = selectRowKubernetesActions(state);
  if (kubernetes.length > 0) return kubernetes.filter((action) => forbiddenReasonOf(state, action) === undefined).map((action) => action.verb);
  const target = selectTargetInstance(state);
  if ('reason' in target) return [];
  return verbsFor(target.instance) satisfies LifecycleVerb[];
}

/** The verbs an access review forbade on the selected row, with the reviewer's reason (help marks them). */
export function selectForbiddenVerbs(state: OpsdeckState): ReadonlyMap<ActionVerb, string> {
  const forbidden = new Map<ActionVerb, string>();
  for (const action of selectRowKubernetesActions(state)) {
    const reason = forbiddenReasonOf(state, action);
    if (reason !== undefined) forbidden.set(action.verb, reason);
  }
  return forbidden;
}
