// What the selection points at, for commands: the instance an action applies to and
// the workload whose logs enter opens.

import type { Instance, RefKey } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { selectFingerprint } from './error-rows';
import { selectSelectedKey } from './panel-rows';
import { selectServiceRow } from './service-tree';

export type InstanceTarget = { instance: Instance } | { reason: string };

/** The instance selected in the services or resources panel. */
export function selectTargetInstance(state: OpsdeckState): InstanceTarget {
  const panel = state.ui.focusedPanel;
  const key = selectSelectedKey(state, panel);
  if (key === undefined) return { reason: 'nothing selected' };
  if (panel === 'resources') {
    const instance = state.instances[key];
    return instance ? { instance } : { reason: 'container is gone' };
  }
  if (panel !== 'services') return { reason: 'select a container in Services or Resources' };
  const row = selectServiceRow(state, key);
  if (!row || row.kind !== 'container' || row.instanceKey === undefined) {
    if (row?.kind === 'project' || row?.kind === 'engine') return { reason: `select a container, not ${row.kind === 'engine' ? 'an engine' : 'a project'}` };
    return { reason: 'select one container of the service' };
  }
  const instance = state.instances[row.instanceKey];
  return instance ? { instance } : { reason: 'container is gone' };
}

/** Workload whose logs `enter` opens from the focused panel. */
export function selectTargetWorkloadKey(state: OpsdeckState): RefKey | undefined {
  const panel = state.ui.focusedPanel;
  const key = selectSelectedKey(state, panel);
  if (key === undefined) return undefined;
  if (panel === 'services') return selectServiceRow(state, key)?.workloadKey;
  if (panel === 'resources') return state.instances[key]?.workloadKey;
  if (panel === 'errors') return selectFingerprint(state, key)?.sampleWorkloadKey;
  return undefined;
}
