import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createViewStore, feedIncident, KEYS, lineWith, logLine } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

async function incidentApp(props: Parameters<typeof renderApp>[1] = {}) {
  const store = createViewStore();
  feedIncident(store);
  return renderApp(store, props);
}

/** The left column of the 120-column grid (services on top, errors below). */
const leftColumn = (frame: string) =>
  frame
    .split('\n')
    .map((line) => [...line].slice(0, 60).join(''))
    .join('\n');

/** The line holding the selection marker of the focused panel. */
const selectedLine = (frame: string) => lineWith(frame, '›') ?? '';

describe('panels', () => {
  it('tab and shift-tab move the focus (heavy border on the focused panel)', async () => {
    const app = await incidentApp();
    expect(app.frame()).toContain('┏━ Services (8)');
    expect(app.frame()).toContain('┌─ Resources');
    await app.press(KEYS.tab);
    let frame = await app.waitFor((current) => current.includes('┏━ Resources'));
    expect(frame).toContain('┌─ Services (8)');
    await app.press(KEYS.tab, KEYS.tab);
    frame = await app.waitFor((current) => current.includes('┏━ Gates'));
    await app.press(KEYS.tab);
    await app.waitFor((current) => current.includes('┏━ Services'));
    await app.press(KEYS.shiftTab);
    frame = await app.waitFor((current) => current.includes('┏━ Gates'));
    expect(frame).toContain('┌─ Services');
  });

  it('j/k, arrows and g/G move the selection marker', async () => {
    const app = await incidentApp();
    expect(selectedLine(app.frame())).toContain('janusgraph-demo');
    await app.press('j');
    await app.waitFor((frame) => selectedLine(frame).includes('analytics-api'));
    await app.press(KEYS.down);
    await app.waitFor((frame) => selectedLine(frame).includes('hcd-server'));
    await app.press('k');
    await app.waitFor((frame) => selectedLine(frame).includes('analytics-api'));
    await app.press('G');
    await app.waitFor((frame) => selectedLine(frame).includes('worker'));
    await app.press(KEYS.up);
    await app.waitFor((frame) => selectedLine(frame).includes('db'));
    await app.press('g');
    await app.waitFor((frame) => selectedLine(frame).includes('janusgraph-demo'));
    // Only the focused panel shows a marker.
    expect(app.frame().split('›')).toHaveLength(2);
  });

  it('handles keys that arrive together in one read (fast typing over SSH)', async () => {
    const app = await incidentApp();
    app.stdin.write('jj');
    await app.waitFor((frame) => selectedLine(frame).includes('hcd-server'));
    app.stdin.write('\t\t');
    await app.waitFor((frame) => frame.includes('┏━ Recent errors'));
    app.stdin.write('\t\t/vau\r');
    const frame = await app.waitFor((current) => current.includes('Services (1/8)') && !current.includes('filter: /'));
    expect(frame).toContain('┏━ Services');
  });

  it('space folds a project and unfolds it again', async () => {
    const app = await incidentApp();
    await app.press(' ');
    let frame = await app.waitFor((current) => current.includes('▸ janusgraph-demo (5)'));
    expect(frame).not.toMatch(/hcd-server\s+running/);
    await app.press('j');
    frame = await app.waitFor((current) => selectedLine(current).includes('jivs'));
    await app.press('k', KEYS.enter);
    frame = await app.waitFor((current) => current.includes('▾ janusgraph-demo'));
    expect(frame).toContain('hcd-server');
  });
});

describe('filter', () => {
  it('/ narrows the service rows while typing; enter keeps, esc clears', async () => {
    const app = await incidentApp();
    await app.press('/', 'v', 'a', 'u');
    let frame = await app.waitFor((current) => current.includes('Services (1/8)'));
    expect(leftColumn(frame)).toContain('vault');
    expect(leftColumn(frame)).not.toContain('hcd-server');
    expect(leftColumn(frame)).not.toContain('jivs');
    expect(frame.split('\n').at(-1)).toContain('filter: /vau');
    await app.press(KEYS.enter);
    frame = await app.waitFor((current) => !current.includes('filter: /'));
    expect(frame).toContain('Services (1/8)');
    expect(frame).toContain('/vau');
    expect(frame.split('\n').at(-1)).toContain('esc clear filter');
    // j/k work again after enter: keys are commands, not text.
    await app.press('j');
    await app.waitFor((current) => selectedLine(current).includes('vault'));
    await app.press(KEYS.escape);
    frame = await app.waitFor((current) => current.includes('Services (8)'));
    expect(leftColumn(frame)).toContain('hcd-server');
  });

  it('esc while typing clears the filter, backspace deletes', async () => {
    const app = await incidentApp();
    await app.press('/', 'h', 'c', 'x');
    await app.waitFor((current) => current.includes('no container matches "hcx"'));
    await app.press(KEYS.backspace);
    await app.waitFor((current) => current.includes('Services (1/8)') && current.includes('hcd-server'));
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('Services (8)') && !current.includes('filter: /'));
  });

  it('narrows the errors panel when it has the focus', async () => {
    const app = await incidentApp();
    await app.press(KEYS.tab, KEYS.tab);
    await app.waitFor((frame) => frame.includes('┏━ Recent errors (2)'));
    await app.press('/', 'f', 'a', 't');
    const frame = await app.waitFor((current) => current.includes('Recent errors (1/2)'));
    expect(leftColumn(frame)).toContain('FATAL vault sealed');
    expect(leftColumn(frame)).not.toContain('Connection refused');
    // The services panel is not narrowed by the errors filter.
    expect(frame).toContain('Services (8)');
  });
});

describe('log view', () => {
  it('enter opens the service logs, follows new lines, k pauses and G resumes', async () => {
    const app = await incidentApp();
    await app.press('j', KEYS.enter);
    let frame = await app.waitFor((current) => current.includes('Logs janusgraph-demo/analytics-api'));
    expect(frame).toContain('INFO request 59 served in 59 ms');
    expect(frame).toContain('FOLLOW');
    expect(frame).not.toContain('FATAL vault');

    app.store.getState().logLinesReceived([logLine('analytics-api', 'INFO fresh line one', 990)]);
    app.store.getState().flush();
    await app.waitFor((current) => current.includes('INFO fresh line one') && current.includes('91 lines'));

    await app.press('k');
    frame = await app.waitFor((current) => current.includes('PAUSED 1 below'));
    expect(frame).not.toContain('INFO fresh line one');
    app.store.getState().logLinesReceived([logLine('analytics-api', 'INFO fresh line two', 991)]);
    app.store.getState().flush();
    // A paused view stays on its lines: the new line is below, out of view.
    frame = await app.waitFor((current) => current.includes('PAUSED 2 below'));
    expect(frame).not.toContain('INFO fresh line two');

    await app.press('G');
    frame = await app.waitFor((current) => current.includes('FOLLOW') && current.includes('INFO fresh line two'));
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('Services (8)'));
  });

  it('q goes back from the log view, as in less, without quitting', async () => {
    const app = await incidentApp();
    await app.press('j', KEYS.enter);
    await app.waitFor((current) => current.includes('Logs janusgraph-demo/analytics-api'));
    await app.press('q');
    await app.waitFor((current) => current.includes('Services (8)'));
    expect(app.store.getState().ui.quitRequested).toBe(false);
  });

  it('/ searches, enter jumps to the newest match, n/N step older/newer', async () => {
    const app = await incidentApp();
    await app.press('j', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Logs janusgraph-demo/analytics-api'));
    await app.press('/', ...'10.0.0.4');
    let frame = await app.waitFor((current) => current.includes('search: /10.0.0.4'));
    await app.press(KEYS.enter);
    frame = await app.waitFor((current) => current.includes('/10.0.0.4 6/6'));
    expect(lineWith(frame, '▶')).toContain('10.0.0.48:5432');
    expect(frame.split('\n').at(-1)).toContain('n/N match');
    await app.press('n');
    frame = await app.waitFor((current) => current.includes('/10.0.0.4 5/6'));
    expect(lineWith(frame, '▶')).toContain('10.0.0.46:5432');
    await app.press('n', 'n', 'n', 'n');
    frame = await app.waitFor((current) => current.includes('/10.0.0.4 1/6'));
    expect(lineWith(frame, '▶')).toContain('10.0.0.4:5432');
    await app.press('N');
    frame = await app.waitFor((current) => current.includes('/10.0.0.4 2/6'));
    expect(lineWith(frame, '▶')).toContain('10.0.0.40:5432');
  });
});

describe('overlays', () => {
  it('? shows help drawn from the key table; esc closes it', async () => {
    const app = await incidentApp();
    await app.press('?');
    const frame = await app.waitFor((current) => current.includes('Help: keys'));
    for (const text of ['next panel', 'restart the container', 'filter the rows', 'quit', 'y/Y']) expect(frame).toContain(text);
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('Services (8)'));
  });

  it('enter on a fingerprint shows its raw sample', async () => {
    const app = await incidentApp();
    await app.press(KEYS.tab, KEYS.tab);
    await app.waitFor((frame) => frame.includes('┏━ Recent errors'));
    // The list shows the normalised message (cut to the panel)...
    expect(leftColumn(app.frame())).toContain('ERROR Connection refused');
    expect(app.frame()).not.toContain('10.0.0.58');
    await app.press(KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('Error sample'));
    // ...the sample shows the raw line.
    expect(frame).toContain('ERROR Connection refused to 10.0.0.58:5432');
    expect(frame).toContain('raw sample from janusgraph-demo/analytics-api');
    expect(frame).toMatch(/count\s+30/);
    expect(frame).toContain('pattern  ERROR Connection refused to <ip>');
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('┏━ Recent errors'));
  });
});

describe('quitting', () => {
  it('q asks the store to quit and unmounts the app', async () => {
    const app = await incidentApp();
    await app.press('q');
    expect(app.store.getState().ui.quitRequested).toBe(true);
    const framesAtExit = app.frames.length;
    app.store.getState().focusNextPanel(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.frames.length).toBe(framesAtExit);
  });

  it('ctrl-c quits even while typing a filter', async () => {
    const app = await incidentApp();
    await app.press('/', 'x', KEYS.ctrlC);
    expect(app.store.getState().ui.quitRequested).toBe(true);
  });
});
