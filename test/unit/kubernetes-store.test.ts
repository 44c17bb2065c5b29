// The store and its selectors with Kubernetes records as the adapter writes them: Warning events
// fingerprinted beside log lines, the `:ctx`/`:ns` scope on the panels' rows, the metrics notice,
// gates derived again as time passes, access answers kept per object.
import { describe, expect, it } from 'vitest';
import { accessKeyOf } from '../../src/domain/engine-action';
import { selectErrorRowKeys, selectFingerprint } from '../../src/store/selectors/error-rows';
import { MAX_ACCESS_DECISIONS } from '../../src/store/slices/cluster-slice';
import { selectResourceRowIds, metricsNoticeKey } from '../../src/store/selectors/resource-rows';
import { selectServiceTree } from '../../src/store/selectors/service-tree';
import { createViewStore, instanceKeyOf, logLine, NOW, stats } from '../views/fixtures';
import { API, API_PODS, DB, feedClusters, kubeEngine, pod, warningEvent } from '../views/kubernetes-fixtures';

const MINUTE = 60_000;

function clusterStore(options: Parameters<typeof createViewStore>[0] = {}) {
  const store = createViewStore(options);
  feedClusters(store);
  return store;
}

describe('Warning events as error fingerprints', () => {
  it('groups the same reason and message across pods, sums counts, and follows upserts and removals', () => {
    const store = clusterStore();
    const backOff = (uid: string, podName: string, count: number) =>
      warningEvent('prod', uid, { reason: 'BackOff', message: `Back-off restarting failed container api in pod ${podName}`, count, involved: { kind: 'Pod', name: podName, namespace: 'shop' }, workloadKey: API.key });
    store.getState().warningEventsReplaced('prod', [backOff('e1', API_PODS.running.ref.name, 4), backOff('e2', API_PODS.crashing.ref.name, 6)]);
    store.getState().flush();
    const key = 'event:BackOff:Back-off restarting failed container api in pod <pod>';
    expect(selectErrorRowKeys(store.getState())).toContain(key);
    expect(selectFingerprint(store.getState(), key)).toMatchObject({ count: 10, eventReason: 'BackOff', workloadKeys: [API.key] });

    // A new count of one event (the series grew) replaces its old one.
    store.getState().warningEventsUpserted([backOff('e2', API_PODS.crashing.ref.name, 9)]);
    store.getState().flush();
    expect(selectFingerprint(store.getState(), key)?.count).toBe(13);
    store.getState().warningEventsRemoved(['prod/e1', 'prod/e2']);
    store.getState().flush();
    expect(selectFingerprint(store.getState(), key)).toBeUndefined();
  });

  it('sorts events and log lines by count in one list, and the filter matches a reason', () => {
    const store = clusterStore();
    store.getState().logLinesReceived(Array.from({ length: 5 }, (_, index) => logLine('api', `ERROR timeout talking to db ${index}`, index)));
    store.getState().warningEventsReplaced('prod', [
      warningEvent('prod', 'e1', { reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', count: 8, workloadKey: API.key }),
      warningEvent('prod', 'e2', { reason: 'Unhealthy', message: 'Liveness probe failed', count: 2, workloadKey: API.key }),
    ]);
    store.getState().flush();
    // The incident's 30 and 6 log errors, these 5, and the events' 8 and 2.
    expect(selectErrorRowKeys(store.getState())).toEqual([
      'ERROR Connection refused to <ip>',
      'event:FailedScheduling:<n>/<n> nodes are available: <n> Insufficient cpu.',
      'FATAL vault sealed: unable to unseal',
      'ERROR timeout talking to db <n>',
      'event:Unhealthy:Liveness probe failed',
    ]);
    store.getState().startFilter('errors');
    store.getState().setFilter('unhealthy');
    expect(selectErrorRowKeys(store.getState())).toEqual(['event:Unhealthy:Liveness probe failed']);
  });
});

describe('the :ctx / :ns scope', () => {
  it('narrows the services tree to a context, and Kubernetes rows to a namespace', () => {
    const store = clusterStore();
    const labels = () => selectServiceTree(store.getState()).rows.map((row) => `${row.kind}:${row.label}`);
    expect(labels()).toContain('engine:local');
    store.getState().setScope({ engineId: 'staging' });
    expect(labels()).toEqual(['engine:staging', 'project:data', 'service:db', `container:${pod(DB, '0').ref.name}`]);
    expect(selectServiceTree(store.getState()).containerCount).toBe(1);
    store.getState().setScope({ namespace: 'data' });
    // Compose projects stay; prod's shop goes.
    expect(labels()).toContain('project:janusgraph-demo');
    expect(labels()).not.toContain('project:shop');
    expect(labels()).toContain('service:db');
  });

  it('narrows the resources rows and puts a line first for a context without metrics', () => {
    const store = clusterStore();
    store.getState().statsReceived(stats(API_PODS.running.key, 20));
    store.getState().engineStateChanged('prod', { metrics: { state: 'unavailable', detail: 'no metrics-server' } });
    store.getState().flush();
    const rows = selectResourceRowIds(store.getState());
    expect(rows[0]).toBe(metricsNoticeKey('prod'));
    expect(rows).toContain(API_PODS.running.key);
    expect(rows).toContain(instanceKeyOf('pulsar'));
    store.getState().setScope({ engineId: 'staging' });
    expect(selectResourceRowIds(store.getState())).toEqual([]);
    store.getState().setScope({ engineId: 'prod' });
    expect(selectResourceRowIds(store.getState())).toEqual([metricsNoticeKey('prod'), API_PODS.running.key]);
  });
});

describe('gates over time', () => {
  it('fails "No pod pending" when the pod has waited past the threshold, on the clock tick alone', () => {
    let now = NOW;
    const store = createViewStore({ now: () => now, pendingThresholdMs: 5 * MINUTE });
    store.getState().engineRegistered(kubeEngine('prod'));
    store.getState().inventoryReplaced('prod', { workloads: [API], instances: [pod(API, 'c', { phase: 'pending', state: 'Pending', createdAt: NOW - 4 * MINUTE })] });
    store.getState().flush();
    const pendingGate = () => store.getState().gates.find((gate) => gate.id === 'no-pod-pending');
    expect(pendingGate()?.status).toBe('pass');
    now += 2 * MINUTE;
    store.getState().clockTicked(now);
    store.getState().flush();
    expect(pendingGate()).toMatchObject({ status: 'fail', detail: 'api-7d9f8-c pending 6m' });
  });
});

describe('access answers kept by the store', () => {
  it('keeps one answer per object, the most recent MAX_ACCESS_DECISIONS, and a row answered again stays', () => {
    const store = createViewStore();
    const key = (index: number) => accessKeyOf({ verb: 'delete', target: { engineId: 'prod', kind: 'pod', namespace: 'shop', name: `api-${index}` } });
    store.getState().accessReviewed(key(0), { allowed: false, reason: 'forbidden: user "viewer" cannot delete pods in namespace "shop"' });
    for (let index = 1; index < MAX_ACCESS_DECISIONS; index++) store.getState().accessReviewed(key(index), { allowed: true });
    // The first pod is answered again (selected again): it becomes the most recent.
    store.getState().accessReviewed(key(0), { allowed: true });
    store.getState().accessReviewed(key(MAX_ACCESS_DECISIONS), { allowed: true });
    const decisions = store.getState().accessDecisions;
    expect(Object.keys(decisions)).toHaveLength(MAX_ACCESS_DECISIONS);
    expect(decisions[key(0)]).toEqual({ allowed: true });
    expect(decisions[key(1)]).toBeUndefined();
    expect(decisions[key(2)]).toEqual({ allowed: true });
    expect(decisions[key(MAX_ACCESS_DECISIONS)]).toEqual({ allowed: true });
  });
});
