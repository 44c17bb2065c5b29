import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/domain/types';
import { firstEngineAnswer } from '../../src/runtime/engines-answered';
import { container, inventoryOf } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';

const engine = (id: string): EngineStatus => ({ id, kind: 'docker', label: id, endpoint: `unix:///run/${id}.sock`, state: 'connecting' });

/** Whether `promise` has settled after `ms`. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe("the first frame's wait for an engine's first answer", () => {
  it('ends when one engine has its list in the store, while another is still connecting', async () => {
    const store = createTestStore({ flushIntervalMs: 200 });
    store.getState().engineRegistered(engine('local'));
    store.getState().engineRegistered(engine('remote'));
    const wait = firstEngineAnswer(store, 5_000);
    expect(await settledWithin(wait, 30)).toBe(false);
    store.getState().inventoryReplaced('local', inventoryOf([container('web')]));
    store.getState().engineStateChanged('local', { state: 'connected', connectedAt: Date.now() });
    expect(await settledWithin(wait, 30)).toBe(true);
    // The frame drawn then shows the list.
    expect(Object.keys(store.getState().instances)).toHaveLength(1);
    expect(store.getState().engines.remote?.state).toBe('connecting');
    store.getState().dispose();
  });

  it('ends at once for a refused engine, and for no engine at all', async () => {
    const store = createTestStore();
    expect(await settledWithin(firstEngineAnswer(store, 5_000), 5)).toBe(true);
    store.getState().engineRegistered({ ...engine('local'), state: 'disconnected', error: 'connect ECONNREFUSED' });
    expect(await settledWithin(firstEngineAnswer(store, 5_000), 5)).toBe(true);
    store.getState().dispose();
  });

  it('gives up at the cap for an engine that does not answer', async () => {
    const store = createTestStore();
    store.getState().engineRegistered(engine('slow'));
    const wait = firstEngineAnswer(store, 120);
    expect(await settledWithin(wait, 60)).toBe(false);
    expect(await settledWithin(wait, 150)).toBe(true);
    expect(store.getState().engines.slow?.state).toBe('connecting');
    store.getState().dispose();
  });
});
