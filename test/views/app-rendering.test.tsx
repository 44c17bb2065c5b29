import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types';
import { inventoryOf } from '../support/domain-fixtures';
import { App } from '../../views/App';
import { textWidth } from '../../views/format/text';
import { RESIZE_DEBOUNCE_MS } from '../../views/use-terminal-size';
import { container, createViewStore, engine, feedIncident, instanceKeyOf, KEYS, lineWith, logLine, nextTick, recordingExecutor, stats, waitForFrame } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

function incidentStore() {
  const store = createViewStore();
  feedIncident(store);
  return store;
}

function expectFitsIn(frame: string, width: number, height: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height - 1);
  for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(width);
}

describe('frames under CI', () => {
  it(`sees every frame while the app runs (CI=${process.env.CI ?? 'unset'})`, async () => {
    // Ink in CI mode writes only the last frame at exit; ink-testing-library's debug mode
    // must still hand us one frame per update, or none of these tests would mean anything.
    const app = await renderApp(incidentStore());
    const initialFrames = app.frames.length;
    expect(initialFrames).toBeGreaterThan(0);
    await app.press(KEYS.tab);
    await app.waitFor((frame) => frame.includes('┏━ Resources'));
    await app.press(KEYS.tab);
    await app.waitFor((frame) => frame.includes('┏━ Recent errors'));
    expect(app.frames.length).toBeGreaterThanOrEqual(initialFrames + 2);
    expect(app.frames.some((frame) => frame.includes('┏━ Resources'))).toBe(true);
    // Still mounted: nothing was written "at exit".
    app.store.getState().focusPanel('gates');
    await app.waitFor((frame) => frame.includes('┏━ Gates'));
  });
});

describe('header', () => {
  it('shows a disconnected engine with its error and retry time, and alert counts', async () => {
    const store = incidentStore();
    store.getState().engineStateChanged('local', {
      state: 'disconnected',
      error: 'connect ECONNREFUSED /var/run/docker.sock',
      nextRetryAt: Date.now() + 5000,
    });
    store.getState().flush();
    const app = await renderApp(store);
    const header = app.frame().split('\n')[0] ?? '';
    expect(header).toContain('docker: local ○ disconnected: connect ECONNREFUSED /var/run/docker.sock');
    expect(header).toMatch(/retry in [45]s/);
    expect(header).toMatch(/alerts: \d+ crit \d+ warn/);
  });

  it('cuts engine text that does not fit with an ellipsis apart from the alert counts', async () => {
    const store = incidentStore();
    store.getState().engineStateChanged('local', { state: 'disconnected', error: 'connect ECONNREFUSED /var/run/docker.sock', nextRetryAt: Date.now() + 5000 });
    store.getState().flush();
    const app = await renderApp(store, { width: 60 });
    const header = app.frame().split('\n')[0] ?? '';
    expect(textWidth(header)).toBeLessThanOrEqual(60);
    expect(header).toMatch(/docker: local ○ disconn\S*…  alerts: \d+ crit \d+ warn\s*$/);
  });

  it('shows connecting engines and the absence of alerts', async () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine({ state: 'connecting' }));
    const app = await renderApp(store);
    const header = app.frame().split('\n')[0] ?? '';
    expect(header).toContain('docker: local ◌ connecting');
    expect(header).toContain('alerts: none');
    expect(app.frame()).toContain('no containers yet');
  });
});

describe('rows', () => {
  it('marks rows with an alert with !', async () => {
    const app = await renderApp(incidentStore());
    const frame = app.frame();
    expect(lineWith(frame, /jupyter\s+running/)).toMatch(/^. ! jupyter/);
    expect(lineWith(frame, /vault\s+restarting/)).toMatch(/^. ! vault/);
    expect(lineWith(frame, /hcd-server\s+running/)).toMatch(/^. {3}hcd-server/);
    // The project row carries the worst alert of its containers.
    expect(lineWith(frame, 'janusgraph-demo  4/5')).toMatch(/^.›! ▾ janusgraph-demo/);
  });

  it('renders the resources worst first with sparklines, and the gates', async () => {
    const frame = (await renderApp(incidentStore())).frame();
    const right = frame.split('\n').map((line) => [...line].slice(60).join(''));
    const resourceRows = right.filter((line) => line.includes(' cpu ') && !line.includes('host'));
    expect(resourceRows[0]).toMatch(/! pulsar .* 97% [▁-█]{10}/);
    expect(resourceRows[1]).toMatch(/! jupyter/);
    expect(right.join('\n')).toContain('host  cpu ▇▇▇▇▁▁▁▁  48%  mem ▇▇▇▇▇▁▁▁  61%  load 1.92');
    // The gates span the width below the errors: glyph, status word, title, detail.
    expect(frame).toMatch(/✗ +fail +No unhealthy containers\s+janusgraph-demo-jupyter-1/);
    expect(frame).toMatch(/✓ +pass +Engines reachable/);
  });

  it('shows memory in bytes for a container without a limit, a percentage for one with a limit', async () => {
    const store = incidentStore();
    store.getState().statsReceived({ ...stats(instanceKeyOf('api', 'jivs'), 1, 0.05), memoryUsageBytes: 8.5 * 1024 * 1024, memoryLimitBytes: 0 });
    store.getState().statsReceived({ ...stats(instanceKeyOf('pulsar'), 97, 45), memoryUsageBytes: 230 * 1024 * 1024, memoryLimitBytes: 512 * 1024 * 1024 });
    store.getState().flush();
    const frame = (await renderApp(store)).frame();
    expect(lineWith(frame, /! pulsar +cpu/)).toMatch(/mem +45%│/);
    expect(lineWith(frame, /│ {3}api +cpu/)).toMatch(/mem +8\.5 MiB│/);
  });

  it('shows the whole error message at 120x40, without a leading timestamp placeholder', async () => {
    const store = incidentStore();
    const message = 'ERROR payment provider rejected the capture request for order <n>: card declined by issuer, retry disabled';
    store.getState().logLinesReceived([
      logLine('analytics-api', '2026-11-23T10:00:00.123Z ERROR payment provider rejected the capture request for order 4711: card declined by issuer, retry disabled', 990),
    ]);
    store.getState().flush();
    const frame = (await renderApp(store)).frame();
    const row = lineWith(frame, 'payment provider');
    expect(row).toContain(message.slice(0, 80));
    expect(row).not.toContain('<ts>');
    expect(frame).toMatch(/Connection refused to <ip>\s/);
  });

  it('cuts long names with an ellipsis instead of wrapping', async () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine());
    store.getState().inventoryReplaced('local', inventoryOf([container(`very-${'long-'.repeat(30)}service`)]));
    store.getState().flush();
    const app = await renderApp(store, { width: 80, height: 24 });
    expectFitsIn(app.frame(), 80, 24);
    expect(lineWith(app.frame(), 'very-long-')).toContain('…');
  });
});

describe('terminal size', () => {
  it('fits 80x24: at most 23 lines, none wider than 80, on every screen', async () => {
    const app = await renderApp(incidentStore(), { width: 80, height: 24 });
    expectFitsIn(app.frame(), 80, 24);
    expect(app.frame()).toContain('── Resources ─ host cpu 48%');
    const screens: Array<[string[], string]> = [
      [[KEYS.tab], '┏━ Resources'],
      [[KEYS.tab], '┏━ Recent errors'],
      [[KEYS.tab], '┏━ Gates'],
      [[KEYS.tab, 'j', KEYS.enter], 'Logs janusgraph-demo/analytics-api'],
      [['?'], 'Help: keys'],
      [[KEYS.escape, KEYS.escape, KEYS.tab, KEYS.tab, KEYS.enter], 'Error sample'],
      [[KEYS.escape, KEYS.shiftTab, KEYS.shiftTab, 'G', 's'], '[y/N]'],
    ];
    for (const [keys, expected] of screens) {
      await app.press(...keys);
      expectFitsIn(await app.waitFor((frame) => frame.includes(expected)), 80, 24);
    }
  });

  it('renders only the visible rows of long lists and scrolls with the selection', async () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine());
    const many: Instance[] = Array.from({ length: 300 }, (_, index) =>
      container(`svc-${String(index).padStart(3, '0')}`, { project: 'big' }),
    );
    store.getState().inventoryReplaced('local', inventoryOf(many));
    store.getState().flush();
    const app = await renderApp(store, { width: 80, height: 24 });
    expectFitsIn(app.frame(), 80, 24);
    expect(app.frame()).toContain('svc-000');
    expect(app.frame()).not.toContain('svc-020');
    expect(app.frame()).toContain('1/301');
    await app.press('G');
    const frame = await app.waitFor((current) => current.includes('301/301'));
    expect(lineWith(frame, '›')).toContain('svc-299');
    expect(frame).not.toContain('svc-000');
    expectFitsIn(frame, 80, 24);
  });

  it('says so when the terminal is too small, and q still quits', async () => {
    const app = await renderApp(incidentStore(), { width: 30, height: 8 });
    expect(app.frame()).toContain('terminal too small');
    await app.press('q');
    expect(app.store.getState().ui.quitRequested).toBe(true);
  });

  it('follows stdout resizes once they settle (debounced)', async () => {
    const store = incidentStore();
    const app = render(<App store={store} executor={recordingExecutor(store).executor} />);
    await nextTick();
    // ink-testing-library's stdout has 100 columns and no rows: 100x24, the grid.
    expect(app.lastFrame()?.split('\n')).toHaveLength(23);
    expect(app.lastFrame()).toContain('┌─ Resources');
    let columns = 90;
    Object.defineProperty(app.stdout, 'columns', { configurable: true, get: () => columns });
    app.stdout.emit('resize');
    columns = 80;
    app.stdout.emit('resize');
    await new Promise((resolve) => setTimeout(resolve, RESIZE_DEBOUNCE_MS / 2));
    expect(app.lastFrame()).toContain('┌─ Resources');
    // Timers run in expiry order: the check above ran before the debounced re-layout.
    const frame = await waitForFrame(app.lastFrame, (current) => current.includes('── Resources ─'));
    expectFitsIn(frame, 80, 24);
  });
});

describe('ascii mode', () => {
  it('draws with plain ASCII only: no box drawing, bars, sparklines or symbols', async () => {
    const app = await renderApp(incidentStore(), { ascii: true });
    const screens: Array<[string[], string]> = [
      [[], '#= Services (8)'],
      [['j', KEYS.enter], 'Logs janusgraph-demo/analytics-api'],
      [[KEYS.escape, '?'], 'Help: keys'],
      [[KEYS.escape, 'G', 'r'], '[y/N]'],
    ];
    for (const [keys, expected] of screens) {
      await app.press(...keys);
      const frame = await app.waitFor((current) => current.includes(expected));
      expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
    }
    const frame = (await renderApp(incidentStore(), { ascii: true })).frame();
    expect(frame).toContain('host  cpu ####....  48%');
    expect(frame).toContain('+- Resources -');
    expect(lineWith(frame, /jupyter\s+running/)).toMatch(/^# ! jupyter/);
  });
});
