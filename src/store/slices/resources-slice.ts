import type { ContainerStatsSample, HostSample, RefKey } from '../../domain/types';
import type { SliceModule } from '../slice-module';

/** The usage the resources panel ranks an instance by (worst first). */
export interface RankedUsage {
  cpuPercent: number;
  memoryPercent: number;
}

/**
 * Percentage points a usage must move from its ranked value before the ranked value follows:
 * rows whose figures jitter by less (idle containers between 0.0 and 0.4 %, two services at
 * 45 and 46 %) keep their places instead of swapping on every sample.
 */
export const RANKING_STEP = 1;

export interface ResourcesSlice {
  /** Latest usage by instance key. */
  statsByInstance: Record<RefKey, ContainerStatsSample>;
  /** Usage with hysteresis (RANKING_STEP), for ordering only; the figures shown are statsByInstance's. */
  rankedUsageByInstance: Record<RefKey, RankedUsage>;
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
    rankedUsageByInstance: {},
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
      const rankedUsageByInstance = rankUsage(next.rankedUsageByInstance, pending.stats, statsByInstance);
      if (pending.stats.size > 0 || pending.ended.size > 0 || !sameKeys(statsByInstance, next.statsByInstance)) {
        Object.assign(partial, { statsByInstance, cpuHistoryByInstance, memoryHistoryByInstance });
      }
      if (rankedUsageByInstance !== next.rankedUsageByInstance) partial.rankedUsageByInstance = rankedUsageByInstance;
    }
    if (pending.host) {
      partial.host = pending.host;
      partial.hostCpuHistory = appendBounded(next.hostCpuHistory, [pending.host.cpuPercent], historyLength);
    }
    return Object.keys(partial).length > 0 ? partial : undefined;
  },
};

/**
 * A ranked value follows its usage, in whole steps, once that moved RANKING_STEP or more from it.
 * Whole steps: idle containers all rank 0 and stand in name order, not in the order of whatever
 * fraction of a percent each showed first.
 */
function rankedValue(ranked: number | undefined, usage: number): number {
  return ranked !== undefined && Math.abs(usage - ranked) < RANKING_STEP ? ranked : Math.round(usage / RANKING_STEP) * RANKING_STEP;
}

function rankUsage(
  previous: Record<RefKey, RankedUsage>,
  samples: ReadonlyMap<RefKey, ContainerStatsSample[]>,
  statsByInstance: Record<RefKey, ContainerStatsSample>,
): Record<RefKey, RankedUsage> {
  let next = previous;
  const write = (key: RefKey, value: RankedUsage | undefined): void => {
    if (next === previous) next = { ...previous };
    if (value) next[key] = value;
    else delete next[key];
  };
  for (const [key, received] of samples) {
    const latest = received[received.length - 1];
    if (!latest || !statsByInstance[key]) continue;
    const ranked = previous[key];
    const cpuPercent = rankedValue(ranked?.cpuPercent, latest.cpuPercent);
    const memoryPercent = rankedValue(ranked?.memoryPercent, latest.memoryPercent);
    if (ranked?.cpuPercent !== cpuPercent || ranked.memoryPercent !== memoryPercent) write(key, { cpuPercent, memoryPercent });
  }
  for (const key of Object.keys(previous)) if (!statsByInstance[key]) write(key, undefined);
  return next;
}

function sameKeys(left: object, right: object): boolean {
  const leftKeys = Object.keys(left);
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => key in right);
}

function appendBounded(history: number[] | undefined, values: number[], limit: number): number[] {
  const next = history ? history.concat(values) : values.slice();
  return next.length > limit ? next.slice(next.length - limit) : next;
}
