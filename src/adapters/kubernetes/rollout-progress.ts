// A Deployment's or StatefulSet's rollout judged as `kubectl rollout status` judges it
// (kubectl's polymorphichelpers/rollout_status.go), with kubectl's own wording. Pure.

import type { WorkloadKind } from '../../domain/resource-ref';
import type { RolloutProgress } from '../../domain/types';
import type { WorkloadObject } from './kube-objects';

/** The Progressing condition's reason once progressDeadlineSeconds passed without progress. */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

export function rolloutProgressOf(kind: Exclude<WorkloadKind, 'compose-service'>, object: WorkloadObject): RolloutProgress {
  return kind === 'statefulset' ? statefulSetProgress(object) : deploymentProgress(object);
}

function counts(object: WorkloadObject): Omit<RolloutProgress, 'state' | 'message'> {
  const status = object.status ?? {};
  return {
    desired: object.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    observed: (object.metadata?.generation ?? 0) <= (status.observedGeneration ?? 0),
  };
}

function deploymentProgress(object: WorkloadObject): RolloutProgress {
  const name = JSON.stringify(object.metadata?.name ?? '');
  const base = counts(object);
  const progress = (state: RolloutProgress['state'], message: string): RolloutProgress => ({ ...base, state, message });
  if (!base.observed) return progress('progressing', 'Waiting for deployment spec update to be observed...');
  const progressing = object.status?.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) return progress('stalled', `deployment ${name} exceeded its progress deadline`);
  const total = object.status?.replicas ?? 0;
  if (base.updated < base.desired) {
    return progress('progressing', `Waiting for deployment ${name} rollout to finish: ${base.updated} out of ${base.desired} new replicas have been updated...`);
  }
  if (total > base.updated) {
    return progress('progressing', `Waiting for deployment ${name} rollout to finish: ${total - base.updated} old replicas are pending termination...`);
  }
  if (base.available < base.updated) {
    return progress('progressing', `Waiting for deployment ${name} rollout to finish: ${base.available} of ${base.updated} updated replicas are available...`);
  }
  return progress('complete', `deployment ${name} successfully rolled out`);
}

function statefulSetProgress(object: WorkloadObject): RolloutProgress {
  const base = counts(object);
  const status = object.status ?? {};
  const progress = (state: RolloutProgress['state'], message: string): RolloutProgress => ({ ...base, state, message });
  const strategy = object.spec?.updateStrategy;
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') {
    return progress('stalled', `rollout status is only available for the RollingUpdate strategy (statefulset ${JSON.stringify(object.metadata?.name ?? '')} uses ${strategy.type})`);
  }
  if (!status.observedGeneration || !base.observed) return { ...progress('progressing', 'Waiting for statefulset spec update to be observed...'), observed: false };
  if (base.ready < base.desired) return progress('progressing', `Waiting for ${base.desired - base.ready} pods to be ready...`);
  // The API server fills in rollingUpdate.partition (0): kubectl then judges by updated replicas.
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (partition !== undefined && base.updated < base.desired - partition) {
      return progress('progressing', `Waiting for partitioned roll out to finish: ${base.updated} out of ${base.desired - partition} new pods have been updated...`);
    }
    return progress('complete', `partitioned roll out complete: ${base.updated} new pods have been updated...`);
  }
  if (status.updateRevision !== status.currentRevision) {
    return progress('progressing', `waiting for statefulset rolling update to complete ${base.updated} pods at revision ${status.updateRevision ?? ''}...`);
  }
  return progress('complete', `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...`);
}
