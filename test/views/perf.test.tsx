import { it } from 'vitest';
import { createViewStore, feedIncident } from './fixtures';
import { renderApp } from './render-app';

it('perf', async () => {
  const store = createViewStore();
  feedIncident(store);
  const app = await renderApp(store);
  for (let round = 0; round < 4; round++) {
    const frames = app.frames.length;
    const start = performance.now();
    store.getState().focusNextPanel(1);
    const sync = performance.now();
    await app.waitFor(() => app.frames.length > frames);
    const t1 = performance.now();
    console.log('store change: sync', (sync - start).toFixed(1), 'frame after', (t1 - start).toFixed(1), 'ms');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let round = 0; round < 4; round++) {
    const frames = app.frames.length;
    const start = performance.now();
    app.stdin.write('j');
    const sync = performance.now();
    await app.waitFor(() => app.frames.length > frames);
    const t1 = performance.now();
    console.log('key: sync', (sync - start).toFixed(1), 'frame after', (t1 - start).toFixed(1), 'ms');
    await new Promise((r) => setTimeout(r, 100));
  }
});
