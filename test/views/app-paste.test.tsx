// Pasted text is data, never keystrokes: with a container selected, pasting text that
// contains r, s, y or q runs nothing; a bracketed paste goes to text inputs only; and a
// confirmation is never answered by the input chunk that opened it.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, KEYS, lineWith, nextTick } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const PASTE_START = '\u001B[200~';
const PASTE_END = '\u001B[201~';

/** Filters the services to vault (so space does not fold the project) and selects its container. */
async function appWithVaultSelected() {
  const store = createViewStore();
  feedIncident(store);
  const app = await renderApp(store);
  await app.press('/', 'v', 'a', 'u', 'l', 't', KEYS.enter, 'j');
  await app.waitFor((frame) => (lineWith(frame, '›') ?? '').includes('vault') && !frame.includes('filter: /'));
  return app;
}

/** Gives Ink a few ticks to react to whatever was written. */
async function settle() {
  for (let index = 0; index < 5; index += 1) await nextTick();
}

describe('pasted text on the main screen', () => {
  it('a bracketed paste does nothing outside a text input', async () => {
    const app = await appWithVaultSelected();
    app.stdin.write(`${PASTE_START}please retry later${PASTE_END}`);
    await settle();
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.adapter.runs).toEqual([]);
    expect(app.store.getState().ui.quitRequested).toBe(false);
    expect(app.store.getState().ui.statusMessage).toBeUndefined();
    // Still on vault, and keys typed after the paste work again.
    expect(lineWith(app.frame(), '›')).toContain('vault');
    await app.press('k');
    await app.waitFor((frame) => (lineWith(frame, '›') ?? '').includes('janusgraph-demo'));
  });

  it('a bracketed paste split over several chunks does nothing either', async () => {
    const app = await appWithVaultSelected();
    for (const chunk of [`${PASTE_START}plea`, 'se r', 'etry', ' later\u001B[20', '1~']) {
      app.stdin.write(chunk);
      await nextTick();
    }
    await settle();
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.adapter.runs).toEqual([]);
  });

  it('text pasted without bracket markers in one chunk restarts nothing', async () => {
    const app = await appWithVaultSelected();
    app.stdin.write('please retry later');
    await settle();
    expect(app.adapter.runs).toEqual([]);
    // The p of "please" opened the playbook picker: the rest of the chunk is its filter text.
    expect(app.frame()).toContain('no playbook matches "lease retry later"');
    await app.press(KEYS.escape);
    await app.waitFor((frame) => frame.includes('Services ('));
    // The s of "stop" asks; nothing else in that chunk answers: only a later key does.
    app.stdin.write('stay');
    await settle();
    expect(app.frame()).toContain('Stop container janusgraph-demo-vault-1? [y/N]');
    await app.press('n');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([]);
  });

  it('r and y in one chunk ask but do not confirm; a later y does', async () => {
    const app = await appWithVaultSelected();
    app.stdin.write('ry');
    await app.waitFor((frame) => frame.includes('Restart container janusgraph-demo-vault-1? [y/N]'));
    await settle();
    expect(app.adapter.runs).toEqual([]);
    expect(app.frame()).toContain('[y/N]');
    await app.press('y');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-vault-1' }]);
  });

  it('a paste while a confirmation is open neither confirms nor cancels it', async () => {
    const app = await appWithVaultSelected();
    await app.press('r');
    await app.waitFor((frame) => frame.includes('[y/N]'));
    app.stdin.write(`${PASTE_START}yes${PASTE_END}`);
    await settle();
    expect(app.adapter.runs).toEqual([]);
    expect(app.frame()).toContain('[y/N]');
    await app.press('n');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([]);
  });
});

describe('pasted text in text inputs', () => {
  it('goes into the filter as text, line breaks and control bytes dropped', async () => {
    const store = createViewStore();
    feedIncident(store);
    const app = await renderApp(store);
    await app.press('/');
    app.stdin.write(`${PASTE_START}va\u0007ult\r${PASTE_END}`);
    await app.waitFor((frame) => frame.includes('filter: /vault '));
    expect(store.getState().ui.filter).toBe('vault ');
    expect(store.getState().ui.filterEditing).toBe(true);
    expect(app.adapter.runs).toEqual([]);
  });

  it('goes into the log search as text', async () => {
    const store = createViewStore();
    feedIncident(store);
    const app = await renderApp(store);
    await app.press('j', KEYS.enter, '/');
    await app.waitFor((frame) => frame.includes('search: /'));
    app.stdin.write(`${PASTE_START}retry q${PASTE_END}`);
    await app.waitFor((frame) => frame.includes('search: /retry q'));
    expect(store.getState().ui.logView?.searchEditing).toBe(true);
    expect(store.getState().ui.quitRequested).toBe(false);
  });
});
