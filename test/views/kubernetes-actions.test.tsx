// Actions on Deployment, StatefulSet and pod rows through the keys, the real action executor
// and a recording Kubernetes adapter: authorized before any confirmation (a forbidden action is
// not offered and never asked), scale with a typed number, rollout restart, undo to the revision
// the history names, delete pod, the detail screen, dry-run and read-only.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { accessKeyOf } from '../../src/domain/engine-action';
import { followSelection } from '../../src/runtime/selection-follower';
import { createViewStore, KEYS, lineWith, NOW } from './fixtures';
import { API, API_PODS, feedClusters, RecordingKubernetesAdapter } from './kubernetes-fixtures';
import { renderApp } from './render-app';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  cleanup();
});

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';
const selectedLine = (frame: string) => lineWith(frame, '›') ?? '';
const FORBIDDEN_DELETE = 'User "viewer" cannot delete resource "pods" in API group "" in the namespace "shop"';

async function prodApp(options: { readOnly?: boolean; dryRun?: boolean; follow?: boolean } = {}) {
  const store = createViewStore({ readOnly: options.readOnly ?? false, dryRun: options.dryRun ?? false });
  feedClusters(store);
  const prod = new RecordingKubernetesAdapter('prod');
  const app = await renderApp(store, { width: 200, height: 60, adapters: [prod] });
  if (options.follow) {
    // The runtime's helper: access reviews (and log follows) as the selection moves.
    const follower = followSelection({ store, executor: app.executor, adapters: [prod], readOnly: options.readOnly ?? false, debounceMs: 0 });
    stops.push(() => follower.stop());
  }
  await app.press(':', ...'ctx prod', KEYS.enter);
  await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
  return { app, prod };
}

/** Rows under `:ctx prod`: context, shop, api, its three pods, web, its pod. */
async function selectRow(app: Awaited<ReturnType<typeof prodApp>>['app'], downs: number, name: string) {
  await app.press('g', ...Array.from({ length: downs }, () => 'j'));
  await app.waitFor((frame) => selectedLine(frame).includes(name));
}

describe('scale', () => {
  it('asks for the replicas on the text input, confirms from -> to, and scales through the executor', async () => {
    const { app, prod } = await prodApp();
    await selectRow(app, 2, 'deploy');
    expect(hintLine(app.frame())).toMatch(/r restart\s+s scale\s+U undo\s+d detail/);
    await app.press('s');
    await app.waitFor((frame) => hintLine(frame).includes('replicas: 3▏'));
    expect(hintLine(app.frame())).toContain('scale deployment api (now 3)');
    await app.press(KEYS.backspace, 'x', KEYS.enter);
    await app.waitFor((frame) => hintLine(frame).includes('"x" is not a whole number of replicas'));
    await app.press(KEYS.backspace, '5', KEYS.enter);
    const confirm = await app.waitFor((frame) => frame.includes('Scale deployment api? [y/N]'));
    expect(confirm).toContain('from 3 to 5 replicas');
    expect(confirm).toContain('shop/api on prod');
    expect(prod.calls).toEqual([]);
    await app.press('y');
    await app.waitFor((frame) => hintLine(frame).includes('deployment.apps/api scaled to 5'));
    expect(prod.calls).toEqual([{ verb: 'scale', target: 'api', replicas: 5 }]);
    expect(prod.reviews).toEqual(['scale api']);
  });

  it('shows the server answer of a dry run in the status line', async () => {
    const { app, prod } = await prodApp({ dryRun: true });
    await selectRow(app, 2, 'deploy');
    await app.press('s');
    await app.waitFor((frame) => hintLine(frame).includes('replicas: 3▏'));
    await app.press(KEYS.backspace, '1', KEYS.enter);
    await app.waitFor((frame) => frame.includes('from 3 to 1 replicas'));
    await app.press('y');
    await app.waitFor((frame) => hintLine(frame).includes('dry run (server): deployment.apps/api scaled to 1 (server dry run)'));
    expect(prod.calls).toEqual([{ verb: 'scale', target: 'api', replicas: 1, dryRun: true }]);
  });

  it('escape leaves the input without scaling', async () => {
    const { app, prod } = await prodApp();
    await selectRow(app, 2, 'deploy');
    await app.press('s');
    await app.waitFor((frame) => hintLine(frame).includes('replicas: 3▏'));
    await app.press(KEYS.escape);
    await app.waitFor((frame) => hintLine(frame).includes('scale api cancelled'));
    expect(prod.calls).toEqual([]);
  });
});

describe('rollout restart and undo', () => {
  it('r restarts the rollout after y', async () => {
    const { app, prod } = await prodApp();
    await selectRow(app, 2, 'deploy');
    await app.press('r');
    const confirm = await app.waitFor((frame) => frame.includes('Restart the rollout of deployment api? [y/N]'));
    expect(confirm).toContain('its 3 pods are replaced one by one');
    await app.press('y');
    await app.waitFor((frame) => hintLine(frame).includes('deployment.apps/api restarted'));
    expect(prod.calls).toEqual([{ verb: 'rollout-restart', target: 'api' }]);
  });

  it('U rolls back to the revision before the current one, named in the question', async () => {
    const { app, prod } = await prodApp();
    prod.history = [
      { revision: 2, name: 'api-5c4d', createdAt: NOW - 3 * 86_400_000, images: ['shop/api:1.2'], current: false },
      { revision: 3, name: 'api-6b7f', createdAt: NOW - 86_400_000, images: ['shop/api:1.3'], current: false, changeCause: 'kubectl set image' },
      { revision: 4, name: 'api-7d9f8', createdAt: NOW - 600_000, images: ['shop/api:1.4'], current: true, replicas: 3 },
    ];
    await selectRow(app, 2, 'deploy');
    await app.press('U');
    const confirm = await app.waitFor((frame) => frame.includes('Roll back deployment api? [y/N]'));
    expect(confirm).toContain('to revision 3 (shop/api:1.3), from revision 4');
    await app.press('y');
    await app.waitFor((frame) => hintLine(frame).includes('deployment.apps/api rolled back'));
    expect(prod.calls).toEqual([{ verb: 'rollout-undo', target: 'api', toRevision: 3 }]);
  });

  it('d shows the live rollout status and the history', async () => {
    const { app, prod } = await prodApp();
    prod.history = [
      { revision: 3, name: 'api-6b7f', createdAt: NOW - 86_400_000, images: ['shop/api:1.3'], current: false },
      { revision: 4, name: 'api-7d9f8', createdAt: NOW - 600_000, images: ['shop/api:1.4'], current: true, replicas: 1 },
    ];
    await selectRow(app, 2, 'deploy');
    await app.press('d');
    const detail = await app.waitFor((frame) => frame.includes('Rollout status and history') && frame.includes('shop/api:1.3'));
    expect(detail).toMatch(/ready\s+2\/3\s+3 desired {2}2 ready {2}2 available {2}1 updated/);
    expect(detail).toMatch(/rollout\s+rolling 1\/3/);
    expect(detail).toContain('Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...');
    expect(lineWith(detail, /^\S\s+4\s/)).toMatch(/shop\/api:1\.4\s+current {2}1 pods/);
    expect(detail).toContain('api-7d9f8-b CrashLoopBackOff OOMKilled');
    // The status is live: the store moves, the screen follows.
    app.store.getState().workloadUpserted({ ...API, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3, rollout: { ...API.rollout!, state: 'complete', updated: 3, ready: 3, available: 3 } });
    app.store.getState().flush();
    await app.waitFor((frame) => /rollout\s+complete/.test(frame));
    await app.press(KEYS.escape);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
  });
});

describe('delete pod', () => {
  it('D deletes the selected pod after y', async () => {
    const { app, prod } = await prodApp();
    await selectRow(app, 4, 'api-7d9f8-b');
    expect(hintLine(app.frame())).toContain('D delete');
    // A pod has no container verbs: r and s are not offered on it.
    expect(hintLine(app.frame())).not.toContain('restart');
    await app.press('D');
    const confirm = await app.waitFor((frame) => frame.includes(`Delete pod ${API_PODS.crashing.ref.name}? [y/N]`));
    expect(confirm).toContain('its Deployment api starts a new one');
    await app.press('y');
    await app.waitFor((frame) => hintLine(frame).includes(`pod/${API_PODS.crashing.ref.name} deleted`));
    expect(prod.calls).toEqual([{ verb: 'delete', target: API_PODS.crashing.ref.name }]);
  });

  it('enter on a pod opens the log view its follower fills', async () => {
    const { app } = await prodApp();
    await selectRow(app, 3, 'api-7d9f8-a');
    await app.press(KEYS.enter);
    await app.waitFor((frame) => frame.includes('shop/api'));
    app.store.getState().logLinesReceived([
      { instanceKey: API_PODS.running.key, workloadKey: API.key, stream: 'stdout', timestamp: NOW, rawTimestamp: new Date(NOW).toISOString(), text: 'GET /healthz 200' },
    ]);
    app.store.getState().flush();
    await app.waitFor((frame) => frame.includes('GET /healthz 200'));
  });
});

describe('access reviews', () => {
  it('does not offer a forbidden action and refuses its key before any confirmation', async () => {
    const { app, prod } = await prodApp({ follow: true });
    prod.forbidden.set('delete', FORBIDDEN_DELETE);
    await selectRow(app, 4, 'api-7d9f8-b');
    // The runtime reviewed the row's actions as it was selected.
    await app.waitFor(() => app.store.getState().accessDecisions[accessKeyOf({ verb: 'delete', target: API_PODS.crashing.ref })]?.allowed === false);
    const frame = await app.waitFor((current) => !hintLine(current).includes('D delete'));
    expect(hintLine(frame)).toContain('d detail');
    await app.press('D');
    await app.waitFor((current) => hintLine(current).includes(`forbidden: ${FORBIDDEN_DELETE}`));
    expect(app.frames.some((candidate) => candidate.includes('[y/N]'))).toBe(false);
    expect(prod.calls).toEqual([]);
    await app.press('?');
    const help = await app.waitFor((current) => current.includes('Help: keys'));
    expect(help).toContain('Deployment, StatefulSet and pod rows');
    expect(help).toContain('delete the pod (forbidden here:');
  });

  it('waits for the review when the key comes first, and never confirms what it forbids', async () => {
    const { app, prod } = await prodApp();
    prod.forbidden.set('rollout-restart', 'User "viewer" cannot patch resource "deployments"');
    await selectRow(app, 2, 'deploy');
    await app.press('r');
    await app.waitFor((current) => hintLine(current).includes('forbidden: User "viewer" cannot patch resource "deployments"'));
    expect(app.frames.some((candidate) => candidate.includes('[y/N]'))).toBe(false);
    expect(prod.reviews).toEqual(['rollout-restart api']);
    expect(prod.calls).toEqual([]);
    // The answer is kept: the hint is gone and the next press says so at once.
    await app.waitFor((current) => !hintLine(current).includes('r restart'));
  });

  it('offers none of the mutations in read-only mode, and their keys say why', async () => {
    const { app, prod } = await prodApp({ readOnly: true, follow: true });
    await selectRow(app, 2, 'deploy');
    expect(hintLine(app.frame())).not.toMatch(/restart|scale|undo/);
    await app.press('s');
    await app.waitFor((current) => hintLine(current).includes('read-only mode: refused to scale api'));
    await app.press('r');
    await app.waitFor((current) => hintLine(current).includes('read-only mode: refused to rollout-restart api'));
    expect(prod.reviews).toEqual([]);
    expect(prod.calls).toEqual([]);
  });
});
