import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SliceContext, SliceModule } from './slice-module';
import { actionsSlice } from './slices/actions-slice';
import { alertsSlice } from './slices/alerts-slice';
import { clusterSlice } from './slices/cluster-slice';
import { enginesSlice } from './slices/engines-slice';
import { createErrorsSlice } from './slices/errors-slice';
import { createHealthSlice } from './slices/health-slice';
import { gateSlice } from './slices/gate-slice';
import { incidentSlice } from './slices/incident-slice';
import { sourcesSlice } from './slices/sources-slice';
import { inventorySlice } from './slices/inventory-slice';
import { resourcesSlice } from './slices/resources-slice';
import { runsSlice } from './slices/runs-slice';
import { sessionSlice } from './slices/session-slice';
import { uiSlice } from './slices/ui-slice';
import type { OpsdeckState, StoreOptions } from './store-types';
import { createUpdateBatcher } from './update-batcher';

export type OpsdeckStore = StoreApi<OpsdeckState>;

// Module order is apply order: health reads what inventory, resources and engines wrote; alerts
// lists what health and gates wrote.
type AnySliceModule = SliceModule<object, unknown>;

function sliceModules(options: StoreOptions): AnySliceModule[] {
  return [
    enginesSlice,
    inventorySlice,
    resourcesSlice,
    createErrorsSlice(options),
    clusterSlice,
    sourcesSlice,
    createHealthSlice(),
    gateSlice,
    alertsSlice,
    incidentSlice,
    actionsSlice,
    runsSlice,
    sessionSlice,
    uiSlice,
  ] as unknown as AnySliceModule[];
}

/**
 * One vanilla store folded from slice modules. Adapter writes are buffered per slice and
 * applied together at most once per `flushIntervalMs`; UI actions apply at once.
 */
export function createOpsdeckStore(options: StoreOptions): OpsdeckStore {
  const now = options.now ?? Date.now;
  const modules = sliceModules(options);
  const pending = new Map<AnySliceModule, unknown>(modules.map((module) => [module, module.createPending()]));

  return createStore<OpsdeckState>()((set, get) => {
    const flush = (): void => {
      const writes = new Map(pending);
      for (const module of modules) pending.set(module, module.createPending());
      const previous = get();
      let next = previous;
      const partial: Partial<OpsdeckState> = {};
      const time = now();
      for (const module of modules) {
        const change = module.apply?.({ previous, next, pending: writes.get(module), now: time, options });
        if (!change) continue;
        Object.assign(partial, change);
        next = { ...next, ...change };
      }
      if (Object.keys(partial).length > 0) set(partial);
    };
    const batcher = createUpdateBatcher(flush, options.flushIntervalMs);
    const state = {} as OpsdeckState;
    for (const module of modules) {
      const context: SliceContext<unknown> = {
        set: set as SliceContext<unknown>['set'],
        get,
        pending: () => pending.get(module),
        requestFlush: () => batcher.request(),
        requestPromptFlush: () => batcher.requestPrompt(),
        flushNow: () => batcher.flushNow(),
        stopFlushing: () => batcher.dispose(),
        now,
        options,
      };
      Object.assign(state, module.create(context));
    }
    return state;
  });
}
