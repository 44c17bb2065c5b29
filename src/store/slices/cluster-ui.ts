// The cockpit's Kubernetes screen state, part of the ui slice: the `:ctx` / `:ns` scope that
// narrows the panels (k9s habits), the replica count being typed for a scale, and the detail
// screen of a Deployment, StatefulSet or pod (its rollout history once read).

import type { RolloutRevision, WorkloadTarget } from '../../domain/engine-action';
import type { RefKey } from '../../domain/types';

/** What the panels show: every engine, or one context; every namespace, or one. */
export interface ViewScope {
  /** The engine (a Kubernetes context) `:ctx` narrowed to; undefined: all engines. */
  engineId?: string | undefined;
  /** The namespace `:ns` narrowed Kubernetes rows to; undefined: all namespaces. */
  namespace?: string | undefined;
}

/** The replica count typed after `s` on a Deployment or StatefulSet row. */
export interface ScaleInput {
  target: WorkloadTarget;
  /** Replicas asked for now (the `from` of the confirmation). */
  from: number;
  /** Why the last value entered was not taken, shown beside the line. */
  problem?: string | undefined;
}

/** The detail screen (`d`) of a workload or pod, by ref key; the history arrives after it opens. */
export interface ResourceDetailState {
  key: RefKey;
  history?: { revisions: RolloutRevision[] } | { error: string } | undefined;
}

export interface ClusterUiState {
  scope: ViewScope;
  scaleInput: ScaleInput | undefined;
  resourceDetail: ResourceDetailState | undefined;
}

export const INITIAL_CLUSTER_UI: ClusterUiState = { scope: {}, scaleInput: undefined, resourceDetail: undefined };

export interface ClusterUiActions {
  /** Replaces the scope (a narrowed engine and namespace; {} shows everything). */
  setScope(scope: ViewScope): void;
  openScaleInput(input: ScaleInput | undefined): void;
  openResourceDetail(key: RefKey | undefined): void;
  /** The history read for the detail of `key` (ignored when another detail is open by then). */
  resourceHistoryRead(key: RefKey, history: NonNullable<ResourceDetailState['history']>): void;
}

type Update = (change: (cluster: ClusterUiState) => Partial<ClusterUiState>) => void;

export function createClusterUiActions(update: Update): ClusterUiActions {
  return {
    setScope: (scope) =>
      update(() => ({
        scope: {
          ...(scope.engineId !== undefined ? { engineId: scope.engineId } : {}),
          ...(scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
        },
      })),
    openScaleInput: (scaleInput) => update(() => ({ scaleInput })),
    openResourceDetail: (key) => update(() => ({ resourceDetail: key === undefined ? undefined : { key } })),
    resourceHistoryRead: (key, history) =>
      update((cluster) => (cluster.resourceDetail?.key === key ? { resourceDetail: { key, history } } : {})),
  };
}
