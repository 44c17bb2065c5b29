// A GateCheckContext for checker tests: a real store (or an empty one), any executor, a signal
// the test can abort, and a clock the test can move.
import type { ActionExecutor } from '../../src/domain/engine-action';
import type { GateCheckContext } from '../../src/gates/gate-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { refuseEverything } from './action-context';
import { createTestStore } from './test-store';

export interface GateContextOptions {
  store?: OpsdeckStore;
  executor?: ActionExecutor;
  signal?: AbortSignal;
  now?: () => number;
}

export function gateContext(options: GateContextOptions = {}): GateCheckContext {
  const store = options.store ?? createTestStore();
  return {
    signal: options.signal ?? new AbortController().signal,
    now: options.now ?? Date.now,
    executor: options.executor ?? refuseEverything,
    state: () => store.getState(),
  };
}
