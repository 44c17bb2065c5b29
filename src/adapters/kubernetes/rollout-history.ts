// kubectl rollout history and undo, computed as kubectl computes them (polymorphichelpers
// history.go, rollback.go): a Deployment's revisions are the deployment.kubernetes.io/revision
// annotations of the ReplicaSets it controls; a StatefulSet's are its ControllerRevisions.
// Undo picks the highest revision below the current one (or the one asked for) and copies
// its pod template back, without the ReplicaSet's pod-template-hash label. Pure.

import type { RolloutRevision } from '../../domain/engine-action';
import { toDisplayText } from '../../domain/untrusted-text';
import { timeOf } from './kube-text';
import { isControlledBy, type ControllerRevisionObject, type PodTemplate, type ReplicaSetObject, type WorkloadObject } from './kube-objects';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Deployment annotations kept from the deployment, never copied from the ReplicaSet (kubectl's annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

function revisionNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function imagesOf(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((container) => toDisplayText(container.image ?? ''));
}

/** The template's kubectl.kubernetes.io/restartedAt (a rollout restart's mark), for a resumed run to compare with its intent. */
function restartedAtOf(template: PodTemplate | undefined): { restartedAt?: number } {
  const stamp = timeOf(template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
  return stamp !== undefined && stamp > 0 ? { restartedAt: stamp } : {};
}

function changeCauseOf(annotations: Record<string, string> | undefined): { changeCause?: string } {
  const cause = annotations?.[CHANGE_CAUSE_ANNOTATION];
  return cause ? { changeCause: toDisplayText(cause) } : {};
}

/** The ReplicaSets this Deployment controls (its selector may match others). */
export function ownedReplicaSets(deployment: WorkloadObject, replicaSets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return replicaSets.filter((replicaSet) => isControlledBy(replicaSet, deployment.metadata?.uid));
}

export function ownedControllerRevisions(statefulSet: WorkloadObject, revisions: readonly ControllerRevisionObject[]): ControllerRevisionObject[] {
  return revisions.filter((revision) => isControlledBy(revision, statefulSet.metadata?.uid));
}

/** The deployment's current revision: its own annotation, else the highest there is. */
function currentDeploymentRevision(deployment: WorkloadObject, revisions: readonly number[]): number | undefined {
  return revisionNumber(deployment.metadata?.annotations?.[REVISION_ANNOTATION]) ?? (revisions.length > 0 ? Math.max(...revisions) : undefined);
}

/** kubectl rollout history for a Deployment, oldest first. */
export function deploymentRevisions(deployment: WorkloadObject, replicaSets: readonly ReplicaSetObject[]): RolloutRevision[] {
  const numbered = ownedReplicaSets(deployment, replicaSets).flatMap((replicaSet) => {
    const revision = revisionNumber(replicaSet.metadata?.annotations?.[REVISION_ANNOTATION]);
    return revision === undefined ? [] : [{ revision, replicaSet }];
  });
  const current = currentDeploymentRevision(deployment, numbered.map((entry) => entry.revision));
  return numbered
    .sort((left, right) => left.revision - right.revision)
    .map(({ revision, replicaSet }) => ({
      revision,
      name: toDisplayText(replicaSet.metadata?.name ?? ''),
      createdAt: timeOf(replicaSet.metadata?.creationTimestamp) ?? 0,
      ...changeCauseOf(replicaSet.metadata?.annotations),
      images: imagesOf(replicaSet.spec?.template),
      current: revision === current,
      replicas: replicaSet.status?.replicas ?? 0,
      ...restartedAtOf(replicaSet.spec?.template),
    }));
}

/** kubectl rollout history for a StatefulSet (ControllerRevisions), oldest first. */
export function statefulSetRevisions(statefulSet: WorkloadObject, revisions: readonly ControllerRevisionObject[]): RolloutRevision[] {
  const current = statefulSet.status?.updateRevision ?? statefulSet.status?.currentRevision;
  return ownedControllerRevisions(statefulSet, revisions)
    .filter((revision) => typeof revision.revision === 'number')
    .sort((left, right) => (left.revision ?? 0) - (right.revision ?? 0))
    .map((revision) => ({
      revision: revision.revision ?? 0,
      name: toDisplayText(revision.metadata?.name ?? ''),
      createdAt: timeOf(revision.metadata?.creationTimestamp) ?? 0,
      ...changeCauseOf(revision.metadata?.annotations ?? revision.data?.spec?.template?.metadata?.annotations),
      images: imagesOf(revision.data?.spec?.template),
      current: revision.metadata?.name === current,
      ...restartedAtOf(revision.data?.spec?.template),
    }));
}

/**
 * The revision an undo goes to: `toRevision` when given (it must exist), else the highest
 * below the current one. Throws the sentence to show when there is none.
 */
export function undoTarget(what: string, revisions: readonly RolloutRevision[], toRevision: number | undefined): RolloutRevision {
  const known = revisions.map((revision) => revision.revision);
  if (toRevision !== undefined) {
    const wanted = revisions.find((revision) => revision.revision === toRevision);
    if (!wanted) throw new Error(`${what} has no revision ${toRevision} to roll back to (revisions: ${known.join(', ') || 'none'})`);
    return wanted;
  }
  const current = revisions.find((revision) => revision.current)?.revision ?? Math.max(...known, 0);
  const previous = revisions.filter((revision) => revision.revision < current).at(-1);
  if (!previous) throw new Error(`${what} has no previous revision to roll back to (${known.length === 0 ? 'no rollout history' : `only revision ${known.join(', ')}`})`);
  return previous;
}

/** A pod template without the pod-template-hash label the Deployment controller adds to its ReplicaSets. */
export function withoutHashLabel(template: PodTemplate | undefined): PodTemplate {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as PodTemplate;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/** Semantic equality of two templates (key order does not matter). */
export function sameTemplate(left: PodTemplate | undefined, right: PodTemplate | undefined): boolean {
  return canonical(withoutHashLabel(left)) === canonical(withoutHashLabel(right));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
    return Object.fromEntries(Object.entries(entry as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
  });
}

/**
 * kubectl's rollback of a Deployment: a JSON patch replacing spec.template with the revision's
 * (hash label removed) and metadata.annotations with the deployment's own kept ones plus the
 * ReplicaSet's others (its change-cause among them).
 */
export function deploymentUndoPatch(deployment: WorkloadObject, replicaSet: ReplicaSetObject): unknown[] {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(replicaSet.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  return [
    { op: 'replace', path: '/spec/template', value: withoutHashLabel(replicaSet.spec?.template) },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}

/** A StatefulSet's ControllerRevision data is itself the strategic merge patch kubectl sends back. */
export function statefulSetUndoPatch(revision: ControllerRevisionObject): Record<string, unknown> {
  return (revision.data ?? {}) as Record<string, unknown>;
}

/** Whether the StatefulSet already runs the revision's template. */
export function statefulSetMatches(statefulSet: WorkloadObject, revision: ControllerRevisionObject): boolean {
  const { $patch: _replace, ...template } = revision.data?.spec?.template ?? {};
  return sameTemplate(statefulSet.spec?.template, template);
}
