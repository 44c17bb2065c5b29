// The runner with k8s.* steps behind the real action executor: a forbidden mutation (the
// engine's access review) is refused with the engine's reason before any confirmation is asked,
// and journaled; an allowed one is reviewed before its question; a dry run shows the server's
// dry-run answer in the step's output and detail, and journals it.
import { describe, expect, it } from 'vitest';
import type { RunAwaiting } from '../../src/playbooks/run-types';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { kubeEngine, kubePod, kubeStore, kubeWorkload, scalingEngine } from '../support/kubernetes-fixtures';
import { playbookOf, runnerWorld, step } from '../support/runner-fixtures';
import { awaitingOf, recordsOf, runOn, startRun, statuses, viewOf, type RunWorld } from '../support/run-steps';

const FORBIDDEN = 'deployments.apps "api" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"';

function kubeWorld(forbid?: Parameters<typeof scalingEngine>[1]) {
  const base = runnerWorld();
  const api = kubeWorkload('api', { engineId: 'kind', desired: 3 });
  const store = kubeStore([kubeEngine('kind', 'kind-local')], [api], [kubePod(api, 'api-7d9f-aaaaa')]);
  const engine = scalingEngine('kind', forbid);
  const executor = createActionExecutor({ adapterFor: (id) => (id === 'kind' ? engine.adapter : undefined), readOnly: false });
  const world: RunWorld = { store, journals: base.journals, dependencies: { ...base.dependencies, store, executor, registry: createBuiltInActionRegistry() } };
  // Everything the run waited for, in order: a confirmation must never be among them when forbidden.
  const awaited: Array<RunAwaiting['kind']> = [];
  store.subscribe((state) => {
    for (const run of Object.values(state.runs)) if (run.awaiting && awaited.at(-1) !== run.awaiting.kind) awaited.push(run.awaiting.kind);
  });
  return { world, engine, awaited };
}

const SCALE = playbookOf([step('scale', 'k8s.scale', { deployment: 'api', namespace: 'shop', replicas: 5 }, { title: 'Scale api to 5', confirm: 'yes-no' })]);

describe('k8s steps in the runner', () => {
  it('refuse a forbidden mutation with the engine\'s reason before any confirmation is asked, and journal it', async () => {
    const { world, engine, awaited } = kubeWorld(() => FORBIDDEN);
    const run = startRun(world, SCALE);
    runOn(world, run);
    expect(await run.finished).toBe('failed');
    const view = viewOf(world, run);
    expect(statuses(view)).toEqual({ scale: 'refused' });
    expect(view.steps[0]?.detail).toBe(FORBIDDEN);
    expect(view.summary).toContain(`not done (refused): scale (${FORBIDDEN})`);
    expect(awaited).not.toContain('confirm');
    expect(engine.reviewed).toEqual([{ verb: 'scale', target: { engineId: 'kind', kind: 'deployment', namespace: 'shop', name: 'api' }, replicas: 5 }]);
    expect(engine.scaled).toEqual([]);
    const records = recordsOf(world, run);
    expect(records.filter((record) => record.type === 'confirmation' || record.type === 'step-intent')).toEqual([]);
    expect(records.find((record) => record.type === 'step-result')).toMatchObject({ stepId: 'scale', verdict: 'refused', error: FORBIDDEN });
  });

  it('review an allowed mutation before its question, then scale once the operator says yes', async () => {
    const { world, engine } = kubeWorld();
    const run = startRun(world, SCALE);
    runOn(world, run);
    const question = await awaitingOf(world, run, 'confirm');
    expect(question).toMatchObject({ question: 'Scale api to 5 (api)?', calls: ['PATCH /apis/apps/v1/namespaces/shop/deployments/api/scale'] });
    expect(engine.reviewed).toHaveLength(1);
    expect(engine.scaled).toEqual([]);
    run.confirm(true);
    expect(await run.finished).toBe('passed');
    expect(engine.scaled).toEqual([{ name: 'api', replicas: 5, dryRun: false }]);
    world.store.getState().flush();
    expect(viewOf(world, run).steps[0]?.output).toEqual(['deployment.apps/api scaled from 3 to 5', '  spec.replicas: 3 -> 5']);
  });

  it('in a dry run show and journal the server\'s dry-run answer, asking nothing and persisting nothing', async () => {
    const { world, engine, awaited } = kubeWorld();
    const run = startRun(world, SCALE, { dryRun: true });
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    expect(engine.scaled).toEqual([{ name: 'api', replicas: 5, dryRun: true }]);
    expect(awaited).not.toContain('confirm');
    world.store.getState().flush();
    const view = viewOf(world, run);
    expect(view.steps[0]).toMatchObject({
      status: 'would-do',
      detail: 'dry run (server, nothing persisted): deployment.apps/api scaled from 3 to 5',
      output: ['dry run (server, nothing persisted): deployment.apps/api scaled from 3 to 5', '  spec.replicas: 3 -> 5'],
    });
    const records = recordsOf(world, run);
    expect(records.find((record) => record.type === 'step-intent')).toMatchObject({ stepId: 'scale', dryRun: true, mutates: true });
    expect(records.filter((record) => record.type === 'step-output').map((record) => record.type === 'step-output' && record.text).join('')).toContain('dry run (server, nothing persisted): deployment.apps/api scaled from 3 to 5');
    expect(records.find((record) => record.type === 'step-result')).toMatchObject({ verdict: 'would-do' });
  });
});
