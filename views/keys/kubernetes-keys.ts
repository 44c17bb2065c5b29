// Keys of Deployment, StatefulSet and pod rows (k9s habits: r restart, s scale, d detail), of the
// replica count typed for a scale and of the detail screen. Part of the key table: the hint bar
// offers the mutations only while the selected row supports them and no access review forbade them.

import { selectTargetPod, selectTargetWorkload } from '../../src/store/selectors/action-targets';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyBinding } from './key-table';

const onWorkloadRow = (state: OpsdeckState): boolean => 'workload' in selectTargetWorkload(state);
const onPodRow = (state: OpsdeckState): boolean => 'pod' in selectTargetPod(state);

export const KUBERNETES_ROW_KEYS: readonly KeyBinding[] = [
  {
    command: 'workload.rolloutRestart',
    keys: ['r'],
    label: 'rollout restart the Deployment/StatefulSet (asks first)',
    scope: 'main',
    hint: 'restart',
    destructive: true,
    verb: 'rollout-restart',
    when: onWorkloadRow,
  },
  {
    command: 'workload.scale',
    keys: ['s'],
    label: 'scale the Deployment/StatefulSet (type the replicas, asks first)',
    scope: 'main',
    hint: 'scale',
    destructive: true,
    verb: 'scale',
    when: onWorkloadRow,
  },
  {
    command: 'workload.undo',
    keys: ['U'],
    label: 'roll back to the previous revision (asks first)',
    scope: 'main',
    hint: 'undo',
    destructive: true,
    verb: 'rollout-undo',
    when: onWorkloadRow,
  },
  { command: 'pod.delete', keys: ['D'], label: 'delete the pod (asks first)', scope: 'main', hint: 'delete', destructive: true, verb: 'delete', when: onPodRow },
  {
    command: 'resource.detail',
    keys: ['d'],
    label: "detail: a workload's rollout status and history, a pod's state",
    scope: 'main',
    hint: 'detail',
    when: (state) => onWorkloadRow(state) || onPodRow(state),
  },
];

export const SCALE_INPUT_KEYS: readonly KeyBinding[] = [
  { command: 'scale.accept', keys: ['enter'], label: 'scale to the typed replicas (asks first)', scope: 'scale', hint: 'scale' },
  { command: 'scale.cancel', keys: ['escape'], label: 'do not scale', scope: 'scale', hint: 'cancel' },
];

export const KUBERNETES_DETAIL_KEYS: readonly KeyBinding[] = [
  { command: 'resourceDetail.close', keys: ['escape', 'q'], label: 'back to the panels', scope: 'resource-detail', hint: 'back' },
];
