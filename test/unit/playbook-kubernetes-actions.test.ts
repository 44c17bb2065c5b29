// k8s.* mutations as steps run them: parameters validated (with file:line in a playbook),
// targets found by context, namespace and name (or ref key) in the live state, the exact calls
// described through the executor, one EngineAction per change, the server's answer (and a
// server dry run's) as output, and what a resumed run observes.
import { describe, expect, it } from 'vitest';
import type { EngineAction, MutationAnswer, RolloutRevision } from '../../src/domain/engine-action';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { isInvalidPlaybook, parsePlaybookText } from '../../src/playbooks/load-playbooks';
import { testContext } from '../support/action-context';
import { builtInAction as action, parsedParams as params, paramsProblem as problemOf } from '../support/built-in-actions';
import { FIXED_NOW } from '../support/domain-fixtures';
import { kubeEngine, kubePod, kubeStore, kubeWorkload } from '../support/kubernetes-fixtures';
import { ScriptedExecutor } from '../support/scripted-executor';

const api = kubeWorkload('api', { desired: 3, ready: 1 });
const web = kubeWorkload('web', { kind: 'statefulset' });
const healthy = kubePod(api, 'api-7d9f-aaaaa', { createdAt: FIXED_NOW - 600_000 });
const looping = kubePod(api, 'api-7d9f-bbbbb', { phase: 'crash-loop', restarts: 7, uid: 'uid-b' });
const pending = kubePod(api, 'api-7d9f-ccccc', { phase: 'pending', ready: false, message: '0/1 nodes are available: 1 Insufficient memory.' });
const remoteApi = kubeWorkload('api', { engineId: 'prod' });

function store(options: { remote?: boolean } = {}) {
  const engines = [kubeEngine('kind', 'kind-local'), ...(options.remote ? [kubeEngine('prod', 'jivs-production')] : [])];
  return kubeStore(engines, [api, web, ...(options.remote ? [remoteApi] : [])], [healthy, looping, pending]);
}

function answer(summary: string, change: Partial<MutationAnswer> = {}): MutationAnswer {
  return { dryRun: false, summary, ...change };
}

function revision(number: number, change: Partial<RolloutRevision> = {}): RolloutRevision {
  return { revision: number, name: `api-rs${number}`, createdAt: FIXED_NOW - 86_400_000 + number * 1000, images: [`shop/api:${number}`], current: false, ...change };
}

describe('k8s mutation parameters', () => {
  it('name exactly one workload, and type their values', () => {
    expect(problemOf('k8s.scale', { replicas: 3 })).toBe(': give deployment or statefulset');
    expect(problemOf('k8s.scale', { deployment: 'api', statefulset: 'web', replicas: 3 })).toBe(': give only one of deployment and statefulset');
    expect(problemOf('k8s.scale', { deployment: 'api', replicas: -1 })).toMatch(/^replicas: /);
    expect(problemOf('k8s.scale', { deployment: 'api', replica: 3 })).toMatch(/replica/);
    expect(params('k8s.scale', { deployment: 'api', replicas: '5', namespace: 'shop', context: 'kind-local' })).toEqual({ deployment: 'api', replicas: 5, namespace: 'shop', context: 'kind-local' });
    expect(problemOf('k8s.rollout.undo', { deployment: 'api', toRevision: 0 })).toMatch(/^toRevision: revisions start at 1/);
    expect(problemOf('k8s.set-resources', { deployment: 'api', limits: { memory: '8 GB' } })).toMatch(/^limits.memory: expected a quantity such as 500m, 2, 512Mi or 8Gi/);
    expect(problemOf('k8s.set-resources', { deployment: 'api' })).toMatch(/give limits or requests/);
    expect(problemOf('k8s.set-env', { deployment: 'api', env: { '1BAD': 'x' } })).toMatch(/^env.1BAD: expected a variable name/);
    expect(problemOf('k8s.delete-pod', {})).toBe(': give deployment, statefulset or pod');
    expect(params('k8s.set-env', { deployment: 'api', env: { HIKARI_MAX_POOL_SIZE: 50, OLD: null } })).toMatchObject({ env: { HIKARI_MAX_POOL_SIZE: '50', OLD: null } });
    for (const name of ['k8s.rollout.restart', 'k8s.rollout.undo', 'k8s.scale', 'k8s.set-resources', 'k8s.set-env', 'k8s.delete-pod']) expect(action(name).answersDryRun).toBe(true);
    expect(action('k8s.scale').targetOf?.(params('k8s.scale', { deployment: 'api', namespace: 'shop', replicas: 1 }))).toEqual({ kind: 'deployment', name: 'api', namespace: 'shop' });
  });

  it('in a playbook file are reported with file, line and column', () => {
    const text = ['id: scale-it', 'title: Scale', 'description: test', 'steps:', '  - id: scale', '    title: Scale api', '    action: k8s.scale', '    with:', '      deployment: api', '      replicas: many', ''].join('\n');
    const loaded = parsePlaybookText(text, { fileName: 'scale-it.yaml', file: '/tmp/scale-it.yaml', sha256: 'a'.repeat(64), registry: createBuiltInActionRegistry() });
    expect(isInvalidPlaybook(loaded) && loaded.error).toMatch(/^scale-it\.yaml:10:17: steps\[0\]\.with\.replicas: /);
    const templated = text.replace('replicas: many', 'replicas: "{{ inputs.replicas }}"').replace('steps:', 'inputs:\n  - { name: replicas, type: number }\nsteps:');
    expect(isInvalidPlaybook(parsePlaybookText(templated, { fileName: 'scale-it.yaml', file: '/tmp/scale-it.yaml', sha256: 'a'.repeat(64), registry: createBuiltInActionRegistry() }))).toBe(false);
  });
});

describe('k8s mutations', () => {
  it('find their target by name, namespace/name, ref key or context, and name the places of an ambiguous one', async () => {
    const live = store({ remote: true });
    const executor = new ScriptedExecutor(() => ({ output: { answer: answer('deployment.apps/api scaled') } }));
    const { context } = testContext({ store: live, executor });
    const scale = action('k8s.scale');
    expect(await scale.run(params('k8s.scale', { deployment: 'api', replicas: 2 }), context)).toEqual({
      status: 'failed',
      calls: [],
      error: 'deployment api is in kind/shop and prod/shop: give its namespace or context',
    });
    await scale.run(params('k8s.scale', { deployment: 'api', context: 'jivs-production', replicas: 2 }), context);
    await scale.run(params('k8s.scale', { deployment: 'shop/api', context: 'kind', replicas: 4 }), context);
    await scale.run(params('k8s.scale', { deployment: api.key, replicas: 5 }), context);
    expect(executor.sent.map((sent) => `${sent.target.engineId}/${sent.target.namespace}/${sent.target.name} ${sent.verb === 'scale' ? sent.replicas : ''}`)).toEqual(['prod/shop/api 2', 'kind/shop/api 4', 'kind/shop/api 5']);
    expect(await scale.run(params('k8s.scale', { deployment: 'api', namespace: 'billing', replicas: 1 }), context)).toMatchObject({ error: 'no deployment api in namespace billing' });
    expect(await scale.run(params('k8s.scale', { statefulset: 'api', context: 'kind', replicas: 1 }), context)).toMatchObject({ error: 'no statefulset api on context kind' });
  });

  it('describe the exact calls through the executor and send one EngineAction each', async () => {
    const live = store();
    const executor = new ScriptedExecutor(() => ({ output: { answer: answer('done') } }));
    const { context } = testContext({ store: live, executor });
    expect(action('k8s.scale').describe(params('k8s.scale', { deployment: 'api', replicas: 5 }), context)).toEqual([
      { type: 'http', method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/api/scale', body: { spec: { replicas: 5 } } },
    ]);
    const steps: Array<[string, Record<string, unknown>]> = [
      ['k8s.rollout.restart', { deployment: 'api' }],
      ['k8s.rollout.undo', { deployment: 'api' }],
      ['k8s.rollout.undo', { statefulset: 'web', toRevision: 3 }],
      ['k8s.set-resources', { deployment: 'api', container: 'app', limits: { memory: '8Gi' }, requests: { memory: '4Gi', cpu: '500m' } }],
      ['k8s.set-env', { deployment: 'api', env: { HIKARI_MAX_POOL_SIZE: '50', DEBUG: null } }],
    ];
    for (const [name, raw] of steps) expect(await action(name).run(params(name, raw), context)).toMatchObject({ status: 'passed' });
    const target = { engineId: 'kind', kind: 'deployment' as const, namespace: 'shop', name: 'api' };
    expect(executor.sent).toEqual([
      { verb: 'rollout-restart', target },
      { verb: 'rollout-undo', target },
      { verb: 'rollout-undo', target: { ...target, kind: 'statefulset', name: 'web' }, toRevision: 3 },
      { verb: 'set-resources', target, container: 'app', limits: { memory: '8Gi' }, requests: { memory: '4Gi', cpu: '500m' } },
      { verb: 'set-env', target, env: { HIKARI_MAX_POOL_SIZE: '50', DEBUG: null } },
    ] satisfies EngineAction[]);
    expect(action('k8s.rollout.restart').actionsOf?.(params('k8s.rollout.restart', { deployment: 'api' }), context)).toEqual([{ verb: 'rollout-restart', target }]);
  });

  it('report the server\'s answer with the fields it changed, and a server dry run as such', async () => {
    const live = store();
    const scaled = answer('deployment.apps/api scaled from 3 to 5', { changes: { 'spec.replicas': [3, 5] }, resourceVersion: '812' });
    const executor = new ScriptedExecutor((_action, options) => ({ output: { answer: { ...scaled, dryRun: options.dryRun === true } } }));
    const done = testContext({ store: live, executor });
    expect(await action('k8s.scale').run(params('k8s.scale', { deployment: 'api', replicas: 5 }), done.context)).toMatchObject({
      status: 'passed',
      stdout: 'deployment.apps/api scaled from 3 to 5\n  spec.replicas: 3 -> 5',
      data: { answer: scaled },
    });
    expect(done.record.output).toEqual([
      { stream: 'info', text: 'deployment.apps/api scaled from 3 to 5' },
      { stream: 'info', text: '  spec.replicas: 3 -> 5' },
    ]);
    const dry = testContext({ store: live, executor, dryRun: true });
    expect(await action('k8s.scale').run(params('k8s.scale', { deployment: 'api', replicas: 5 }), dry.context)).toMatchObject({
      status: 'would-do',
      stdout: 'dry run (server, nothing persisted): deployment.apps/api scaled from 3 to 5\n  spec.replicas: 3 -> 5',
      data: { answer: { dryRun: true } },
    });
    expect(executor.executed.at(-1)?.options.dryRun).toBe(true);
  });

  it('delete one pod, or each failing pod of a deployment with its uid, and nothing when none fails', async () => {
    const live = store();
    const executor = new ScriptedExecutor((sent) => ({ output: { answer: answer(`pod/${sent.target.name} deleted`) } }));
    const { context } = testContext({ store: live, executor });
    const failing = params('k8s.delete-pod', { deployment: 'api', gracePeriod: '10s' });
    expect(action('k8s.delete-pod').describe(failing, context)).toEqual([
      { type: 'http', method: 'DELETE', path: '/api/v1/namespaces/shop/pods/api-7d9f-bbbbb', body: { gracePeriodSeconds: 10 } },
      { type: 'http', method: 'DELETE', path: '/api/v1/namespaces/shop/pods/api-7d9f-ccccc', body: { gracePeriodSeconds: 10 } },
    ]);
    expect(await action('k8s.delete-pod').run(failing, context)).toMatchObject({
      status: 'passed',
      stdout: 'pod/api-7d9f-bbbbb deleted\npod/api-7d9f-ccccc deleted',
      data: { pods: ['api-7d9f-bbbbb', 'api-7d9f-ccccc'], deleted: 2 },
    });
    expect(executor.sent[0]).toEqual({ verb: 'delete', target: looping.ref, gracePeriodSeconds: 10 });
    await action('k8s.delete-pod').run(params('k8s.delete-pod', { pod: 'api-7d9f-aaaaa' }), context);
    expect(executor.sent.at(-1)).toEqual({ verb: 'delete', target: healthy.ref });
    const calm = testContext({ store: kubeStore([kubeEngine('kind')], [api], [healthy]), executor });
    expect(await action('k8s.delete-pod').run(failing, calm.context)).toMatchObject({ status: 'passed', calls: [], stdout: 'no failing pods of deployment api: nothing to delete' });
  });

  it('are refused when forbidden, and a failed delete stops before the next pod', async () => {
    const live = store();
    const forbidding = new ScriptedExecutor(() => ({}), false, () => 'forbidden: pods "api-7d9f-bbbbb" is forbidden: User "viewer" cannot delete resource "pods"');
    const { context } = testContext({ store: live, executor: forbidding });
    expect(await action('k8s.delete-pod').run(params('k8s.delete-pod', { deployment: 'api' }), context)).toMatchObject({ status: 'refused' });
    expect(forbidding.sent).toEqual([]);
    const failingFirst = new ScriptedExecutor(() => ({ status: 'failed', error: 'the server is unavailable' }));
    const second = testContext({ store: live, executor: failingFirst });
    expect(await action('k8s.delete-pod').run(params('k8s.delete-pod', { deployment: 'api' }), second.context)).toMatchObject({ status: 'failed', error: 'api-7d9f-bbbbb: the server is unavailable' });
    expect(failingFirst.sent).toHaveLength(1);
  });
});

describe('k8s observations on resume', () => {
  const intentAt = FIXED_NOW;

  it('a rollout restart: the current template\'s restartedAt (else its ReplicaSet) after the intent', async () => {
    let history: RolloutRevision[] = [revision(2, { current: true, restartedAt: intentAt + 1500 })];
    const executor = new ScriptedExecutor(() => ({ output: { history } }));
    const { context } = testContext({ store: store(), executor });
    const restart = params('k8s.rollout.restart', { deployment: 'api' });
    expect(await action('k8s.rollout.restart').observe?.(restart, context, intentAt)).toEqual({
      verdict: 'happened',
      detail: `revision 2 (api-rs2) its template's restartedAt ${new Date(intentAt + 1500).toISOString().slice(11, 23)} is not before the intent (${new Date(intentAt).toISOString().slice(11, 23)}): the rollout restart happened`,
    });
    // kubectl stamps restartedAt to the second: a restart in the intent's own second counts.
    history = [revision(2, { current: true, restartedAt: intentAt })];
    expect(await action('k8s.rollout.restart').observe?.(restart, context, intentAt + 400)).toMatchObject({ verdict: 'happened' });
    history = [revision(1), revision(2, { current: true, restartedAt: intentAt - 60_000, createdAt: intentAt + 10 })];
    expect(await action('k8s.rollout.restart').observe?.(restart, context, intentAt)).toMatchObject({ verdict: 'not-happened' });
    history = [revision(1), revision(2, { current: true, createdAt: intentAt + 10 })];
    expect(await action('k8s.rollout.restart').observe?.(restart, context, intentAt)).toMatchObject({ verdict: 'happened' });
    expect(await action('k8s.set-env').observe?.(params('k8s.set-env', { deployment: 'api', env: { A: '1' } }), context, intentAt)).toMatchObject({ verdict: 'happened' });
    history = [revision(1), revision(2, { current: true })];
    expect(await action('k8s.set-resources').observe?.(params('k8s.set-resources', { deployment: 'api', limits: { memory: '1Gi' } }), context, intentAt)).toMatchObject({ verdict: 'not-happened' });
  });

  it('a scale: spec.replicas against the asked value', async () => {
    const { context } = testContext({ store: store(), executor: new ScriptedExecutor(() => ({})) });
    expect(await action('k8s.scale').observe?.(params('k8s.scale', { deployment: 'api', replicas: 3 }), context, intentAt)).toEqual({ verdict: 'happened', detail: 'spec.replicas of api is 3, asked 3: the scale happened' });
    expect(await action('k8s.scale').observe?.(params('k8s.scale', { deployment: 'api', replicas: 5 }), context, intentAt)).toEqual({ verdict: 'not-happened', detail: 'spec.replicas of api is 3, asked 5: not scaled' });
  });

  it('an undo: whether the target revision is the current template', async () => {
    let history: RolloutRevision[] = [];
    const { context } = testContext({ store: store(), executor: new ScriptedExecutor(() => ({ output: { history } })) });
    const undo = (toRevision?: number) => action('k8s.rollout.undo').observe?.(params('k8s.rollout.undo', { deployment: 'api', ...(toRevision ? { toRevision } : {}) }), context, intentAt);
    history = [revision(1), revision(2, { current: true })];
    expect(await undo(1)).toMatchObject({ verdict: 'not-happened', detail: 'revision 1 (api-rs1) is not current (current: 2): the undo did not take effect' });
    history = [revision(2), revision(3, { name: 'api-rs1', current: true })];
    expect(await undo(1)).toMatchObject({ verdict: 'happened', detail: expect.stringContaining('revision 1 is now revision 3: its ReplicaSet api-rs1') });
    history = [revision(1, { current: true }), revision(2)];
    expect(await undo(1)).toMatchObject({ verdict: 'happened' });
    expect(await undo()).toMatchObject({ verdict: 'unknown', detail: expect.stringContaining('pass toRevision') });
  });

  it('a pod delete: the pods from before the intent are gone', async () => {
    const { context } = testContext({ store: store(), executor: new ScriptedExecutor(() => ({})) });
    const observe = (raw: Record<string, unknown>) => action('k8s.delete-pod').observe?.(params('k8s.delete-pod', raw), context, intentAt);
    expect(await observe({ pod: 'api-7d9f-zzzzz' })).toEqual({ verdict: 'happened', detail: 'pod api-7d9f-zzzzz is gone: the delete happened' });
    expect(await observe({ pod: 'api-7d9f-bbbbb' })).toMatchObject({ verdict: 'not-happened' });
    expect(await observe({ deployment: 'api' })).toMatchObject({ verdict: 'not-happened', detail: 'api-7d9f-bbbbb, api-7d9f-ccccc still failing and no pod created since the intent: nothing was deleted' });
    const replaced = kubePod(api, 'api-7d9f-ddddd', { createdAt: intentAt + 2000 });
    const after = testContext({ store: kubeStore([kubeEngine('kind')], [api], [healthy, replaced]), executor: new ScriptedExecutor(() => ({})) });
    expect(await action('k8s.delete-pod').observe?.(params('k8s.delete-pod', { deployment: 'api' }), after.context, intentAt)).toMatchObject({ verdict: 'happened' });
    const partly = testContext({ store: kubeStore([kubeEngine('kind')], [api], [healthy, looping, replaced]), executor: new ScriptedExecutor(() => ({})) });
    expect(await action('k8s.delete-pod').observe?.(params('k8s.delete-pod', { deployment: 'api' }), partly.context, intentAt)).toMatchObject({ verdict: 'unknown' });
  });
});
