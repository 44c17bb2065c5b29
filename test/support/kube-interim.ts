// INTERIM (until test/support/kube.ts lands on main): the machine's shared control plane,
// read from one place, with the same helper names the lab's support file will have.
import { randomBytes } from 'node:crypto';
import { connectKube, KubeApiError, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';

export function kubeLab(): { kubeconfig: string; contexts: { admin: string } } {
  return { kubeconfig: process.env['OPSDECK_TEST_KUBECONFIG'] ?? '/root/.cache/opsdeck/kube/run/kubeconfig', contexts: { admin: 'local' } };
}

let admin: Promise<KubeConnection> | undefined;

export function kubeConnection(): Promise<KubeConnection> {
  const lab = kubeLab();
  admin ??= connectKube({ kubeconfig: [lab.kubeconfig], context: lab.contexts.admin });
  return admin;
}

export async function createTestNamespace(prefix: string): Promise<{ name: string; delete(): Promise<void> }> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  const connection = await kubeConnection();
  await connection.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return {
    name,
    async delete() {
      await connection.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}` }).catch(ignoreNotFound);
      await connection.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}/pods?gracePeriodSeconds=0` }).catch(ignoreNotFound);
    },
  };
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof KubeApiError && error.status === 404)) throw error;
}

export async function applyDeployment(
  namespace: string,
  name: string,
  spec: { replicas?: number; resources?: { limits?: Record<string, string> }; nodeSelector?: Record<string, string> } = {},
): Promise<{ metadata: { uid: string } }> {
  const connection = await kubeConnection();
  return connection.request({
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels: { app: name } },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [{ name, image: 'local/busybox:latest', ...(spec.resources ? { resources: spec.resources } : {}) }],
            terminationGracePeriodSeconds: 0,
            ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
          },
        },
      },
    },
  });
}
