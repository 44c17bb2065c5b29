// Uptimes and ages move with the store's coarse clock, without a timer in the views.
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryOf } from '../support/domain-fixtures';
import { container, createViewStore, engine, lineWith } from './fixtures';
import { renderApp, type RenderedApp } from './render-app';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('clock', () => {
  it('advances the uptime of a container when the clock ticks', async () => {
    const store = createViewStore();
    const actions = store.getState();
    actions.engineRegistered(engine());
    actions.inventoryReplaced('local', inventoryOf([container('web', { startedAt: Date.now() - 30_000 })]));
    actions.flush();
    app = await renderApp(store);
    await app.waitFor((frame) => /web\s+running.*up 3\ds/.test(lineWith(frame, 'web') ?? ''));
    actions.clockTicked(Date.now() + 5 * 60_000);
    const frame = await app.waitFor((frame) => /up 5m/.test(lineWith(frame, 'web') ?? ''));
    expect(lineWith(frame, 'web')).not.toMatch(/up 3\ds/);
  });
});
