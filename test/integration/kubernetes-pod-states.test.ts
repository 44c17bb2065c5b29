// Pods as the cockpit shows them once a (fake) kubelet plays them on the real control plane:
// Running and ready, CrashLoopBackOff with rising restarts, OOMKilled, ImagePullBackOff, a
// failing readiness probe, Terminating; CPU and memory from metrics.k8s.io (answered by a
// small real HTTP front, as the shared control plane has no metrics-server); what the
// watch keeps per pod; and the same records from the API server's protobuf list as from its JSON.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { KubernetesWatch } from '../../src/adapters/kubernetes/kubernetes-watch';
import { podRecordOf, type RawPod } from '../../src/adapters/kubernetes/pod-mapping';
import { podOfProtobuf } from '../../src/adapters/kubernetes/pod-protobuf';
import { PROTOBUF_MEDIA_TYPE, readProtobufList } from '../../src/adapters/kubernetes/protobuf-list';
import { refKey } from '../../src/domain/resource-ref';
import type { Instance } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { FakeKubelet } from '../support/fake-kubelet';
import { startApiFront, type ApiFront } from '../support/kube-api-front';
import { applyDeployment, createTestNamespace, kubeConnection } from '../support/kube';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const ENGINE = 'kube';

describe('Pod states and usage through a fake kubelet', () => {
  let namespace: { name: string; delete(): Promise<void> };
  let admin: KubeConnection;
  let kubelet: FakeKubelet;
  let front: ApiFront;
  let store: OpsdeckStore;
  let watch: KubernetesWatch;
  let onNode: Record<string, string>;

  const podOf = (workload: string): Instance | undefined =>
    Object.values(store.getState().instances).find((instance) => instance.ref.namespace === namespace.name && instance.workload.name === workload);
  const workloadKey = (name: string): string => refKey({ engineId: ENGINE, kind: 'deployment', namespace: namespace.name, name });

  beforeAll(async () => {
    admin = await kubeConnection();
    namespace = await createTestNamespace('t-states');
    kubelet = await FakeKubelet.start({ connection: admin, namespace: namespace.name });
    onNode = { 'kubernetes.io/hostname': kubelet.nodeName };
    front = await startApiFront(admin);
    store = createTestStore();
    watch = new KubernetesWatch({
      engineId: ENGINE,
      label: 'lab',
      namespace: namespace.name,
      sink: store.getState(),
      connect: () => connectKube({ kubeconfig: [front.kubeconfig], context: 'front' }),
      metricsIntervalMs: 200,
    });
    watch.start();
    await waitFor('connected', () => store.getState().engines[ENGINE]?.state === 'connected');
  });

  afterAll(async () => {
    await watch?.stop();
    await front?.close();
    await kubelet?.stop();
    await namespace?.delete();
  });

  it('shows Running and ready pods, and the rollout complete as kubectl says it', async () => {
    await applyDeployment(namespace.name, 'web', { replicas: 3, nodeSelector: onNode });
    const workload = await waitFor('web available 3/3', () => {
      const found = store.getState().workloads[workloadKey('web')];
      return found?.availableReplicas === 3 && found.rollout?.state === 'complete' ? found : undefined;
    });
    expect(workload).toMatchObject({ desiredReplicas: 3, readyReplicas: 3, updatedReplicas: 3 });
    expect(workload.rollout?.message).toBe('deployment "web" successfully rolled out');
    const pods = Object.values(store.getState().instances).filter((instance) => instance.workloadKey === workloadKey('web'));
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod).toMatchObject({ phase: 'running', state: 'Running', ready: true, health: 'none', restartCount: 0, nodeName: kubelet.nodeName });
      expect(pod.reason).toBeUndefined();
      expect(pod.startedAt).toBeGreaterThan(0);
    }
    expect(watch.podsOf(workloadKey('web')).every((pod) => pod.started)).toBe(true);
  });

  it('follows a rollout of a new template to its new revision, every pod under the Deployment', async () => {
    const before = await waitFor('web complete', () => {
      const found = store.getState().workloads[workloadKey('web')];
      return found?.rollout?.state === 'complete' ? found : undefined;
    });
    const oldPods = new Set(watch.podsOf(workloadKey('web')).map((pod) => pod.uid));
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace.name}/deployments/web`,
      patchType: 'strategic',
      body: { spec: { template: { metadata: { annotations: { 'opsdeck.test/edition': '2' } } } } },
    });
    const after = await waitFor('revision 2 rolled out', () => {
      const found = store.getState().workloads[workloadKey('web')];
      return found?.revision === '2' && found.rollout?.state === 'complete' ? found : undefined;
    });
    expect(before.revision).toBe('1');
    expect(after.rollout?.message).toBe('deployment "web" successfully rolled out');
    const pods = await waitFor('3 new pods', () => {
      const found = watch.podsOf(workloadKey('web'));
      return found.length === 3 && found.every((pod) => !oldPods.has(pod.uid)) ? found : undefined;
    });
    expect(pods.every((pod) => store.getState().instances[pod.instanceKey]?.phase === 'running')).toBe(true);
  });

  it('puts a StatefulSet\'s pods under it and judges its rollout as kubectl does', async () => {
    await admin.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${namespace.name}/statefulsets`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          replicas: 2,
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { nodeSelector: onNode, terminationGracePeriodSeconds: 0, containers: [{ name: 'db', image: 'local/busybox:latest' }] } },
        },
      },
    });
    const key = refKey({ engineId: ENGINE, kind: 'statefulset', namespace: namespace.name, name: 'db' });
    const workload = await waitFor('db complete', () => {
      const found = store.getState().workloads[key];
      return found?.rollout?.state === 'complete' && found.readyReplicas === 2 ? found : undefined;
    });
    expect(workload.ref.kind).toBe('statefulset');
    expect(workload.revision).toMatch(/^db-/);
    // apps/v1 defaults the RollingUpdate partition to 0, so kubectl speaks of a partitioned roll out.
    expect(workload.rollout?.message).toBe('partitioned roll out complete: 2 new pods have been updated...');
    expect(watch.podsOf(key).map((pod) => pod.name)).toEqual(['db-0', 'db-1']);
  });

  it('shows a crash loop with its restarts rising, and the BackOff events', async () => {
    kubelet.behave({ app: 'crashy' }, { kind: 'crash-loop', restartEveryMs: 700 });
    await applyDeployment(namespace.name, 'crashy', { replicas: 1, nodeSelector: onNode });
    const first = await waitFor('crash-looping', () => {
      const pod = podOf('crashy');
      return pod?.phase === 'crash-loop' ? pod : undefined;
    });
    expect(first).toMatchObject({ state: 'CrashLoopBackOff', reason: 'CrashLoopBackOff', ready: false, exitCode: 1 });
    expect(first.message).toMatch(/^back-off \d+s restarting failed container=crashy/);
    expect(first.oomKilled).toBeUndefined();
    await waitFor('restarts rising', () => (podOf('crashy')?.restartCount ?? 0) > first.restartCount);
    const event = await waitFor('a BackOff event about the pod', () =>
      Object.values(store.getState().warningEvents).find((candidate) => candidate.reason === 'BackOff' && candidate.instanceKey === first.key),
    );
    expect(event.workloadKey).toBe(workloadKey('crashy'));
    await waitFor('the event count rising', () => (store.getState().warningEvents[event.key]?.count ?? 0) > event.count);
  });

  it('shows OOMKilled while the pod crash-loops', async () => {
    kubelet.behave({ app: 'hungry' }, { kind: 'oom-killed', restartEveryMs: 700 });
    await applyDeployment(namespace.name, 'hungry', { replicas: 1, nodeSelector: onNode, resources: { limits: { memory: '64Mi' } } });
    const pod = await waitFor('OOMKilled', () => {
      const found = podOf('hungry');
      return found?.oomKilled ? found : undefined;
    });
    expect(pod).toMatchObject({ phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'OOMKilled', exitCode: 137 });
  });

  it('shows ImagePullBackOff as waiting, with its reason and message', async () => {
    kubelet.behave({ app: 'pully' }, { kind: 'image-pull-backoff' });
    await applyDeployment(namespace.name, 'pully', { replicas: 1, nodeSelector: onNode });
    const pod = await waitFor('ImagePullBackOff', () => {
      const found = podOf('pully');
      return found?.reason === 'ImagePullBackOff' ? found : undefined;
    });
    expect(pod).toMatchObject({ phase: 'waiting', state: 'ImagePullBackOff', ready: false });
    expect(pod.message).toBe('Back-off pulling image "local/busybox:latest"');
  });

  it('tells health from the readiness probe: unhealthy while it fails, healthy once ready', async () => {
    kubelet.behave('probed', { kind: 'not-ready' });
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace.name}/pods`,
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'probed' },
        spec: {
          nodeSelector: onNode,
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'main', image: 'local/busybox:latest', readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }],
        },
      },
    });
    const key = refKey({ engineId: ENGINE, kind: 'pod', namespace: namespace.name, name: 'probed' });
    const failing = await waitFor('unhealthy', () => (store.getState().instances[key]?.health === 'unhealthy' ? store.getState().instances[key] : undefined));
    expect(failing).toMatchObject({ phase: 'running', ready: false });
    kubelet.behave('probed', { kind: 'running' });
    await waitFor('healthy', () => store.getState().instances[key]?.health === 'healthy' && store.getState().instances[key]?.ready);
  });

  it('shows Terminating while a finalizer holds a deleted pod', async () => {
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace.name}/pods`,
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['opsdeck.test/hold'] }, spec: { nodeSelector: { 'opsdeck.test/node': 'none' }, containers: [{ name: 'main', image: 'local/busybox:latest' }] } },
    });
    const key = refKey({ engineId: ENGINE, kind: 'pod', namespace: namespace.name, name: 'held' });
    await waitFor('held listed', () => store.getState().instances[key]);
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/held` });
    await waitFor('Terminating', () => store.getState().instances[key]?.state === 'Terminating');
    await admin.request({ method: 'PATCH', path: `/api/v1/namespaces/${namespace.name}/pods/held`, patchType: 'merge', body: { metadata: { finalizers: null } } });
    await waitFor('gone', () => !store.getState().instances[key]);
  });

  it('says plainly that metrics are not served, then shows pod and node usage once metrics.k8s.io answers', async () => {
    await waitFor('metrics unavailable', () => store.getState().engines[ENGINE]?.metrics?.state === 'unavailable');
    expect(store.getState().engines[ENGINE]?.metrics?.detail).toBe('metrics.k8s.io is not served by this cluster (no metrics-server): no CPU or memory for pods and nodes');
    const hungry = podOf('hungry');
    const web = podOf('web');
    front.metrics = {
      pods: [
        { namespace: namespace.name, name: hungry?.ref.name ?? '', containers: [{ cpu: '250m', memory: '32Mi' }] },
        { namespace: namespace.name, name: web?.ref.name ?? '', containers: [{ cpu: '1500000000n', memory: '10Mi' }] },
      ],
      nodes: [{ name: kubelet.nodeName, cpu: '2', memory: '8Gi' }],
    };
    // A second watch asks at once (the first one probes again within a minute).
    const served = createTestStore();
    const second = new KubernetesWatch({
      engineId: ENGINE,
      label: 'lab',
      namespace: namespace.name,
      sink: served.getState(),
      connect: () => connectKube({ kubeconfig: [front.kubeconfig], context: 'front' }),
      metricsIntervalMs: 200,
    });
    second.start();
    try {
      const hungryStats = await waitFor('hungry stats', () => served.getState().statsByInstance[hungry?.key ?? '']);
      expect(served.getState().engines[ENGINE]?.metrics).toEqual({ state: 'available' });
      // 100 % = one core, as for containers; the pod's memory limit (64Mi) gives the percentage.
      expect(hungryStats).toMatchObject({ cpuPercent: 25, memoryUsageBytes: 32 * 2 ** 20, memoryLimitBytes: 64 * 2 ** 20, memoryPercent: 50 });
      expect(served.getState().statsByInstance[web?.key ?? '']).toMatchObject({ cpuPercent: 150, memoryUsageBytes: 10 * 2 ** 20, memoryLimitBytes: 0, memoryPercent: 0 });
      const nodes = await waitFor('node usage with capacity', () => {
        const found = served.getState().nodeUsageByEngine[ENGINE];
        return found?.[0]?.cpuCapacityMillicores !== undefined ? found : undefined;
      });
      expect(nodes).toEqual([{ engineId: ENGINE, name: kubelet.nodeName, cpuMillicores: 2000, cpuCapacityMillicores: 8000, memoryBytes: 8 * 2 ** 30, memoryCapacityBytes: 32 * 2 ** 30, sampledAt: expect.any(Number) }]);
      // A pod that leaves the metrics has its figures ended.
      front.metrics = { pods: front.metrics.pods.slice(0, 1), nodes: front.metrics.nodes };
      await waitFor('web stats ended', () => !served.getState().statsByInstance[web?.key ?? '']);
    } finally {
      await second.stop();
      front.metrics = undefined;
    }
  });

  it('keeps a few hundred bytes per pod, not the ~36 KiB of a cached Pod', async () => {
    // A pod with much to say: limits, an OOM-killed last state, a crash loop's message.
    kubelet.behave({ app: 'sized' }, { kind: 'oom-killed', restartEveryMs: 700 });
    await applyDeployment(namespace.name, 'sized', { replicas: 1, nodeSelector: onNode, resources: { limits: { memory: '64Mi' } } });
    await waitFor('sized crash-looping', () => podOf('sized')?.oomKilled);
    const list = await admin.request<{ items: RawPod[] }>({ path: `/api/v1/namespaces/${namespace.name}/pods?labelSelector=app%3Dsized` });
    const raw = list.items[0];
    expect(raw?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('OOMKilled');
    const rawBytes = JSON.stringify(raw).length;
    // As the watch resolves them: every pod of the Deployment shares one workload ref.
    const deployment = { engineId: ENGINE, kind: 'deployment' as const, namespace: namespace.name, name: 'sized' };
    const resolve = () => deployment;
    const record = podRecordOf(ENGINE, raw as RawPod, resolve);
    const keptBytes = JSON.stringify(record).length;
    expect(keptBytes).toBeLessThan(1200);
    // Heap per pod: 5,000 records made from copies of the real pod (each its own parse, as a list page gives).
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const text = JSON.stringify(raw);
    const count = 5000;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: unknown[] = [];
    for (let index = 0; index < count; index += 1) {
      const copy = JSON.parse(text.replaceAll(raw?.metadata?.uid ?? '', `uid-${index}`).replaceAll(raw?.metadata?.name ?? '', `pod-${index}`)) as RawPod;
      kept.push(podRecordOf(ENGINE, copy, resolve));
    }
    gc();
    const perPod = (process.memoryUsage().heapUsed - before) / count;
    console.info(`pod record: ${keptBytes} bytes as JSON (the raw pod: ${rawBytes}), ${Math.round(perPod)} bytes of heap per pod`);
    expect(kept).toHaveLength(count);
    expect(perPod).toBeLessThan(1024);
  });

  it('reads every pod of the namespace the same from the API server\'s protobuf list as from its JSON list', async () => {
    // Both lists at one resourceVersion (Exact: the same revision from etcd), so the crash loops cannot move between them.
    const path = `/api/v1/namespaces/${namespace.name}/pods`;
    const json = await admin.request<{ metadata: { resourceVersion: string }; items: RawPod[] }>({ path });
    const answer = await admin.requestBody({ path: `${path}?resourceVersion=${json.metadata.resourceVersion}&resourceVersionMatch=Exact` }, `${PROTOBUF_MEDIA_TYPE}, application/json`);
    expect(answer.contentType).toBe(PROTOBUF_MEDIA_TYPE);
    const protobuf = readProtobufList(answer.body, podOfProtobuf);
    expect(protobuf.metadata.resourceVersion).toBe(json.metadata.resourceVersion);
    const resolve = (podNamespace: string, _owner: unknown, name: string) => ({ engineId: ENGINE, kind: 'compose-service' as const, namespace: podNamespace, name });
    const records = (items: RawPod[]) => new Map(items.map((raw) => [raw.metadata?.uid, podRecordOf(ENGINE, raw, resolve)]));
    const fromJson = records(json.items);
    expect(records(protobuf.items as RawPod[])).toEqual(fromJson);
    // The pods of the tests above, in the states they were played into.
    const states = new Set([...fromJson.values()].map((record) => record?.instance.phase));
    for (const phase of ['running', 'crash-loop', 'waiting']) expect(states).toContain(phase);
    expect([...fromJson.values()].some((record) => record?.instance.oomKilled)).toBe(true);
    expect([...fromJson.values()].some((record) => record?.instance.health === 'healthy')).toBe(true);
    expect([...fromJson.values()].some((record) => (record?.memoryLimitBytes ?? 0) > 0)).toBe(true);
  });
});
