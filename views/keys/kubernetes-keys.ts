// Keys of Deployment, StatefulSet and pod rows (k9s habits: r restart, s scale, d detail), of the
// replica count typed for a scale and of the detail screen. The row keys are a scope of their own
// on the main screen (on a workload row the container keys r and s step aside: there they mean
// rollout restart and scale), and a section of their own in help. Part of the key table: the hint bar
// offers the mutations only while the selected row supports them and no access review forbade them.

import { selectTargetPod, selectTargetWorkload } from '../../src/store/selectors/action-targets';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyBinding } from './key-table';

export const onWorkloadRow = (state: OpsdeckState): boolean => 'workload' in selectTargetWorkload(state);
const onPodRow = (state: OpsdeckState): boolean => 'pod' in selectTargetPod(state);

export const KUBERNETES_ROW_KEYS: readonly KeyBinding[] = [
  {
    command: 'workload.rolloutRestart',
    keys: ['r'],
    label: 'rollout restart a workload',
    scope: 'kubernetes-rows',
    hint: 'restart',
    destructive: true,
    verb: 'rollout-restart',
    when: onWorkloadRow,
  },
  {
    command: 'workload.scale',
    keys: ['s'],
    label: 'scale a workload (type the replicas)',
    scope: 'kubernetes-rows',
    hint: 'scale',
    destructive: true,
    verb: 'scale',
    when: onWorkloadRow,
  },
  {
    command: 'workload.undo',
    keys: ['U'],
    label: 'roll back to the previous revision',
    scope: 'kubernetes-rows',
    hint: 'undo',
    destructive: true,
    verb: 'rollout-undo',
    when: onWorkloadRow,
  },
  { command: 'pod.delete', keys: ['D'], label: 'delete the pod', scope: 'kubernetes-rows', hint: 'delete', destructive: true, verb: 'delete', when: onPodRow },
  {
    command: 'resource.detail',
    keys: ['d'],
    label: 'detail: rollout history, pod state',
    scope: 'kubernetes-rows',
    hint: 'detail',
    when: (state) => onWorkloadRow(state) || onPodRow(state),
  },
];

export const SCALE_INPUT_KEYS: readonly KeyBinding[] = [
  { command: 'scale.accept', keys: ['enter'], label: 'scale to the typed replicas', scope: 'scale', hint: 'scale' },
  { command: 'scale.cancel', keys: ['escape'], label: 'do not scale', scope: 'scale', hint: 'cancel' },
];

export const KUBERNETES_DETAIL_KEYS: readonly KeyBinding[] = [
  { command: 'resourceDetail.close', keys: ['escape', 'q'], label: 'back to the panels', scope: 'resource-detail', hint: 'back' },
];
