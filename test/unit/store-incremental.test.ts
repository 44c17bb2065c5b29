// The store follows its derived state from one flush to the next through the inventory's
// changed keys (restart history, alerts, the services tree's grouping, the group counts). These
// tests play a long, seeded run of pod and container changes, re-lists, stats and time, and check
// after every flush that what was followed is exactly what a computation from scratch gives.

import { describe, expect, it } from 'vitest';
import { randomSource } from '../support/random-frames';
import { evaluateAlerts, updateRestartHistory, type RestartHistory } from '../../src/domain/thresholds';
import type { Alert, Instance, InstancePhase } from '../../src/domain/types';
import { buildServiceTree, selectProjectSummary, selectServiceSummary, selectServiceTree } from '../../src/store/selectors/service-tree';
import { recordValues } from '../../src/store/slices/inventory-slice';
import type { OpsdeckState } from '../../src/store/store-types';
import { container, createViewStore, engine, NOW, stats } from '../views/fixtures';
import { deployment, kubeEngine, pod } from '../views/kubernetes-fixtures';

const MINUTE = 60_000;

/** Whole numbers below `below` from a seeded generator: the same run every time. */
function randomFrom(seed: number): (below: number) => number {
  const next = randomSource(seed);
  return (below) => Math.floor(next() * below);
}

const PHASES: InstancePhase[] = ['running', 'running', 'running', 'crash-loop', 'restarting', 'pending', 'exited'];
const FILTERS = ['', 'api', 'crash', 'db-', '7d9f8-1', 'nothing-matches'];

/** The services tree made from nothing (a new records object has no grouping to follow). */
function treeFromScratch(state: OpsdeckState, filter: string) {
  return buildServiceTree({
    workloads: { ...state.workloads },
    instances: { ...state.instances },
    engines: state.engines,
    engineOrder: state.engineOrder,
    collapsedProjects: state.ui.collapsedProjects,
    filter,
    scope: state.ui.cluster.scope,
  });
}

describe('derived state followed through changes', () => {
  it('gives the alerts, restart history, services tree and group counts a computation from scratch gives, flush after flush', () => {
    let now = NOW;
    const store = createViewStore({ now: () => now });
    const random = randomFrom(7);
    const state = () => store.getState();
    state().engineRegistered(kubeEngine('prod', { namespaces: ['shop', 'data'] }));
    state().engineRegistered(engine());
    const workloads = [deployment('prod', 'shop', 'api', { replicas: 6 }), deployment('prod', 'shop', 'web', { replicas: 4 }), deployment('prod', 'data', 'db', { kind: 'statefulset', replicas: 2 })];
    const pods = new Map<string, Instance>();
    let serial = 0;
    const newPod = (): Instance => {
      const owner = workloads[random(workloads.length)]!;
      const created = pod(owner, String(serial++));
      pods.set(created.key, created);
      return created;
    };
    for (let index = 0; index < 12; index++) newPod();
    const containers = ['cache', 'worker', 'queue'].map((service) => container(service));
    state().inventoryReplaced('prod', { workloads, instances: [...pods.values()] });
    state().inventoryReplaced('local', { workloads: [], instances: containers });
    state().flush();

    let history: RestartHistory = state().restartHistory;
    let alerts: Alert[] = state().alerts;
    let recomputed = 0;
    for (let step = 0; step < 400; step++) {
      now += random(3) === 0 ? random(4 * MINUTE) : random(20_000);
      const action = random(10);
      const keys = [...pods.keys()];
      const key = keys[random(keys.length)];
      const chosen = key === undefined ? undefined : pods.get(key);
      if (action <= 4 && chosen) {
        // A pod's status: phase, restarts (up, or down for a recreated one), health, reason.
        const phase = PHASES[random(PHASES.length)]!;
        const restartCount = Math.max(0, chosen.restartCount + (random(4) === 0 ? -1 : random(3)));
        const changed: Instance = { ...chosen, phase, restartCount, health: random(5) === 0 ? 'unhealthy' : 'healthy', ...(phase === 'crash-loop' ? { reason: 'CrashLoopBackOff', state: 'CrashLoopBackOff' } : { state: 'Running' }) };
        pods.set(changed.key, changed);
        state().instanceUpserted(changed);
      } else if (action === 5 && chosen) {
        pods.delete(chosen.key);
        state().instanceRemoved(chosen.key);
      } else if (action === 6) {
        state().instanceUpserted(newPod());
      } else if (action === 7) {
        // A re-list: the same pods as objects of their own, one of them changed.
        const listed = [...pods.values()].map((item) => ({ ...item }));
        if (listed[0]) listed[0] = { ...listed[0], restartCount: listed[0].restartCount + 1 };
        for (const item of listed) pods.set(item.key, item);
        state().inventoryReplaced('prod', { workloads, instances: listed });
      } else if (action === 8 && chosen) {
        state().statsReceived(stats(chosen.key, random(100), random(100)));
      } else if (chosen) {
        state().instanceUpserted({ ...chosen });
      }
      const filter = FILTERS[random(FILTERS.length)]!;
      if (filter === '') state().clearFilter();
      else {
        state().startFilter('services');
        state().setFilter(filter);
      }
      state().flush();

      const current = state();
      if (current.healthEvaluatedAt === now) {
        recomputed += 1;
        const instances = Object.values(current.instances);
        history = updateRestartHistory(history, instances, now);
        alerts = evaluateAlerts(
          { instances, statsByInstance: current.statsByInstance, engines: Object.values(current.engines), thresholds: current.thresholds, restartHistory: history, ...(current.host ? { host: current.host } : {}) },
          alerts,
          now,
        );
        // The history is a map of its own kind (shared records, layered changes): compared by its entries.
        expect(new Map(current.restartHistory)).toEqual(history);
        expect(current.restartHistory.size).toBe(history.size);
        expect(current.alerts).toEqual(alerts);
      }
      const values = recordValues(current.instances, current.instanceChanges);
      const listed = Object.values(current.instances);
      expect(values.length).toBe(listed.length);
      expect(values.every((value, index) => value === listed[index])).toBe(true);

      const tree = selectServiceTree(current);
      expect(tree).toEqual(treeFromScratch(current, filter));
      for (const row of tree.rows) {
        const fresh = { instances: { ...current.instances }, groupCounts: current.groupCounts, alerts: current.alerts };
        if (row.kind === 'project' || row.kind === 'engine') expect(selectProjectSummary(current, row.projectKey)).toEqual(selectProjectSummary(fresh, row.projectKey));
        if (row.kind === 'service' && row.workloadKey) expect(selectServiceSummary(current, row.workloadKey)).toEqual(selectServiceSummary(fresh, row.workloadKey));
      }
    }
    // The run went through crash loops and restarts that aged out of the window.
    expect(recomputed).toBeGreaterThan(300);
    expect(state().alerts.some((alert) => alert.kind === 'restarting')).toBe(true);
  });

  it('keeps the filtered tree while the pods that change keep the texts the filter reads, and redoes it when one no longer does', () => {
    const store = createViewStore();
    const api = deployment('prod', 'shop', 'api');
    const web = deployment('prod', 'shop', 'web');
    const looping = pod(web, 'b', { phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'CrashLoopBackOff', restartCount: 4 });
    const pods = [pod(api, 'a'), pod(web, 'a'), looping];
    store.getState().engineRegistered(kubeEngine('prod'));
    store.getState().inventoryReplaced('prod', { workloads: [api, web], instances: pods });
    store.getState().flush();
    store.getState().startFilter('services');
    store.getState().setFilter('crash');
    const filtered = selectServiceTree(store.getState());
    expect(filtered.rows.map((row) => row.label)).toEqual(['prod', 'shop', 'web', 'web-7d9f8-b']);
    // A crash loop's restarts (the same reason): the same rows, the same tree.
    for (const restartCount of [5, 6]) {
      store.getState().instanceUpserted({ ...looping, restartCount });
      store.getState().flush();
      expect(selectServiceTree(store.getState())).toBe(filtered);
      expect(selectServiceTree(store.getState())).toEqual(treeFromScratch(store.getState(), 'crash'));
    }
    // api's pod starts looping: its reason now passes the filter.
    store.getState().instanceUpserted({ ...pods[0]!, phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'CrashLoopBackOff' });
    store.getState().flush();
    const both = selectServiceTree(store.getState());
    expect(both.rows.map((row) => row.label)).toEqual(['prod', 'shop', 'api', 'api-7d9f8-a', 'web', 'web-7d9f8-b']);
    expect(both).toEqual(treeFromScratch(store.getState(), 'crash'));
    // The looping pod recovers: its reason is gone, and so is its row.
    store.getState().instanceUpserted({ ...looping, phase: 'running', state: 'Running', reason: undefined, restartCount: 6 });
    store.getState().flush();
    expect(selectServiceTree(store.getState()).rows.map((row) => row.label)).toEqual(['prod', 'shop', 'api', 'api-7d9f8-a']);
    expect(selectServiceTree(store.getState())).toEqual(treeFromScratch(store.getState(), 'crash'));
  });

  it('keeps the records, the tree and the alerts when a flush changed nothing (an upsert of what is there)', () => {
    const store = createViewStore();
    const api = deployment('prod', 'shop', 'api');
    const pods = [pod(api, 'a'), pod(api, 'b', { phase: 'crash-loop', state: 'CrashLoopBackOff', restartCount: 4 })];
    store.getState().engineRegistered(kubeEngine('prod'));
    store.getState().inventoryReplaced('prod', { workloads: [api], instances: pods });
    store.getState().flush();
    const before = store.getState();
    const tree = selectServiceTree(before);
    store.getState().instanceUpserted({ ...pods[0]! });
    store.getState().inventoryReplaced('prod', { workloads: [{ ...api }], instances: pods.map((item) => ({ ...item })) });
    store.getState().flush();
    const after = store.getState();
    expect(after.instances).toBe(before.instances);
    expect(after.workloads).toBe(before.workloads);
    expect(after.alerts).toBe(before.alerts);
    expect(selectServiceTree(after)).toBe(tree);
  });
});
