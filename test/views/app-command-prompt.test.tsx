// The `:` prompt runs the commands of the registry: the same confirmation as the keys,
// completion from the store, one clear line for what it does not know.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, KEYS, lineWith } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

async function incidentApp(options: { readOnly?: boolean } = {}) {
  const store = createViewStore({ readOnly: options.readOnly ?? false });
  feedIncident(store);
  return renderApp(store);
}

/** Types a command line into the prompt, one key per character, and runs it. */
async function runLine(app: Awaited<ReturnType<typeof incidentApp>>, line: string) {
  await app.press(':', ...line, KEYS.enter);
}

describe(': command prompt', () => {
  it(':restart <target> asks the same y/N as r, and y restarts that container', async () => {
    const app = await incidentApp();
    await app.press(':');
    await app.waitFor((frame) => hintLine(frame).includes(':▏'));
    await app.press(...'restart janusgraph-demo-vault-1', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Restart container janusgraph-demo-vault-1? [y/N]'));
    expect(app.adapter.runs).toEqual([]);
    await app.press('y');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-vault-1' }]);
  });

  it('a whole command line arriving in one chunk still cannot confirm itself', async () => {
    const app = await incidentApp();
    app.stdin.write(':stop pulsar\ry');
    await app.waitFor((frame) => frame.includes('Stop container janusgraph-demo-pulsar-1? [y/N]'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.adapter.runs).toEqual([]);
    await app.press('n');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    expect(app.adapter.runs).toEqual([]);
  });

  it('completes command names and targets from the store on tab', async () => {
    const app = await incidentApp();
    await app.press(':', 'r', 'e', 's', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':restart ▏'));
    await app.press('j', 'a', 'n', KEYS.tab);
    // Containers (janusgraph-demo-vault-1) and services (janusgraph-demo/vault) share the
    // prefix: the common part is filled in and the candidates listed.
    const frame = await app.waitFor((current) => hintLine(current).includes(':restart janusgraph-demo▏'));
    expect(hintLine(frame)).toContain('janusgraph-demo-analytics-api-1');
    await app.press('-', 'v', KEYS.tab);
    await app.waitFor((current) => hintLine(current).includes(':restart janusgraph-demo-vault-1▏'));
    await app.press(KEYS.enter);
    await app.waitFor((current) => current.includes('Restart container janusgraph-demo-vault-1? [y/N]'));
  });

  it('names an unknown command or target in one status line and does nothing', async () => {
    const app = await incidentApp();
    await runLine(app, 'reboot');
    await app.waitFor((frame) => hintLine(frame).includes('unknown command ":reboot" (:help lists the commands)'));
    await runLine(app, 'restart nosuch');
    await app.waitFor((frame) => hintLine(frame).includes('restart: no container or service "nosuch"'));
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.adapter.runs).toEqual([]);
  });

  it(':logs opens the log view, :filter narrows the panel, :engine goes to its services, :help and :q', async () => {
    const app = await incidentApp();
    await runLine(app, 'logs analytics-api');
    await app.waitFor((frame) => frame.includes('ERROR Connection refused to 10.0.0.58:5432'));
    await app.press(KEYS.escape);
    await runLine(app, 'filter jivs');
    await app.waitFor((frame) => frame.includes('Services (3/8)'));
    await runLine(app, 'filter');
    await app.waitFor((frame) => frame.includes('Services (8)'));
    await app.press(KEYS.tab);
    await runLine(app, 'engine local');
    await app.waitFor((frame) => (lineWith(frame, '›') ?? '').includes('janusgraph-demo') && app.store.getState().ui.focusedPanel === 'services');
    await runLine(app, 'engine mars');
    await app.waitFor((frame) => hintLine(frame).includes('engine: no engine "mars" (local)'));
    await runLine(app, 'help');
    await app.waitFor((frame) => frame.includes('Help: keys'));
    await app.press(KEYS.escape);
    expect(app.store.getState().ui.quitRequested).toBe(false);
    await runLine(app, 'q');
    expect(app.store.getState().ui.quitRequested).toBe(true);
  });

  it('keeps typed keys out of the panels and remembers the lines run (up)', async () => {
    const app = await incidentApp();
    await runLine(app, 'filter api');
    await app.press(':', KEYS.up);
    await app.waitFor((frame) => hintLine(frame).includes(':filter api▏'));
    await app.press(KEYS.escape);
    await app.waitFor((frame) => !hintLine(frame).includes(':filter'));
    expect(app.store.getState().ui.promptOpen).toBe(false);
  });

  it('refuses container commands in read-only mode, like the keys', async () => {
    const app = await incidentApp({ readOnly: true });
    await runLine(app, 'restart janusgraph-demo-vault-1');
    await app.waitFor((frame) => hintLine(frame).includes('read-only mode: refused to restart janusgraph-demo-vault-1'));
    expect(app.frame()).not.toContain('[y/N]');
    expect(app.adapter.runs).toEqual([]);
  });
});
