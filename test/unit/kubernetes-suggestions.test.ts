// The shipped k8s playbooks as the picker and `!` offer them: a crash-looping pod row suggests
// the service-down playbook with its deployment bound, an OOMKilled one the high-memory one, a
// deployment row offers the rollback, restart and scale playbooks (the picker lists them first;
// `!` starts only a playbook answering a problem), a red Kubernetes gate binds its workload.
import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/domain/gates';
import { DEFAULT_THRESHOLDS } from '../../src/domain/thresholds';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { validateInputs } from '../../src/playbooks/input-values';
import { loadPlaybookCatalog, shippedPlaybooksDirectory } from '../../src/playbooks/load-playbooks';
import type { Playbook } from '../../src/playbooks/playbook-types';
import type { Instance } from '../../src/domain/types';
import { liveResolverOf } from '../../src/playbooks/runner/live-inputs';
import { suggestionsFor } from '../../src/playbooks/suggestions';
import { selectPanelRowKeys } from '../../src/store/selectors/panel-rows';
import { selectRowFix, selectRowSuggestions } from '../../src/store/selectors/suggestion-sources';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { FIXED_NOW } from '../support/domain-fixtures';
import { kubeEngine, kubePod, kubeStore, kubeWorkload } from '../support/kubernetes-fixtures';

const api = kubeWorkload('api', { desired: 2, ready: 1 });
const web = kubeWorkload('web', { desired: 2 });
const looping = kubePod(api, 'api-7d9f-bbbbb', { phase: 'crash-loop', restarts: 7 });
const oomKilled = kubePod(api, 'api-7d9f-ccccc', { phase: 'crash-loop', reason: 'OOMKilled', oomKilled: true, restarts: 3 });
const webPods = [kubePod(web, 'web-5c5c-aaaaa'), kubePod(web, 'web-5c5c-bbbbb')];

let library: Promise<readonly Playbook[]> | undefined;

/** The shipped catalog, read once for the file. */
function shipped(): Promise<readonly Playbook[]> {
  library ??= loadPlaybookCatalog({ directories: [shippedPlaybooksDirectory()], registry: createBuiltInActionRegistry() }).then((catalog) => {
    expect(catalog.invalid).toEqual([]);
    return catalog.playbooks;
  });
  return library;
}

async function cockpit(): Promise<{ store: OpsdeckStore; playbooks: readonly Playbook[] }> {
  const playbooks = await shipped();
  const store = kubeStore([kubeEngine('kind', 'kind-local')], [api, web], [looping, oomKilled, ...webPods]);
  store.getState().catalogLoaded({ playbooks: playbooks.map(({ id, title, description, tags, file, inputs, suggest }) => ({ id, title, description, tags, file, inputs, suggest })), invalid: [] });
  return { store, playbooks };
}

/** Selects the services panel's row of `key` (a pod row or a deployment row). */
function selectRowOf(store: OpsdeckStore, key: string): void {
  const row = selectPanelRowKeys(store.getState(), 'services').find((candidate) => candidate.endsWith(`:${key}`));
  if (!row) throw new Error(`no row for ${key} in ${selectPanelRowKeys(store.getState(), 'services').join(', ')}`);
  store.getState().focusPanel('services');
  store.getState().selectRow('services', row);
}

describe('k8s playbook suggestions', () => {
  it('a crash-looping pod row suggests the service-down playbook first, its deployment bound to a value the input takes', async () => {
    const { store, playbooks } = await cockpit();
    selectRowOf(store, looping.key);
    const [first] = selectRowSuggestions(store.getState());
    expect(first).toMatchObject({ playbookId: 'k8s-service-down', inputs: { deployment: api.key } });
    expect(selectRowFix(store.getState())?.playbookId).toBe('k8s-service-down');
    const serviceDown = playbooks.find((playbook) => playbook.id === 'k8s-service-down');
    expect(validateInputs(serviceDown?.inputs ?? [], first?.inputs ?? {}, liveResolverOf(store.getState()))).toMatchObject({ values: { deployment: api.key } });
  });

  it('an OOMKilled pod row suggests the high-memory playbook first', async () => {
    const { store } = await cockpit();
    selectRowOf(store, oomKilled.key);
    expect(selectRowSuggestions(store.getState()).map((suggestion) => suggestion.playbookId).slice(0, 2)).toEqual(['k8s-high-memory', 'k8s-service-down']);
  });

  it('a healthy deployment row offers the deployment playbooks with it bound, and `!` starts none of them', async () => {
    const { store } = await cockpit();
    selectRowOf(store, web.key);
    const suggestions = selectRowSuggestions(store.getState());
    expect(suggestions.map((suggestion) => suggestion.playbookId)).toEqual(
      expect.arrayContaining(['k8s-rollback-deployment', 'k8s-rolling-restart', 'k8s-scale-deployment', 'k8s-high-error-rate', 'k8s-database-connections']),
    );
    expect(suggestions.every((suggestion) => suggestion.inputs['deployment'] === web.key)).toBe(true);
    expect(suggestions.map((suggestion) => suggestion.playbookId)).not.toContain('k8s-service-down');
    expect(selectRowFix(store.getState())).toBeUndefined();
  });

  it("a deployment row stands for its pods' alerts: `!` answers a pod that starts crash-looping after the row was selected", async () => {
    const { store } = await cockpit();
    // api's pods loop: its row's `!` is the service-down playbook, from its pods' alerts.
    selectRowOf(store, api.key);
    expect(selectRowFix(store.getState())?.playbookId).toBe('k8s-service-down');
    // web's pods are healthy: nothing to fix, until one of them loops (a status change: the tree keeps its grouping).
    selectRowOf(store, web.key);
    expect(selectRowFix(store.getState())).toBeUndefined();
    const [first, second] = webPods as [Instance, Instance];
    store.getState().instanceUpserted({ ...first, phase: 'crash-loop', state: 'CrashLoopBackOff', reason: 'CrashLoopBackOff', ready: false, restartCount: 9 });
    store.getState().flush();
    // The looping pod's own alert answers it (its container bound), as on the pod's row.
    expect(selectRowFix(store.getState())).toMatchObject({ inputs: { container: first.key } });
    // A pod that leaves the deployment takes its alert with it.
    store.getState().instanceRemoved(first.key);
    store.getState().flush();
    expect(selectRowFix(store.getState())).toBeUndefined();
    expect(store.getState().instances[second.key]).toBeDefined();
  });

  it('a red Kubernetes gate names its first offender\'s workload, and its playbook binds it', async () => {
    const playbooks = await shipped();
    const pending = kubePod(web, 'web-5c5c-ccccc', { phase: 'pending', ready: false, createdAt: FIXED_NOW - 3_600_000 });
    const results = evaluateGates({ engines: [kubeEngine('kind')], instances: [looping, oomKilled, ...webPods, pending], workloads: [api, web], thresholds: DEFAULT_THRESHOLDS }, FIXED_NOW);
    const red = results.filter((result) => result.status === 'fail' && ['deployments-available', 'no-pod-crash-loop', 'no-pod-pending'].includes(result.id));
    expect(red.map((result) => [result.id, result.workloadKey])).toEqual([
      ['deployments-available', api.key],
      ['no-pod-crash-loop', api.key],
      ['no-pod-pending', web.key],
    ]);
    for (const result of red) {
      const [first] = suggestionsFor(playbooks, [{ kind: 'gate', gate: { id: result.id, detail: result.detail, ...(result.workloadKey ? { workload: result.workloadKey } : {}) } }]);
      expect(first, result.id).toMatchObject({ playbookId: 'k8s-service-down', inputs: { deployment: result.workloadKey } });
    }
  });

  it('a red Kubernetes gate binds the workload it names', async () => {
    const playbooks = await shipped();
    for (const gate of ['deployments-available', 'no-pod-crash-loop', 'no-pod-pending']) {
      const [first] = suggestionsFor(playbooks, [{ kind: 'gate', gate: { id: gate, detail: 'shop/api 1/2 available', workload: api.key } }]);
      expect(first, gate).toMatchObject({ playbookId: 'k8s-service-down', inputs: { deployment: api.key } });
    }
    // A gate that names no workload leaves the input to the form.
    expect(suggestionsFor(playbooks, [{ kind: 'gate', gate: { id: 'deployments-available', detail: '2 deployments unavailable' } }])[0]?.inputs).toEqual({});
  });
});
