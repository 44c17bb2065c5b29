import type { EngineStatus } from '../../domain/types';
import type { SliceModule } from '../slice-module';

export interface EnginesSlice {
  engines: Record<string, EngineStatus>;
  /** Engine ids in configuration order. */
  engineOrder: string[];
  engineRegistered(engine: EngineStatus): void;
  engineStateChanged(engineId: string, change: Partial<Omit<EngineStatus, 'id' | 'kind'>>): void;
}

type EnginePending = Map<string, Partial<EngineStatus>>;

export const enginesSlice: SliceModule<EnginesSlice, EnginePending> = {
  name: 'engines',
  createPending: () => new Map(),
  create: ({ set, pending, requestFlush, requestPromptFlush }) => ({
    engines: {},
    engineOrder: [],
    engineRegistered: (engine) =>
      set((state) => ({
        engines: { ...state.engines, [engine.id]: engine },
        engineOrder: state.engineOrder.includes(engine.id) ? state.engineOrder : [...state.engineOrder, engine.id],
      })),
    engineStateChanged: (engineId, change) => {
      const changes = pending();
      changes.set(engineId, { ...changes.get(engineId), ...change });
      // The header's connecting / connected / disconnected is shown on the next turn; other details (version, problems) coalesce.
      if (change.state !== undefined) requestPromptFlush();
      else requestFlush();
    },
  }),
  apply: ({ next, pending }) => {
    if (pending.size === 0) return undefined;
    const engines: Record<string, EngineStatus> = { ...next.engines };
    for (const [engineId, change] of pending) {
      const current = engines[engineId];
      if (!current) continue;
      const updated: EngineStatus = { ...current, ...change };
      // A successful connection clears the previous error and retry time.
      if (change.state === 'connected') {
        delete updated.error;
        delete updated.nextRetryAt;
        if (change.problem === undefined) delete updated.problem;
      }
      engines[engineId] = updated;
    }
    return { engines };
  },
};
