// Rollouts on the real test control plane (kube-apiserver, controller-manager and scheduler
// v1.20) with the fake kubelet playing the pods, driven through the real action executor and
// the Kubernetes adapter: restart makes a new ReplicaSet through the controller-manager, status
// streams kubectl's lines, history and undo come from the ReplicaSets' revisions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { KubernetesEngineAdapter } from '../../src/adapters/kubernetes/kubernetes-adapter';
import { describeResult, type WorkloadTarget } from '../../src/domain/engine-action';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { FakeKubelet } from '../support/fake-kubelet';
import { createTestNamespace, kubeConnection, kubeLab, type TestNamespace } from '../support/kube';
import { createStatefulSet, pinnedDeployment, readDeployment, waitForAvailable } from '../support/kube-cluster';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

let admin: KubeConnection;
let namespace: TestNamespace;
let kubelet: FakeKubelet;
let adapter: KubernetesEngineAdapter;

const executor = () => createActionExecutor({ adapterFor: (engineId) => (engineId === 'lab' ? adapter : undefined), readOnly: false });
const deployment = (name: string): WorkloadTarget => ({ engineId: 'lab', kind: 'deployment', namespace: namespace.name, name });

interface ReplicaSetList {
  items: { metadata: { name: string; annotations?: Record<string, string> }; spec: { template: { spec: { containers: { image: string }[] } } } }[];
}

const replicaSetsOf = async (name: string) =>
  (await admin.request<ReplicaSetList>({ path: `/apis/apps/v1/namespaces/${namespace.name}/replicasets?labelSelector=app%3D${name}` })).items;

/** A new image as a deploy would set it, with its change-cause. */
async function deployImage(name: string, image: string, cause: string): Promise<void> {
  await admin.request({
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/${namespace.name}/deployments/${name}`,
    patchType: 'strategic',
    body: { metadata: { annotations: { 'kubernetes.io/change-cause': cause } }, spec: { template: { spec: { containers: [{ name: 'api', image }] } } } },
  });
}

beforeAll(async () => {
  admin = await kubeConnection();
  namespace = await createTestNamespace('t-rollouts');
  kubelet = await FakeKubelet.start({ connection: admin, namespace: namespace.name });
  adapter = new KubernetesEngineAdapter({ engineId: 'lab', label: 'lab', kubeconfig: [kubeLab().kubeconfig], context: kubeLab().contexts.admin, readOnly: false, sink: createTestStore().getState() });
});

afterAll(async () => {
  await adapter?.stop();
  await kubelet?.stop();
  await namespace?.delete();
});

describe('rollouts on the real control plane', () => {
  it('restart patches restartedAt, the controller-manager makes a new ReplicaSet, and status streams kubectl lines until rolled out', async () => {
    await pinnedDeployment(namespace.name, kubelet.nodeName, 'api', { replicas: 2 });
    await waitForAvailable(admin, namespace.name, 'api');
    const actions = executor();
    const settled = await actions.execute({ verb: 'rollout-status', target: deployment('api'), timeoutSeconds: 30 }, { timeoutMs: 40_000 });
    expect(settled.output?.rollout).toMatchObject({ state: 'complete', desired: 2, updated: 2, available: 2, message: 'deployment "api" successfully rolled out' });

    const restarted = await actions.execute({ verb: 'rollout-restart', target: deployment('api') });
    expect(restarted.status).toBe('done');
    expect(restarted.call).toMatchObject({ method: 'GET', then: { method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace.name}/deployments/api` } });
    const stamp = restarted.output?.answer?.changes?.['spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]'];
    expect(stamp?.[0]).toBeUndefined();
    expect(String(stamp?.[1])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(describeResult(restarted)).toMatch(/^deployment\.apps\/api restarted \(\d+\.\d s\)$/);

    const lines: string[] = [];
    const status = await actions.execute({ verb: 'rollout-status', target: deployment('api'), timeoutSeconds: 60 }, { timeoutMs: 70_000, onOutput: (_stream, text) => lines.push(text) });
    expect(status.output?.rollout?.state).toBe('complete');
    expect(lines.at(-1)).toBe('deployment "api" successfully rolled out');
    expect(lines[0]).toMatch(/^Waiting for deployment (spec update to be observed\.\.\.|"api" rollout to finish: )/);
    // One line per change of progress, never the same line twice in a row.
    expect(lines.every((line, index) => index === 0 || line !== lines[index - 1])).toBe(true);

    const replicaSets = await replicaSetsOf('api');
    expect(replicaSets.map((replicaSet) => replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['1', '2']);
  });

  it('history lists the revisions; undo is a server dry run first, then brings back the previous image; a missing revision is refused', async () => {
    await pinnedDeployment(namespace.name, kubelet.nodeName, 'web');
    await waitForAvailable(admin, namespace.name, 'web');
    const actions = executor();
    const lonely = await actions.execute({ verb: 'rollout-undo', target: deployment('web') });
    expect(lonely.status).toBe('failed');
    expect(lonely.error).toBe('deployment.apps/web has no previous revision to roll back to (only revision 1)');

    await deployImage('web', 'local/busybox:2', 'deploy v2');
    await waitForAvailable(admin, namespace.name, 'web');
    const history = await actions.execute({ verb: 'rollout-history', target: deployment('web') });
    expect(history.output?.history?.map(({ revision, images, current, changeCause, replicas }) => ({ revision, images, current, changeCause, replicas }))).toEqual([
      { revision: 1, images: ['local/busybox:1'], current: false, changeCause: undefined, replicas: 0 },
      { revision: 2, images: ['local/busybox:2'], current: true, changeCause: 'deploy v2', replicas: 1 },
    ]);

    const before = await readDeployment(admin, namespace.name, 'web');
    const dryRun = await actions.execute({ verb: 'rollout-undo', target: deployment('web') }, { dryRun: true });
    expect(dryRun.status).toBe('would-do');
    expect(dryRun.output?.answer).toMatchObject({
      dryRun: true,
      summary: 'deployment.apps/web rolled back to revision 1',
      changes: { 'spec.template.spec.containers[api].image': ['local/busybox:2', 'local/busybox:1'] },
    });
    const unchanged = await readDeployment(admin, namespace.name, 'web');
    // The spec's generation: the controller may write the status meanwhile, which moves resourceVersion.
    expect(unchanged.metadata.generation).toBe(before.metadata.generation);
    expect(unchanged.spec.template.spec.containers[0]?.image).toBe('local/busybox:2');

    const undone = await actions.execute({ verb: 'rollout-undo', target: deployment('web') });
    expect(undone.status).toBe('done');
    expect(undone.output?.answer?.summary).toBe('deployment.apps/web rolled back to revision 1');
    expect((await readDeployment(admin, namespace.name, 'web')).spec.template.spec.containers[0]?.image).toBe('local/busybox:1');
    await waitForAvailable(admin, namespace.name, 'web');
    // As kubectl shows it: the template of revision 1 runs again as revision 3.
    const after = await waitFor('revision 3', async () => {
      const revisions = (await actions.execute({ verb: 'rollout-history', target: deployment('web') })).output?.history ?? [];
      return revisions.some((revision) => revision.revision === 3 && revision.current) ? revisions : undefined;
    });
    expect(after.map(({ revision, images, current }) => ({ revision, images, current }))).toEqual([
      { revision: 2, images: ['local/busybox:2'], current: false },
      { revision: 3, images: ['local/busybox:1'], current: true },
    ]);
    const missing = await actions.execute({ verb: 'rollout-undo', target: deployment('web'), toRevision: 9 });
    expect(missing.error).toBe('deployment.apps/web has no revision 9 to roll back to (revisions: 2, 3)');
    const toTwo = await actions.execute({ verb: 'rollout-undo', target: deployment('web'), toRevision: 2 }, { dryRun: true });
    expect(toTwo.output?.answer?.changes?.['spec.template.spec.containers[api].image']).toEqual(['local/busybox:1', 'local/busybox:2']);
    // The ReplicaSet's pod-template-hash label is not copied back into the deployment's template.
    const template = (await readDeployment(admin, namespace.name, 'web')) as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    expect(template.spec.template.metadata.labels).toEqual({ app: 'web' });
  });

  it('status stops at ProgressDeadlineExceeded as stalled, and answers its last progress at the timeout', async () => {
    kubelet.behave('stuck', { kind: 'image-pull-backoff' });
    kubelet.behave('slow', { kind: 'not-ready' });
    await pinnedDeployment(namespace.name, kubelet.nodeName, 'stuck', { progressDeadlineSeconds: 2 });
    await pinnedDeployment(namespace.name, kubelet.nodeName, 'slow');
    const actions = executor();
    const stalled = await actions.execute({ verb: 'rollout-status', target: deployment('stuck'), timeoutSeconds: 45 }, { timeoutMs: 50_000 });
    expect(stalled.output?.rollout).toMatchObject({ state: 'stalled', message: 'deployment "stuck" exceeded its progress deadline' });

    const startedAt = Date.now();
    const lines: string[] = [];
    const waiting = await actions.execute({ verb: 'rollout-status', target: deployment('slow'), timeoutSeconds: 3 }, { onOutput: (_stream, text) => lines.push(text) });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2900);
    expect(waiting.status).toBe('done');
    expect(waiting.output?.rollout).toMatchObject({ state: 'progressing', desired: 1, available: 0 });
    expect(lines.at(-1)).toBe(waiting.output?.rollout?.message);
    expect(waiting.output?.rollout?.message).toMatch(/^Waiting for deployment "slow" rollout to finish: /);
  });

  it('a StatefulSet\'s history and undo come from its ControllerRevisions, and its status reads as kubectl reads it', async () => {
    await createStatefulSet(admin, namespace.name, 'db', { nodeName: kubelet.nodeName });
    const target: WorkloadTarget = { engineId: 'lab', kind: 'statefulset', namespace: namespace.name, name: 'db' };
    const actions = executor();
    const first = await actions.execute({ verb: 'rollout-status', target, timeoutSeconds: 30 }, { timeoutMs: 40_000 });
    expect(first.output?.rollout?.state).toBe('complete');
    expect(first.output?.rollout?.message).toBe('partitioned roll out complete: 1 new pods have been updated...');
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace.name}/statefulsets/db`,
      patchType: 'strategic',
      body: { spec: { template: { spec: { containers: [{ name: 'db', image: 'local/busybox:2' }] } } } },
    });
    // The controller writes the new ControllerRevision before it reports it as the update revision.
    const history = await waitFor('revision 2 current', async () => {
      const revisions = (await actions.execute({ verb: 'rollout-history', target })).output?.history ?? [];
      return revisions.length === 2 && revisions[1]?.current ? revisions : undefined;
    });
    expect(history.map(({ revision, images, current }) => ({ revision, images, current }))).toEqual([
      { revision: 1, images: ['local/busybox:1'], current: false },
      { revision: 2, images: ['local/busybox:2'], current: true },
    ]);
    expect(history[0]?.name).toMatch(/^db-[0-9a-z]+$/);
    const undone = await actions.execute({ verb: 'rollout-undo', target });
    expect(undone.output?.answer).toMatchObject({
      summary: 'statefulset.apps/db rolled back to revision 1',
      changes: { 'spec.template.spec.containers[db].image': ['local/busybox:2', 'local/busybox:1'] },
    });
    const statefulSet = await admin.request<{ spec: { template: { spec: { containers: { image: string }[] } } } }>({ path: `/apis/apps/v1/namespaces/${namespace.name}/statefulsets/db` });
    expect(statefulSet.spec.template.spec.containers[0]?.image).toBe('local/busybox:1');
    // The controller renumbers the revision it went back to: revision 1's template is revision 3 now.
    await waitFor('revision 3', async () => ((await actions.execute({ verb: 'rollout-history', target })).output?.history ?? []).some((revision) => revision.revision === 3 && revision.current));
    const again = await actions.execute({ verb: 'rollout-undo', target, toRevision: 3 }, { dryRun: true });
    expect(again.output?.answer?.summary).toBe('statefulset.apps/db skipped rollback (current template already matches revision 3)');
    const restart = await actions.execute({ verb: 'rollout-restart', target }, { dryRun: true });
    expect(restart.output?.answer?.summary).toBe('statefulset.apps/db restarted');
    expect(Object.keys(restart.output?.answer?.changes ?? {})).toEqual(['spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]']);
  });
});
