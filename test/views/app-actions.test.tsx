import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { container, createViewStore, feedIncident, KEYS, lineWith } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

async function incidentApp(options: { readOnly?: boolean } = {}) {
  const store = createViewStore({ readOnly: options.readOnly ?? false });
  feedIncident(store);
  const app = await renderApp(store);
  return app;
}

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

/** Selects the vault container in the services panel (project, analytics-api, hcd-server, jupyter, pulsar, vault). */
async function selectVault(app: Awaited<ReturnType<typeof incidentApp>>) {
  await app.press('G', 'k', 'k', 'k', 'k');
  await app.waitFor((frame) => (lineWith(frame, '›') ?? '').includes('vault'));
}

describe('container actions', () => {
  it('r asks for confirmation and y restarts the selected container', async () => {
    const app = await incidentApp();
    await selectVault(app);
    await app.press('r');
    const frame = await app.waitFor((current) => current.includes('Restart container janusgraph-demo-vault-1? [y/N]'));
    expect(frame).toContain('janusgraph-demo/vault on local');
    expect(hintLine(frame)).toContain('y confirm');
    expect(hintLine(frame)).toContain('n cancel');
    expect(app.adapter.runs).toEqual([]);
    await app.press('y');
    await app.waitFor((current) => !current.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-vault-1' }]);
  });

  it('says on the row that the restart is in flight until the engine answers', async () => {
    const app = await incidentApp();
    app.adapter.holdCalls = true;
    await app.press(KEYS.tab, 'r');
    await app.waitFor((current) => current.includes('Restart container janusgraph-demo-pulsar-1?'));
    await app.press('y');
    await app.press(KEYS.shiftTab);
    const during = await app.waitFor((current) => /pulsar\s+restarting…/.test(current));
    expect(hintLine(during)).toContain('restarting janusgraph-demo-pulsar-1…');
    // A second restart is not asked for while the first runs.
    await app.press(KEYS.tab, 'r');
    await app.waitFor((current) => hintLine(current).includes('restart still running'));
    app.adapter.release();
    const after = await app.waitFor((current) => hintLine(current).includes('restarted janusgraph-demo-pulsar-1'));
    expect(after).toMatch(/pulsar\s+running/);
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-pulsar-1' }]);
  });

  it('n, esc and any other key cancel', async () => {
    const app = await incidentApp();
    await selectVault(app);
    for (const key of ['n', KEYS.escape, 'x', 'j']) {
      await app.press('s');
      await app.waitFor((current) => current.includes('Stop container janusgraph-demo-vault-1? [y/N]'));
      await app.press(key);
      const frame = await app.waitFor((current) => !current.includes('[y/N]'));
      expect(hintLine(frame)).toContain('stop janusgraph-demo-vault-1 cancelled');
    }
    // The cancelling key did nothing else: the selection stayed on vault.
    expect(lineWith(app.frame(), '›')).toContain('vault');
    expect(app.adapter.runs).toEqual([]);
  });

  it('S and u start the selected container', async () => {
    const app = await incidentApp();
    // Only a container that is not running can be started.
    app.store.getState().instanceUpserted(container('vault', { state: 'exited', exitCode: 1, restartCount: 14 }));
    app.store.getState().flush();
    await selectVault(app);
    await app.press('S');
    await app.waitFor((current) => current.includes('Start container janusgraph-demo-vault-1?'));
    await app.press('Y');
    await app.press('u');
    await app.waitFor((current) => current.includes('Start container janusgraph-demo-vault-1?'));
    await app.press('y');
    expect(app.adapter.runs).toEqual([
      { verb: 'start', target: 'janusgraph-demo-vault-1' },
      { verb: 'start', target: 'janusgraph-demo-vault-1' },
    ]);
  });

  it('acts on the container selected in the resources panel', async () => {
    const app = await incidentApp();
    await app.press(KEYS.tab, 'r');
    await app.waitFor((current) => current.includes('Restart container janusgraph-demo-pulsar-1?'));
    await app.press('y');
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-pulsar-1' }]);
  });

  it('explains in the status line when the selection is not a container', async () => {
    const app = await incidentApp();
    await app.press('r');
    const frame = await app.waitFor((current) => hintLine(current).includes('restart: select a container, not a project'));
    expect(frame).not.toContain('[y/N]');
  });

  it('shows the store status message in the hint bar line', async () => {
    const app = await incidentApp();
    app.store.getState().showStatus('restart vault failed: connect ECONNREFUSED', 'error');
    const frame = await app.waitFor((current) => hintLine(current).includes('restart vault failed: connect ECONNREFUSED'));
    expect(hintLine(frame)).toContain('? help');
  });

  it('takes the status message away after a while (an info after 15 s, an error after a minute), so the keys it covered come back', async () => {
    const app = await incidentApp();
    const shownAt = app.store.getState().clock;
    app.store.getState().showStatus('restarted janusgraph-demo-vault-1');
    await app.waitFor((current) => hintLine(current).includes('restarted janusgraph-demo-vault-1'));
    app.store.getState().clockTicked(shownAt + 10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hintLine(app.frame())).toContain('restarted janusgraph-demo-vault-1');
    app.store.getState().clockTicked(shownAt + 20_000);
    await app.waitFor((current) => !hintLine(current).includes('restarted janusgraph-demo-vault-1') && hintLine(current).includes('enter logs'));
    app.store.getState().showStatus('restart vault failed: connect ECONNREFUSED', 'error');
    const errorAt = app.store.getState().ui.statusMessage?.at ?? 0;
    await app.waitFor((current) => hintLine(current).includes('restart vault failed'));
    app.store.getState().clockTicked(errorAt + 30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hintLine(app.frame())).toContain('restart vault failed');
    app.store.getState().clockTicked(errorAt + 61_000);
    await app.waitFor((current) => !hintLine(current).includes('restart vault failed'));
  });
});

describe('read-only mode', () => {
  it('shows the badge, drops r/s/S from the hint bar, and the keys say why they do nothing', async () => {
    const app = await incidentApp({ readOnly: true });
    const frame = app.frame();
    expect(frame.split('\n')[0]).toContain('READ-ONLY');
    expect(hintLine(frame)).toContain('enter logs');
    expect(hintLine(frame)).not.toContain('restart');
    expect(hintLine(frame)).not.toContain('stop');
    expect(hintLine(frame)).not.toContain('start');
    await selectVault(app);
    await app.press('r');
    await app.waitFor((current) => hintLine(current).includes('read-only mode: refused to restart janusgraph-demo-vault-1'));
    await app.press('s', 'S', 'u');
    await app.waitFor((current) => hintLine(current).includes('read-only mode: refused to start janusgraph-demo-vault-1'));
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.store.getState().ui.confirmation).toBeUndefined();
    expect(app.adapter.runs).toEqual([]);
    await app.press('?');
    const help = await app.waitFor((current) => current.includes('Help: keys'));
    expect(help).toMatch(/\br\s+restart the contain/);
    expect(help).toContain('read-only: container actions off');
  });
});
