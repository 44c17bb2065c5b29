// What opsdeck decides from Kubernetes objects without asking the server: kubectl's rollout
// status wording, the revision an undo goes to, the patches it sends, the quantities it accepts
// and the exact calls it shows before a confirmation.
import { describe, expect, it } from 'vitest';
import { describeKubeCall } from '../../src/adapters/kubernetes/kube-calls';
import type { ReplicaSetObject, WorkloadObject } from '../../src/adapters/kubernetes/kube-objects';
import { parseQuantity, quantityProblem } from '../../src/adapters/kubernetes/quantity';
import { deploymentRevisions, deploymentUndoPatch, sameTemplate, undoTarget } from '../../src/adapters/kubernetes/rollout-history';
import { deploymentRollout, statefulSetRollout } from '../../src/adapters/kubernetes/workload-mapping';
import { envPatch, rfc3339 } from '../../src/adapters/kubernetes/template-patches';
import { describeCall, type WorkloadTarget } from '../../src/domain/engine-action';

const progressOfDeployment = (object: WorkloadObject) => deploymentRollout(object, object.metadata?.name ?? '');

const api: WorkloadTarget = { engineId: 'prod', kind: 'deployment', namespace: 'shop', name: 'api' };

function deployment(status: NonNullable<WorkloadObject['status']>, generation = 2, replicas = 3): WorkloadObject {
  return { metadata: { name: 'api', generation, uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '3' } }, spec: { replicas }, status };
}

function replicaSet(name: string, revision: string, image: string, owner = 'd1', extra: Record<string, string> = {}): ReplicaSetObject {
  return {
    metadata: { name, uid: name, annotations: { 'deployment.kubernetes.io/revision': revision, ...extra }, ownerReferences: [{ uid: owner, controller: true }], creationTimestamp: '2026-12-01T10:00:00Z' },
    spec: { template: { metadata: { labels: { app: 'api', 'pod-template-hash': name.slice(-5) } }, spec: { containers: [{ name: 'api', image }] } } },
    status: { replicas: revision === '3' ? 3 : 0 },
  };
}

describe('rollout status as kubectl words it', () => {
  it('waits for the spec to be observed, then updated, old replicas, available; complete at the end', () => {
    expect(progressOfDeployment(deployment({ observedGeneration: 1 })).message).toBe('Waiting for deployment spec update to be observed...');
    expect(progressOfDeployment(deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 })).message).toBe(
      'Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(progressOfDeployment(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message).toBe(
      'Waiting for deployment "api" rollout to finish: 1 old replicas are pending termination...',
    );
    const available = progressOfDeployment(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1, readyReplicas: 2 }));
    expect(available).toEqual({ state: 'progressing', desired: 3, updated: 3, ready: 2, available: 1, observed: true, message: 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...' });
    expect(progressOfDeployment(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 })).state).toBe('complete');
    const stalled = deployment({ observedGeneration: 2, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(progressOfDeployment(stalled)).toMatchObject({ state: 'stalled', message: 'deployment "api" exceeded its progress deadline' });
  });

  it('judges a StatefulSet by ready pods and its partition, and says it cannot judge OnDelete', () => {
    const statefulSet = (status: NonNullable<WorkloadObject['status']>, partition?: number): WorkloadObject => ({
      metadata: { name: 'db', generation: 1 },
      spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: partition === undefined ? undefined : { partition } } as never },
      status,
    });
    expect(statefulSetRollout(statefulSet({ observedGeneration: 1, readyReplicas: 1 })).message).toBe('Waiting for 2 pods to be ready...');
    expect(statefulSetRollout(statefulSet({ observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1 }, 1)).message).toBe(
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
    );
    expect(statefulSetRollout(statefulSet({ observedGeneration: 1, readyReplicas: 3, updateRevision: 'db-2', currentRevision: 'db-1', updatedReplicas: 2 })).message).toBe(
      'waiting for statefulset rolling update to complete 2 pods at revision db-2...',
    );
    const onDelete: WorkloadObject = { metadata: { name: 'db', generation: 1 }, spec: { updateStrategy: { type: 'OnDelete' } }, status: { observedGeneration: 1 } };
    expect(statefulSetRollout(onDelete).message).toBe('rollout status is only available for RollingUpdate strategy type (this one is OnDelete)');
  });
});

describe('rollout history and undo as kubectl computes them', () => {
  const current = deployment({ observedGeneration: 2 });
  const sets = [replicaSet('api-aaaaa', '1', 'api:1'), replicaSet('api-bbbbb', '3', 'api:3', 'd1', { 'kubernetes.io/change-cause': 'deploy 3' }), replicaSet('api-ccccc', '2', 'api:2'), replicaSet('other-ddddd', '9', 'other:9', 'd2')];

  it('lists the revisions of the ReplicaSets the deployment controls, oldest first, marking the current one', () => {
    expect(deploymentRevisions(current, sets).map(({ revision, images, current: isCurrent, changeCause }) => ({ revision, images, current: isCurrent, changeCause }))).toEqual([
      { revision: 1, images: ['api:1'], current: false, changeCause: undefined },
      { revision: 2, images: ['api:2'], current: false, changeCause: undefined },
      { revision: 3, images: ['api:3'], current: true, changeCause: 'deploy 3' },
    ]);
  });

  it('goes back to the highest revision below the current one, or the one asked for, and says why not', () => {
    const revisions = deploymentRevisions(current, sets);
    expect(undoTarget('deployment.apps/api', revisions, undefined).revision).toBe(2);
    expect(undoTarget('deployment.apps/api', revisions, 1).name).toBe('api-aaaaa');
    expect(() => undoTarget('deployment.apps/api', revisions, 7)).toThrow('deployment.apps/api has no revision 7 to roll back to (revisions: 1, 2, 3)');
    expect(() => undoTarget('deployment.apps/api', revisions.slice(2), undefined)).toThrow('deployment.apps/api has no previous revision to roll back to (only revision 3)');
    expect(() => undoTarget('deployment.apps/api', [], undefined)).toThrow('(no rollout history)');
  });

  it('copies the template back without the pod-template-hash label, keeps the deployment\'s own annotations and takes the change-cause', () => {
    const withAnnotations: WorkloadObject = { ...current, metadata: { ...current.metadata, annotations: { 'deployment.kubernetes.io/revision': '3', 'team/owner': 'payments' } } };
    const target = replicaSet('api-ccccc', '2', 'api:2', 'd1', { 'kubernetes.io/change-cause': 'deploy 2' });
    expect(deploymentUndoPatch(withAnnotations, target)).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:2' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'deploy 2' } },
    ]);
    expect(sameTemplate(target.spec?.template, { spec: { containers: [{ image: 'api:2', name: 'api' }] }, metadata: { labels: { app: 'api' } } })).toBe(true);
    expect(sameTemplate(target.spec?.template, { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } })).toBe(false);
  });
});

describe('template patches and quantities', () => {
  it('accepts the API server\'s quantities and refuses the rest with an example', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('12 GB')).toBeUndefined();
    expect(quantityProblem('limits.cpu', '-1')).toBe('limits.cpu "-1" must not be negative');
    expect(quantityProblem('limits.memory', '1Gi')).toBeUndefined();
  });

  it('sets env by name, drops valueFrom when a secret-sourced variable gets a value, and deletes only what is there', () => {
    const containers = [
      { name: 'api', env: [{ name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }, { name: 'MODE', value: 'fast' }] },
      { name: 'sidecar' },
    ];
    expect(envPatch(containers, ['api', 'sidecar'], { env: { DB_URL: 'postgres://db', MODE: null } })).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'api', env: [{ name: 'DB_URL', value: 'postgres://db', valueFrom: null }, { name: 'MODE', $patch: 'delete' }] },
              { name: 'sidecar', env: [{ name: 'DB_URL', value: 'postgres://db' }] },
            ],
          },
        },
      },
    });
    expect(rfc3339(Date.parse('2026-12-01T14:20:05.678Z'))).toBe('2026-12-01T14:20:05Z');
  });
});

describe('the exact calls shown before a confirmation', () => {
  it('names each request in order, with placeholders for what only an answer tells, and secrets redacted', () => {
    const now = Date.parse('2026-12-01T14:20:05Z');
    expect(describeCall(describeKubeCall({ verb: 'rollout-restart', target: api }, now)!)).toBe(
      'GET /apis/apps/v1/namespaces/shop/deployments/api then PATCH /apis/apps/v1/namespaces/shop/deployments/api {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-01T14:20:05Z"}}}}}',
    );
    expect(describeCall(describeKubeCall({ verb: 'rollout-status', target: api }, now)!)).toBe(
      'GET /apis/apps/v1/namespaces/shop/deployments/api then GET /apis/apps/v1/namespaces/shop/deployments?fieldSelector=metadata.name%3Dapi&watch=true&resourceVersion={resourceVersion}',
    );
    expect(describeCall(describeKubeCall({ verb: 'set-env', target: api, env: { API_TOKEN: 's3cr3t', MODE: 'safe' } }, now)!)).toBe(
      'GET /apis/apps/v1/namespaces/shop/deployments/api then PATCH /apis/apps/v1/namespaces/shop/deployments/api {"spec":{"template":{"spec":{"containers":[{"name":"{each container}","env":[{"name":"API_TOKEN","value":"<redacted>"},{"name":"MODE","value":"safe"}]}]}}}}',
    );
    expect(describeKubeCall({ verb: 'exec', target: { ...api, kind: 'pod', name: 'api-1' }, argv: ['vault', 'status'], mutates: false, container: 'vault' }, now)).toMatchObject({
      then: { path: '/api/v1/namespaces/shop/pods/api-1/exec?command=vault&command=status&container=vault&stdout=true&stderr=true' },
    });
    // A verb on a kind it does not apply to has no call.
    expect(describeKubeCall({ verb: 'scale', target: { ...api, kind: 'compose-service' }, replicas: 2 }, now)).toBeUndefined();
  });
});
