import { describe, expect, it } from 'vitest';
import type { Instance, LogLine } from '../../src/domain/types';
import { container, inventoryOf, stats, workloadOf } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';

describe('store', () => {
  it('coalesces a burst of adapter writes into one update per interval', async () => {
    const store = createTestStore({ flushIntervalMs: 100 });
    let notifications = 0;
    store.subscribe(() => (notifications += 1));
    const actions = store.getState();
    const web = container('web');
    const api = container('api');
    actions.inventoryReplaced('local', inventoryOf([web, api]));
    for (let index = 0; index < 200; index += 1) actions.statsReceived(stats(web, index % 100));
    expect(notifications).toBe(0);
    // After a quiet period the burst is applied on the next turn, in one update.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(1);
    expect(store.getState().statsByInstance[web.key]?.cpuPercent).toBe(99);
    // The next burst waits for the interval.
    for (let index = 0; index < 50; index += 1) actions.statsReceived(stats(api, index));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(notifications).toBe(2);
    expect(store.getState().statsByInstance[api.key]?.cpuPercent).toBe(49);
    // History is bounded.
    expect(store.getState().cpuHistoryByInstance[web.key]).toHaveLength(30);
    store.getState().dispose();
  });

  it("applies an engine's whole list and its connection state on the next turn, even inside the interval", async () => {
    const store = createTestStore({ flushIntervalMs: 300 });
    let notifications = 0;
    store.subscribe(() => (notifications += 1));
    const actions = store.getState();
    actions.engineRegistered({ id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connecting' });
    const web = container('web');
    // A host sample flushes first (as it does at start-up), then the list comes within its interval.
    actions.statsReceived(stats(web, 10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(2);
    actions.inventoryReplaced('local', inventoryOf([web, container('api')]));
    actions.engineStateChanged('local', { state: 'connected', connectedAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Drawn at once (it waited out the 300 ms before), in one update.
    expect(notifications).toBe(3);
    expect(Object.keys(store.getState().instances)).toHaveLength(2);
    expect(store.getState().engines.local?.state).toBe('connected');
    // Other writes still coalesce: a version and stats wait for the interval after that flush.
    actions.engineStateChanged('local', { version: '27.1' });
    actions.statsReceived(stats(web, 20));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 320));
    expect(notifications).toBe(4);
    expect(store.getState().engines.local?.version).toBe('27.1');
    store.getState().dispose();
  });

  it('keeps an unchanged container as the same object, so its row does not re-render', () => {
    const store = createTestStore();
    const actions = store.getState();
    const web = container('web');
    const db = container('db');
    actions.inventoryReplaced('local', inventoryOf([web, db]));
    actions.flush();
    const webBefore = store.getState().instances[web.key];
    expect(webBefore).toBeDefined();
    actions.instanceUpserted(container('web'));
    actions.instanceUpserted(container('db', { health: 'unhealthy' }));
    actions.flush();
    expect(store.getState().instances[web.key]).toBe(webBefore);
    expect(store.getState().instances[db.key]?.health).toBe('unhealthy');
    expect(store.getState().alerts.map((alert) => alert.id)).toContain(`unhealthy:${db.key}`);
  });

  it('forgets removed containers and a resync replaces only its own engine', () => {
    const store = createTestStore();
    const actions = store.getState();
    const web = container('web');
    const db = container('db');
    const far = container('far', { engineId: 'remote' });
    actions.inventoryReplaced('local', inventoryOf([web, db]));
    actions.inventoryReplaced('remote', inventoryOf([far]));
    actions.statsReceived(stats(db, 5));
    actions.flush();
    expect(store.getState().statsByInstance[db.key]?.cpuPercent).toBe(5);
    actions.instanceRemoved(db.key);
    actions.inventoryReplaced('local', inventoryOf([web]));
    actions.flush();
    expect(Object.keys(store.getState().instances).sort()).toEqual([far.key, web.key].sort());
    expect(Object.keys(store.getState().workloads).sort()).toEqual([far.workloadKey, web.workloadKey].sort());
    expect(store.getState().statsByInstance[db.key]).toBeUndefined();
    expect(store.getState().cpuHistoryByInstance[db.key]).toBeUndefined();
  });

  it('keeps bounded log rings per service and counts error fingerprints', () => {
    const store = createTestStore({ logBufferLines: 5 });
    const actions = store.getState();
    const api = container('api');
    const lines: LogLine[] = Array.from({ length: 12 }, (_, index) => ({
      instanceKey: api.key,
      workloadKey: api.workloadKey,
      stream: 'stderr',
      timestamp: index,
      rawTimestamp: `t${index}`,
      text: index % 2 === 0 ? `ERROR request ${index} failed for 10.0.0.${index}` : `INFO ok ${index}`,
    }));
    actions.logLinesReceived(lines);
    actions.flush();
    const state = store.getState();
    expect(state.logBuffers.get(api.workloadKey)?.toArray().map((line) => line.timestamp)).toEqual([7, 8, 9, 10, 11]);
    expect(state.logRevisionByWorkload[api.workloadKey]).toBe(1);
    expect(state.errorLineCount).toBe(6);
    expect(state.fingerprints).toHaveLength(1);
    expect(state.fingerprints[0]?.count).toBe(6);
  });

  it('keeps alerts and gates as the same objects while what they say is unchanged', () => {
    const store = createTestStore();
    const actions = store.getState();
    actions.engineRegistered({ id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///test.sock', state: 'connected' });
    const web = container('web');
    actions.inventoryReplaced('local', inventoryOf([web, container('db', { health: 'unhealthy' })]));
    actions.statsReceived(stats(web, 1));
    actions.flush();
    const { alerts, gates } = store.getState();
    actions.statsReceived(stats(web, 2));
    actions.flush();
    expect(store.getState().statsByInstance[web.key]?.cpuPercent).toBe(2);
    expect(gates.find((gate) => gate.id === 'no-unhealthy')?.status).toBe('fail');
    expect(store.getState().alerts).toBe(alerts);
    expect(store.getState().gates).toBe(gates);
    actions.instanceUpserted(container('db'));
    actions.flush();
    expect(store.getState().alerts).not.toBe(alerts);
    expect(store.getState().gates.find((gate) => gate.id === 'no-unhealthy')?.status).toBe('pass');
  });

  it('keeps the rows of the same daemon configured twice (socket and tcp) apart', () => {
    const store = createTestStore();
    const actions = store.getState();
    // The same containers, ids and names seen through two configured engines.
    const onSocket = [container('web', { engineId: 'socket' }), container('db', { engineId: 'socket' })];
    const onTcp = [container('web', { engineId: 'tcp' }), container('db', { engineId: 'tcp', health: 'unhealthy' })];
    const [socketWeb, socketDb] = onSocket as [Instance, Instance];
    const [tcpWeb, tcpDb] = onTcp as [Instance, Instance];
    expect(socketWeb.ref.uid).toBe(tcpWeb.ref.uid);
    expect(socketWeb.ref.name).toBe(tcpWeb.ref.name);
    for (const id of ['socket', 'tcp']) {
      actions.engineRegistered({ id, kind: 'docker', label: id, endpoint: `${id}://daemon`, state: 'connected' });
    }
    actions.inventoryReplaced('socket', inventoryOf(onSocket));
    actions.inventoryReplaced('tcp', inventoryOf(onTcp));
    actions.statsReceived(stats(socketWeb, 11));
    actions.statsReceived(stats(tcpWeb, 22));
    actions.logLinesReceived([logLine(socketWeb, 'ERROR from socket'), logLine(tcpWeb, 'ERROR from tcp')]);
    actions.flush();
    let state = store.getState();
    expect(Object.keys(state.instances).sort()).toEqual([socketWeb.key, socketDb.key, tcpWeb.key, tcpDb.key].sort());
    expect(Object.keys(state.workloads).sort()).toEqual(
      [socketWeb.workloadKey, socketDb.workloadKey, tcpWeb.workloadKey, tcpDb.workloadKey].sort(),
    );
    expect(state.instances[socketDb.key]?.health).toBe('none');
    expect(state.instances[tcpDb.key]?.health).toBe('unhealthy');
    expect(state.statsByInstance[socketWeb.key]?.cpuPercent).toBe(11);
    expect(state.statsByInstance[tcpWeb.key]?.cpuPercent).toBe(22);
    expect(state.logBuffers.get(socketWeb.workloadKey)?.toArray().map((line) => line.text)).toEqual(['ERROR from socket']);
    expect(state.logBuffers.get(tcpWeb.workloadKey)?.toArray().map((line) => line.text)).toEqual(['ERROR from tcp']);
    expect(state.alerts.filter((alert) => alert.kind === 'unhealthy').map((alert) => alert.id)).toEqual([`unhealthy:${tcpDb.key}`]);

    // A resync of one engine (db gone there) and a removal on it leave the other engine's rows alone.
    actions.inventoryReplaced('socket', inventoryOf([socketWeb]));
    actions.flush();
    state = store.getState();
    expect(Object.keys(state.instances).sort()).toEqual([socketWeb.key, tcpWeb.key, tcpDb.key].sort());
    expect(state.workloads[tcpDb.workloadKey]).toBeDefined();
    expect(state.workloads[socketDb.workloadKey]).toBeUndefined();
    expect(state.statsByInstance[tcpWeb.key]?.cpuPercent).toBe(22);
    actions.instanceRemoved(socketWeb.key);
    actions.statsEnded(socketWeb.key);
    actions.flush();
    state = store.getState();
    expect(Object.keys(state.instances).sort()).toEqual([tcpWeb.key, tcpDb.key].sort());
    expect(state.statsByInstance[socketWeb.key]).toBeUndefined();
    expect(state.statsByInstance[tcpWeb.key]?.cpuPercent).toBe(22);
    expect(state.cpuHistoryByInstance[tcpWeb.key]).toEqual([22]);
  });

  it('keeps a workload whose last instance is gone until the adapter removes the workload', () => {
    const store = createTestStore();
    const actions = store.getState();
    const web = container('web');
    const api = container('api');
    actions.inventoryReplaced('local', inventoryOf([web, api]));
    actions.flush();
    actions.instanceRemoved(web.key);
    actions.flush();
    expect(store.getState().instances[web.key]).toBeUndefined();
    // A compose service scaled to zero (or a Deployment with no pods) still has its row.
    expect(store.getState().workloads[web.workloadKey]).toEqual(workloadOf(web));
    actions.workloadRemoved(web.workloadKey);
    actions.flush();
    expect(store.getState().workloads[web.workloadKey]).toBeUndefined();
    expect(Object.keys(store.getState().workloads)).toEqual([api.workloadKey]);
    expect(Object.keys(store.getState().instances)).toEqual([api.key]);
  });

  it('applies a workload without instances from an upsert, and a removal after it in the same flush wins', () => {
    const store = createTestStore();
    const actions = store.getState();
    const cron = workloadOf(container('cron'));
    actions.workloadUpserted(cron);
    actions.flush();
    expect(store.getState().workloads[cron.key]).toEqual(cron);
    expect(store.getState().instances).toEqual({});
    actions.workloadUpserted(cron);
    actions.workloadRemoved(cron.key);
    actions.flush();
    expect(store.getState().workloads[cron.key]).toBeUndefined();
  });
});

function logLine(instance: Instance, text: string): LogLine {
  return { instanceKey: instance.key, workloadKey: instance.workloadKey, stream: 'stdout', timestamp: 1, rawTimestamp: 't1', text };
}
