// The Kubernetes watch on the real control plane (apiserver, controller-manager, scheduler; no
// kubelet): what an operator sees in the cockpit's store, read through the informers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { KubernetesWatch, type KubernetesWatchOptions } from '../../src/adapters/kubernetes/kubernetes-watch';
import { refKey } from '../../src/domain/resource-ref';
import type { Instance } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { startApiFront } from '../support/kube-api-front';
import { applyDeployment, createTestNamespace, kubeConnection, kubeLab } from '../support/kube';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const ENGINE = 'kube';

function startWatch(store: OpsdeckStore, namespace: string | undefined, options: Partial<KubernetesWatchOptions> = {}): KubernetesWatch {
  const lab = kubeLab();
  const watch = new KubernetesWatch({
    engineId: ENGINE,
    label: 'lab',
    ...(namespace !== undefined ? { namespace } : {}),
    sink: store.getState(),
    connect: () => connectKube({ kubeconfig: [lab.kubeconfig], context: lab.contexts.admin }),
    context: lab.contexts.admin,
    ...options,
  });
  watch.start();
  return watch;
}

function podsOf(store: OpsdeckStore, namespace: string, workloadName?: string): Instance[] {
  return Object.values(store.getState().instances)
    .filter((instance) => instance.ref.engineId === ENGINE && instance.ref.namespace === namespace && (workloadName === undefined || instance.workload.name === workloadName))
    .sort((left, right) => left.ref.name.localeCompare(right.ref.name));
}

interface PodObject {
  metadata: { name: string; uid: string };
  status?: { conditions?: Array<{ type: string; status: string; message?: string }> };
}

async function podObjects(admin: KubeConnection, namespace: string, selector: string): Promise<PodObject[]> {
  const list = await admin.request<{ items: PodObject[] }>({ path: `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}` });
  return list.items;
}

describe('Kubernetes watch on a real control plane', () => {
  let namespace: { name: string; delete(): Promise<void> };
  let admin: KubeConnection;
  let store: OpsdeckStore;
  let watch: KubernetesWatch;
  /** No node carries this label: the scheduler keeps the pods Pending with its message. */
  const nowhere = { 'opsdeck.test/node': 'none' };

  beforeAll(async () => {
    admin = await kubeConnection();
    namespace = await createTestNamespace('t-watch');
    store = createTestStore();
    watch = startWatch(store, namespace.name);
    await waitFor('the context connected', () => store.getState().engines[ENGINE]?.state === 'connected');
  });

  afterAll(async () => {
    await watch?.stop();
    await namespace?.delete();
  });

  it('registers the context at once, then connects with the server version and the namespaces', async () => {
    const other = createTestStore();
    const quick = startWatch(other, namespace.name, { engineId: 'quick' });
    // Registered before anything was read: the first frame has the engine.
    expect(other.getState().engines['quick']).toMatchObject({ kind: 'kubernetes', label: 'lab', context: kubeLab().contexts.admin, namespace: namespace.name, state: 'connecting' });
    await waitFor('connected', () => other.getState().engines['quick']?.state === 'connected');
    await quick.stop();
    const engine = store.getState().engines[ENGINE];
    const server = (await kubeConnection()).server;
    expect(engine?.endpoint).toBe(server);
    expect(engine?.version).toMatch(/^v1\.\d+\.\d+/);
    await waitFor('namespaces listed', () => store.getState().engines[ENGINE]?.namespaces?.includes(namespace.name));
    const namespaces = store.getState().engines[ENGINE]?.namespaces ?? [];
    expect(namespaces).toEqual([...namespaces].sort());
    expect(namespaces).toContain('kube-system');
  });

  it("lists a Deployment's pods as Pending with the scheduler's message while no node can take them", async () => {
    await applyDeployment(namespace.name, 'api', { replicas: 3, nodeSelector: nowhere });
    const deploymentKey = refKey({ engineId: ENGINE, kind: 'deployment', namespace: namespace.name, name: 'api' });
    const workload = await waitFor('the api workload with 3 desired', () => {
      const found = store.getState().workloads[deploymentKey];
      return found?.desiredReplicas === 3 && found.rollout?.observed ? found : undefined;
    });
    expect(workload.ref.kind).toBe('deployment');
    expect(workload.readyReplicas).toBe(0);
    expect(workload.revision).toBe('1');
    expect(workload.images).toEqual(['local/busybox:latest']);
    const pods = await waitFor('3 pending pods with a message', () => {
      const found = podsOf(store, namespace.name, 'api');
      return found.length === 3 && found.every((pod) => pod.phase === 'pending' && pod.message) ? found : undefined;
    });
    // The scheduler's own words, as the apiserver has them.
    const objects = await podObjects(admin, namespace.name, 'app=api');
    for (const pod of pods) {
      const object = objects.find((candidate) => candidate.metadata.uid === pod.ref.uid);
      const scheduled = object?.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
      expect(scheduled?.status).toBe('False');
      expect(pod.message).toBe(scheduled?.message);
      expect(pod).toMatchObject({ state: 'Pending', reason: 'Unschedulable', ready: false, restartCount: 0, containers: ['api'], workloadKey: deploymentKey });
    }
    const rollout = store.getState().workloads[deploymentKey]?.rollout;
    expect(rollout?.state).toBe('progressing');
    expect(rollout?.message).toBe(`Waiting for deployment "api" rollout to finish: 0 of 3 updated replicas are available...`);
    // The log follower's view of the same pods.
    expect(watch.podsOf(deploymentKey).map((pod) => pod.name)).toEqual(pods.map((pod) => pod.ref.name));
    expect(watch.podsOf(deploymentKey).every((pod) => !pod.started && pod.containers[0] === 'api')).toBe(true);
  });

  it('shows FailedScheduling Warning events under the pod and its Deployment', async () => {
    const deploymentKey = refKey({ engineId: ENGINE, kind: 'deployment', namespace: namespace.name, name: 'api' });
    const event = await waitFor('a FailedScheduling event', () =>
      Object.values(store.getState().warningEvents).find((candidate) => candidate.namespace === namespace.name && candidate.reason === 'FailedScheduling'),
    );
    expect(event.engineId).toBe(ENGINE);
    expect(event.involved.kind).toBe('Pod');
    expect(event.instanceKey).toBe(refKey({ engineId: ENGINE, kind: 'pod', namespace: namespace.name, name: event.involved.name }));
    expect(event.workloadKey).toBe(deploymentKey);
    expect(event.count).toBeGreaterThanOrEqual(1);
    expect(event.lastSeen).toBeGreaterThanOrEqual(event.firstSeen);
    expect(event.message).toMatch(/node/);
  });

  it('follows a scale of the Deployment: desired replicas and pods', async () => {
    const deploymentKey = refKey({ engineId: ENGINE, kind: 'deployment', namespace: namespace.name, name: 'api' });
    const scale = (replicas: number) =>
      admin.request({ method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace.name}/deployments/api/scale`, body: { spec: { replicas } } });
    // The log follower hears of every change to the pods.
    const heard: number[] = [];
    const unsubscribe = watch.onPodsChanged(() => heard.push(watch.podsOf(deploymentKey).length));
    await scale(5);
    await waitFor('5 desired, 5 pods', () => store.getState().workloads[deploymentKey]?.desiredReplicas === 5 && podsOf(store, namespace.name, 'api').length === 5);
    expect(heard).toContain(5);
    unsubscribe();
    const heardBefore = heard.length;
    await scale(2);
    await waitFor('2 desired, 2 pods', () => store.getState().workloads[deploymentKey]?.desiredReplicas === 2 && podsOf(store, namespace.name, 'api').length === 2);
    expect(heard.length).toBe(heardBefore);
    expect(watch.podsOf(deploymentKey)).toHaveLength(2);
  });

  it("removes a deleted pod and shows the ReplicaSet's replacement", async () => {
    const [victim, survivor] = await waitFor('two api pods', () => {
      const found = podsOf(store, namespace.name, 'api');
      return found.length === 2 ? found : undefined;
    });
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/${victim?.ref.name}?gracePeriodSeconds=0` });
    const after = await waitFor('the victim gone and a replacement', () => {
      const found = podsOf(store, namespace.name, 'api');
      return found.length === 2 && !found.some((pod) => pod.key === victim?.key) ? found : undefined;
    });
    expect(after.map((pod) => pod.key)).toContain(survivor?.key);
    expect(store.getState().instances[victim?.key ?? '']).toBeUndefined();
  });

  it('gives a pod without a controller a row of its own, and removes both with the pod', async () => {
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace.name}/pods`,
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely' }, spec: { nodeSelector: nowhere, containers: [{ name: 'main', image: 'local/busybox:latest' }] } },
    });
    const pod = await waitFor('the lonely pod', () => podsOf(store, namespace.name).find((candidate) => candidate.ref.name === 'lonely'));
    expect(pod.workload).toEqual({ engineId: ENGINE, kind: 'compose-service', namespace: namespace.name, name: 'lonely' });
    expect(store.getState().workloads[pod.workloadKey]?.ref.name).toBe('lonely');
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/lonely?gracePeriodSeconds=0` });
    await waitFor('pod and its row gone', () => !store.getState().instances[pod.key] && !store.getState().workloads[pod.workloadKey]);
  });

  it('moves pods when their ReplicaSet is orphaned and adopted again (delete --cascade=orphan, then re-create)', async () => {
    await applyDeployment(namespace.name, 'keeper', { replicas: 1, nodeSelector: nowhere });
    const deploymentKey = refKey({ engineId: ENGINE, kind: 'deployment', namespace: namespace.name, name: 'keeper' });
    const pod = await waitFor('the keeper pod under its Deployment', () => podsOf(store, namespace.name).find((candidate) => candidate.workloadKey === deploymentKey));
    await admin.request({ method: 'DELETE', path: `/apis/apps/v1/namespaces/${namespace.name}/deployments/keeper?propagationPolicy=Orphan` });
    // The garbage collector removes the ReplicaSet's owner: the pod stays, now without a Deployment.
    const orphan = await waitFor('the pod without its Deployment', () => {
      const found = store.getState().instances[pod.key];
      return found && found.workloadKey !== deploymentKey ? found : undefined;
    });
    expect(orphan.workload.kind).toBe('compose-service');
    expect(store.getState().workloads[orphan.workloadKey]).toBeDefined();
    // The Deployment goes once its dependents are orphaned.
    await waitFor('the Deployment gone', () => !store.getState().workloads[deploymentKey]);
    await applyDeployment(namespace.name, 'keeper', { replicas: 1, nodeSelector: nowhere });
    await waitFor('the pod adopted again', () => store.getState().instances[pod.key]?.workloadKey === deploymentKey);
    await waitFor('its own row gone', () => !store.getState().workloads[orphan.workloadKey]);
  });

  it('lists page by page (limit, continue) and keeps every pod', async () => {
    const front = await startApiFront(admin);
    const paged = createTestStore();
    const pagedWatch = new KubernetesWatch({
      engineId: 'paged',
      label: 'paged',
      namespace: namespace.name,
      sink: paged.getState(),
      connect: () => connectKube({ kubeconfig: [front.kubeconfig], context: 'front' }),
      pageSize: 1,
    });
    try {
      pagedWatch.start();
      await waitFor('connected', () => paged.getState().engines['paged']?.state === 'connected');
      const expected = podsOf(store, namespace.name).map((pod) => pod.ref.name);
      const listed = Object.values(paged.getState().instances).map((pod) => pod.ref.name).sort();
      expect(listed).toEqual(expected);
      const podLists = front.requests.filter((path) => path.startsWith(`/api/v1/namespaces/${namespace.name}/pods?`) && !path.includes('watch=1'));
      expect(podLists.length).toBeGreaterThanOrEqual(expected.length);
      expect(podLists.every((path) => path.includes('limit=1'))).toBe(true);
      expect(podLists.slice(1).every((path) => path.includes('continue='))).toBe(true);
    } finally {
      await pagedWatch.stop();
      await front.close();
    }
  });

  it('reads everything once for `opsdeck status` and is done', async () => {
    const once = createTestStore();
    const collector = new KubernetesWatch({
      engineId: 'once',
      label: 'once',
      namespace: namespace.name,
      sink: once.getState(),
      connect: () => connectKube({ kubeconfig: [kubeLab().kubeconfig], context: kubeLab().contexts.admin }),
    });
    const started = Date.now();
    await collector.collectOnce();
    const listMs = Date.now() - started;
    await waitFor('flushed', () => once.getState().engines['once']?.state === 'connected' && once.getState().engines['once']?.metrics);
    const listed = Object.values(once.getState().instances).map((pod) => pod.ref.uid).sort();
    expect(listed).toEqual(podsOf(store, namespace.name).map((pod) => pod.ref.uid).sort());
    expect(Object.values(once.getState().warningEvents).some((event) => event.reason === 'FailedScheduling')).toBe(true);
    // The shared control plane has no metrics-server: said plainly.
    expect(once.getState().engines['once']?.metrics).toEqual({
      state: 'unavailable',
      detail: 'metrics.k8s.io is not served by this cluster (no metrics-server): no CPU or memory for pods and nodes',
    });
    console.info(`collectOnce of namespace ${namespace.name}: ${listed.length} pods in ${listMs} ms`);
  });
});
