// Raw Deployments and StatefulSets -> Workloads (replicas, revision, images, the rollout as
// `kubectl rollout status` judges it), and ReplicaSets -> the little the watch needs to put a
// pod under its Deployment. Untrusted text is cleaned here, once.

import { refKey } from '../../domain/resource-ref';
import type { RolloutProgress, Workload } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';
import type { ObjectMeta, PodTemplate, ReplicaSetObject, WorkloadObject } from './kube-objects';
import { countOf, sharedText, timeOf } from './kube-text';

/** Deployments and StatefulSets as the API server sends them (one shape with the operations' reads). */
export type RawDeployment = WorkloadObject;
export type RawStatefulSet = WorkloadObject;
export type RawReplicaSet = ReplicaSetObject;

/** What the watch keeps of a ReplicaSet: which Deployment controls it. */
export interface ReplicaSetRecord {
  namespace: string;
  name: string;
  /** The controlling Deployment's name; undefined for a ReplicaSet of its own. */
  deployment?: string;
}

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

function imagesOf(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((container) => sharedText(container.image ?? ''));
}

/** `kubectl rollout status deployment/NAME`'s judgement, and its words. */
export function deploymentRollout(raw: RawDeployment, name: string): RolloutProgress {
  const status = raw.status ?? {};
  const desired = raw.spec?.replicas ?? 1;
  const updated = countOf(status.updatedReplicas);
  const ready = countOf(status.readyReplicas);
  const available = countOf(status.availableReplicas);
  const total = countOf(status.replicas);
  const observed = (raw.metadata?.generation ?? 0) <= countOf(status.observedGeneration);
  const progress = (state: RolloutProgress['state'], message: string): RolloutProgress => ({ state, desired, updated, ready, available, observed, message });
  if (!observed) return progress('progressing', 'Waiting for deployment spec update to be observed...');
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return progress('stalled', `deployment "${name}" exceeded its progress deadline`);
  if (updated < desired) return progress('progressing', `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  if (total > updated) return progress('progressing', `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`);
  if (available < updated) return progress('progressing', `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
  return progress('complete', `deployment "${name}" successfully rolled out`);
}

/** `kubectl rollout status statefulset/NAME`'s judgement, and its words. */
export function statefulSetRollout(raw: RawStatefulSet): RolloutProgress {
  const status = raw.status ?? {};
  const desired = raw.spec?.replicas ?? 1;
  const updated = countOf(status.updatedReplicas);
  const ready = countOf(status.readyReplicas);
  const available = status.availableReplicas ?? ready;
  const observedGeneration = countOf(status.observedGeneration);
  const observed = observedGeneration !== 0 && (raw.metadata?.generation ?? 0) <= observedGeneration;
  const progress = (state: RolloutProgress['state'], message: string): RolloutProgress => ({ state, desired, updated, ready, available, observed, message });
  const strategy = raw.spec?.updateStrategy;
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') {
    return progress('complete', `rollout status is only available for RollingUpdate strategy type (this one is ${sharedText(strategy.type)})`);
  }
  if (!observed) return progress('progressing', 'Waiting for statefulset spec update to be observed...');
  if (ready < desired) return progress('progressing', `Waiting for ${desired - ready} pods to be ready...`);
  const partition = strategy?.rollingUpdate?.partition;
  if (partition !== undefined && raw.spec?.replicas !== undefined) {
    if (updated < desired - partition) {
      return progress('progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${desired - partition} new pods have been updated...`);
    }
    return progress('complete', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  const updateRevision = toDisplayText(status.updateRevision ?? '');
  if (status.updateRevision !== status.currentRevision) {
    return progress('progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  return progress('complete', `statefulset rolling update complete ${countOf(status.currentReplicas)} pods at revision ${toDisplayText(status.currentRevision ?? '')}...`);
}

function workloadBase(engineId: string, kind: 'deployment' | 'statefulset', metadata: ObjectMeta): Workload | undefined {
  if (!metadata.name || !metadata.uid) return undefined;
  const ref = { engineId, kind, namespace: sharedText(metadata.namespace ?? 'default'), name: toDisplayText(metadata.name), uid: metadata.uid };
  return { ref, key: refKey(ref) };
}

export function deploymentWorkloadOf(engineId: string, raw: RawDeployment): Workload | undefined {
  const workload = workloadBase(engineId, 'deployment', raw.metadata ?? {});
  if (!workload) return undefined;
  const rollout = deploymentRollout(raw, workload.ref.name);
  workload.desiredReplicas = rollout.desired;
  workload.readyReplicas = rollout.ready;
  workload.availableReplicas = rollout.available;
  workload.updatedReplicas = rollout.updated;
  const revision = raw.metadata?.annotations?.[REVISION_ANNOTATION];
  if (revision) workload.revision = toDisplayText(revision);
  workload.rollout = rollout;
  workload.images = imagesOf(raw.spec?.template);
  const createdAt = timeOf(raw.metadata?.creationTimestamp);
  if (createdAt !== undefined) workload.createdAt = createdAt;
  return workload;
}

export function statefulSetWorkloadOf(engineId: string, raw: RawStatefulSet): Workload | undefined {
  const workload = workloadBase(engineId, 'statefulset', raw.metadata ?? {});
  if (!workload) return undefined;
  const rollout = statefulSetRollout(raw);
  workload.desiredReplicas = rollout.desired;
  workload.readyReplicas = rollout.ready;
  workload.availableReplicas = rollout.available;
  workload.updatedReplicas = rollout.updated;
  if (raw.status?.updateRevision) workload.revision = toDisplayText(raw.status.updateRevision);
  workload.rollout = rollout;
  workload.images = imagesOf(raw.spec?.template);
  const createdAt = timeOf(raw.metadata?.creationTimestamp);
  if (createdAt !== undefined) workload.createdAt = createdAt;
  return workload;
}

export function replicaSetRecordOf(raw: RawReplicaSet): ReplicaSetRecord | undefined {
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
