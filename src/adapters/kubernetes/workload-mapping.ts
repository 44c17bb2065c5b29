// Raw Deployments and StatefulSets -> Workloads (replicas, revision, images, the rollout as
// `kubectl rollout status` judges it), and ReplicaSets -> the little the watch needs to put a
// pod under its Deployment. Untrusted text is cleaned here, once.

import { refKey } from '../../domain/resource-ref';
import type { Workload } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';
import type { ObjectMeta, PodTemplate, ReplicaSetObject, WorkloadObject } from './kube-objects';
import { sharedText, timeOf } from './kube-text';
import { REVISION_ANNOTATION } from './rollout-history';
import { rolloutProgressOf } from './rollout-progress';

/** What the watch keeps of a ReplicaSet: which Deployment controls it. */
export interface ReplicaSetRecord {
  namespace: string;
  name: string;
  /** The controlling Deployment's name; undefined for a ReplicaSet of its own. */
  deployment?: string;
}

function imagesOf(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((container) => sharedText(container.image ?? ''));
}

function workloadBase(engineId: string, kind: 'deployment' | 'statefulset', metadata: ObjectMeta): Workload | undefined {
  if (!metadata.name || !metadata.uid) return undefined;
  const ref = { engineId, kind, namespace: sharedText(metadata.namespace ?? 'default'), name: toDisplayText(metadata.name), uid: metadata.uid };
  return { ref, key: refKey(ref) };
}

/** A Deployment's or StatefulSet's row: replicas, revision, images and the rollout as `kubectl rollout status` judges it. */
export function workloadOf(engineId: string, kind: 'deployment' | 'statefulset', raw: WorkloadObject): Workload | undefined {
  const workload = workloadBase(engineId, kind, raw.metadata ?? {});
  if (!workload) return undefined;
  const judged = rolloutProgressOf(kind, raw);
  // StatefulSets have no availableReplicas before Kubernetes 1.22: their ready replicas are their available ones.
  const available = kind === 'statefulset' && raw.status?.availableReplicas === undefined ? judged.ready : judged.available;
  const rollout = { ...judged, available, message: toDisplayText(judged.message) };
  workload.desiredReplicas = rollout.desired;
  workload.readyReplicas = rollout.ready;
  workload.availableReplicas = rollout.available;
  workload.updatedReplicas = rollout.updated;
  const revision = kind === 'deployment' ? raw.metadata?.annotations?.[REVISION_ANNOTATION] : raw.status?.updateRevision;
  if (revision) workload.revision = toDisplayText(revision);
  workload.rollout = rollout;
  workload.images = imagesOf(raw.spec?.template);
  const createdAt = timeOf(raw.metadata?.creationTimestamp);
  if (createdAt !== undefined) workload.createdAt = createdAt;
  return workload;
}

export function replicaSetRecordOf(raw: ReplicaSetObject): ReplicaSetRecord | undefined {
  const metadata = raw.metadata;
  if (!metadata?.name || !metadata.uid) return undefined;
  const owner = metadata.ownerReferences?.find((reference) => reference.controller && reference.kind === 'Deployment');
  const record: ReplicaSetRecord = { namespace: sharedText(metadata.namespace ?? 'default'), name: toDisplayText(metadata.name) };
  if (owner?.name) record.deployment = sharedText(owner.name);
  return record;
}

/** Whether two workloads would draw the same (they are small: compared whole). */
export function sameWorkload(left: Workload | undefined, right: Workload): boolean {
  return left !== undefined && JSON.stringify(left) === JSON.stringify(right);
}
