// The shared Kubernetes control plane (started by test/engine/global-setup.ts) as tests use it:
// its kubeconfig and contexts, an admin connection, a namespace of the test's own, and a minimal
// Deployment. Nothing here touches a namespace the test did not create.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectKube, KubeApiError, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';

/** The shared control plane: kubeconfig (contexts admin and viewer), server URL, run directory. */
export function kubeLab(): { kubeconfig: string; server: string; contexts: { admin: string; viewer: string }; runDir: string } {
  return { kubeconfig: inject('kubeconfig'), server: inject('kubeServer'), contexts: inject('kubeContexts'), runDir: inject('kubeRunDir') };
}

const connections = new Map<string, Promise<KubeConnection>>();

/** A connection to the shared apiserver as `admin` (system:masters), or as `viewer` (ClusterRole view). */
export function kubeConnection(as: 'admin' | 'viewer' = 'admin'): Promise<KubeConnection> {
  const lab = kubeLab();
  let connection = connections.get(as);
  if (!connection) {
    connection = connectKube({ kubeconfig: [lab.kubeconfig], context: lab.contexts[as] });
    connections.set(as, connection);
  }
  return connection;
}

export interface TestNamespace {
  readonly name: string;
  /** Deletes the namespace; pods bound to a node (a fake kubelet's) are removed at once, not after a grace period no kubelet confirms. */
  delete(): Promise<void>;
}

/** A fresh namespace `PREFIX-xxxxxx` created as admin. */
export async function createTestNamespace(prefix: string): Promise<TestNamespace> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  const admin = await kubeConnection();
  await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return {
    name,
    async delete() {
      await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}` }).catch(ignoreNotFound);
      // Terminating now, so nothing new is created in it: what is left goes without waiting for a kubelet.
      await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${name}/pods?gracePeriodSeconds=0` }).catch(ignoreNotFound);
    },
  };
}

/** A namespace of this test file's own: created before its tests, deleted after them. */
export function useTestNamespace(prefix: string): () => string {
  let namespace: TestNamespace | undefined;
  beforeAll(async () => {
    namespace = await createTestNamespace(prefix);
  });
  afterAll(async () => {
    await namespace?.delete();
  });
  return () => {
    if (!namespace) throw new Error('the test namespace exists only inside the tests');
    return namespace.name;
  };
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof KubeApiError && error.status === 404)) throw error;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  env?: Record<string, string>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface DeploymentSpec {
  replicas?: number;
  /** The single container's image when `containers` is not given (default local/busybox:latest). */
  image?: string;
  /** Several containers; default one named like the deployment. */
  containers?: ContainerSpec[];
  /** The single container's environment. */
  env?: Record<string, string>;
  /** The single container's resources. */
  resources?: ContainerSpec['resources'];
  /** Extra pod template labels (app=NAME is always there). */
  labels?: Record<string, string>;
  /** Pods only go to nodes with these labels (a fake kubelet's node, say). */
  nodeSelector?: Record<string, string>;
  /** Pods pinned to this node (a fake kubelet's), so another test's node never gets them. */
  nodeName?: string;
  progressDeadlineSeconds?: number;
  /** The Deployment's own annotations (kubernetes.io/change-cause ...). */
  annotations?: Record<string, string>;
}

/** The Deployment object as the API server returned it (the fields the tests read). */
export interface DeploymentObject {
  metadata: { name: string; namespace: string; uid: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: { replicas: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Array<Record<string, unknown>> } } };
  status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

function containerOf(spec: ContainerSpec): Record<string, unknown> {
  return {
    name: spec.name,
    image: spec.image ?? 'local/busybox:latest',
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.env ? { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
  };
}

/** Creates the Deployment `name` (app=NAME) as admin, or replaces its spec when it exists. */
export async function applyDeployment(namespace: string, name: string, spec: DeploymentSpec = {}): Promise<DeploymentObject> {
  const admin = await kubeConnection();
  const containers: ContainerSpec[] = spec.containers ?? [
    { name, ...(spec.image ? { image: spec.image } : {}), ...(spec.env ? { env: spec.env } : {}), ...(spec.resources ? { resources: spec.resources } : {}) },
  ];
  const labels = { app: name, ...spec.labels };
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name }, ...(spec.annotations ? { annotations: spec.annotations } : {}) },
    spec: {
      replicas: spec.replicas ?? 1,
      ...(spec.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: spec.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: containers.map(containerOf),
          terminationGracePeriodSeconds: 0,
          ...(spec.nodeSelector || spec.nodeName
            ? { nodeSelector: { ...spec.nodeSelector, ...(spec.nodeName ? { 'kubernetes.io/hostname': spec.nodeName } : {}) } }
            : {}),
        },
      },
    },
  };
  const collection = `/apis/apps/v1/namespaces/${namespace}/deployments`;
  try {
    return await admin.request<DeploymentObject>({ method: 'POST', path: collection, body });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 409)) throw error;
  }
  const current = await admin.request<DeploymentObject>({ path: `${collection}/${name}` });
  return admin.request<DeploymentObject>({
    method: 'PUT',
    path: `${collection}/${name}`,
    body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } },
  });
}
