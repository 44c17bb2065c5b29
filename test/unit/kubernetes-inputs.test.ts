// Inputs of type context, namespace, deployment, statefulset and pod take their values from the
// live state: the form offers them, and every value is checked against it before a step runs (a
// name in two contexts is a problem that names both, not a silent first pick).
import { describe, expect, it } from 'vitest';
import { validateInputs } from '../../src/playbooks/input-values';
import type { PlaybookInput } from '../../src/playbooks/playbook-types';
import { liveResolverOf } from '../../src/playbooks/runner/live-inputs';
import { inputChoices } from '../../src/store/selectors/run-form';
import { container, inventoryOf } from '../support/domain-fixtures';
import { kubeEngine, kubePod, kubeStore, kubeWorkload } from '../support/kubernetes-fixtures';

const localApi = kubeWorkload('api', { engineId: 'kind' });
const prodApi = kubeWorkload('api', { engineId: 'prod' });
const worker = kubeWorkload('worker', { engineId: 'kind', namespace: 'jobs' });
const postgres = kubeWorkload('postgres', { engineId: 'prod', kind: 'statefulset', namespace: 'data' });

function live() {
  const store = kubeStore(
    [kubeEngine('kind', 'kind-local', ['default', 'shop']), kubeEngine('prod', 'jivs-production', ['data', 'shop'])],
    [localApi, prodApi, worker, postgres],
    [kubePod(localApi, 'api-7d9f-aaaaa'), kubePod(postgres, 'postgres-0')],
  );
  store.getState().inventoryReplaced('docker', inventoryOf([container('web')]));
  store.getState().flush();
  return store;
}

function input(name: string, type: PlaybookInput['type']): PlaybookInput {
  return { name, type, required: true };
}

const INPUTS = [input('context', 'context'), input('namespace', 'namespace'), input('deployment', 'deployment')];

describe('Kubernetes inputs', () => {
  it('resolve a context by engine id or kubeconfig context, a namespace a context shows, a deployment to its ref key', () => {
    const resolver = liveResolverOf(live().getState());
    expect(validateInputs(INPUTS, { context: 'jivs-production', namespace: 'data', deployment: 'jobs/worker' }, resolver)).toEqual({
      values: { context: 'prod', namespace: 'data', deployment: worker.key },
    });
    expect(validateInputs([input('db', 'statefulset'), input('pod', 'pod')], { db: 'postgres', pod: 'postgres-0' }, resolver)).toMatchObject({ values: { db: postgres.key } });
    expect(validateInputs(INPUTS, { context: 'docker', namespace: 'billing', deployment: 'web' }, resolver)).toEqual({
      errors: {
        context: 'no context "docker" in the live state',
        namespace: 'no namespace "billing" in the live state',
        deployment: 'no deployment "web" in the live state',
      },
    });
  });

  it('refuse a deployment name found in two contexts, naming both, and take its ref key', () => {
    const resolver = liveResolverOf(live().getState());
    expect(validateInputs([input('deployment', 'deployment')], { deployment: 'api' }, resolver)).toEqual({
      errors: { deployment: 'deployment api is in kind/shop and prod/shop: choose one (its ref key names the context)' },
    });
    expect(validateInputs([input('deployment', 'deployment')], { deployment: prodApi.key }, resolver)).toEqual({ values: { deployment: prodApi.key } });
  });

  it('offer the live values in the form, an ambiguous name by its ref key', () => {
    const state = live().getState();
    expect(inputChoices(state, input('context', 'context'))).toEqual(['kind', 'prod']);
    expect(inputChoices(state, input('namespace', 'namespace'))).toEqual(['data', 'default', 'jobs', 'shop']);
    expect(inputChoices(state, input('deployment', 'deployment'))).toEqual([localApi.key, prodApi.key, 'jobs/worker'].sort());
    expect(inputChoices(state, input('db', 'statefulset'))).toEqual(['data/postgres']);
    expect(inputChoices(state, input('pod', 'pod'))).toEqual(['api-7d9f-aaaaa', 'postgres-0']);
    expect(inputChoices(state, input('container', 'container'))).toEqual(['shop-web-1']);
  });
});
