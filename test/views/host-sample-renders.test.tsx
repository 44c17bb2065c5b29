// A host sample (every few seconds) costs a frame only when it changes what the resources panel
// draws: a sample whose figures round to the same text and bars commits nothing (React's Profiler
// counts the commits), one that moves a figure is drawn.
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryOf } from '../support/domain-fixtures';
import { renderCounted } from './counted-render';
import { container, createViewStore, engine, host, lineWith, nextTick, NOW } from './fixtures';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** Lets React commit whatever a store change scheduled. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await nextTick();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('host sample renders', () => {
  it('commits nothing for a sample that draws the same text, and draws one that changes it', async () => {
    const store = createViewStore();
    const actions = store.getState();
    actions.engineRegistered(engine());
    actions.inventoryReplaced('local', inventoryOf([container('web')]));
    actions.hostSampled(host());
    actions.flush();
    const app = renderCounted(store);
    const { counter } = app;
    unmount = app.unmount;
    await app.waitFor((frame) => /cpu .*48%.*load 1\.92/.test(lineWith(frame, ' host ') ?? ''));
    await settle();
    const before = counter.commits;
    // Every figure moved a little, none by what the panel shows.
    actions.hostSampled(host({ cpuPercent: 48.2, load1: 1.921, memoryAvailableBytes: 6 * 1024 ** 3 - 4096, memoryUsedPercent: 61.1, sampledAt: NOW + 3000 }));
    actions.flush();
    await settle();
    actions.hostSampled(host({ cpuPercent: 47.9, load1: 1.919, sampledAt: NOW + 6000 }));
    actions.flush();
    await settle();
    expect(counter.commits).toBe(before);
    actions.hostSampled(host({ cpuPercent: 73, sampledAt: NOW + 9000 }));
    actions.flush();
    const frame = await app.waitFor((text) => /cpu .*73%/.test(lineWith(text, ' host ') ?? ''));
    expect(lineWith(frame, ' host ')).toMatch(/load 1\.92/);
    expect(counter.commits).toBeGreaterThan(before);
  });
});
