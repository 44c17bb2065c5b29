// `:ctx` and `:ns` at the prompt (k9s habits): completion from live state with tab, narrowing
// the services, errors and gates to a context and Kubernetes rows to a namespace, and back.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, KEYS, lineWith, NOW } from './fixtures';
import { API, DB, feedClusters, warningEvent } from './kubernetes-fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

async function clusterApp() {
  const store = createViewStore();
  feedClusters(store);
  store.getState().warningEventsReplaced('prod', [
    warningEvent('prod', 'e1', { reason: 'BackOff', message: 'Back-off restarting failed container api in pod api-7d9f8-a', count: 9, workloadKey: API.key, lastSeen: NOW }),
  ]);
  store.getState().warningEventsReplaced('staging', [
    warningEvent('staging', 'e2', { reason: 'Failed', message: 'Failed to pull image "data/db:9": not found', count: 2, namespace: 'data', involved: { kind: 'Pod', name: 'db-7d9f8-0', namespace: 'data' }, workloadKey: DB.key }),
  ]);
  store.getState().flush();
  return renderApp(store, { width: 200, height: 60 });
}

describe(':ctx', () => {
  it('completes context names from the Kubernetes engines with tab', async () => {
    const app = await clusterApp();
    await app.press(':', 'c', 't', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':ctx ▏'));
    await app.press(KEYS.tab);
    // Several candidates: listed beside the line.
    const listed = await app.waitFor((frame) => hintLine(frame).includes('all  prod  staging'));
    expect(hintLine(listed)).not.toContain('local');
    await app.press('s', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':ctx staging▏'));
  });

  it('narrows the services, errors and gates to one context; :ctx all shows every engine again', async () => {
    const app = await clusterApp();
    await app.press(':', ...'ctx prod', KEYS.enter);
    const narrowed = await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
    expect(narrowed).toContain('context prod');
    expect(narrowed).not.toContain('engine local');
    expect(narrowed).not.toContain('context staging');
    expect(narrowed).not.toContain('db-7d9f8-0');
    // Errors: the prod event stays, the Docker log errors and the staging event are not shown.
    expect(narrowed).toContain('Recent errors (1/4) ctx prod');
    expect(lineWith(narrowed, '9× api')).toContain('BackOff');
    expect(narrowed).not.toContain('analytics-api ');
    // Gates: the engines of the scope only; the container gates do not apply to a context alone (pods have their own).
    expect(narrowed).toMatch(/Gates \(3 failing\) ctx prod/);
    expect(narrowed).not.toContain('No restarting containers');
    expect(lineWith(narrowed, 'Engines reachable')).toContain('prod connected');
    expect(lineWith(narrowed, 'Deployments available')).toContain('shop/api 2/3 available');
    expect(lineWith(narrowed, 'Deployments available')).not.toContain('db');
    expect(hintLine(narrowed)).toContain('context prod shown');

    await app.press(':', ...'ctx all', KEYS.enter);
    const all = await app.waitFor((frame) => frame.includes('Services (13)'));
    expect(all).toContain('engine local');
    expect(all).toContain('context staging');
    expect(all).toContain('Recent errors (4)');
  });

  it('takes the kubeconfig context name too, and says so when a name is unknown', async () => {
    const store = createViewStore();
    feedClusters(store);
    store.getState().engineStateChanged('prod', { context: 'admin@prod-eu' });
    store.getState().flush();
    const app = await renderApp(store, { width: 200, height: 60 });
    await app.press(':', ...'ctx admin@prod-eu', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
    await app.press(':', ...'ctx nowhere', KEYS.enter);
    const frame = await app.waitFor((current) => hintLine(current).includes('ctx: no context "nowhere"'));
    expect(hintLine(frame)).toContain('prod, admin@prod-eu, staging');
    // The scope stayed.
    expect(frame).toContain('Services (4) ctx prod');
  });
});

describe(':ns', () => {
  it('completes the namespaces of the contexts shown, narrows Kubernetes rows to one, and :ns alone clears it', async () => {
    const app = await clusterApp();
    await app.press(':', ...'ns ', KEYS.tab);
    const everywhere = await app.waitFor((frame) => hintLine(frame).includes('all  data  default  shop'));
    expect(everywhere).toBeTruthy();
    await app.press(KEYS.escape, ':', ...'ns data', KEYS.enter);
    const data = await app.waitFor((frame) => frame.includes('ns data'));
    // Docker's compose projects are not namespaces: they stay; prod's shop is out.
    expect(data).toContain('engine local');
    expect(data).toContain('▾ janusgraph-demo');
    expect(data).not.toContain('api-7d9f8-a');
    expect(data).toContain('db-7d9f8-0');
    expect(lineWith(data, '2× db')).toContain('Failed');
    expect(data).not.toContain('9× api');

    await app.press(':', ...'ctx prod', KEYS.enter);
    // prod has never shown namespace data: the namespace scope goes with the switch.
    const prod = await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
    expect(prod).not.toContain('ns data');
    await app.press(':', ...'ns ', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes('all  default  shop'));
    expect(hintLine(app.frame())).not.toContain('data');
    await app.press('s', KEYS.tab, KEYS.enter);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod ns shop'));
    await app.press(':', ...'ns', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod') && !frame.includes('ns shop'));
  });

  it('is offered by help and completion only when a Kubernetes context is configured', async () => {
    const store = createViewStore();
    const { feedIncident } = await import('./fixtures');
    feedIncident(store);
    const app = await renderApp(store, { width: 200, height: 60 });
    await app.press(':', 'n', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':n▏'));
    await app.press(KEYS.enter);
    const frame = await app.waitFor((current) => hintLine(current).includes('unknown command'));
    expect(hintLine(frame)).toContain('unknown command ":n"');
    await app.press(':', ...'ns shop', KEYS.enter);
    await app.waitFor((current) => hintLine(current).includes('ns: no Kubernetes context is configured'));
  });
});
