// The protobuf list reader (the pods' list pages as the API server writes them for client-go):
// a pod written in protobuf maps to the same record as its JSON form, empty strings and zero times
// read as absent (as JSON's omitempty leaves them out), fields it does not keep skipped whatever
// their wire type, the continue token read from a page's first bytes, and a broken answer refused.
import { describe, expect, it } from 'vitest';
import { podOfProtobuf } from '../../src/adapters/kubernetes/pod-protobuf';
import { podRecordOf, standaloneWorkloadOf, type RawPod } from '../../src/adapters/kubernetes/pod-mapping';
import { apiErrorOf } from '../../src/adapters/kubernetes/kube-connection';
import { PROTOBUF_MEDIA_TYPE, protobufContinueToken, readProtobufList } from '../../src/adapters/kubernetes/protobuf-list';
import { encodeFields, protobufListAnswer, protobufTime, type ProtobufField } from '../support/protobuf-writer';

const resolve = (namespace: string, _owner: unknown, name: string) => standaloneWorkloadOf('kube', namespace, name);
const CREATED = Date.parse('2026-11-30T10:00:00Z');
const STARTED = Date.parse('2026-11-30T10:00:05Z');
const FINISHED = Date.parse('2026-11-30T10:07:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A crash-looping pod with an init container done, a readiness probe, a memory limit and a deletion under way. */
const JSON_POD: RawPod = {
  metadata: {
    name: 'web-6d4b-x2x9q',
    namespace: 'shop',
    uid: 'uid-web-1',
    resourceVersion: '812',
    creationTimestamp: iso(CREATED),
    deletionTimestamp: iso(FINISHED),
    ownerReferences: [{ kind: 'ReplicaSet', name: 'web-6d4b', uid: 'uid-rs-1', controller: true }],
  },
  spec: {
    containers: [
      { name: 'app', image: 'shop/web:1.4', readinessProbe: { httpGet: { path: '/ready' } }, resources: { limits: { memory: '64Mi', cpu: '500m' } } },
      { name: 'sidecar', image: 'shop/proxy:2', resources: { limits: { memory: '32Mi' } } },
    ],
    restartPolicy: 'Always',
    nodeName: 'node-a',
  },
  status: {
    phase: 'Running',
    startTime: iso(STARTED),
    conditions: [
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
      { type: 'PodScheduled', status: 'True' },
    ],
    initContainerStatuses: [{ name: 'migrate', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(CREATED), finishedAt: iso(STARTED) } }, lastState: {} }],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: 7,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' } },
        lastState: { terminated: { exitCode: -3, reason: 'OOMKilled', startedAt: iso(STARTED), finishedAt: iso(FINISHED) } },
      },
      { name: 'sidecar', ready: true, restartCount: 0, state: { running: { startedAt: iso(STARTED) } }, lastState: {} },
    ],
  },
};

const s = (field: number, value: string): ProtobufField => ({ field, value });
const m = (field: number, value: ProtobufField[]): ProtobufField => ({ field, value });
const n = (field: number, value: number | boolean): ProtobufField => ({ field, value });
const EMPTY_TIME = protobufTime(undefined);
const managedFields = m(17, [s(1, 'kube-controller-manager'), s(2, 'Update'), m(4, protobufTime(CREATED)), m(7, [s(1, '{"f:metadata":{}}')])]);

/** The same pod as the API server writes it in protobuf: every string written (empty ones too), fields the reader does not keep among them. */
function protobufPod(uid = 'uid-web-1', name = 'web-6d4b-x2x9q'): ProtobufField[] {
  const quantity = (key: string, value: string) => m(1, [s(1, key), m(2, [s(1, value)])]);
  const waiting = (reason: string, message: string) => m(1, [s(1, reason), s(2, message)]);
  return [
    m(1, [s(1, name), s(2, 'web-6d4b-'), s(3, 'shop'), s(4, ''), s(5, uid), s(6, '812'), n(7, 0), m(8, protobufTime(CREATED)), m(9, protobufTime(FINISHED)), m(11, [s(1, 'app'), s(2, 'web')]), m(13, [s(1, 'ReplicaSet'), s(3, 'web-6d4b'), s(4, 'uid-rs-1'), s(5, 'apps/v1'), n(6, true), n(7, true)]), s(15, ''), managedFields]),
    m(2, [
      m(1, [s(1, 'token'), m(2, [m(6, [s(1, 'token'), n(3, 420)])])]),
      m(2, [s(1, 'app'), s(2, 'shop/web:1.4'), s(3, 'serve'), s(5, ''), m(8, [quantity('cpu', '500m'), quantity('memory', '64Mi'), m(2, [s(1, 'cpu'), m(2, [s(1, '100m')])])]), m(11, [m(1, [m(2, [s(1, '/ready')])]), n(2, 0)]), s(13, '/dev/termination-log')]),
      m(2, [s(1, 'sidecar'), s(2, 'shop/proxy:2'), s(5, ''), m(8, [quantity('memory', '32Mi')])]),
      s(3, 'Always'),
      { field: 4, value: 30, wire: 'fixed64' },
      s(10, 'node-a'),
      { field: 30, value: 1, wire: 'fixed32' },
    ]),
    m(3, [
      s(1, 'Running'),
      m(2, [s(1, 'Ready'), s(2, 'False'), m(3, EMPTY_TIME), m(4, protobufTime(STARTED)), s(5, 'ContainersNotReady'), s(6, 'containers with unready status: [app]')]),
      m(2, [s(1, 'PodScheduled'), s(2, 'True'), m(3, EMPTY_TIME), m(4, protobufTime(CREATED)), s(5, ''), s(6, '')]),
      s(3, ''),
      s(4, ''),
      s(5, '127.0.0.1'),
      m(7, protobufTime(STARTED)),
      m(8, [s(1, 'app'), m(2, [waiting('CrashLoopBackOff', 'back-off 5m0s restarting failed container=app')]), m(3, [m(3, [n(1, -3), n(2, 0), s(3, 'OOMKilled'), s(4, ''), m(5, protobufTime(STARTED)), m(6, protobufTime(FINISHED)), s(7, '')])]), n(4, false), n(5, 7), s(6, 'shop/web:1.4')]),
      m(8, [s(1, 'sidecar'), m(2, [m(2, [m(1, protobufTime(STARTED))])]), m(3, []), n(4, true), n(5, 0), s(6, 'shop/proxy:2')]),
      s(9, 'Burstable'),
      m(10, [s(1, 'migrate'), m(2, [m(3, [n(1, 0), n(2, 0), s(3, 'Completed'), s(4, ''), m(5, protobufTime(CREATED)), m(6, protobufTime(STARTED)), s(7, '')])]), m(3, []), n(4, true), n(5, 0)]),
    ]),
  ];
}

describe('the protobuf pod list', () => {
  it('maps a pod written in protobuf to the record of its JSON form', () => {
    const answer = protobufListAnswer('PodList', { resourceVersion: '900', continue: 'next-page' }, [protobufPod()]);
    const list = readProtobufList(answer, podOfProtobuf);
    expect(list.metadata).toEqual({ resourceVersion: '900', continue: 'next-page' });
    expect(list.items).toHaveLength(1);
    const fromProtobuf = podRecordOf('kube', list.items[0] as RawPod, resolve);
    const fromJson = podRecordOf('kube', JSON_POD, resolve);
    expect(fromProtobuf).toEqual(fromJson);
    // What the record says, so the comparison cannot pass on two empty records.
    expect(fromJson?.instance).toMatchObject({ state: 'Terminating', phase: 'crash-loop', reason: 'OOMKilled', exitCode: -3, restartCount: 7, health: 'unhealthy', nodeName: 'node-a', containers: ['app', 'sidecar'], startedAt: STARTED, finishedAt: FINISHED, createdAt: CREATED });
    expect(fromJson?.memoryLimitBytes).toBe(96 * 1024 * 1024);
    expect(fromJson?.owner).toEqual({ kind: 'ReplicaSet', name: 'web-6d4b', uid: 'uid-rs-1' });
  });

  it('reads empty strings and zero times as absent, as JSON leaves them out', () => {
    const list = readProtobufList(protobufListAnswer('PodList', {}, [protobufPod()]), podOfProtobuf);
    const pod = list.items[0] as RawPod;
    expect(list.metadata).toEqual({});
    expect(pod.status).not.toHaveProperty('reason');
    expect(pod.status).not.toHaveProperty('message');
    expect(pod.status?.conditions?.[1]).toEqual({ type: 'PodScheduled', status: 'True' });
    expect(pod.status?.containerStatuses?.[1]?.lastState).toEqual({});
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated).not.toHaveProperty('message');
  });

  it('reads the continue token from a page\'s first bytes once they hold the list\'s metadata', () => {
    const answer = protobufListAnswer('PodList', { resourceVersion: '900', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ' }, [protobufPod(), protobufPod('uid-2', 'web-2')]);
    const metadataEnd = answer.indexOf(Buffer.from('eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ')) + 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ'.length;
    expect(protobufContinueToken(answer.subarray(0, metadataEnd + 3))).toBe('eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ');
    expect(protobufContinueToken(answer.subarray(0, metadataEnd - 4))).toBeUndefined();
    expect(protobufContinueToken(answer.subarray(0, 3))).toBeUndefined();
    expect(protobufContinueToken(protobufListAnswer('PodList', { resourceVersion: '900' }, []))).toBeUndefined();
  });

  it('refuses an answer without the envelope, with a content encoding, or cut short', () => {
    const answer = protobufListAnswer('PodList', { resourceVersion: '900' }, [protobufPod()]);
    expect(() => readProtobufList(answer.subarray(4), podOfProtobuf)).toThrow(/envelope/);
    expect(() => readProtobufList(protobufListAnswer('PodList', {}, [], 'gzip'), podOfProtobuf)).toThrow(/content encoding/);
    expect(() => readProtobufList(answer.subarray(0, answer.length - 10), podOfProtobuf)).toThrow(/runs past/);
  });

  it('reads a refusal the server sent in protobuf as the same error its JSON gives', () => {
    // A metav1.Status (status 2, message 3, reason 4, code 6) in the k8s envelope, as a 403 to a list that accepted protobuf.
    const message = 'pods is forbidden: User "system:serviceaccount:shop:blind" cannot list resource "pods" in API group "" in the namespace "shop"';
    const status = encodeFields([{ field: 2, value: 'Failure' }, { field: 3, value: message }, { field: 4, value: 'Forbidden' }, { field: 6, value: 403 }]);
    const typeMeta = encodeFields([{ field: 1, value: [{ field: 1, value: 'v1' }, { field: 2, value: 'Status' }] }]);
    const answer = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), typeMeta, encodeFields([{ field: 2, value: status }])]);
    const fromProtobuf = apiErrorOf(403, answer, PROTOBUF_MEDIA_TYPE);
    const fromJson = apiErrorOf(403, Buffer.from(JSON.stringify({ kind: 'Status', status: 'Failure', message, reason: 'Forbidden', code: 403 })), 'application/json');
    expect(fromProtobuf.message).toBe(fromJson.message);
    expect(fromProtobuf).toMatchObject({ status: fromJson.status, reason: 'Forbidden' });
    expect(fromProtobuf.message).toContain('cannot list resource "pods"');
  });
});

