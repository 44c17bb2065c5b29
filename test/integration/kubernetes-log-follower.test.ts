// Following a workload's pod logs against a PROTOCOL-LEVEL test server over real HTTP
// (test/support/kube-protocol-server.ts): the test control plane has no kubelet, so follow
// streams cannot work there. The pods come from a list the test changes, as the informer's
// podsOf/onPodsChanged would; the lines land in a real store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube } from '../../src/adapters/kubernetes/kube-connection';
import { KubernetesLogFollower } from '../../src/adapters/kubernetes/kubernetes-log-follower';
import type { WatchedPod } from '../../src/adapters/kubernetes/kubernetes-watch';
import { refKey, type RefKey } from '../../src/domain/resource-ref';
import { startKubeProtocolServer, type KubeProtocolServer } from '../support/kube-protocol-server';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

let server: KubeProtocolServer;

const workload = { engineId: 'protocol', kind: 'deployment' as const, namespace: 'shop', name: 'api' };
const workloadKey = refKey(workload);

/** The pods an informer would hold for the workload, changed by the test. */
class PodList {
  pods: WatchedPod[] = [];
  private readonly listeners = new Set<() => void>();
  podsOf(key: RefKey): WatchedPod[] {
    return this.pods.filter((pod) => pod.workloadKey === key);
  }
  onPodsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(pods: WatchedPod[]): void {
    this.pods = pods;
    for (const listener of this.listeners) listener();
  }
}

function watched(name: string, containers: string[], started = true): WatchedPod {
  return { namespace: 'shop', name, uid: `uid-${name}`, instanceKey: refKey({ ...workload, kind: 'pod', name }), workloadKey, containers, started };
}

/** RFC3339Nano now, plus a nanosecond part so lines within one second stay ordered. */
function stamp(nanos: number): string {
  return `${new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', '')}.${String(nanos).padStart(9, '0')}Z`;
}

beforeAll(async () => {
  server = await startKubeProtocolServer();
  server.addPod({
    namespace: 'shop',
    name: 'api-1',
    uid: 'uid-api-1',
    containers: [{ name: 'app' }, { name: 'proxy' }],
    logs: { app: [{ time: new Date(Date.now() - 3600_000).toISOString(), text: 'older than the backfill' }], proxy: [] },
  });
  server.addPod({ namespace: 'shop', name: 'api-2', uid: 'uid-api-2', containers: [{ name: 'app' }], logs: { app: [] } });
});

afterAll(async () => {
  await server?.close();
});

describe('the log follower against the protocol-level server (no kubelet on the test control plane)', () => {
  it('follows every container of the started pods, picks up new pods, drops gone ones, resumes without duplicates, and stops', async () => {
    const store = createTestStore();
    const pods = new PodList();
    const follower = new KubernetesLogFollower({
      sink: store.getState(),
      connect: () => connectKube({ kubeconfig: [server.kubeconfigPath] }),
      pods,
      backfillSeconds: 600,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const texts = (): string[] => (store.getState().logBuffers.get(workloadKey)?.toArray() ?? []).map((line) => `${line.instanceKey.split('/').at(-1)}: ${line.text}`);

    pods.set([watched('api-1', ['app', 'proxy']), watched('api-2', ['app'], false)]);
    follower.follow(workload);
    await waitFor('both containers of api-1 followed', () => server.openFollowStreams() === 2);
    const first = stamp(100);
    server.appendLog('shop', 'api-1', 'app', { time: first, text: 'ERROR \u001b[31mconnection refused\u001b[0m' });
    server.appendLog('shop', 'api-1', 'proxy', { time: stamp(200), text: 'proxy ready' });
    await waitFor('lines of both containers', () => texts().length === 2);
    expect(texts().sort()).toEqual(['api-1: ERROR connection refused', 'api-1: proxy ready']);
    const line = store.getState().logBuffers.get(workloadKey)?.toArray().find((entry) => entry.text.startsWith('ERROR'));
    expect(line).toMatchObject({ rawTimestamp: first, timestamp: Date.parse(first.replace(/\.\d+Z$/, 'Z')), stream: 'stdout', workloadKey });
    const asked = server.requests.filter((request) => request.path === '/api/v1/namespaces/shop/pods/api-1/log');
    expect(asked.map((request) => [request.query.get('follow'), request.query.get('timestamps'), request.query.get('sinceSeconds')])).toEqual([
      ['true', 'true', '600'],
      ['true', 'true', '600'],
    ]);

    // The stream ends (a container restart, a cut connection): reopened from the last line's second, nothing twice.
    server.endFollowStreams();
    await waitFor('the streams reopened', () => server.openFollowStreams() === 2);
    const reopened = server.requests.filter((request) => request.path === '/api/v1/namespaces/shop/pods/api-1/log' && request.query.get('container') === 'app').at(-1);
    expect(reopened?.query.get('sinceTime')).toBe(first.replace(/\.\d+Z$/, 'Z'));
    server.appendLog('shop', 'api-1', 'app', { time: stamp(300), text: 'after the reconnect' });
    await waitFor('the new line', () => texts().includes('api-1: after the reconnect'));
    expect(texts().filter((text) => text === 'api-1: ERROR connection refused')).toHaveLength(1);

    // api-2 starts: followed; api-1 goes away: dropped.
    pods.set([watched('api-2', ['app'])]);
    await waitFor('only api-2 followed', () => server.openFollowStreams() === 1 && server.requests.some((request) => request.path.endsWith('/api-2/log')));
    server.appendLog('shop', 'api-2', 'app', { time: stamp(400), text: 'api-2 up' });
    server.appendLog('shop', 'api-1', 'app', { time: stamp(500), text: 'not followed any more' });
    await waitFor('the new pod line', () => texts().includes('api-2: api-2 up'));

    await follower.stop();
    await waitFor('every stream closed', () => server.openFollowStreams() === 0);
    server.appendLog('shop', 'api-2', 'app', { time: stamp(600), text: 'after stop' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(texts()).not.toContain('api-2: after stop');
    expect(texts()).not.toContain('api-1: not followed any more');
    expect(texts()).not.toContain('api-1: older than the backfill');
  });
});
