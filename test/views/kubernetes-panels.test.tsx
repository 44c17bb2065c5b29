// The cockpit with Kubernetes contexts beside a Docker engine, fed as the adapter writes the
// store: context -> namespace -> Deployment/StatefulSet -> pods with ready/desired, reasons,
// rollout progress and age; Warning events among the errors; the metrics notice; the gates.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, KEYS, lineWith, NOW } from './fixtures';
import { API, API_PODS, feedClusters, kubeEngine, rollout, warningEvent } from './kubernetes-fixtures';
import { renderApp } from './render-app';
import { KubeApiError } from '../../src/adapters/kubernetes/kube-connection';
import { metricsUnavailableDetail } from '../../src/adapters/kubernetes/metrics-poller';

afterEach(() => cleanup());

const MINUTE = 60_000;
const lineIndex = (frame: string, text: string) => frame.split('\n').findIndex((line) => line.includes(text));

async function clusterApp(size: { width: number; height: number } = { width: 200, height: 60 }, options: { pendingThresholdMs?: number } = {}) {
  // The store's clock is the fixtures' NOW: ages ("pending 12m") stay what they were made, however slow the run.
  const store = createViewStore({ now: () => NOW, ...options });
  feedClusters(store);
  return renderApp(store, size);
}

describe('services panel with Kubernetes contexts', () => {
  it('shows two contexts and the Docker engine on one screen: context -> namespace -> workload -> pods', async () => {
    const app = await clusterApp();
    const frame = app.frame();
    const header = frame.split('\n')[0] ?? '';
    expect(header).toContain('docker: local ● connected');
    expect(header).toContain('k8s: prod ● connected');
    expect(header).toContain('k8s: staging ● connected');
    expect(frame).toContain('Services (13)');
    const order = ['engine local', 'janusgraph-demo', 'context prod', '▾ shop', 'api-7d9f8-a', 'api-7d9f8-b', 'api-7d9f8-c', 'web-7d9f8-a', 'context staging', '▾ data', 'db-7d9f8-0'];
    const positions = order.map((text) => lineIndex(frame, text));
    expect(positions.every((position) => position > 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((left, right) => left - right)).toEqual(positions);
    // A Deployment of one pod keeps its own row (its actions live there), unlike a one-container compose service.
    expect(lineWith(frame, /web\s+deploy/)).toMatch(/deploy\s+1\/1 ready/);
    expect(lineWith(frame, /db\s+sts/)).toMatch(/sts\s+0\/1 ready\s+stalled 0\/1/);
  });

  it('shows ready/desired, the rollout in progress and how it ends', async () => {
    const app = await clusterApp();
    expect(lineWith(app.frame(), /api\s+deploy/)).toMatch(/deploy\s+2\/3 ready\s+rolling 1\/3 ▇▁▁▁\s+5 rst/);
    app.store.getState().workloadUpserted({ ...API, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, rollout: rollout('complete', 3, 3) });
    app.store.getState().flush();
    const frame = await app.waitFor((current) => /api\s+deploy\s+3\/3 ready/.test(current));
    expect(lineWith(frame, /api\s+deploy/)).not.toContain('rolling');
  });

  it('shows each pod status with its reason, the scheduling message of a Pending pod, its age and restarts', async () => {
    const app = await clusterApp();
    const frame = app.frame();
    expect(lineWith(frame, 'api-7d9f8-b')).toMatch(/CrashLoopBackOff OOMKilled\s+5m\s+5 rst/);
    expect(lineWith(frame, 'api-7d9f8-c')).toMatch(/Pending: 0\/1 nodes are available/);
    expect(lineWith(frame, 'api-7d9f8-c')).toMatch(/12m\s+0 rst/);
    expect(lineWith(frame, 'db-7d9f8-0')).toContain('ImagePullBackOff');
    expect(lineWith(frame, 'api-7d9f8-a')).toMatch(/Running\s+5m\s+0 rst/);
  });

  it('reads the reasons at 120 columns too, and d shows a Pending pod whole', async () => {
    const app = await clusterApp({ width: 120, height: 40 });
    await app.press(':', ...'ctx prod', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
    expect(lineWith(app.frame(), 'api-7d9f8-b')).toContain('CrashLoopBackOff');
    // context, shop, api, api-a, api-b, api-c
    await app.press('j', 'j', 'j', 'j', 'j');
    await app.waitFor((frame) => (lineWith(frame, '›') ?? '').includes('api-7d9f8-c'));
    await app.press('d');
    const detail = await app.waitFor((frame) => frame.includes('┏━ Pod'));
    expect(detail).toContain('0/1 nodes are available: 1 Insufficient cpu.');
    expect(detail).toContain('not scheduled');
    expect(detail).toMatch(/owner\s+deployment api/);
    await app.press(KEYS.escape);
    await app.waitFor((frame) => frame.includes('Services (4) ctx prod'));
  });

  it('keeps the filter working across engines, on reasons too', async () => {
    const app = await clusterApp();
    await app.press('/', ...'OOMKilled');
    const frame = await app.waitFor((current) => current.includes('Services (1/13)'));
    expect(frame).toContain('api-7d9f8-b');
    expect(frame).not.toContain('api-7d9f8-a');
    expect(lineWith(frame, '▾ janusgraph-demo')).toBeUndefined();
  });

  it('shows a failed context as disconnected with its error, in the header and the gates', async () => {
    const app = await clusterApp();
    app.store.getState().engineStateChanged('staging', { state: 'disconnected', error: 'connect ECONNREFUSED 127.0.0.1:16444', nextRetryAt: Date.now() + 4000 });
    app.store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('k8s: staging ○ disconnected'));
    expect(frame.split('\n')[0]).toContain('k8s: staging ○ disconnected: connect ECONNREFUSED 127.0.0.1:16444');
    expect(frame).toMatch(/Engines reachable\s+staging disconnected: connect ECONNREFUSED/);
  });
});

describe('errors panel with Warning events', () => {
  it('fingerprints events by reason and message, sums their counts and sorts them among the log errors', async () => {
    const app = await clusterApp();
    const podName = (pod: typeof API_PODS.running) => pod.ref.name;
    app.store.getState().warningEventsReplaced('prod', [
      warningEvent('prod', 'e1', { reason: 'BackOff', message: `Back-off restarting failed container api in pod ${podName(API_PODS.running)}_shop(0c1f0a52-7b3e-4f7e-9c55-2b8d4f0e9a11)`, count: 7, involved: { kind: 'Pod', name: podName(API_PODS.running), namespace: 'shop' }, workloadKey: API.key }),
      warningEvent('prod', 'e2', { reason: 'BackOff', message: `Back-off restarting failed container api in pod ${podName(API_PODS.crashing)}_shop(9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d)`, count: 5, involved: { kind: 'Pod', name: podName(API_PODS.crashing), namespace: 'shop' }, workloadKey: API.key, lastSeen: NOW - 30_000 }),
      warningEvent('prod', 'e3', { reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', count: 3, involved: { kind: 'Pod', name: podName(API_PODS.pending), namespace: 'shop' }, workloadKey: API.key }),
      warningEvent('prod', 'e4', { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 40, involved: { kind: 'Pod', name: podName(API_PODS.running), namespace: 'shop' }, workloadKey: API.key }),
    ]);
    app.store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('Recent errors (5)'));
    const rows = ['40× api', '30× analytics-api', '12× api', '6× vault', '3× api'].map((text) => lineIndex(frame, text));
    expect(rows.every((row) => row > 0), JSON.stringify(rows)).toBe(true);
    expect([...rows].sort((left, right) => left - right)).toEqual(rows);
    expect(lineWith(frame, '40× api')).toContain('Unhealthy Readiness probe failed: HTTP probe failed with statuscode: <n>');
    expect(lineWith(frame, '12× api')).toContain('BackOff Back-off restarting failed container api in pod <pod>_shop(<uuid>)');
    expect(lineWith(frame, '3× api')).toContain('FailedScheduling <n>/<n> nodes are available');
    expect(lineWith(frame, '30× analytics-api')).toContain('ERROR Connection refused');

    // enter shows the sample of an event fingerprint, and of a log fingerprint, the same way.
    await app.press(KEYS.tab, KEYS.tab, 'j', 'j');
    await app.waitFor((current) => (lineWith(current, '›') ?? '').includes('12×'));
    await app.press(KEYS.enter);
    const detail = await app.waitFor((current) => current.includes('Error sample'));
    expect(detail).toMatch(/count\s+12/);
    expect(detail).toMatch(/event\s+BackOff \(Kubernetes Warning events, counts summed\)/);
    // The sample is the latest event's message, whole.
    expect(detail).toContain(`in pod ${podName(API_PODS.crashing)}_shop(9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d)`);
    expect(detail).toContain('shop/api');
    await app.press(KEYS.escape, 'k');
    await app.waitFor((current) => (lineWith(current, '›') ?? '').includes('30×'));
    await app.press(KEYS.enter);
    expect(await app.waitFor((current) => current.includes('Error sample'))).toMatch(/count\s+30/);
  });
});

describe('resources panel with pods', () => {
  it("lists pods' usage by pod name beside the containers, worst first", async () => {
    const app = await clusterApp();
    const { stats } = await import('./fixtures');
    app.store.getState().statsReceived(stats(API_PODS.running.key, 99, 20));
    app.store.getState().statsReceived(stats(API_PODS.crashing.key, 30, 95));
    app.store.getState().flush();
    const frame = await app.waitFor((current) => current.includes(`│ ! ${API_PODS.crashing.ref.name} `));
    expect(lineWith(frame, `│ ! ${API_PODS.running.ref.name}`)).toMatch(/cpu\s+99%/);
    expect(lineWith(frame, `│ ! ${API_PODS.crashing.ref.name}`)).toMatch(/mem\s+95%/);
    expect(lineIndex(frame, `│ ! ${API_PODS.running.ref.name}`)).toBeLessThan(lineIndex(frame, '│ ! pulsar'));
  });
});

describe('resources panel without metrics', () => {
  it('says plainly that a context serves no metrics.k8s.io, on one line with the detail', async () => {
    const app = await clusterApp();
    app.store.getState().engineStateChanged('prod', { metrics: { state: 'unavailable', detail: 'the server could not find the requested resource' } });
    app.store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('prod: metrics.k8s.io'));
    expect(lineWith(frame, 'prod: metrics.k8s.io')).toContain('prod: metrics.k8s.io not served (the server could not find the requested resource)');
    expect(frame).not.toContain('staging: metrics.k8s.io');
    // The containers with stats are still listed below it.
    expect(lineIndex(frame, 'prod: metrics.k8s.io')).toBeLessThan(lineIndex(frame, 'pulsar '));
  });

  it("shows the adapter's own sentence once, without repeating the API's name", async () => {
    const app = await clusterApp();
    const detail = metricsUnavailableDetail(new KubeApiError(404, 'NotFound', 'the server could not find the requested resource'));
    app.store.getState().engineStateChanged('staging', { metrics: { state: 'unavailable', ...(detail ? { detail } : {}) } });
    app.store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('staging: metrics.k8s.io'));
    expect(lineWith(frame, 'staging: metrics.k8s.io')).toContain('staging: metrics.k8s.io is not served by this cluster');
    expect(frame).not.toContain('not served (metrics.k8s.io');
  });
});

describe('gates with Kubernetes contexts', () => {
  it('fails "Deployments available", "No pod crash-looping" and "No pod pending" naming the offenders', async () => {
    const app = await clusterApp();
    const frame = app.frame();
    expect(lineWith(frame, 'Deployments available')).toContain('prod/shop/api 2/3 available, staging/data/db 0/1 available');
    expect(lineWith(frame, 'No pod crash-looping')).toContain('prod/api-7d9f8-b CrashLoopBackOff OOMKilled (5 restarts)');
    expect(lineWith(frame, 'No pod pending > 5m')).toContain('prod/api-7d9f8-c pending 12m: 0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('takes the pending threshold from the configuration and passes once the pods are fine', async () => {
    const app = await clusterApp({ width: 200, height: 60 }, { pendingThresholdMs: 15 * MINUTE });
    expect(lineWith(app.frame(), 'No pod pending > 15m')).toContain('1 pending for less than 15m');
    const state = app.store.getState();
    state.engineRegistered(kubeEngine('staging', { namespaces: ['data'] }));
    state.inventoryReplaced('staging', { workloads: [], instances: [] });
    state.workloadUpserted({ ...API, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, rollout: rollout('complete', 3, 3) });
    state.instanceRemoved(API_PODS.crashing.key);
    state.flush();
    const frame = await app.waitFor((current) => /✓ +pass +Deployments available/.test(current));
    expect(lineWith(frame, 'Deployments available')).toContain('2 workloads fully available');
    expect(lineWith(frame, 'No pod crash-looping')).toMatch(/✓ +pass +No pod crash-looping\s+3 pods, none crash-looping/);
  });
});
