// What the Kubernetes action tests need beyond test/support/kube.ts: a restricted identity that
// is real RBAC (a ServiceAccount bound to the built-in `view` ClusterRole in the test's
// namespace, reached through a kubeconfig with the account's own token), a Deployment and a
// StatefulSet pinned to the test's fake kubelet, and waiting until a Deployment is rolled out (read from its raw
// status, not through the code under test).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConnection } from '../../src/adapters/kubernetes/kube-connection';
import { applyDeployment, type DeploymentObject, type DeploymentSpec } from './kube';
import { waitFor } from './wait-for';

export interface RestrictedIdentity {
  /** A kubeconfig whose one context (named as the account) authenticates as the ServiceAccount. */
  kubeconfigPath: string;
  /** system:serviceaccount:<namespace>:viewer */
  userName: string;
  dispose(): Promise<void>;
}

/** One RBAC rule of a Role (resourceNames: the rule applies to those objects only). */
export interface RoleRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/**
 * A ServiceAccount (`viewer` unless named) bound to the `view` ClusterRole in the namespace, with
 * its token from the auto-created secret; `grants` adds a Role of those rules, bound to it too.
 */
export async function createViewerIdentity(connection: KubeConnection, namespace: string, options: { account?: string; grants?: RoleRule[] } = {}): Promise<RestrictedIdentity> {
  const account = options.account ?? 'viewer';
  const bind = (name: string, roleRef: { kind: string; name: string }) =>
    connection.request({
      method: 'POST',
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`,
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects: [{ kind: 'ServiceAccount', name: account, namespace }] },
    });
  await connection.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account } } });
  await bind(`${account}-view`, { kind: 'ClusterRole', name: 'view' });
  if (options.grants) {
    await connection.request({
      method: 'POST',
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`,
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${account}-grants` }, rules: options.grants },
    });
    await bind(`${account}-grants`, { kind: 'Role', name: `${account}-grants` });
  }
  // The token controller (kube-controller-manager) creates the account's token secret.
  const secret = await waitFor(`the ${account} token secret`, async () => {
    const list = await connection.request<{ items: { type: string; data?: { token?: string }; metadata: { annotations?: Record<string, string> } }[] }>({
      path: `/api/v1/namespaces/${namespace}/secrets`,
    });
    return list.items.find((item) => item.type === 'kubernetes.io/service-account-token' && item.metadata.annotations?.['kubernetes.io/service-account.name'] === account && item.data?.token);
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
      `users: [{name: ${account}, user: {token: "${token}"}}]`,
      `contexts: [{name: ${account}, context: {cluster: test, user: ${account}, namespace: ${namespace}}}]`,
      `current-context: ${account}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { kubeconfigPath, userName: `system:serviceaccount:${namespace}:${account}`, dispose: () => rm(directory, { recursive: true, force: true }) };
}

/** A Deployment whose pods run on the node (the file's fake kubelet): containers (default one, `api`) from `image` (default local/busybox:1). */
export function pinnedDeployment(
  namespace: string,
  nodeName: string,
  name: string,
  spec: Omit<DeploymentSpec, 'containers' | 'nodeName'> & { containers?: string[]; memoryLimit?: string } = {},
): Promise<DeploymentObject> {
  const { containers: names, memoryLimit, image, ...rest } = spec;
  const containers = (names ?? ['api']).map((container) => ({
    name: container,
    image: image ?? 'local/busybox:1',
    command: ['sleep', '3600'],
    ...(memoryLimit ? { resources: { limits: { memory: memoryLimit } } } : {}),
  }));
  return applyDeployment(namespace, name, { ...rest, containers, nodeName });
}

/** A StatefulSet (RollingUpdate) with one container `db`, its pods pinned to the node. */
export async function createStatefulSet(connection: KubeConnection, namespace: string, name: string, spec: { image?: string; replicas?: number; nodeName: string }): Promise<void> {
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
            terminationGracePeriodSeconds: 0,
            containers: [{ name: 'db', image: spec.image ?? 'local/busybox:1', command: ['sleep', '3600'] }],
          },
        },
      },
    },
  });
}

export function readDeployment(connection: KubeConnection, namespace: string, name: string): Promise<DeploymentObject> {
  return connection.request<DeploymentObject>({ path: `/apis/apps/v1/namespaces/${namespace}/deployments/${name}` });
}

/** Waits until the controller observed the latest spec and every replica is updated and available. */
export function waitForAvailable(connection: KubeConnection, namespace: string, name: string, timeoutMs = 30_000): Promise<DeploymentObject> {
  return waitFor(
    `deployment ${name} available`,
    async () => {
      const deployment = await readDeployment(connection, namespace, name);
      const { spec, metadata } = deployment;
      const status = deployment.status ?? {};
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
