import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/domain/types';
import { container, stats } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';

describe('store', () => {
  it('coalesces a burst of adapter writes into one update per interval', async () => {
    const store = createTestStore({ flushIntervalMs: 100 });
    let notifications = 0;
    store.subscribe(() => (notifications += 1));
    const actions = store.getState();
    actions.containersReplaced('local', [container('web'), container('api')]);
    for (let index = 0; index < 200; index += 1) actions.statsReceived(stats('web', index % 100));
    expect(notifications).toBe(0);
    // After a quiet period the burst is applied on the next turn, in one update.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(1);
    expect(store.getState().statsByContainer.web?.cpuPercent).toBe(99);
    // The next burst waits for the interval.
    for (let index = 0; index < 50; index += 1) actions.statsReceived(stats('api', index));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notifications).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(notifications).toBe(2);
    expect(store.getState().statsByContainer.api?.cpuPercent).toBe(49);
    // History is bounded.
    expect(store.getState().cpuHistoryByContainer.web).toHaveLength(30);
    store.getState().dispose();
  });

  it('keeps an unchanged container as the same object, so its row does not re-render', () => {
    const store = createTestStore();
    const actions = store.getState();
    actions.containersReplaced('local', [container('web'), container('db')]);
    actions.flush();
    const webBefore = store.getState().containers.web;
    actions.containerUpserted(container('web'));
    actions.containerUpserted(container('db', { health: 'unhealthy' }));
    actions.flush();
    expect(store.getState().containers.web).toBe(webBefore);
    expect(store.getState().containers.db?.health).toBe('unhealthy');
    expect(store.getState().alerts.map((alert) => alert.id)).toContain('unhealthy:db');
  });

  it('forgets removed containers and a resync replaces only its own engine', () => {
    const store = createTestStore();
    const actions = store.getState();
    actions.containersReplaced('local', [container('web'), container('db')]);
    actions.containersReplaced('remote', [container('far', { engineId: 'remote' })]);
    actions.statsReceived(stats('db', 5));
    actions.flush();
    actions.containerRemoved('db');
    actions.containersReplaced('local', [container('web')]);
    actions.flush();
    expect(Object.keys(store.getState().containers).sort()).toEqual(['far', 'web']);
    expect(store.getState().statsByContainer.db).toBeUndefined();
  });

  it('keeps bounded log rings per service and counts error fingerprints', () => {
    const store = createTestStore({ logBufferLines: 5 });
    const actions = store.getState();
    const lines: LogLine[] = Array.from({ length: 12 }, (_, index) => ({
      containerId: 'api',
      serviceKey: 'local/shop/api',
      stream: 'stderr',
      timestamp: index,
      rawTimestamp: `t${index}`,
      text: index % 2 === 0 ? `ERROR request ${index} failed for 10.0.0.${index}` : `INFO ok ${index}`,
    }));
    actions.logLinesReceived(lines);
    actions.flush();
    const state = store.getState();
    expect(state.logBuffers.get('local/shop/api')?.toArray().map((line) => line.timestamp)).toEqual([7, 8, 9, 10, 11]);
    expect(state.logRevisionByService['local/shop/api']).toBe(1);
    expect(state.errorLineCount).toBe(6);
    expect(state.fingerprints).toHaveLength(1);
    expect(state.fingerprints[0]?.count).toBe(6);
  });

  it('keeps alerts and gates as the same objects while what they say is unchanged', () => {
    const store = createTestStore();
    const actions = store.getState();
    actions.engineRegistered({ id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///test.sock', state: 'connected' });
    actions.containersReplaced('local', [container('web'), container('db', { health: 'unhealthy' })]);
    actions.statsReceived(stats('web', 1));
    actions.flush();
    const { alerts, gates } = store.getState();
    actions.statsReceived(stats('web', 2));
    actions.flush();
    expect(store.getState().statsByContainer.web?.cpuPercent).toBe(2);
    expect(gates.find((gate) => gate.id === 'no-unhealthy')?.status).toBe('fail');
    expect(store.getState().alerts).toBe(alerts);
    expect(store.getState().gates).toBe(gates);
    actions.containerUpserted(container('db'));
    actions.flush();
    expect(store.getState().alerts).not.toBe(alerts);
    expect(store.getState().gates.find((gate) => gate.id === 'no-unhealthy')?.status).toBe('pass');
  });
});
