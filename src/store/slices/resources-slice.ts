import type { ContainerStatsSample } from '../../domain/types';
import type { OpsdeckState, PendingWrites, ResourcesSlice } from '../store-types';

type ResourcesData = Pick<
  ResourcesSlice,
  'statsByContainer' | 'cpuHistoryByContainer' | 'memoryHistoryByContainer' | 'host' | 'hostCpuHistory'
>;

export function applyResourceWrites(
  state: ResourcesData & Pick<OpsdeckState, 'containers'>,
  pending: PendingWrites,
  historyLength: number,
): Partial<OpsdeckState> | undefined {
  const partial: Partial<OpsdeckState> = {};
  if (pending.stats.size > 0 || pending.statsEnded.size > 0 || pending.removals.size > 0) {
    const statsByContainer: Record<string, ContainerStatsSample> = { ...state.statsByContainer };
    const cpuHistoryByContainer = { ...state.cpuHistoryByContainer };
    const memoryHistoryByContainer = { ...state.memoryHistoryByContainer };
    for (const [containerId, samples] of pending.stats) {
      const latest = samples[samples.length - 1];
      if (!latest) continue;
      statsByContainer[containerId] = latest;
      cpuHistoryByContainer[containerId] = appendBounded(
        cpuHistoryByContainer[containerId],
        samples.map((sample) => sample.cpuPercent),
        historyLength,
      );
      memoryHistoryByContainer[containerId] = appendBounded(
        memoryHistoryByContainer[containerId],
        samples.map((sample) => sample.memoryPercent),
        historyLength,
      );
    }
    // A stopped container has no current usage; a removed one has no history either.
    for (const containerId of pending.statsEnded) delete statsByContainer[containerId];
    for (const containerId of pending.removals) {
      delete statsByContainer[containerId];
      delete cpuHistoryByContainer[containerId];
      delete memoryHistoryByContainer[containerId];
    }
    Object.assign(partial, { statsByContainer, cpuHistoryByContainer, memoryHistoryByContainer });
  }
  if (pending.host) {
    partial.host = pending.host;
    partial.hostCpuHistory = appendBounded(state.hostCpuHistory, [pending.host.cpuPercent], historyLength);
  }
  return Object.keys(partial).length > 0 ? partial : undefined;
}

function appendBounded(history: number[] | undefined, values: number[], limit: number): number[] {
  const next = history ? history.concat(values) : values.slice();
  return next.length > limit ? next.slice(next.length - limit) : next;
}
