import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LogLine, ServiceKey } from '../domain/types';
import type { RingBuffer } from '../domain/ring-buffer';
import { applyEngineWrites } from './slices/engines-slice';
import { applyLogWrites, createErrorPipeline } from './slices/errors-slice';
import { evaluateGates } from '../domain/gates';
import { recomputeHealth } from './slices/health-slice';
import { applyResourceWrites } from './slices/resources-slice';
import { applyServiceWrites } from './slices/services-slice';
import { createUiSlice } from './slices/ui-slice';
import { createUpdateBatcher } from './update-batcher';
import { createPendingWrites, type OpsdeckState, type StoreOptions } from './store-types';

export type OpsdeckStore = StoreApi<OpsdeckState>;

const DEFAULT_HISTORY_LENGTH = 30;

/**
 * One vanilla store made of slices. Adapter actions (engine, container, stats, host, log writes)
 * are buffered and applied together at most once per `flushIntervalMs`; UI actions apply at once.
 */
export function createOpsdeckStore(options: StoreOptions): OpsdeckStore {
  const now = options.now ?? Date.now;
  const historyLength = options.historyLength ?? DEFAULT_HISTORY_LENGTH;
  const pipeline = createErrorPipeline(options.errorPatterns, options.maxFingerprints, options.logBufferLines);
  let pending = createPendingWrites();

  return createStore<OpsdeckState>()((set, get) => {
    const flush = (): void => {
      const writes = pending;
      pending = createPendingWrites();
      const state = get();
      const partial: Partial<OpsdeckState> = {
        ...applyEngineWrites(state, writes),
        ...applyServiceWrites(state, writes),
      };
      Object.assign(partial, applyResourceWrites({ ...state, ...partial }, writes, historyLength));
      Object.assign(partial, applyLogWrites(state, writes, pipeline));
      const healthChanged =
        partial.containers !== undefined ||
        partial.statsByContainer !== undefined ||
        partial.host !== undefined ||
        partial.engines !== undefined;
      if (healthChanged) Object.assign(partial, recomputeHealth({ ...state, ...partial }, now()));
      if (Object.keys(partial).length > 0) set(partial);
    };
    const batcher = createUpdateBatcher(flush, options.flushIntervalMs);
    const logBuffers = new Map<ServiceKey, RingBuffer<LogLine>>();

    return {
      // engines
      engines: {},
      engineOrder: [],
      engineRegistered: (engine) =>
        set((state) => ({
          engines: { ...state.engines, [engine.id]: engine },
          engineOrder: state.engineOrder.includes(engine.id) ? state.engineOrder : [...state.engineOrder, engine.id],
        })),
      engineStateChanged: (engineId, change) => {
        pending.engineChanges.set(engineId, { ...pending.engineChanges.get(engineId), ...change });
        batcher.request();
      },

      // services
      containers: {},
      containersReplaced: (engineId, containers) => {
        pending.replacedEngines.set(engineId, containers);
        for (const container of containers) pending.upserts.delete(container.id);
        batcher.request();
      },
      containerUpserted: (container) => {
        pending.upserts.set(container.id, container);
        pending.removals.delete(container.id);
        batcher.request();
      },
      containerRemoved: (containerId) => {
        pending.upserts.delete(containerId);
        pending.removals.add(containerId);
        batcher.request();
      },

      // resources
      statsByContainer: {},
      cpuHistoryByContainer: {},
      memoryHistoryByContainer: {},
      host: undefined,
      hostCpuHistory: [],
      statsReceived: (sample) => {
        const samples = pending.stats.get(sample.containerId);
        if (samples) samples.push(sample);
        else pending.stats.set(sample.containerId, [sample]);
        pending.statsEnded.delete(sample.containerId);
        batcher.request();
      },
      statsEnded: (containerId) => {
        pending.stats.delete(containerId);
        pending.statsEnded.add(containerId);
        batcher.request();
      },
      hostSampled: (sample) => {
        pending.host = sample;
        batcher.request();
      },

      // errors and logs
      fingerprints: [],
      errorLineCount: 0,
      logRevisionByService: {},
      logBuffers,
      logLinesReceived: (lines) => {
        for (const line of lines) pending.logLines.push(line);
        batcher.request();
      },

      // health
      thresholds: options.thresholds,
      restartHistory: new Map(),
      alerts: [],
      // Before any engine answers, every gate says so ("unknown"), rather than nothing.
      gates: evaluateGates({ containers: [], engines: [], thresholds: options.thresholds }, now()),

      // session
      readOnly: options.readOnly,
      clock: now(),
      clockTicked: (time) => set({ clock: time }),
      flush: () => batcher.flushNow(),
      dispose: () => batcher.dispose(),

      ...createUiSlice(set, now),
    };
  });
}
