// k8s.* reads as steps run them: pods from the live state like kubectl get pods (with `require`),
// events, logs of every pod with a counted pattern, top, rollout status with its progress, and
// rollout history with the revision undo goes back to. Reads run for real in a dry run.
import { describe, expect, it } from 'vitest';
import type { EventSummary, RolloutRevision } from '../../src/domain/engine-action';
import type { RolloutProgress } from '../../src/domain/types';
import { judgeOutcome } from '../../src/playbooks/actions/expect-match';
import { testContext } from '../support/action-context';
import { builtInAction as action, parsedParams as params, paramsProblem as problemOf } from '../support/built-in-actions';
import { FIXED_NOW } from '../support/domain-fixtures';
import { kubeEngine, kubePod, kubeStore, kubeWorkload } from '../support/kubernetes-fixtures';
import { ScriptedExecutor } from '../support/scripted-executor';

const api = kubeWorkload('api', { desired: 3, ready: 1 });
const worker = kubeWorkload('worker', { desired: 1 });
const ready = kubePod(api, 'api-7d9f-aaaaa', { createdAt: FIXED_NOW - 600_000 });
const looping = kubePod(api, 'api-7d9f-bbbbb', { phase: 'crash-loop', restarts: 7, reason: 'OOMKilled', oomKilled: true });
const pending = kubePod(api, 'api-7d9f-ccccc', { phase: 'pending', ready: false, message: '0/1 nodes are available: 1 Insufficient memory.' });
const workerPod = kubePod(worker, 'worker-55c8-aaaaa');

function live() {
  return kubeStore([kubeEngine('kind', 'kind-local')], [api, worker], [ready, looping, pending, workerPod]);
}

describe('k8s.pods', () => {
  it('lists a deployment\'s pods like kubectl get pods, with the pending pod\'s scheduling message', async () => {
    const { context } = testContext({ store: live(), now: () => FIXED_NOW });
    const outcome = await action('k8s.pods').run(params('k8s.pods', { deployment: 'api' }), context);
    expect(outcome.status).toBe('passed');
    expect(outcome.stdout?.split('\n')).toEqual([
      'api-7d9f-aaaaa  ready      Running                       0 restarts  10m',
      'api-7d9f-bbbbb  not ready  CrashLoopBackOff (OOMKilled)  7 restarts  1h',
      'api-7d9f-ccccc  not ready  Pending                       0 restarts  1h',
      '    0/1 nodes are available: 1 Insufficient memory.',
    ]);
    expect(outcome.data).toEqual({ pods: 3, ready: 1, desired: 3, failing: 2, failingPods: ['api-7d9f-bbbbb', 'api-7d9f-ccccc'], restarts: 7, oomKilled: ['api-7d9f-bbbbb'] });
    expect(action('k8s.pods').mutates(params('k8s.pods', { deployment: 'api' }))).toBe(false);
  });

  it('fails when `require` is not met: all ready means every pod ready and as many as desired', async () => {
    const { context } = testContext({ store: live() });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'api', require: { allReady: true } }), context)).toMatchObject({
      status: 'failed',
      error: 'deployment api: 1 of 3 ready: api-7d9f-bbbbb CrashLoopBackOff (OOMKilled), api-7d9f-ccccc Pending',
    });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'api', require: { minReady: 1 } }), context)).toMatchObject({ status: 'passed' });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'worker', require: { allReady: true, noneFailing: true } }), context)).toMatchObject({ status: 'passed' });
    const scaledUp = testContext({ store: kubeStore([kubeEngine('kind')], [kubeWorkload('worker', { desired: 2 })], [workerPod]) });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'worker', require: { allReady: true } }), scaledUp.context)).toMatchObject({ status: 'failed', error: 'deployment worker: 1 of 2 ready' });
  });

  it('is not all ready while a rollout is unfinished, though every pod left is ready', async () => {
    // The new ReplicaSet's crash-looping pod was deleted and its replacement is not created yet:
    // the two old pods are ready, but only one replica runs the current template.
    const stuck = kubeWorkload('cart', { desired: 2, updated: 1 });
    const old = [kubePod(stuck, 'cart-6b89-aaaaa'), kubePod(stuck, 'cart-6b89-bbbbb')];
    const { context } = testContext({ store: kubeStore([kubeEngine('kind')], [stuck], old) });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'cart', require: { allReady: true } }), context)).toMatchObject({
      status: 'failed',
      error: 'deployment cart: 2 of 2 replicas ready, only 1 runs the current pod template (a rollout is not finished)',
    });
    expect(await action('k8s.pods').run(params('k8s.pods', { deployment: 'cart', require: { minReady: 2 } }), context)).toMatchObject({ status: 'passed' });
  });

  it('judges the pods a rollout left behind while they terminate as gone: listed, neither failing nor required', async () => {
    const rolledBack = kubeWorkload('cart', { desired: 1 });
    const serving = kubePod(rolledBack, 'cart-6c96-aaaaa');
    const leaving = kubePod(rolledBack, 'cart-6b89-bbbbb', { phase: 'crash-loop', state: 'Terminating', restarts: 4 });
    const { context } = testContext({ store: kubeStore([kubeEngine('kind')], [rolledBack], [serving, leaving]) });
    const outcome = await action('k8s.pods').run(params('k8s.pods', { deployment: 'cart', require: { allReady: true, noneFailing: true } }), context);
    expect(outcome).toMatchObject({ status: 'passed', data: { pods: 2, ready: 1, failing: 0 } });
    expect(outcome.stdout).toContain('cart-6b89-bbbbb  not ready  Terminating');
    expect(action('k8s.delete-pod').describe(params('k8s.delete-pod', { deployment: 'cart' }), context)).toEqual([]);
  });

  it('lists a namespace, and needs a workload or a namespace', async () => {
    const { context } = testContext({ store: live() });
    const outcome = await action('k8s.pods').run(params('k8s.pods', { namespace: 'shop', context: 'kind-local' }), context);
    expect(outcome.data).toMatchObject({ pods: 4, ready: 2 });
    expect(problemOf('k8s.pods', {})).toBe(': give deployment, statefulset or namespace');
    expect(await action('k8s.pods').run(params('k8s.pods', { namespace: 'billing' }), context)).toMatchObject({ status: 'passed', stdout: 'no pods of namespace billing' });
  });
});

describe('k8s.events, k8s.top', () => {
  const events: EventSummary[] = [
    { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned shop/api-7d9f-bbbbb', count: 1, lastSeen: FIXED_NOW - 120_000, object: 'Pod/api-7d9f-bbbbb' },
    { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 12, lastSeen: FIXED_NOW - 5000, object: 'Pod/api-7d9f-bbbbb' },
    { type: 'Warning', reason: 'OOMKilling', message: 'Memory cgroup out of memory: Killed process 4242 (java)', count: 3, lastSeen: FIXED_NOW - 60_000, object: 'Node/node-1' },
  ];

  it('reads the events of a workload through the executor, filtered by reason', async () => {
    const executor = new ScriptedExecutor(() => ({ output: { events } }));
    const { context } = testContext({ store: live(), executor, now: () => FIXED_NOW, dryRun: true });
    const all = await action('k8s.events').run(params('k8s.events', { deployment: 'api', limit: 50 }), context);
    expect(executor.sent).toEqual([{ verb: 'events', target: api.ref, limit: 50 }]);
    expect(all.stdout?.split('\n')[1]).toBe('5s ago  Warning  BackOff     Pod/api-7d9f-bbbbb  Back-off restarting failed container (x12)');
    expect(all.data).toEqual({ events: 3, warnings: 2, matched: 3, reasons: { Scheduled: 1, BackOff: 12, OOMKilling: 3 } });
    const oom = await action('k8s.events').run(params('k8s.events', { pod: 'api-7d9f-bbbbb', reason: '(?i)oom|out of memory', warningsOnly: true }), context);
    expect(oom).toMatchObject({ status: 'passed', data: { matched: 1, reasons: { OOMKilling: 3 } } });
    expect(executor.sent.at(-1)).toEqual({ verb: 'events', target: looping.ref, limit: 20 });
    expect(action('k8s.events').describe(params('k8s.events', { deployment: 'api' }), context)).toEqual([
      { type: 'http', method: 'GET', path: '/api/v1/namespaces/shop/events?fieldSelector=involvedObject.name%3Dapi' },
    ]);
  });

  it('shows usage against the memory limit, and fails with the engine\'s sentence when metrics are not served', async () => {
    const usage = [
      { pod: 'api-7d9f-aaaaa', namespace: 'shop', cpuMillicores: 250, memoryBytes: 900 * 1024 * 1024, memoryLimitBytes: 1024 * 1024 * 1024, containers: [] },
      { pod: 'api-7d9f-bbbbb', namespace: 'shop', cpuMillicores: 12.4, memoryBytes: 100 * 1024 * 1024, containers: [] },
    ];
    const { context } = testContext({ store: live(), executor: new ScriptedExecutor(() => ({ output: { usage } })) });
    const outcome = await action('k8s.top').run(params('k8s.top', { deployment: 'api' }), context);
    expect(outcome.stdout?.split('\n')).toEqual(['POD             CPU   MEMORY  LIMIT', 'api-7d9f-aaaaa  250m  900Mi   88% of 1024Mi', 'api-7d9f-bbbbb  12m   100Mi   no limit']);
    expect(outcome.data).toMatchObject({ highestMemoryPercent: 900 / 1024 * 100 });
    const unserved = testContext({ store: live(), executor: new ScriptedExecutor(() => ({ status: 'failed', error: 'metrics.k8s.io is not served by this cluster (no metrics-server)' })) });
    expect(await action('k8s.top').run(params('k8s.top', { deployment: 'api' }), unserved.context)).toMatchObject({ status: 'failed', error: 'metrics.k8s.io is not served by this cluster (no metrics-server)' });
  });
});

describe('k8s.logs', () => {
  const logsOf: Record<string, string> = {
    'api-7d9f-aaaaa': 'INFO started\nERROR db timeout\nINFO ok\n',
    'api-7d9f-bbbbb': 'ERROR OutOfMemoryError\nERROR OutOfMemoryError\n',
    'api-7d9f-ccccc': '',
  };

  it('reads every pod of the deployment, keeps and counts the lines matching the pattern (kubectl logs --since=24h | grep -c ERROR)', async () => {
    const executor = new ScriptedExecutor((sent) => ({ output: { stdout: logsOf[sent.target.name] ?? '' } }));
    const { context, record } = testContext({ store: live(), executor });
    const outcome = await action('k8s.logs').run(params('k8s.logs', { deployment: 'api', since: '24h', pattern: 'ERROR', container: 'app' }), context);
    expect(executor.sent).toEqual([looping, pending, ready].map((pod) => ({ verb: 'logs', target: pod.ref, sinceSeconds: 86_400, container: 'app' })).sort((left, right) => left.target.name.localeCompare(right.target.name)));
    expect(outcome.stdout?.split('\n')).toEqual(['[api-7d9f-aaaaa] ERROR db timeout', '[api-7d9f-bbbbb] ERROR OutOfMemoryError', '[api-7d9f-bbbbb] ERROR OutOfMemoryError', '3 lines match /ERROR/ in 3 pods']);
    expect(outcome.data).toEqual({ lines: 5, matches: 3, pods: 3 });
    expect(record.output.at(-1)).toEqual({ stream: 'info', text: '3 lines match /ERROR/ in 3 pods' });
    // The count is something `expect` can require.
    expect(judgeOutcome(outcome, { output: '^0 lines match' })).toMatchObject({ status: 'failed' });
    expect(await action('k8s.logs').run(params('k8s.logs', { deployment: 'api', pattern: 'ERROR', maxMatches: 2 }), context)).toMatchObject({ status: 'failed', error: '3 lines match /ERROR/, more than 2' });
  });

  it('reads one pod\'s previous container with a tail, and fails when no pod could be read', async () => {
    const executor = new ScriptedExecutor(() => ({ output: { stdout: 'java.lang.OutOfMemoryError: Java heap space\n' } }));
    const { context } = testContext({ store: live(), executor });
    const outcome = await action('k8s.logs').run(params('k8s.logs', { pod: 'api-7d9f-bbbbb', previous: true, tail: 100 }), context);
    expect(executor.sent).toEqual([{ verb: 'logs', target: looping.ref, tail: 100, previous: true }]);
    expect(outcome).toMatchObject({ status: 'passed', stdout: 'java.lang.OutOfMemoryError: Java heap space\n1 line in 1 pod' });
    expect(action('k8s.logs').describe(params('k8s.logs', { pod: 'api-7d9f-bbbbb', previous: true, tail: 100 }), context)).toEqual([
      { type: 'http', method: 'GET', path: '/api/v1/namespaces/shop/pods/api-7d9f-bbbbb/log?previous=true&tailLines=100' },
    ]);
    const failing = testContext({ store: live(), executor: new ScriptedExecutor(() => ({ status: 'failed', error: 'previous terminated container "app" in pod "api-7d9f-aaaaa" not found' })) });
    expect(await action('k8s.logs').run(params('k8s.logs', { pod: 'api-7d9f-aaaaa', previous: true }), failing.context)).toMatchObject({ status: 'failed', error: 'api-7d9f-aaaaa: previous terminated container "app" in pod "api-7d9f-aaaaa" not found' });
    const nobody = testContext({ store: kubeStore([kubeEngine('kind')], [api], []), executor });
    expect(await action('k8s.logs').run(params('k8s.logs', { deployment: 'api' }), nobody.context)).toMatchObject({ status: 'failed', error: 'no pods of deployment api' });
  });
});

describe('k8s.rollout.status, k8s.rollout.history', () => {
  const progress = (change: Partial<RolloutProgress>): RolloutProgress => ({ state: 'complete', desired: 3, updated: 3, ready: 3, available: 3, observed: true, message: 'deployment "api" successfully rolled out', ...change });

  it('streams the progress and passes when complete; fails when stalled or not finished in time', async () => {
    let final = progress({});
    const executor = new ScriptedExecutor((_sent, options) => {
      options.onOutput?.('stdout', 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...');
      return { output: { rollout: final } };
    });
    const { context, record } = testContext({ store: live(), executor });
    const status = params('k8s.rollout.status', { deployment: 'api', timeout: '90s' });
    expect(await action('k8s.rollout.status').run(status, context)).toMatchObject({ status: 'passed', stdout: 'deployment "api" successfully rolled out (3 updated, 3 ready, 3 available of 3)' });
    expect(executor.sent[0]).toEqual({ verb: 'rollout-status', target: api.ref, timeoutSeconds: 90 });
    expect(record.progress).toEqual(['Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...']);
    expect(action('k8s.rollout.status').defaultTimeoutMs?.(status)).toBe(120_000);
    final = progress({ state: 'stalled', available: 1, message: 'deployment "api" exceeded its progress deadline' });
    expect(await action('k8s.rollout.status').run(status, context)).toMatchObject({ status: 'failed', error: 'rollout stalled: deployment "api" exceeded its progress deadline' });
    final = progress({ state: 'progressing', updated: 2, message: 'Waiting for deployment "api" rollout to finish: 2 of 3 updated replicas are available...' });
    expect(await action('k8s.rollout.status').run(status, context)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^rollout not finished after 1m30s: Waiting/) });
  });

  it('lists the revisions with the current one marked and says which one undo goes back to', async () => {
    const history: RolloutRevision[] = [
      { revision: 1, name: 'api-6b7c', createdAt: Date.parse('2027-01-14T09:00:00Z'), images: ['shop/api:1'], current: false, replicas: 0 },
      { revision: 3, name: 'api-7d9f', createdAt: Date.parse('2027-01-15T08:00:00Z'), images: ['shop/api:3'], current: true, changeCause: 'kubectl set image deployment/api app=shop/api:3' },
      { revision: 2, name: 'api-5f5f', createdAt: Date.parse('2027-01-14T12:00:00Z'), images: ['shop/api:2'], current: false },
    ];
    const { context } = testContext({ store: live(), executor: new ScriptedExecutor(() => ({ output: { history } })) });
    const outcome = await action('k8s.rollout.history').run(params('k8s.rollout.history', { deployment: 'api' }), context);
    expect(outcome.stdout?.split('\n')).toEqual([
      '  REVISION  NAME      CREATED       IMAGES      CHANGE-CAUSE',
      '  1         api-6b7c  09:00:00.000  shop/api:1  <none>',
      '* 3         api-7d9f  08:00:00.000  shop/api:3  kubectl set image deployment/api app=shop/api:3',
      '  2         api-5f5f  12:00:00.000  shop/api:2  <none>',
    ]);
    expect(outcome.data).toMatchObject({ count: 3, current: 3, previous: 2, currentImages: 'shop/api:3', lastRolloutAt: '2027-01-15T08:00:00.000Z' });
  });
});
