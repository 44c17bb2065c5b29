// Colours are only visible when chalk (inside Ink) believes the terminal has them, so this
// file forces colour level 1 before Ink is loaded (each test file runs in its own process).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, KEYS } from './fixtures';

process.env.FORCE_COLOR = '1';

type RenderApp = typeof import('./render-app').renderApp;
let renderApp: RenderApp;
let cleanup: () => void;

beforeAll(async () => {
  ({ renderApp } = await import('./render-app'));
  ({ cleanup } = await import('ink-testing-library'));
});
afterEach(() => cleanup());
afterAll(() => {
  delete process.env.FORCE_COLOR;
});

const RED = '\u001B[31m';
const GREEN = '\u001B[32m';
const CYAN = '\u001B[36m';
const DIM = '\u001B[2m';
const INVERSE = '\u001B[7m';
const ANY_COLOUR = /\u001B\[(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)/;

const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** The raw line (with escape codes) whose visible text contains `text`. */
function lineWith(frame: string, text: string | RegExp): string {
  const line = frame.split('\n').find((candidate) => (typeof text === 'string' ? stripAnsi(candidate).includes(text) : text.test(stripAnsi(candidate))));
  if (line === undefined) throw new Error(`no line with ${String(text)} in:\n${stripAnsi(frame)}`);
  return line;
}

function incidentStore() {
  const store = createViewStore();
  feedIncident(store);
  return store;
}

describe('colour', () => {
  it('carries severity: red critical, green ok, accent on the focused panel, inverse selection', async () => {
    const frame = (await renderApp(incidentStore())).frame();
    expect(lineWith(frame, /jupyter\s+running/)).toContain(`${RED}!`);
    expect(lineWith(frame, /hcd-server\s+running/)).toMatch(new RegExp(`${GREEN.replace('[', '\\[')}[^\u001B]*healthy`));
    expect(lineWith(frame, 'Services (8)')).toContain(CYAN);
    expect(lineWith(frame, 'janusgraph-demo  4/5')).toContain(INVERSE);
  });

  it('draws a stalled rollout and a crash-looping pod in red, a rollout in progress in the accent', async () => {
    const { feedClusters } = await import('./kubernetes-fixtures');
    const store = createViewStore();
    feedClusters(store);
    const frame = (await renderApp(store, { width: 200, height: 60 })).frame();
    expect(lineWith(frame, /db\s+sts/)).toMatch(new RegExp(`${RED.replace('[', '\\[')}[^\u001B]*stalled 0/1`));
    expect(lineWith(frame, /api\s+deploy/)).toMatch(new RegExp(`${CYAN.replace('[', '\\[')}[^\u001B]*rolling 1/3`));
    expect(lineWith(frame, 'api-7d9f8-b')).toMatch(new RegExp(`${RED.replace('[', '\\[')}[^\u001B]*CrashLoopBackOff OOMKilled`));
  });

  it('dims the rows of a disconnected engine (stale)', async () => {
    const store = incidentStore();
    store.getState().engineStateChanged('local', { state: 'disconnected', error: 'gone' });
    store.getState().flush();
    const frame = (await renderApp(store)).frame();
    const row = lineWith(frame, /hcd-server\s+running/);
    // Dim from the first cell to the name, never reset (SGR 22) before it.
    const start = row.indexOf(DIM);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(row.slice(start, row.indexOf('hcd-server'))).not.toContain('\u001B[22m');
    expect(lineWith(frame, 'disconnected')).toContain(RED);
  });

  it('highlights search matches in the log view', async () => {
    const app = await renderApp(incidentStore());
    await app.press('j', KEYS.enter, '/', ...'refused', KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('/refused 30/30'));
    expect(lineWith(frame, '10.0.0.58')).toMatch(new RegExp(`${INVERSE.replace('[', '\\[')}.*refused`));
  });

  it('color={false} draws no colour at all, but keeps the selection visible', async () => {
    const frame = (await renderApp(incidentStore(), { color: false })).frame();
    expect(frame).not.toMatch(ANY_COLOUR);
    expect(lineWith(frame, 'janusgraph-demo  4/5')).toContain(INVERSE);
  });

  it('honours NO_COLOR', async () => {
    process.env.NO_COLOR = '1';
    try {
      const frame = (await renderApp(incidentStore())).frame();
      expect(frame).not.toMatch(ANY_COLOUR);
      expect(frame).toContain('janusgraph-demo');
    } finally {
      delete process.env.NO_COLOR;
    }
  });
});
