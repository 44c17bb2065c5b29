// Scale, delete pod, set resources, set env, access reviews, events, inspect and top on the
// real test control plane (v1.20, RBAC on) with the fake kubelet playing the pods, through the
// real action executor and the Kubernetes adapter. Server dry runs (dryRun=All) must change
// nothing; a view-only ServiceAccount must see "forbidden" before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { KubernetesEngineAdapter } from '../../src/adapters/kubernetes/kubernetes-adapter';
import { KubernetesOperations } from '../../src/adapters/kubernetes/kubernetes-operations';
import { describeCall, describeResult, type EngineAction, type InstanceTarget, type WorkloadTarget } from '../../src/domain/engine-action';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { FakeKubelet } from '../support/fake-kubelet';
import { createTestNamespace, kubeConnection, kubeLab, type TestNamespace } from '../support/kube';
import { createViewerIdentity, pinnedDeployment, readDeployment, waitForAvailable, type RestrictedIdentity } from '../support/kube-cluster';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

let admin: KubeConnection;
let namespace: TestNamespace;
let kubelet: FakeKubelet;
let adapter: KubernetesEngineAdapter;

const executor = () => createActionExecutor({ adapterFor: (engineId) => (engineId === 'lab' ? adapter : undefined), readOnly: false });
const deployment = (name: string): WorkloadTarget => ({ engineId: 'lab', kind: 'deployment', namespace: namespace.name, name });
const pod = (name: string): InstanceTarget => ({ engineId: 'lab', kind: 'pod', namespace: namespace.name, name });

async function podsOf(app: string): Promise<{ metadata: { name: string; resourceVersion: string; deletionTimestamp?: string } }[]> {
  const list = await admin.request<{ items: { metadata: { name: string; resourceVersion: string; deletionTimestamp?: string } }[] }>({
    path: `/api/v1/namespaces/${namespace.name}/pods?labelSelector=app%3D${app}`,
  });
  return list.items;
}

beforeAll(async () => {
  admin = await kubeConnection();
  namespace = await createTestNamespace('t-mutations');
  kubelet = await FakeKubelet.start({ connection: admin, namespace: namespace.name });
  adapter = new KubernetesEngineAdapter({ engineId: 'lab', label: 'lab', kubeconfig: [kubeLab().kubeconfig], context: kubeLab().contexts.admin, readOnly: false, sink: createTestStore().getState() });
  await pinnedDeployment(namespace.name, kubelet.nodeName, 'api', { containers: ['api', 'sidecar'] });
  await waitForAvailable(admin, namespace.name, 'api');
});

afterAll(async () => {
  await adapter?.stop();
  await kubelet?.stop();
  await namespace?.delete();
});

describe('mutations on the real control plane', () => {
  it('scales through the scale subresource: the server dry run changes nothing, then "scaled from 1 to 3"', async () => {
    const actions = executor();
    const action: EngineAction = { verb: 'scale', target: deployment('api'), replicas: 3 };
    expect(describeCall(actions.describe(action)!)).toBe(
      `GET /apis/apps/v1/namespaces/${namespace.name}/deployments/api/scale then PATCH /apis/apps/v1/namespaces/${namespace.name}/deployments/api/scale {"spec":{"replicas":3}}`,
    );
    const before = await readDeployment(admin, namespace.name, 'api');
    const dryRun = await actions.execute(action, { dryRun: true });
    expect(dryRun.status).toBe('would-do');
    expect(dryRun.output?.answer).toMatchObject({ dryRun: true, summary: 'deployment.apps/api scaled from 1 to 3', changes: { 'spec.replicas': [1, 3] } });
    expect(describeResult(dryRun)).toBe('dry run (server): deployment.apps/api scaled from 1 to 3');
    const unchanged = await readDeployment(admin, namespace.name, 'api');
    // The spec's generation: the controller may write the status meanwhile, which moves resourceVersion.
    expect(unchanged.metadata.generation).toBe(before.metadata.generation);
    expect(unchanged.spec.replicas).toBe(1);

    const scaled = await actions.execute(action);
    expect(scaled.output?.answer).toMatchObject({ dryRun: false, summary: 'deployment.apps/api scaled from 1 to 3' });
    expect((await readDeployment(admin, namespace.name, 'api')).spec.replicas).toBe(3);
    await waitForAvailable(admin, namespace.name, 'api');
    expect(await podsOf('api')).toHaveLength(3);
    const bad = await actions.execute({ verb: 'scale', target: deployment('api'), replicas: -1 });
    expect(bad.error).toBe('scale deployment.apps/api: replicas must be a whole number of at least 0 (got -1)');
  });

  it('deletes a pod: the dry run leaves it, the real delete ends it and its ReplicaSet makes another', async () => {
    const actions = executor();
    const [victim] = await podsOf('api');
    if (!victim) throw new Error('no pod of api');
    const dryRun = await actions.execute({ verb: 'delete', target: pod(victim.metadata.name), gracePeriodSeconds: 5 }, { dryRun: true });
    expect(dryRun.output?.answer).toMatchObject({ dryRun: true, summary: `pod/${victim.metadata.name} deleted` });
    expect(dryRun.output?.answer?.resourceVersion).toBeUndefined();
    const still = (await podsOf('api')).find((candidate) => candidate.metadata.name === victim.metadata.name);
    expect(still?.metadata.resourceVersion).toBe(victim.metadata.resourceVersion);
    expect(still?.metadata.deletionTimestamp).toBeUndefined();

    const deleted = await actions.execute({ verb: 'delete', target: pod(victim.metadata.name), gracePeriodSeconds: 5 });
    expect(deleted.status).toBe('done');
    expect(deleted.call).toEqual({ type: 'http', method: 'DELETE', path: `/api/v1/namespaces/${namespace.name}/pods/${victim.metadata.name}?gracePeriodSeconds=5` });
    expect(deleted.output?.answer?.changes?.['metadata.deletionTimestamp']?.[1]).toMatch(/^\d{4}-/);
    await waitFor('the pod gone and replaced', async () => {
      const names = (await podsOf('api')).filter((candidate) => !candidate.metadata.deletionTimestamp).map((candidate) => candidate.metadata.name);
      return !names.includes(victim.metadata.name) && names.length === 3;
    });
  });

  it('sets resources and env by strategic merge, with before/after from the server; bad input is refused before any request', async () => {
    const actions = executor();
    const limited = await actions.execute({ verb: 'set-resources', target: deployment('api'), container: 'api', limits: { memory: '256Mi' } });
    expect(limited.output?.answer).toEqual({
      dryRun: false,
      summary: 'deployment.apps/api resource requirements updated',
      changes: { 'spec.template.spec.containers[api].resources.limits.memory': [undefined, '256Mi'] },
      resourceVersion: expect.any(String),
    });
    const everyContainer = await actions.execute({ verb: 'set-resources', target: deployment('api'), requests: { cpu: '100m' } }, { dryRun: true });
    expect(everyContainer.output?.answer?.changes).toEqual({
      'spec.template.spec.containers[api].resources.requests.cpu': [undefined, '100m'],
      'spec.template.spec.containers[sidecar].resources.requests.cpu': [undefined, '100m'],
    });
    const template = (await readDeployment(admin, namespace.name, 'api')).spec.template.spec.containers;
    expect(template.map((container) => container.resources)).toEqual([{ limits: { memory: '256Mi' } }, {}]);
    const wrong = await actions.execute({ verb: 'set-resources', target: deployment('api'), limits: { memory: '12 GB' } });
    expect(wrong.error).toBe('set resources: limits.memory "12 GB" is not a Kubernetes quantity (e.g. 500m, 1, 256Mi, 1Gi)');
    const noContainer = await actions.execute({ verb: 'set-resources', target: deployment('api'), container: 'db', limits: { cpu: '1' } });
    expect(noContainer.error).toBe('deployment.apps/api has no container "db" (containers: api, sidecar)');

    const setEnv: EngineAction = { verb: 'set-env', target: deployment('api'), container: 'api', env: { MODE: 'safe', DB_PASSWORD: 'hunter2' } };
    expect(JSON.stringify(actions.describe(setEnv))).not.toContain('hunter2');
    const withEnv = await actions.execute(setEnv);
    expect(withEnv.output?.answer?.summary).toBe('deployment.apps/api env updated');
    expect(withEnv.output?.answer?.changes).toEqual({
      'spec.template.spec.containers[api].env[MODE]': [undefined, 'safe'],
      'spec.template.spec.containers[api].env[DB_PASSWORD]': [undefined, '<redacted>'],
    });
    const removed = await actions.execute({ verb: 'set-env', target: deployment('api'), env: { MODE: null } });
    expect(removed.output?.answer?.changes).toEqual({ 'spec.template.spec.containers[api].env[MODE]': ['safe', undefined] });
    const env = (await readDeployment(admin, namespace.name, 'api')).spec.template.spec.containers.map((container) => container.env);
    expect(env).toEqual([[{ name: 'DB_PASSWORD', value: 'hunter2' }], undefined]);
  });

  it('reads the events of a workload with its ReplicaSets and pods, newest last, and inspects a pod as the fake kubelet plays it', async () => {
    kubelet.behave('oom', { kind: 'oom-killed', restartEveryMs: 500 });
    await pinnedDeployment(namespace.name, kubelet.nodeName, 'oom', { memoryLimit: '64Mi' });
    const actions = executor();
    const [crashing] = await waitFor('an oom pod', async () => ((await podsOf('oom')).length > 0 ? podsOf('oom') : undefined));
    const details = await waitFor('the OOM kill played', async () => {
      const result = await actions.execute({ verb: 'inspect', target: pod(crashing?.metadata.name ?? '') });
      return result.output?.inspect?.oomKilled ? result.output.inspect : undefined;
    });
    // As the cockpit shows the pod: phase crash-loop, kubectl's CrashLoopBackOff, no readiness probe so no health.
    expect(details).toMatchObject({ state: 'crash-loop', status: 'CrashLoopBackOff', exitCode: 137, oomKilled: true, image: 'local/busybox:1', memoryLimitBytes: 64 * 2 ** 20, health: 'none' });
    expect(details.restartCount).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(details.raw)).not.toContain('managedFields');

    // The controllers record their events asynchronously: wait for the ReplicaSet's and the kubelet's.
    const events = await waitFor('the back-off event among the controllers\' events', async () => {
      const list = (await actions.execute({ verb: 'events', target: deployment('oom') })).output?.events ?? [];
      return list.some((event) => event.reason === 'BackOff') && list.some((event) => event.reason === 'SuccessfulCreate') ? list : undefined;
    });
    const objects = new Set(events.map((event) => event.object.split('/')[0]));
    expect([...objects].sort()).toEqual(['Deployment', 'Pod', 'ReplicaSet']);
    expect(events.find((event) => event.reason === 'ScalingReplicaSet')?.object).toBe('Deployment/oom');
    expect(events.find((event) => event.reason === 'BackOff')).toMatchObject({ type: 'Warning', object: `Pod/${crashing?.metadata.name}` });
    expect(events.map((event) => event.lastSeen)).toEqual([...events.map((event) => event.lastSeen)].sort((left, right) => left - right));
    expect(events.some((event) => event.object.startsWith('Pod/api') || event.object === 'Deployment/api')).toBe(false);
    const lastTwo = await actions.execute({ verb: 'events', target: deployment('oom'), limit: 2 });
    expect(lastTwo.output?.events).toHaveLength(2);

    const top = await actions.execute({ verb: 'top', target: deployment('oom') });
    expect(top.status).toBe('failed');
    expect(top.error).toBe('this cluster does not serve metrics.k8s.io (no metrics-server): no CPU or memory usage for deployment.apps/oom');
  });
});

describe('access reviews with a real view-only ServiceAccount', () => {
  let viewer: RestrictedIdentity;
  let restricted: KubernetesEngineAdapter;

  beforeAll(async () => {
    viewer = await createViewerIdentity(admin, namespace.name);
    restricted = new KubernetesEngineAdapter({ engineId: 'lab', label: 'lab as viewer', kubeconfig: [viewer.kubeconfigPath], context: 'viewer', readOnly: false, sink: createTestStore().getState() });
  });

  afterAll(async () => {
    await restricted?.stop();
    await viewer?.dispose();
  });

  it('refuses a mutation as forbidden from the SelfSubjectAccessReview before anything is sent, and caches the answer', async () => {
    const actions = createActionExecutor({ adapterFor: () => restricted, readOnly: false });
    const scale: EngineAction = { verb: 'scale', target: deployment('api'), replicas: 5 };
    const sentence = `forbidden: user "viewer" cannot patch deployments.apps/scale in namespace "${namespace.name}"`;
    expect(actions.refusal(scale)).toBeUndefined();
    expect(await actions.authorize(scale)).toBe(sentence);
    // Cached: the next refusal needs no request.
    expect(actions.refusal(scale)).toBe(sentence);
    const before = await readDeployment(admin, namespace.name, 'api');
    const refused = await actions.execute(scale);
    expect(refused).toMatchObject({ status: 'refused', error: sentence });
    // Nothing reached the spec (the controller may still write the status, which moves resourceVersion).
    const after = await readDeployment(admin, namespace.name, 'api');
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec.replicas).toBe(before.spec.replicas);
    expect(await actions.authorize({ verb: 'rollout-restart', target: deployment('api') })).toBe(`forbidden: user "viewer" cannot patch deployments.apps in namespace "${namespace.name}"`);
    expect(await actions.authorize({ verb: 'delete', target: pod('anything') })).toBe(`forbidden: user "viewer" cannot delete pods in namespace "${namespace.name}"`);
    // Reading is what view allows.
    expect(await restricted.reviewAccess({ verb: 'rollout-history', target: deployment('api') })).toEqual({ allowed: true });
    const history = await actions.execute({ verb: 'rollout-history', target: deployment('api') });
    expect(history.status).toBe('done');
  });

  it('trusts an access answer for its TTL only, per verb, resource, namespace and object', async () => {
    let now = 1_000_000;
    const operations = new KubernetesOperations({ engineId: 'lab', readOnly: false, connect: () => connectKube({ kubeconfig: [viewer.kubeconfigPath] }), now: () => now, accessTtlMs: 5000 });
    const restart: EngineAction = { verb: 'rollout-restart', target: deployment('api') };
    expect(operations.cachedAccess(restart)).toBeUndefined();
    const answer = await operations.reviewAccess(restart);
    expect(answer.allowed).toBe(false);
    expect(operations.cachedAccess(restart)).toEqual(answer);
    // The same permission (patch this deployment) for another verb.
    expect(operations.cachedAccess({ verb: 'set-env', target: deployment('api'), env: { A: 'b' } })).toEqual(answer);
    // A denial is kept for the object asked about: a role may allow another deployment (resourceNames).
    expect(operations.cachedAccess({ verb: 'set-env', target: deployment('other'), env: { A: 'b' } })).toBeUndefined();
    expect(operations.cachedAccess({ verb: 'rollout-restart', target: { ...deployment('api'), namespace: 'elsewhere' } })).toBeUndefined();
    now += 5001;
    expect(operations.cachedAccess(restart)).toBeUndefined();
    await operations.stop();
  });

  it('follows a role that allows some deployments only (resourceNames): each keeps its own answer, whichever is asked first', async () => {
    const limited = await createViewerIdentity(admin, namespace.name, {
      account: 'limited',
      grants: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'], resourceNames: ['api'] }],
    });
    const operations = new KubernetesOperations({ engineId: 'lab', readOnly: false, connect: () => connectKube({ kubeconfig: [limited.kubeconfigPath] }), now: () => 1_000_000, accessTtlMs: 60_000 });
    try {
      const restartOther: EngineAction = { verb: 'rollout-restart', target: deployment('other') };
      const restartApi: EngineAction = { verb: 'rollout-restart', target: deployment('api') };
      expect(await operations.reviewAccess(restartOther)).toEqual({ allowed: false, reason: `forbidden: user "limited" cannot patch deployments.apps in namespace "${namespace.name}"` });
      // The denial for `other` is not the answer for `api`.
      expect(operations.cachedAccess(restartApi)).toBeUndefined();
      expect(await operations.reviewAccess(restartApi)).toEqual({ allowed: true });
      expect(operations.cachedAccess({ verb: 'set-env', target: deployment('api'), env: { A: 'b' } })).toEqual({ allowed: true });
      expect(operations.cachedAccess(restartOther)?.allowed).toBe(false);
      // Scaling is another permission (deployments/scale), which the role does not grant on any name.
      expect((await operations.reviewAccess({ verb: 'scale', target: deployment('api'), replicas: 2 })).allowed).toBe(false);
    } finally {
      await operations.stop();
      await limited.dispose();
    }
  });

  it('turns a 403 from the mutation itself into the same kind of sentence, naming the user the server saw', async () => {
    await expect(restricted.setEnv(deployment('api'), { env: { MODE: 'x' } })).rejects.toThrow(
      `forbidden: user "${viewer.userName}" cannot patch deployments.apps in namespace "${namespace.name}"`,
    );
  });
});
