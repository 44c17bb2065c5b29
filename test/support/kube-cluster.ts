// The real test control plane for the Kubernetes tests: where its kubeconfig is (one place),
// a fresh namespace per test file, and a restricted identity that is real RBAC: a
// ServiceAccount bound to the built-in `view` ClusterRole in that namespace, reached through a
// kubeconfig with the account's own token. A test that cannot reach the control plane fails.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectKube, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { waitFor } from './wait-for';

/** The control plane's admin kubeconfig (context `local`). */
export const TEST_KUBECONFIG = process.env['OPSDECK_TEST_KUBECONFIG'] ?? '/root/.cache/opsdeck/kube/run/kubeconfig';

export async function adminConnection(): Promise<KubeConnection> {
  const connection = await connectKube({ kubeconfig: [TEST_KUBECONFIG] });
  try {
    await connection.request({ path: '/version', timeoutMs: 5000 });
  } catch (error) {
    throw new Error(`the test control plane at ${connection.server} does not answer (${(error as Error).message}); start it with ../shared/engines/start-kube.sh`);
  }
  return connection;
}

export interface TestNamespace {
  name: string;
  dispose(): Promise<void>;
}

/** `t-<prefix>-<random>`, deleted (without waiting for its finalizers) by dispose. */
export async function createTestNamespace(connection: KubeConnection, prefix: string): Promise<TestNamespace> {
  const name = `t-${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await connection.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return {
    name,
    dispose: async () => {
      await connection.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}` }).catch(() => undefined);
    },
  };
}

export interface RestrictedIdentity {
  /** A kubeconfig whose one context (`viewer`) authenticates as the ServiceAccount. */
  kubeconfigPath: string;
  /** system:serviceaccount:<namespace>:viewer */
  userName: string;
  dispose(): Promise<void>;
}

/** A ServiceAccount `viewer` bound to the `view` ClusterRole in the namespace, with its token from the auto-created secret. */
export async function createViewerIdentity(connection: KubeConnection, namespace: string): Promise<RestrictedIdentity> {
  await connection.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'viewer' } } });
  await connection.request({
    method: 'POST',
    path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`,
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace }],
    },
  });
  // The token controller (kube-controller-manager) creates the account's token secret.
  const secret = await waitFor('the viewer token secret', async () => {
    const list = await connection.request<{ items: { type: string; data?: { token?: string }; metadata: { annotations?: Record<string, string> } }[] }>({
      path: `/api/v1/namespaces/${namespace}/secrets`,
    });
    return list.items.find((item) => item.type === 'kubernetes.io/service-account-token' && item.metadata.annotations?.['kubernetes.io/service-account.name'] === 'viewer' && item.data?.token);
  });
  const token = Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8');
  const directory = await mkdtemp(join(tmpdir(), 'opsdeck-viewer-'));
  const kubeconfigPath = join(directory, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: test, cluster: {server: "${connection.server}", insecure-skip-tls-verify: true}}]`,
      `users: [{name: viewer, user: {token: "${token}"}}]`,
      `contexts: [{name: viewer, context: {cluster: test, user: viewer, namespace: ${namespace}}}]`,
      'current-context: viewer',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { kubeconfigPath, userName: `system:serviceaccount:${namespace}:viewer`, dispose: () => rm(directory, { recursive: true, force: true }) };
}

export interface DeploymentSpec {
  image?: string;
  replicas?: number;
  /** Pods are pinned to this node (the test's fake kubelet), so another test's node never gets them. */
  nodeName: string;
  containers?: string[];
  progressDeadlineSeconds?: number;
  annotations?: Record<string, string>;
  memoryLimit?: string;
}

/** A Deployment whose pods run on the given node: containers `api` (and any others) from local/busybox. */
export async function createDeployment(connection: KubeConnection, namespace: string, name: string, spec: DeploymentSpec): Promise<void> {
  const containers = (spec.containers ?? ['api']).map((container) => ({
    name: container,
    image: spec.image ?? 'local/busybox:1',
    command: ['sleep', '3600'],
    ...(spec.memoryLimit ? { resources: { limits: { memory: spec.memoryLimit } } } : {}),
  }));
  await connection.request({
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, ...(spec.annotations ? { annotations: spec.annotations } : {}) },
      spec: {
        replicas: spec.replicas ?? 1,
        ...(spec.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: spec.progressDeadlineSeconds } : {}),
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { nodeSelector: { 'kubernetes.io/hostname': spec.nodeName }, terminationGracePeriodSeconds: 1, containers },
        },
      },
    },
  });
}

export interface DeploymentObject {
  metadata: { resourceVersion: string; generation: number; annotations?: Record<string, string> };
  spec: { replicas: number; template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: { name: string; image: string; env?: unknown[]; resources?: unknown }[] } } };
  status: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

export function readDeployment(connection: KubeConnection, namespace: string, name: string): Promise<DeploymentObject> {
  return connection.request<DeploymentObject>({ path: `/apis/apps/v1/namespaces/${namespace}/deployments/${name}` });
}

/** Waits until the controller observed the latest spec and every replica is updated and available (read from the raw status). */
export function waitForAvailable(connection: KubeConnection, namespace: string, name: string, timeoutMs = 30_000): Promise<DeploymentObject> {
  return waitFor(
    `deployment ${name} available`,
    async () => {
      const deployment = await readDeployment(connection, namespace, name);
      const { status, spec, metadata } = deployment;
      const done =
        (status.observedGeneration ?? 0) >= metadata.generation &&
        status.updatedReplicas === spec.replicas &&
        status.availableReplicas === spec.replicas &&
        (status.replicas ?? 0) === spec.replicas;
      return done ? deployment : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** A StatefulSet (RollingUpdate) whose pods run on the given node. */
export async function createStatefulSet(connection: KubeConnection, namespace: string, name: string, spec: Pick<DeploymentSpec, 'image' | 'replicas' | 'nodeName'>): Promise<void> {
  await connection.request({
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name },
      spec: {
        replicas: spec.replicas ?? 1,
        serviceName: name,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': spec.nodeName },
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'db', image: spec.image ?? 'local/busybox:1', command: ['sleep', '3600'] }],
          },
        },
      },
    },
  });
}
