// The runtime's selection follower over the real store and action executor: the selected
// Kubernetes workload's logs are followed (debounced, none for a Docker row), and the selected
// row's mutations are put to an access review whose answers the store keeps.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineAdapter } from '../../src/adapters/capabilities';
import { accessKeyOf, type ActionVerb } from '../../src/domain/engine-action';
import type { ResourceRef } from '../../src/domain/resource-ref';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { followSelection } from '../../src/runtime/selection-follower';
import { containerRowKey, serviceRowKey } from '../../src/store/selectors/service-tree';
import { createViewStore, instanceKeyOf, RecordingAdapter } from '../views/fixtures';
import { API, API_PODS, DB, feedClusters, pod, RecordingKubernetesAdapter } from '../views/kubernetes-fixtures';
import { waitFor } from '../support/wait-for';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (verb: ActionVerb, target: ResourceRef) => accessKeyOf({ verb, target });

function setup(options: { readOnly?: boolean; debounceMs?: number } = {}) {
  const store = createViewStore({ readOnly: options.readOnly ?? false });
  feedClusters(store);
  const prod = new RecordingKubernetesAdapter('prod');
  const staging = new RecordingKubernetesAdapter('staging');
  const local = new RecordingAdapter();
  const adapters = new Map<string, EngineAdapter>([local, prod, staging].map((adapter) => [adapter.engineId, adapter]));
  const executor = createActionExecutor({ store, adapterFor: (engineId) => adapters.get(engineId), readOnly: options.readOnly ?? false });
  const follower = followSelection({ store, executor, adapters: [...adapters.values()], readOnly: options.readOnly ?? false, debounceMs: options.debounceMs ?? 30 });
  stops.push(() => follower.stop());
  return { store, prod, staging };
}

describe('following the selected workload', () => {
  it("follows the selected pod's workload on its context, and nothing on the others", async () => {
    const { store, prod, staging } = setup();
    store.getState().selectRow('services', containerRowKey(API_PODS.crashing.key));
    await waitFor('prod to follow api', () => prod.followed.at(-1) === 'api');
    expect(staging.followed).toEqual([undefined]);
    store.getState().selectRow('services', containerRowKey(pod(DB, '0').key));
    await waitFor('staging to follow db', () => staging.followed.at(-1) === 'db');
    expect(prod.followed.at(-1)).toBeUndefined();
    // A Docker container selected: no Kubernetes workload is followed.
    store.getState().selectRow('services', containerRowKey(instanceKeyOf('vault')));
    await waitFor('staging to stop', () => staging.followed.at(-1) === undefined);
    expect(prod.followed.at(-1)).toBeUndefined();
  });

  it('starts one follow for rows passed quickly, and keeps the log view open on its workload', async () => {
    const { store, prod } = setup({ debounceMs: 80 });
    await sleep(120);
    const before = prod.followed.length;
    for (const key of [serviceRowKey(API.key), containerRowKey(API_PODS.running.key), containerRowKey(API_PODS.crashing.key), serviceRowKey(API.key)]) {
      store.getState().selectRow('services', key);
      await sleep(5);
    }
    await waitFor('the follow', () => prod.followed.length > before);
    await sleep(120);
    expect(prod.followed.slice(before)).toEqual(['api']);
    store.getState().openLogView(API.key);
    store.getState().selectRow('services', containerRowKey(instanceKeyOf('vault')));
    await sleep(150);
    expect(prod.followed.at(-1)).toBe('api');
    store.getState().closeLogView();
    await waitFor('the follow to end', () => prod.followed.at(-1) === undefined);
  });
});

describe('access reviews of the selected row', () => {
  it("reviews a Deployment row's restart, scale and undo and a pod row's delete, each answer kept for its own object", async () => {
    const { store, prod } = setup();
    prod.forbidden.set('rollout-undo', 'cannot patch deployments/rollback');
    store.getState().selectRow('services', serviceRowKey(API.key));
    await waitFor('the reviews', () => store.getState().accessDecisions[keyOf('rollout-undo', API.ref)] !== undefined);
    expect(store.getState().accessDecisions[keyOf('rollout-undo', API.ref)]).toEqual({ allowed: false, reason: 'cannot patch deployments/rollback' });
    expect(store.getState().accessDecisions[keyOf('scale', API.ref)]).toEqual({ allowed: true });
    expect(prod.reviews.sort()).toEqual(['rollout-restart api', 'rollout-undo api', 'scale api']);
    store.getState().selectRow('services', containerRowKey(API_PODS.running.key));
    await waitFor('the pod review', () => store.getState().accessDecisions[keyOf('delete', API_PODS.running.ref)] !== undefined);
    // A role may allow deleting some pods only (RBAC resourceNames): the next pod gets its own answer.
    prod.forbidden.set('delete', 'cannot delete pods');
    store.getState().selectRow('services', containerRowKey(API_PODS.crashing.key));
    await waitFor('the second pod review', () => store.getState().accessDecisions[keyOf('delete', API_PODS.crashing.ref)] !== undefined);
    expect(store.getState().accessDecisions[keyOf('delete', API_PODS.crashing.ref)]).toEqual({ allowed: false, reason: 'cannot delete pods' });
    expect(store.getState().accessDecisions[keyOf('delete', API_PODS.running.ref)]).toEqual({ allowed: true });
    expect(prod.reviews.filter((review) => review.startsWith('delete')).sort()).toEqual([`delete ${API_PODS.crashing.ref.name}`, `delete ${API_PODS.running.ref.name}`].sort());
  });

  it('asks again when the row is selected again, so a role granted since is offered', async () => {
    const { store, prod } = setup();
    prod.forbidden.set('delete', 'cannot delete pods');
    store.getState().selectRow('services', containerRowKey(API_PODS.running.key));
    await waitFor('the forbidden answer', () => store.getState().accessDecisions[keyOf('delete', API_PODS.running.ref)]?.allowed === false);
    prod.forbidden.delete('delete');
    prod.expireAccessCache();
    store.getState().selectRow('services', serviceRowKey(API.key));
    store.getState().selectRow('services', containerRowKey(API_PODS.running.key));
    await waitFor('the new answer', () => store.getState().accessDecisions[keyOf('delete', API_PODS.running.ref)]?.allowed === true);
  });

  it('reviews nothing in read-only mode (nothing there is offered)', async () => {
    const { store, prod } = setup({ readOnly: true });
    store.getState().selectRow('services', serviceRowKey(API.key));
    await sleep(100);
    expect(prod.reviews).toEqual([]);
    expect(store.getState().accessDecisions).toEqual({});
  });
});
