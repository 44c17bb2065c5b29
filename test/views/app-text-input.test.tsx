// The filter and the log search share one text-input model: cursor, word delete, history.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, KEYS } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const LEFT = '\u001B[D';

describe('one text-input model for the filter and the log search', () => {
  it('edits at the cursor and deletes words in the filter, as the panel narrows', async () => {
    const store = createViewStore();
    feedIncident(store);
    const app = await renderApp(store);
    await app.press('/', 'v', 'l', 't', LEFT, LEFT, 'a', 'u');
    await app.waitFor((frame) => frame.includes('filter: /vau▏lt'));
    expect(store.getState().ui.filter).toBe('vault');
    await app.press(' ', 'x', 'y', '\u0017');
    await app.waitFor((frame) => frame.includes('filter: /vau ▏lt'));
    await app.press('\u0005', KEYS.enter);
    await app.waitFor((frame) => !frame.includes('filter: /'));
    expect(store.getState().ui.filter).toBe('vau lt');
  });

  it('remembers entered searches: up brings the last one back', async () => {
    const store = createViewStore();
    feedIncident(store);
    const app = await renderApp(store);
    await app.press('j', KEYS.enter, '/', 'E', 'R', 'R', KEYS.enter);
    await app.waitFor((frame) => !frame.includes('search: /'));
    await app.press('/');
    await app.waitFor((frame) => frame.includes('search: /▏'));
    await app.press(KEYS.up);
    await app.waitFor((frame) => frame.includes('search: /ERR▏'));
    await app.press(KEYS.down);
    await app.waitFor((frame) => frame.includes('search: /▏'));
  });

  it('keeps up and down for the selection in the filter; ctrl-p brings the last filter back', async () => {
    const store = createViewStore();
    feedIncident(store);
    const app = await renderApp(store);
    await app.press('/', 'j', 'i', 'v', 's', KEYS.enter);
    await app.waitFor((frame) => !frame.includes('filter: /'));
    await app.press(KEYS.escape, '/');
    await app.waitFor((frame) => frame.includes('filter: /▏'));
    await app.press('\u0010');
    await app.waitFor((frame) => frame.includes('filter: /jivs▏'));
    expect(store.getState().ui.filter).toBe('jivs');
  });
});
