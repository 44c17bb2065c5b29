import type { ContainerInfo } from '../../domain/types';
import type { OpsdeckState, PendingWrites, ServicesSlice } from '../store-types';

type ServicesData = Pick<ServicesSlice, 'containers'>;

/** Applies pending container writes; returns the new map, or undefined when nothing changed. */
export function applyServiceWrites(state: ServicesData, pending: PendingWrites): Partial<OpsdeckState> | undefined {
  if (pending.replacedEngines.size === 0 && pending.upserts.size === 0 && pending.removals.size === 0) return undefined;
  const containers: Record<string, ContainerInfo> = { ...state.containers };
  for (const [engineId, list] of pending.replacedEngines) {
    for (const [id, container] of Object.entries(containers)) {
      if (container.engineId === engineId) delete containers[id];
    }
    for (const container of list) containers[container.id] = keepIdentityWhenEqual(state.containers[container.id], container);
  }
  for (const container of pending.upserts.values()) {
    containers[container.id] = keepIdentityWhenEqual(state.containers[container.id], container);
  }
  for (const id of pending.removals) delete containers[id];
  return { containers };
}

/** Rows select containers by id: an unchanged container keeps its object so its row does not re-render. */
function keepIdentityWhenEqual(previous: ContainerInfo | undefined, next: ContainerInfo): ContainerInfo {
  if (!previous) return next;
  const keys = Object.keys(next) as Array<keyof ContainerInfo>;
  if (keys.length !== Object.keys(previous).length) return next;
  return keys.every((key) => previous[key] === next[key]) ? previous : next;
}
