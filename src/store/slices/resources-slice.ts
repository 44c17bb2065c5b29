import type { ContainerStatsSample, HostSample, RefKey } from '../../domain/types';
import type { SliceModule } from '../slice-module';

export interface ResourcesSlice {
  /** Latest usage by instance key. */
  statsByInstance: Record<RefKey, ContainerStatsSample>;
  /** Bounded CPU % history per instance, oldest first (sparklines). */
  cpuHistoryByInstance: Record<RefKey, number[]>;
  memoryHistoryByInstance: Record<RefKey, number[]>;
  host: HostSample | undefined;
  hostCpuHistory: number[];
  statsReceived(sample: ContainerStatsSample): void;
  statsEnded(instanceKey: RefKey): void;
  hostSampled(sample: HostSample): void;
}

interface ResourcesPending {
  stats: Map<RefKey, ContainerStatsSample[]>;
  ended: Set<RefKey>;
  host: HostSample | undefined;
}

const DEFAULT_HISTORY_LENGTH = 30;

export const resourcesSlice: SliceModule<ResourcesSlice, ResourcesPending> = {
  name: 'resources',
  createPending: () => ({ stats: new Map(), ended: new Set(), host: undefined }),
  create: ({ pending, requestFlush }) => ({
    statsByInstance: {},
    cpuHistoryByInstance: {},
    memoryHistoryByInstance: {},
    host: undefined,
    hostCpuHistory: [],
    statsReceived: (sample) => {
      const writes = pending();
      const samples = writes.stats.get(sample.instanceKey);
      if (samples) samples.push(sample);
      else writes.stats.set(sample.instanceKey, [sample]);
      writes.ended.delete(sample.instanceKey);
      requestFlush();
    },
    statsEnded: (instanceKey) => {
      pending().stats.delete(instanceKey);
      pending().ended.add(instanceKey);
      requestFlush();
    },
    hostSampled: (sample) => {
      pending().host = sample;
      requestFlush();
    },
  }),
  apply: ({ previous, next, pending, options }) => {
    const historyLength = options.historyLength ?? DEFAULT_HISTORY_LENGTH;
    const partial: Partial<ResourcesSlice> = {};
    const instancesChanged = next.instances !== previous.instances;
    if (pending.stats.size > 0 || pending.ended.size > 0 || instancesChanged) {
      const statsByInstance: Record<RefKey, ContainerStatsSample> = { ...next.statsByInstance };
      const cpuHistoryByInstance = { ...next.cpuHistoryByInstance };
      const memoryHistoryByInstance = { ...next.memoryHistoryByInstance };
      for (const [key, samples] of pending.stats) {
        const latest = samples[samples.length - 1];
        if (!latest) continue;
        statsByInstance[key] = latest;
        cpuHistoryByInstance[key] = appendBounded(cpuHistoryByInstance[key], samples.map((sample) => sample.cpuPercent), historyLength);
        memoryHistoryByInstance[key] = appendBounded(
          memoryHistoryByInstance[key],
          samples.map((sample) => sample.memoryPercent),
          historyLength,
        );
      }
      // A stopped instance has no current usage; a removed one has no history either.
      for (const key of pending.ended) delete statsByInstance[key];
      if (instancesChanged) {
        for (const key of Object.keys(cpuHistoryByInstance)) {
          if (next.instances[key]) continue;
          delete statsByInstance[key];
          delete cpuHistoryByInstance[key];
          delete memoryHistoryByInstance[key];
        }
        for (const key of Object.keys(statsByInstance)) if (!next.instances[key]) delete statsByInstance[key];
      }
      if (pending.stats.size > 0 || pending.ended.size > 0 || !sameKeys(statsByInstance, next.statsByInstance)) {
        Object.assign(partial, { statsByInstance, cpuHistoryByInstance, memoryHistoryByInstance });
      }
    }
    if (pending.host) {
      partial.host = pending.host;
      partial.hostCpuHistory = appendBounded(next.hostCpuHistory, [pending.host.cpuPercent], historyLength);
    }
    return Object.keys(partial).length > 0 ? partial : undefined;
  },
};

function sameKeys(left: object, right: object): boolean {
  const leftKeys = Object.keys(left);
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => key in right);
}

function appendBounded(history: number[] | undefined, values: number[], limit: number): number[] {
  const next = history ? history.concat(values) : values.slice();
  return next.length > limit ? next.slice(next.length - limit) : next;
}
