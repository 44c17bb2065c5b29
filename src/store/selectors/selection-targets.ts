// What the selection points at, for commands: the container an action applies to and
// the service whose logs enter opens.

import { serviceKeyOf } from '../../domain/types';
import type { ContainerInfo, ServiceKey } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { selectFingerprint } from './error-rows';
import { selectSelectedKey } from './panel-rows';
import { selectServiceRow } from './service-tree';

export type ContainerTarget = { container: ContainerInfo } | { reason: string };

/** The container selected in the services or resources panel. */
export function selectTargetContainer(state: OpsdeckState): ContainerTarget {
  const panel = state.ui.focusedPanel;
  const key = selectSelectedKey(state, panel);
  if (key === undefined) return { reason: 'nothing selected' };
  if (panel === 'resources') {
    const container = state.containers[key];
    return container ? { container } : { reason: 'container is gone' };
  }
  if (panel !== 'services') return { reason: 'select a container in Services or Resources' };
  const row = selectServiceRow(state, key);
  if (!row || row.kind !== 'container' || row.containerId === undefined) {
    return { reason: row?.kind === 'project' ? 'select a container, not a project' : 'select one container of the service' };
  }
  const container = state.containers[row.containerId];
  return container ? { container } : { reason: 'container is gone' };
}

/** Service whose logs `enter` opens from the focused panel. */
export function selectTargetServiceKey(state: OpsdeckState): ServiceKey | undefined {
  const panel = state.ui.focusedPanel;
  const key = selectSelectedKey(state, panel);
  if (key === undefined) return undefined;
  if (panel === 'services') return selectServiceRow(state, key)?.serviceKey;
  if (panel === 'resources') {
    const container = state.containers[key];
    return container ? serviceKeyOf(container) : undefined;
  }
  if (panel === 'errors') return selectFingerprint(state, key)?.sampleServiceKey;
  return undefined;
}
