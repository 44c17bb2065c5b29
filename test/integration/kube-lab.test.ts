// The project's own Kubernetes control plane (lab/kube-engine.mjs), as the other Kubernetes tests
// rely on it: a real apiserver with RBAC, a real controller-manager that turns a Deployment into a
// ReplicaSet and pods, a viewer that may read but not change, an apiserver that can be stopped and
// started again with etcd keeping the objects, and a second apiserver on the same etcd.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startExtraApiserver, startKubeLab, type KubeLab } from '../../lab/kube-engine.mjs';
import { isProcessAlive } from '../../lab/process-state.mjs';
import { connectKube, KubeApiError, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { applyDeployment, kubeConnection, kubeLab, useTestNamespace } from '../support/kube';
import { waitFor } from '../support/wait-for';

interface ObjectList<T> {
  items: T[];
}
interface OwnedObject {
  metadata: { name: string; uid: string; ownerReferences?: Array<{ kind: string; uid: string }>; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

async function allowed(connection: KubeConnection, attributes: Record<string, string>): Promise<boolean> {
  const review = await connection.request<{ status: { allowed: boolean } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
  });
  return review.status.allowed;
}

async function failureOf(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('the shared control plane', () => {
  const namespace = useTestNamespace('t-kube-lab');

  it('answers as admin on its own loopback port with TLS verified against its own CA', async () => {
    const lab = kubeLab();
    expect(lab.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(lab.server).not.toMatch(/:16443$/);
    const admin = await kubeConnection('admin');
    expect(admin.server).toBe(lab.server);
    expect(admin.contextName).toBe('admin');
    const version = await admin.request<{ gitVersion: string }>({ path: '/version' });
    expect(version.gitVersion).toBe('v1.20.2');
    const namespaces = await admin.request<ObjectList<OwnedObject>>({ path: '/api/v1/namespaces' });
    expect(namespaces.items.map((item) => item.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', namespace()]));
  });

  it('turns a Deployment into a ReplicaSet and its pods through the real controller-manager', async () => {
    const admin = await kubeConnection('admin');
    const deployment = await applyDeployment(namespace(), 'web', { replicas: 2, env: { MODE: 'test' }, resources: { limits: { memory: '64Mi' } } });
    const replicaSet = await waitFor('the ReplicaSet of web', async () => {
      const sets = await admin.request<ObjectList<OwnedObject>>({ path: `/apis/apps/v1/namespaces/${namespace()}/replicasets` });
      return sets.items.find((set) => set.metadata.ownerReferences?.some((owner) => owner.kind === 'Deployment' && owner.uid === deployment.metadata.uid));
    });
    const pods = await waitFor('two pods of web', async () => {
      const list = await admin.request<ObjectList<OwnedObject>>({ path: `/api/v1/namespaces/${namespace()}/pods?labelSelector=app%3Dweb` });
      return list.items.length === 2 ? list.items : undefined;
    });
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', uid: replicaSet.metadata.uid })]);
      // No kubelet and no node: the scheduler has nowhere to put them.
      expect(pod.status?.phase).toBe('Pending');
      expect(pod.spec?.nodeName).toBeUndefined();
    }
    // Binaries built with the reflect2 that Kubernetes 1.20 vendors panic on every list under Go 1.19.
    expect(readFileSync(join(kubeLab().runDir, 'apiserver-main.log'), 'utf8')).not.toContain("apiserver panic'd");
  });

  it('lets the viewer context list pods but not patch, scale or delete (SelfSubjectAccessReview and the request itself)', async () => {
    const lab = kubeLab();
    const viewer = await kubeConnection('viewer');
    expect(viewer.server).toBe(lab.server);
    expect(viewer.userName).not.toBe((await kubeConnection('admin')).userName);
    await applyDeployment(namespace(), 'api');
    const ns = namespace();
    expect(await allowed(viewer, { verb: 'list', resource: 'pods', namespace: ns })).toBe(true);
    expect(await allowed(viewer, { verb: 'watch', group: 'apps', resource: 'deployments', namespace: ns })).toBe(true);
    expect(await allowed(viewer, { verb: 'patch', group: 'apps', resource: 'deployments', namespace: ns })).toBe(false);
    expect(await allowed(viewer, { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: ns })).toBe(false);
    expect(await allowed(viewer, { verb: 'delete', resource: 'pods', namespace: ns })).toBe(false);
    expect(await allowed(await kubeConnection('admin'), { verb: 'patch', group: 'apps', resource: 'deployments', namespace: ns })).toBe(true);

    const pods = await viewer.request<ObjectList<OwnedObject>>({ path: `/api/v1/namespaces/${ns}/pods` });
    expect(Array.isArray(pods.items)).toBe(true);
    const patch = await failureOf(
      viewer.request({ method: 'PATCH', path: `/apis/apps/v1/namespaces/${ns}/deployments/api`, body: { spec: { replicas: 3 } } }),
    );
    expect(patch).toBeInstanceOf(KubeApiError);
    expect(patch).toMatchObject({ status: 403, reason: 'Forbidden' });
    const admin = await kubeConnection('admin');
    const unchanged = await admin.request<{ spec: { replicas: number } }>({ path: `/apis/apps/v1/namespaces/${ns}/deployments/api` });
    expect(unchanged.spec.replicas).toBe(1);
  });

  // An apiserver takes about 5 s to start, several times that on a busy machine.
  it('runs a second apiserver for one test on the same etcd; stopping it leaves the shared one answering', { timeout: 180_000 }, async () => {
    const lab = kubeLab();
    const extra = await startExtraApiserver(lab.runDir);
    try {
      expect(extra.server).not.toBe(lab.server);
      const second = await connectKube({ kubeconfig: [extra.kubeconfig], context: extra.contexts.admin });
      expect(second.server).toBe(extra.server);
      const seen = await second.request<OwnedObject>({ path: `/api/v1/namespaces/${namespace()}` });
      expect(seen.metadata.name).toBe(namespace());

      await extra.stop();
      expect(extra.pid()).toBeUndefined();
      expect(await failureOf(second.request({ path: '/version', timeoutMs: 3_000 }))).toMatchObject({ code: 'ECONNREFUSED' });
      const shared = await kubeConnection('admin');
      expect((await shared.request<{ gitVersion: string }>({ path: '/version' })).gitVersion).toBe('v1.20.2');

      await extra.start();
      expect(extra.pid()).toBeGreaterThan(1);
      expect((await second.request<OwnedObject>({ path: `/api/v1/namespaces/${namespace()}` })).metadata.name).toBe(namespace());
    } finally {
      await extra.dispose();
    }
    expect(extra.pid()).toBeUndefined();
  });
});

describe('a control plane of its own', () => {
  let lab: KubeLab | undefined;
  afterAll(async () => {
    await lab?.dispose();
  });

  it('stops and starts its apiserver while etcd and the controllers keep running, then disposes of everything', { timeout: 180_000 }, async () => {
    const started = performance.now();
    lab = await startKubeLab();
    const startMs = performance.now() - started;
    const admin = await connectKube({ kubeconfig: [lab.kubeconfig], context: lab.contexts.admin });
    await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'kept' } } });
    const before = lab.pids();
    expect(Object.values(before).every((pid) => pid !== undefined && isProcessAlive(pid))).toBe(true);

    await lab.stopApiserver();
    expect(lab.pid()).toBeUndefined();
    expect(await failureOf(admin.request({ path: '/version', timeoutMs: 3_000 }))).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isProcessAlive(before.etcd as number)).toBe(true);

    await lab.startApiserver();
    expect(lab.pid()).not.toBe(before.apiserver);
    expect(lab.pids().etcd).toBe(before.etcd);
    // etcd kept the namespace; the controller-manager works against the new apiserver.
    expect((await admin.request<OwnedObject>({ path: '/api/v1/namespaces/kept' })).metadata.name).toBe('kept');
    const deployment = await admin.request<OwnedObject>({
      method: 'POST',
      path: '/apis/apps/v1/namespaces/kept/deployments',
      body: {
        metadata: { name: 'after-restart' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } },
      },
    });
    await waitFor('a ReplicaSet after the restart', async () => {
      const sets = await admin.request<ObjectList<OwnedObject>>({ path: '/apis/apps/v1/namespaces/kept/replicasets' });
      return sets.items.some((set) => set.metadata.ownerReferences?.some((owner) => owner.uid === deployment.metadata.uid));
    }, { timeoutMs: 30_000 });

    const everything = Object.values(lab.pids()) as number[];
    const runDir = lab.runDir;
    await lab.dispose();
    lab = undefined;
    expect(everything.filter(isProcessAlive)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
    console.log(`[kube-lab] a control plane of its own started in ${Math.round(startMs)} ms`);
  });
});
