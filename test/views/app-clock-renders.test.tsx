// A clock tick costs only what changes on screen: rows whose age text stays the same are not
// rendered again (React's Profiler counts the commits), and an age crossing a unit boundary
// (59s -> 1m) is drawn on the next tick.
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryOf } from '../support/domain-fixtures';
import { renderCounted } from './counted-render';
import { container, createViewStore, engine, lineWith, nextTick } from './fixtures';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function renderWithAges(startedAgoMs: number) {
  const store = createViewStore();
  const actions = store.getState();
  actions.engineRegistered(engine());
  const startedAt = Date.now() - startedAgoMs;
  actions.inventoryReplaced('local', inventoryOf([container('web', { startedAt }), container('api', { startedAt: Date.now() - 3 * 3_600_000 })]));
  actions.flush();
  const app = renderCounted(store);
  unmount = app.unmount;
  await nextTick();
  return { store, startedAt, counter: app.counter, waitFor: app.waitFor };
}

/** Lets React commit whatever a store change scheduled. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await nextTick();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('clock tick renders', () => {
  it('does not render the services rows again when no age text changes', async () => {
    const { store, counter, waitFor } = await renderWithAges(10 * 60_000);
    await waitFor((frame) => /up 10m/.test(lineWith(frame, 'web') ?? '') && /up 3h/.test(lineWith(frame, 'api') ?? ''));
    await settle();
    const before = counter.commits;
    store.getState().clockTicked(Date.now() + 10_000);
    await settle();
    store.getState().clockTicked(Date.now() + 20_000);
    await settle();
    expect(counter.commits).toBe(before);
  });

  it('draws an age that crosses a boundary (59s -> 1m) on the next tick', async () => {
    const { store, startedAt, counter, waitFor } = await renderWithAges(50_000);
    await waitFor((frame) => /up 5\ds/.test(lineWith(frame, 'web') ?? ''));
    await settle();
    const before = counter.commits;
    store.getState().clockTicked(startedAt + 61_000);
    const frame = await waitFor((frame) => /up 1m/.test(lineWith(frame, 'web') ?? ''));
    expect(lineWith(frame, 'web')).not.toMatch(/up 5\ds/);
    // The 3-hour-old row kept its text.
    expect(lineWith(frame, 'api')).toMatch(/up 3h/);
    expect(counter.commits).toBeGreaterThan(before);
  });
});
