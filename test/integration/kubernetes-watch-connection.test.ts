// A context's connection as the operator sees it in the header: several contexts at once, a
// broken one (refused, bad token, TLS, unknown context, forbidden lists) disconnected with its
// error and retried while the good one connects; an apiserver that stops and starts again
// (reconnected, re-listed); 410 Gone answered by a re-list, from the real apiserver and from a
// small real HTTP front that expires every watch.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { KubeInformer } from '../../src/adapters/kubernetes/kube-informer';
import { KubernetesEngineAdapter } from '../../src/adapters/kubernetes/kubernetes-adapter';
import { KubernetesWatch } from '../../src/adapters/kubernetes/kubernetes-watch';
import { startExtraApiserver, type ExtraApiserver } from '../../lab/kube-engine.mjs';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { startApiFront, type ApiFront } from '../support/kube-api-front';
import { applyDeployment, createTestNamespace, kubeConnection, kubeLab, type TestNamespace } from '../support/kube';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const nowhere = { 'opsdeck.test/node': 'none' };

function podNames(store: OpsdeckStore, engineId: string): string[] {
  return Object.values(store.getState().instances)
    .filter((instance) => instance.ref.engineId === engineId)
    .map((instance) => instance.ref.name)
    .sort();
}

/** A kubeconfig for a ServiceAccount of the namespace, allowed what `rules` say there (and nothing cluster-wide). */
async function serviceAccountKubeconfig(admin: KubeConnection, namespace: string, name: string, rules: unknown[]): Promise<string> {
  const base = `/api/v1/namespaces/${namespace}`;
  await admin.request({ method: 'POST', path: `${base}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } } });
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  await admin.request({ method: 'POST', path: `${rbac}/roles`, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules } });
  await admin.request({
    method: 'POST',
    path: `${rbac}/rolebindings`,
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  });
  // The controller-manager's token controller makes the account's token secret.
  const token = await waitFor(`the token of ${name}`, async () => {
    const secrets = await admin.request<{ items: Array<{ type: string; metadata: { annotations?: Record<string, string> }; data?: { token?: string } }> }>({ path: `${base}/secrets` });
    const secret = secrets.items.find((item) => item.type === 'kubernetes.io/service-account-token' && item.metadata.annotations?.['kubernetes.io/service-account.name'] === name);
    return secret?.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : undefined;
  });
  const file = join(mkdtempSync(join(tmpdir(), 'opsdeck-sa-')), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'lab', cluster: { server: admin.server, 'insecure-skip-tls-verify': true } }],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: 'lab', user: name, namespace } }],
      'current-context': name,
    }),
  );
  return file;
}

async function serverPodNames(admin: KubeConnection, namespace: string): Promise<string[]> {
  const list = await admin.request<{ items: Array<{ metadata: { name: string } }> }>({ path: `/api/v1/namespaces/${namespace}/pods` });
  return list.items.map((pod) => pod.metadata.name).sort();
}

describe('Kubernetes contexts: connection, failure, reconnection', () => {
  let namespace: TestNamespace;
  let admin: KubeConnection;

  beforeAll(async () => {
    admin = await kubeConnection();
    namespace = await createTestNamespace('t-conn');
    await applyDeployment(namespace.name, 'api', { replicas: 2, nodeSelector: nowhere });
    await waitFor('two api pods on the server', async () => (await serverPodNames(admin, namespace.name)).length === 2);
  });

  afterAll(async () => {
    await namespace?.delete();
  });

  it('shows each broken context disconnected with its own error and retries it, while the good one connects', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'opsdeck-contexts-'));
    const broken = join(directory, 'broken.kubeconfig');
    // Listed first in KUBECONFIG order; the lab's file adds the good context.
    writeFileSync(
      broken,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'nobody', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
          { name: 'lab-insecure', cluster: { server: admin.server, 'insecure-skip-tls-verify': true } },
          { name: 'lab-unverified', cluster: { server: admin.server } },
        ],
        users: [{ name: 'stranger', user: { token: 'not-a-token-this-server-knows' } }],
        contexts: [
          { name: 'refused', context: { cluster: 'nobody', user: 'stranger' } },
          { name: 'bad-token', context: { cluster: 'lab-insecure', user: 'stranger' } },
          { name: 'untrusted', context: { cluster: 'lab-unverified', user: 'stranger' } },
        ],
      }),
    );
    const store = createTestStore();
    const kubeconfig = [broken, kubeLab().kubeconfig];
    const contexts = ['refused', 'bad-token', 'untrusted', 'missing', kubeLab().contexts.admin];
    const adapters = contexts.map(
      (context) =>
        new KubernetesEngineAdapter({
          engineId: context,
          label: context,
          kubeconfig,
          context,
          namespace: namespace.name,
          readOnly: true,
          sink: store.getState(),
          backoff: { initialMs: 300, maxMs: 600 },
        }),
    );
    try {
      for (const adapter of adapters) adapter.start();
      // All registered before any answer: the first frame has every context.
      expect(contexts.map((context) => store.getState().engines[context]?.state)).toEqual(contexts.map(() => 'connecting'));
      const good = kubeLab().contexts.admin;
      await waitFor('the good context connected', () => store.getState().engines[good]?.state === 'connected');
      expect(podNames(store, good)).toEqual(await serverPodNames(admin, namespace.name));
      const engines = await waitFor('every broken context disconnected', () => {
        const states = store.getState().engines;
        return contexts.slice(0, 4).every((context) => states[context]?.state === 'disconnected') ? states : undefined;
      });
      expect(engines['refused']?.error).toBe('cannot reach https://127.0.0.1:1: connection refused');
      expect(engines['bad-token']?.error).toBe(`${admin.server} refused the credentials (401 Unauthorized)`);
      expect(engines['untrusted']?.error).toMatch(new RegExp(`^TLS with ${admin.server.replace(/\./g, '\\.')} failed: .*certificate`));
      expect(engines['missing']?.error).toMatch(/^kubeconfig: no context "missing" in the kubeconfig \(known: .*refused.*\)/);
      for (const context of contexts.slice(0, 4)) {
        expect(engines[context]?.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
        expect(podNames(store, context)).toEqual([]);
      }
      // Retried with backoff: a later attempt sets a later retry time, still disconnected.
      const firstRetry = engines['refused']?.nextRetryAt ?? 0;
      await waitFor('a second attempt', () => (store.getState().engines['refused']?.nextRetryAt ?? 0) > firstRetry);
      expect(store.getState().engines['refused']?.state).toBe('disconnected');
      expect(store.getState().engines[good]?.state).toBe('connected');
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.stop()));
    }
  });

  it('a user of one namespace: namespaces it may not list are derived from what it sees; a list it may not read costs the connection', async () => {
    const read = ['get', 'list', 'watch'];
    const allowed = await serviceAccountKubeconfig(admin, namespace.name, 'reader', [
      { apiGroups: [''], resources: ['pods', 'events'], verbs: read },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: read },
    ]);
    const refused = await serviceAccountKubeconfig(admin, namespace.name, 'blind', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: read }]);
    const store = createTestStore();
    const watches = [
      { id: 'reader', kubeconfig: allowed },
      { id: 'blind', kubeconfig: refused },
    ].map(({ id, kubeconfig }) => {
      const watch = new KubernetesWatch({
        engineId: id,
        label: id,
        namespace: namespace.name,
        sink: store.getState(),
        connect: () => connectKube({ kubeconfig: [kubeconfig], context: id }),
        backoff: { initialMs: 500, maxMs: 1000 },
      });
      watch.start();
      return watch;
    });
    try {
      await waitFor('the reader connected', () => store.getState().engines['reader']?.state === 'connected');
      expect(podNames(store, 'reader')).toEqual(await serverPodNames(admin, namespace.name));
      await waitFor('namespaces derived', () => store.getState().engines['reader']?.namespaces);
      expect(store.getState().engines['reader']?.namespaces).toEqual([namespace.name]);
      const blind = await waitFor('the blind one disconnected', () => {
        const engine = store.getState().engines['blind'];
        return engine?.state === 'disconnected' ? engine : undefined;
      });
      expect(blind.error).toMatch(new RegExp(`^forbidden \\(403\\): .*cannot (list|watch) resource "(pods|replicasets|statefulsets|events)"`));
      expect(blind.error).toContain(`system:serviceaccount:${namespace.name}:blind`);
    } finally {
      await Promise.all(watches.map((watch) => watch.stop()));
    }
  });

  describe('on an apiserver of the test\'s own (on the shared etcd: stopping it costs no other test anything)', () => {
    let extra: ExtraApiserver;
    let extraAdmin: KubeConnection;

    beforeAll(async () => {
      extra = await startExtraApiserver(kubeLab().runDir);
      extraAdmin = await connectKube({ kubeconfig: [extra.kubeconfig], context: extra.contexts.admin });
    }, 120_000);

    afterAll(async () => {
      await extra?.dispose();
    });

    it('a watch from a resourceVersion older than the apiserver\'s window gets 410 Expired and lists instead', async () => {
      // A freshly started apiserver keeps events from the current revision on: revision 1 is gone.
      const controller = new AbortController();
      const reasons: string[] = [];
      const informer = new KubeInformer<string>(
        extraAdmin,
        { name: 'pods', path: `/api/v1/namespaces/${namespace.name}/pods`, map: (raw) => raw.metadata?.name },
        { signal: controller.signal, onRelist: (reason) => reasons.push(reason) },
      );
      let listed: string[] | undefined;
      const running = informer.run(
        {
          replaced: (items) => {
            listed = [...items.values()].sort();
          },
          upserted: () => undefined,
          removed: () => undefined,
        },
        '1',
      );
      try {
        await waitFor('listed after the 410', () => listed);
        expect(reasons[0]).toMatch(/too old resource version/);
        expect(listed).toEqual(await serverPodNames(admin, namespace.name));
        expect(Number(informer.resourceVersion)).toBeGreaterThan(1);
      } finally {
        controller.abort();
        await running;
      }
    });

    it('goes disconnected when its apiserver stops, then reconnects and re-lists what changed meanwhile', async () => {
      const store = createTestStore();
      const watch = new KubernetesWatch({
        engineId: 'extra',
        label: 'extra',
        namespace: namespace.name,
        sink: store.getState(),
        connect: () => connectKube({ kubeconfig: [extra.kubeconfig], context: extra.contexts.admin }),
        backoff: { initialMs: 200, maxMs: 400 },
      });
      try {
        watch.start();
        await waitFor('connected', () => store.getState().engines['extra']?.state === 'connected');
        expect(podNames(store, 'extra')).toEqual(await serverPodNames(admin, namespace.name));
        await extra.stop();
        const down = await waitFor('disconnected', () => {
          const engine = store.getState().engines['extra'];
          return engine?.state === 'disconnected' ? engine : undefined;
        });
        const server = extra.server.replace(/\./g, '\\.');
        expect(down.error).toMatch(new RegExp(`^(cannot reach ${server}: connection refused|${server} closed the connection|the stream was cut)$`));
        expect(down.nextRetryAt).toBeGreaterThan(0);
        // While it is away: one pod is deleted (its ReplicaSet replaces it) and a Deployment is added, through the main apiserver.
        const [victim] = await serverPodNames(admin, namespace.name);
        await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/${victim}?gracePeriodSeconds=0` });
        await applyDeployment(namespace.name, 'meanwhile', { replicas: 1, nodeSelector: nowhere });
        await waitFor('the server has the replacement and the new pod', async () => (await serverPodNames(admin, namespace.name)).length === 3);
        await waitFor('still disconnected, retrying', () => store.getState().engines['extra']?.state === 'disconnected');
        await extra.start();
        await waitFor('reconnected', () => store.getState().engines['extra']?.state === 'connected', { timeoutMs: 60_000 });
        await waitFor('the store has what the server has', async () => podNames(store, 'extra').join() === (await serverPodNames(admin, namespace.name)).join());
        expect(podNames(store, 'extra')).not.toContain(victim);
        expect(store.getState().engines['extra']?.error).toBeUndefined();
      } finally {
        await watch.stop();
      }
    }, 120_000);
  });

  describe('through a front that answers 410 Gone', () => {
    let front: ApiFront;
    let store: OpsdeckStore;
    let watch: KubernetesWatch;

    beforeAll(async () => {
      front = await startApiFront(admin);
      store = createTestStore();
      watch = new KubernetesWatch({
        engineId: 'front',
        label: 'front',
        namespace: namespace.name,
        sink: store.getState(),
        connect: () => connectKube({ kubeconfig: [front.kubeconfig], context: 'front' }),
        backoff: { initialMs: 200, maxMs: 400 },
        // Watches re-open every second or so: a front that expires them is noticed quickly.
        watchTimeoutSeconds: 1,
      });
      watch.start();
      await waitFor('connected through the front', () => store.getState().engines['front']?.state === 'connected');
    });

    afterAll(async () => {
      await watch?.stop();
      await front?.close();
    });

    for (const how of ['event', 'status'] as const) {
      it(`re-lists and replaces when a watch answers 410 Gone (${how === 'event' ? 'an ERROR event with code 410' : 'HTTP 410'})`, async () => {
        const lists = (): number => front.requests.filter((path) => path.includes('/pods?') && !path.includes('watch=')).length;
        const before = lists();
        front.expireWatches = how;
        try {
          // No watch can speak now: only a re-list can bring these changes.
          const [victim] = await serverPodNames(admin, namespace.name);
          await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/${victim}?gracePeriodSeconds=0` });
          await waitFor('re-listed', () => lists() > before);
          await waitFor('the store has what the server has', async () => podNames(store, 'front').join() === (await serverPodNames(admin, namespace.name)).join());
          expect(podNames(store, 'front')).not.toContain(victim);
          // Still connected: a 410 is the protocol working, not a failure.
          expect(store.getState().engines['front']?.state).toBe('connected');
        } finally {
          front.expireWatches = undefined;
        }
      });
    }
  });
});
