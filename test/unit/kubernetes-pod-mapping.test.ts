// Pods and Warning events as the watch keeps them, for the states the test control plane cannot
// produce on its own (no kubelet): what `kubectl get pods` would show in the STATUS column.
import { describe, expect, it } from 'vitest';
import { eventRecordOf, type RawEvent } from '../../src/adapters/kubernetes/event-mapping';
import { podRecordOf, standaloneWorkloadOf, type RawPod } from '../../src/adapters/kubernetes/pod-mapping';

type PodObject = RawPod;
type ContainerStatus = NonNullable<NonNullable<RawPod['status']>['containerStatuses']>[number];

const resolve = (namespace: string, _owner: unknown, name: string) => standaloneWorkloadOf('lab', namespace, name);

function pod(status: PodObject['status'], spec: Partial<NonNullable<PodObject['spec']>> = {}): PodObject {
  return {
    metadata: { name: 'api-1', namespace: 'shop', uid: 'uid-1', creationTimestamp: '2026-12-01T10:00:00Z' },
    spec: { containers: [{ name: 'api', image: 'shop/api:2' }], ...spec },
    status,
  };
}

function running(name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, ready: true, restartCount: 0, state: { running: { startedAt: '2026-12-01T10:00:05Z' } }, ...extra };
}

function instanceOf(raw: PodObject) {
  const record = podRecordOf('lab', raw, resolve);
  if (!record) throw new Error('no record');
  return record.instance;
}

describe('pod mapping', () => {
  it('a Succeeded pod has exited: Completed', () => {
    const instance = instanceOf(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'api', state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: '2026-12-01T10:01:00Z' } } }] }));
    expect(instance).toMatchObject({ phase: 'exited', state: 'Completed', exitCode: 0, finishedAt: Date.parse('2026-12-01T10:01:00Z') });
  });

  it('an evicted pod has failed, with the kubelet reason and message', () => {
    const instance = instanceOf(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }));
    expect(instance).toMatchObject({ phase: 'failed', state: 'Evicted', reason: 'Evicted', message: 'The node was low on resource: memory.' });
  });

  it('an init container in a crash loop: Init:CrashLoopBackOff', () => {
    const instance = instanceOf(
      pod({
        phase: 'Pending',
        initContainerStatuses: [{ name: 'migrate', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { exitCode: 2 } } }],
        containerStatuses: [{ name: 'api', state: { waiting: { reason: 'PodInitializing' } } }],
      }),
    );
    expect(instance).toMatchObject({ phase: 'crash-loop', state: 'Init:CrashLoopBackOff', reason: 'CrashLoopBackOff', exitCode: 2, message: 'back-off 40s' });
  });

  it('a container just OOM-killed, before its back-off, is restarting with OOMKilled', () => {
    const instance = instanceOf(
      pod({ phase: 'Running', containerStatuses: [{ name: 'api', ready: false, restartCount: 1, state: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-12-01T10:02:00Z' } } }] }),
    );
    expect(instance).toMatchObject({ phase: 'restarting', state: 'OOMKilled', reason: 'OOMKilled', oomKilled: true, exitCode: 137, restartCount: 1 });
  });

  it('a pod running again after an OOM kill still says OOMKilled', () => {
    const instance = instanceOf(
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [running('api', { restartCount: 3, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } })],
      }),
    );
    expect(instance).toMatchObject({ phase: 'running', state: 'Running', reason: 'OOMKilled', oomKilled: true, ready: true, restartCount: 3 });
  });

  it('a missing ConfigMap or Secret: waiting with CreateContainerConfigError', () => {
    const instance = instanceOf(
      pod({ phase: 'Pending', containerStatuses: [{ name: 'api', state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "shop-env" not found' } } }] }),
    );
    expect(instance).toMatchObject({ phase: 'waiting', state: 'CreateContainerConfigError', reason: 'CreateContainerConfigError', message: 'configmap "shop-env" not found' });
  });

  it('a scheduled pod whose containers are being created: pending, ContainerCreating', () => {
    const instance = instanceOf(
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: [{ name: 'api', state: { waiting: { reason: 'ContainerCreating' } } }] }, { nodeName: 'node-1' }),
    );
    expect(instance).toMatchObject({ phase: 'pending', state: 'ContainerCreating', nodeName: 'node-1' });
  });

  it('sums restarts over the containers, lists them in spec order, and keeps a memory limit only when every container has one', () => {
    const containers = [
      { name: 'api', image: 'shop/api:2', resources: { limits: { memory: '128Mi' } } },
      { name: 'proxy', image: 'envoy:1', resources: { limits: { memory: '64Mi' } } },
    ];
    const statuses = [running('proxy', { restartCount: 2 }), running('api', { restartCount: 1 })];
    const limited = podRecordOf('lab', pod({ phase: 'Running', containerStatuses: statuses }, { containers }), resolve);
    expect(limited?.instance).toMatchObject({ restartCount: 3, containers: ['api', 'proxy'], image: 'shop/api:2, envoy:1' });
    expect(limited?.memoryLimitBytes).toBe(192 * 2 ** 20);
    const unlimited = podRecordOf('lab', pod({ phase: 'Running', containerStatuses: statuses }, { containers: [containers[0]!, { name: 'proxy', image: 'envoy:1' }] }), resolve);
    expect(unlimited?.memoryLimitBytes).toBe(0);
  });

  it('cleans escape sequences out of the engine\'s text', () => {
    const instance = instanceOf(pod({ phase: 'Failed', reason: 'Error', message: 'boom\u001b]0;owned\u0007 \u001b[2Jgone' }));
    expect(instance.message).toBe('boom gone');
  });
});

describe('Warning event mapping', () => {
  const base: RawEvent = {
    metadata: { name: 'api-1.x', namespace: 'shop', uid: 'ev-1' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    involvedObject: { kind: 'Pod', name: 'api-1', namespace: 'shop', uid: 'uid-1' },
  };

  it('counts an aggregated series and takes its last observation as last seen', () => {
    const record = eventRecordOf('lab', { ...base, count: 1, eventTime: '2026-12-01T10:00:00Z', series: { count: 17, lastObservedTime: '2026-12-01T10:05:00Z' } });
    expect(record?.event).toMatchObject({ key: 'lab/ev-1', count: 17, firstSeen: Date.parse('2026-12-01T10:00:00Z'), lastSeen: Date.parse('2026-12-01T10:05:00Z') });
  });

  it('reads the classic count and timestamps, and keeps no Normal event', () => {
    const record = eventRecordOf('lab', { ...base, count: 4, firstTimestamp: '2026-12-01T09:00:00Z', lastTimestamp: '2026-12-01T09:30:00Z' });
    expect(record?.event).toMatchObject({ count: 4, firstSeen: Date.parse('2026-12-01T09:00:00Z'), lastSeen: Date.parse('2026-12-01T09:30:00Z'), involved: { kind: 'Pod', name: 'api-1', namespace: 'shop' } });
    expect(eventRecordOf('lab', { ...base, type: 'Normal' })).toBeUndefined();
  });
});
