// container.* and service.* as steps run them: targets resolved from the live state, every
// call through the executor (the real one over a recording adapter for the lifecycle verbs,
// a scripted one for the reads), results mapped to outcomes, and resume observations.
import { describe, expect, it } from 'vitest';
import type { EngineAction, InstanceDetails } from '../../src/domain/engine-action';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { testContext } from '../support/action-context';
import { container, FIXED_NOW, inventoryOf } from '../support/domain-fixtures';
import { ScriptedExecutor } from '../support/scripted-executor';
import { createTestStore } from '../support/test-store';
import { RecordingAdapter } from '../views/fixtures';
import { builtInAction as action, parsedParams as params, paramsProblem as problemOf } from '../support/built-in-actions';


const api = container('api', { id: 'c0ffee', startedAt: FIXED_NOW - 60_000 });
const web1 = container('web1', { service: 'web', name: 'shop-web-1', id: 'w1' });
const web2 = container('web2', { service: 'web', name: 'shop-web-2', id: 'w2' });
const otherApi = container('api', { engineId: 'remote', id: 'remote-api' });

/** The live state: shop on engine `local`; `withRemote` adds an engine with a container of the same name. */
function liveStore(readOnly = false, withRemote = false) {
  const store = createTestStore({ readOnly });
  store.getState().inventoryReplaced('local', inventoryOf([api, web1, web2]));
  if (withRemote) store.getState().inventoryReplaced('remote', inventoryOf([otherApi]));
  store.getState().flush();
  return store;
}

/** The real executor over an adapter that records the lifecycle calls it receives. */
function realExecutor(readOnly = false) {
  const adapter = new RecordingAdapter('local');
  const executor = createActionExecutor({ adapterFor: (engineId) => (engineId === 'local' ? adapter : undefined), readOnly });
  return { adapter, executor };
}

function details(change: Partial<InstanceDetails> = {}): InstanceDetails {
  return { name: 'shop-api-1', state: 'running', health: 'healthy', startedAt: new Date(FIXED_NOW).toISOString(), restartCount: 2, exitCode: 0, oomKilled: false, image: 'shop/api:1', raw: { Id: 'c0ffee' }, ...change };
}

describe('container lifecycle actions', () => {
  it('validate their parameters strictly and name their target', () => {
    expect(problemOf('container.restart', {})).toMatch(/^container: /);
    expect(problemOf('container.restart', { container: 'x', timeout: 'soon' })).toMatch(/^timeout: invalid duration "soon"/);
    expect(problemOf('container.stop', { container: 'x', force: true })).toMatch(/force/);
    expect(problemOf('container.kill', { container: 'x', signal: 'KILL; rm -rf /' })).toMatch(/^signal: /);
    expect(params('container.restart', { container: 'shop-api-1', timeout: '30s' })).toEqual({ container: 'shop-api-1', timeout: 30_000 });
    expect(action('container.restart').targetOf?.(params('container.restart', { container: 'shop-api-1' }))).toEqual({ name: 'shop-api-1', kind: 'container' });
    for (const verb of ['restart', 'stop', 'start', 'kill']) expect(action(`container.${verb}`).mutates(params(`container.${verb}`, { container: 'x' }))).toBe(true);
  });

  it('describe the exact call through the executor and make it, by name or ref key', async () => {
    const store = liveStore();
    const { adapter, executor } = realExecutor();
    const { context } = testContext({ store, executor });
    expect(action('container.restart').describe(params('container.restart', { container: 'shop-api-1', timeout: '5s' }), context)).toEqual([
      { type: 'http', method: 'POST', path: '/containers/c0ffee/restart' },
    ]);
    const outcome = await action('container.stop').run(params('container.stop', { container: api.key }), context);
    expect(outcome).toMatchObject({ status: 'passed', calls: [{ type: 'http', method: 'POST', path: '/containers/c0ffee/stop' }] });
    expect(adapter.runs).toEqual([{ verb: 'stop', target: 'shop-api-1' }]);
  });

  it('pick the engine given when two engines have a container of that name, and fail on an unknown one', async () => {
    const store = liveStore(false, true);
    const executor = new ScriptedExecutor(() => ({}));
    const { context } = testContext({ store, executor });
    // Ambiguous without an engine: the resolver finds two.
    expect(await action('container.start').run(params('container.start', { container: 'shop-api-1' }), context)).toEqual({ status: 'failed', calls: [], error: 'no container shop-api-1 on any engine' });
    await action('container.start').run(params('container.start', { container: 'shop-api-1', engine: 'remote' }), context);
    expect(executor.sent.map((sent) => `${sent.verb} ${sent.target.engineId}/${sent.target.uid}`)).toEqual(['start remote/remote-api']);
    expect(await action('container.kill').run(params('container.kill', { container: 'shop-nope-1' }), context)).toMatchObject({ status: 'failed', error: 'no container shop-nope-1 on any engine' });
    expect(action('container.kill').describe(params('container.kill', { container: 'shop-nope-1' }), context)).toEqual([]);
  });

  it('in a dry run say what they would do and send nothing', async () => {
    const store = liveStore();
    const { adapter, executor } = realExecutor();
    const { context } = testContext({ store, executor, dryRun: true });
    const outcome = await action('container.restart').run(params('container.restart', { container: 'shop-api-1' }), context);
    expect(outcome).toMatchObject({ status: 'would-do', calls: [{ type: 'http', method: 'POST', path: '/containers/c0ffee/restart' }] });
    expect(adapter.runs).toEqual([]);
  });

  it('are refused in read-only mode, and nothing reaches the engine', async () => {
    const store = liveStore(true);
    const { adapter, executor } = realExecutor(true);
    const { context } = testContext({ store, executor, readOnly: true });
    const outcome = await action('container.restart').run(params('container.restart', { container: 'shop-api-1' }), context);
    expect(outcome).toMatchObject({ status: 'refused', error: 'read-only mode: refused to restart shop-api-1' });
    expect(adapter.runs).toEqual([]);
  });

  it('a restart reports the new StartedAt, and a kill sends the signal asked for', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor((sent) => (sent.verb === 'inspect' ? { output: { inspect: details({ startedAt: '2027-01-15T08:00:05.123456789Z' }) } } : {}));
    const { context } = testContext({ store, executor });
    const restarted = await action('container.restart').run(params('container.restart', { container: 'shop-api-1', timeout: 2500 }), context);
    expect(restarted).toMatchObject({ status: 'passed', data: { startedAt: '2027-01-15T08:00:05.123456789Z' } });
    expect(executor.sent[0]).toMatchObject({ verb: 'restart', timeoutSeconds: 3 });
    await action('container.kill').run(params('container.kill', { container: 'shop-api-1', signal: 'TERM' }), context);
    expect(action('container.kill').describe(params('container.kill', { container: 'shop-api-1' }), context)).toEqual([{ type: 'http', method: 'POST', path: '/containers/c0ffee/kill?signal=KILL' }]);
    expect(executor.sent.at(-1)).toMatchObject({ verb: 'kill', signal: 'TERM' });
  });

  it('observe on resume whether the interrupted attempt took effect', async () => {
    const store = liveStore();
    let inspected = details();
    const executor = new ScriptedExecutor(() => ({ output: { inspect: inspected } }));
    const { context } = testContext({ store, executor });
    const intentAt = Date.parse('2027-01-15T08:00:00.000Z');
    const restart = params('container.restart', { container: 'shop-api-1' });
    inspected = details({ startedAt: '2027-01-15T08:00:02.500000000Z' });
    expect(await action('container.restart').observe?.(restart, context, intentAt)).toEqual({
      verdict: 'happened',
      detail: 'shop-api-1 StartedAt 08:00:02.500 is after the intent (08:00:00.000): restart happened',
    });
    inspected = details({ startedAt: '2027-01-15T07:59:00.000Z' });
    expect(await action('container.restart').observe?.(restart, context, intentAt)).toMatchObject({ verdict: 'not-happened' });
    expect(await action('container.start').observe?.(params('container.start', { container: 'shop-api-1' }), context, intentAt)).toMatchObject({ verdict: 'not-happened' });
    expect(await action('container.stop').observe?.(params('container.stop', { container: 'shop-api-1' }), context, intentAt)).toMatchObject({ verdict: 'not-happened', detail: 'shop-api-1 is still running: the stop did not take effect' });
    inspected = details({ state: 'exited', exitCode: 137 });
    expect(await action('container.kill').observe?.(params('container.kill', { container: 'shop-api-1' }), context, intentAt)).toEqual({ verdict: 'happened', detail: 'shop-api-1 is exited: the kill happened' });
    // Every observation inspected, and none of them sent a mutation.
    expect(executor.sent.every((sent) => sent.verb === 'inspect')).toBe(true);
  });

  it('observe as unknown when the container cannot be inspected', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor(() => ({ status: 'failed', error: 'engine unreachable' }));
    const { context } = testContext({ store, executor });
    expect(await action('container.restart').observe?.(params('container.restart', { container: 'shop-api-1' }), context, FIXED_NOW)).toEqual({
      verdict: 'unknown',
      detail: 'cannot inspect shop-api-1: engine unreachable',
    });
  });
});

describe('service actions', () => {
  it('act on every container of the service, one call each', async () => {
    const store = liveStore();
    const { adapter, executor } = realExecutor();
    const { context } = testContext({ store, executor });
    const restart = params('service.restart', { service: 'shop/web' });
    expect(action('service.restart').describe(restart, context)).toEqual([
      { type: 'http', method: 'POST', path: '/containers/w1/restart' },
      { type: 'http', method: 'POST', path: '/containers/w2/restart' },
    ]);
    const outcome = await action('service.restart').run(restart, context);
    expect(outcome).toMatchObject({ status: 'passed', stdout: 'shop-web-1: passed\nshop-web-2: passed', data: { containers: ['shop-web-1', 'shop-web-2'] } });
    expect(adapter.runs).toEqual([
      { verb: 'restart', target: 'shop-web-1' },
      { verb: 'restart', target: 'shop-web-2' },
    ]);
    expect(action('service.stop').targetOf?.(params('service.stop', { service: 'shop/web' }))).toEqual({ name: 'shop/web', kind: 'compose-service' });
  });

  it('stop at the first container that fails, and fail on an unknown service', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor((sent: EngineAction) => (sent.target.name === 'shop-web-1' ? { status: 'failed', error: 'no such container' } : {}));
    const { context } = testContext({ store, executor });
    const outcome = await action('service.stop').run(params('service.stop', { service: 'web', engine: 'local' }), context);
    expect(outcome).toMatchObject({ status: 'failed', error: 'shop-web-1: no such container' });
    expect(executor.sent.map((sent) => sent.target.name)).toEqual(['shop-web-1']);
    expect(await action('service.start').run(params('service.start', { service: 'shop/ghost' }), context)).toMatchObject({ status: 'failed', error: 'no service shop/ghost on any engine' });
  });

  it('observe each container: all restarted, none, or some (unknown: ask)', async () => {
    const store = liveStore();
    const intentAt = Date.parse('2027-01-15T08:00:00Z');
    let restarted = new Set<string>();
    const executor = new ScriptedExecutor((sent) => ({
      output: { inspect: details({ name: sent.target.name, startedAt: restarted.has(sent.target.name) ? '2027-01-15T08:00:01Z' : '2027-01-15T07:00:00Z' }) },
    }));
    const { context } = testContext({ store, executor });
    const restart = params('service.restart', { service: 'shop/web' });
    restarted = new Set(['shop-web-1', 'shop-web-2']);
    expect((await action('service.restart').observe?.(restart, context, intentAt))?.verdict).toBe('happened');
    restarted = new Set();
    expect((await action('service.restart').observe?.(restart, context, intentAt))?.verdict).toBe('not-happened');
    restarted = new Set(['shop-web-1']);
    const mixed = await action('service.restart').observe?.(restart, context, intentAt);
    expect(mixed?.verdict).toBe('unknown');
    expect(mixed?.detail).toMatch(/shop-web-1 StartedAt .* after .*; shop-web-2 StartedAt .* before/);
  });
});

describe('container reads', () => {
  it('exec runs the argv in the container, mutating unless read-only, and maps the exit code', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor((sent) => (sent.verb === 'exec' ? { output: { exitCode: 2, stdout: 'Sealed true', stderr: '' } } : {}));
    const { context } = testContext({ store, executor, dryRun: true });
    const status = params('container.exec', { container: 'shop-api-1', command: ['vault', 'status', '$(id)'], readOnly: true, env: { VAULT_ADDR: 'http://127.0.0.1:8200' } });
    expect(action('container.exec').mutates(status)).toBe(false);
    // A read-only exec runs for real in a dry run.
    const outcome = await action('container.exec').run(status, context);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 2, stdout: 'Sealed true', error: 'exit code 2' });
    expect(executor.sent[0]).toMatchObject({ verb: 'exec', argv: ['vault', 'status', '$(id)'], mutates: false, env: { VAULT_ADDR: 'http://127.0.0.1:8200' } });
    // A mutating exec in a dry run is not sent.
    const mutating = await action('container.exec').run(params('container.exec', { container: 'shop-api-1', command: ['rm', '/tmp/x'] }), context);
    expect(mutating.status).toBe('would-do');
    expect(executor.sent).toHaveLength(1);
    expect(problemOf('container.exec', { container: 'x', command: 'vault status' })).toMatch(/^command: /);
  });

  it('logs keeps only lines matching grep (case-insensitive with (?i)) and counts them', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor((_sent, options) => {
      options.onOutput?.('stdout', 'INFO ready\nERROR db timeout');
      options.onOutput?.('stderr', 'error: retry');
      return { output: { stdout: 'INFO ready\nERROR db timeout\nerror: retry' } };
    });
    const { context, record } = testContext({ store, executor });
    const outcome = await action('container.logs').run(params('container.logs', { container: 'shop-api-1', since: '10m', tail: '500', grep: '(?i)error' }), context);
    expect(outcome).toMatchObject({ status: 'passed', stdout: 'ERROR db timeout\nerror: retry', data: { lines: 3, matched: 2 } });
    expect(record.output).toEqual([
      { stream: 'stdout', text: 'ERROR db timeout' },
      { stream: 'stderr', text: 'error: retry' },
    ]);
    expect(executor.sent[0]).toMatchObject({ verb: 'logs', sinceSeconds: 600, tail: 500 });
    expect(problemOf('container.logs', { container: 'x', grep: '(' })).toMatch(/^grep: invalid regular expression "\("/);
  });

  it('inspect summarises the container and fails when require is not met', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor(() => ({ output: { inspect: details({ health: 'unhealthy', oomKilled: true }) } }));
    const { context } = testContext({ store, executor });
    const plain = await action('container.inspect').run(params('container.inspect', { container: 'shop-api-1' }), context);
    expect(plain.status).toBe('passed');
    expect(plain.stdout).toContain('health: unhealthy');
    expect(plain.stdout).toContain('oomKilled: true');
    expect(plain.data).toMatchObject({ name: 'shop-api-1', health: 'unhealthy', restartCount: 2 });
    expect(plain.data).not.toHaveProperty('raw');
    const required = await action('container.inspect').run(params('container.inspect', { container: 'shop-api-1', require: { health: 'healthy', running: 'true' } }), context);
    expect(required).toMatchObject({ status: 'failed', error: 'shop-api-1: health is unhealthy, required healthy' });
    expect(problemOf('container.inspect', { container: 'x', require: { state: 'sleepy' } })).toMatch(/^require.state: /);
  });

  it('inspect requires a StartedAt after a given time, to the nanosecond engines print', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor(() => ({ output: { inspect: details({ startedAt: '2026-12-01T11:59:19.377486504Z' }) } }));
    const { context } = testContext({ store, executor });
    const inspectAfter = (startedAfter: string) => action('container.inspect').run(params('container.inspect', { container: 'shop-api-1', require: { startedAfter } }), context);
    expect((await inspectAfter('2026-12-01T11:59:19.377486503Z')).status).toBe('passed');
    expect(await inspectAfter('2026-12-01T11:59:19.377486504Z')).toMatchObject({
      status: 'failed',
      error: 'shop-api-1: StartedAt 2026-12-01T11:59:19.377486504Z is not after 2026-12-01T11:59:19.377486504Z: it did not start again',
    });
    expect((await inspectAfter('2026-12-01T11:59:20Z')).status).toBe('failed');
    const inspectAt = (startedAt: string) => action('container.inspect').run(params('container.inspect', { container: 'shop-api-1', require: { startedAt } }), context);
    expect((await inspectAt('2026-12-01T11:59:19.377486504Z')).status).toBe('passed');
    expect(await inspectAt('2026-12-01T11:59:19.3774865Z')).toMatchObject({ status: 'failed', error: expect.stringContaining('it started again since') });
    expect(problemOf('container.inspect', { container: 'x', require: { startedAfter: 'yesterday' } })).toMatch(/^require.startedAfter: expected a time/);
  });

  it('logs since a time read back from it (the lines since a restart)', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor(() => ({ output: { stdout: '' } }));
    const { context } = testContext({ store, executor, now: () => Date.parse('2026-12-01T12:00:00Z') });
    await action('container.logs').run(params('container.logs', { container: 'shop-api-1', since: '2026-12-01T11:59:19.377486504Z' }), context);
    expect(executor.sent[0]).toMatchObject({ verb: 'logs', sinceSeconds: 41 });
  });

  it('stats reports one sample', async () => {
    const store = liveStore();
    const executor = new ScriptedExecutor(() => ({ output: { stats: { cpuPercent: 97.5, memoryBytes: 512 * 1024 * 1024, memoryLimitBytes: 1024 * 1024 * 1024, memoryPercent: 50 } } }));
    const { context } = testContext({ store, executor });
    const outcome = await action('container.stats').run(params('container.stats', { container: 'shop-api-1' }), context);
    expect(outcome).toMatchObject({ status: 'passed', stdout: 'cpu 97.5 %, memory 512.0 MiB of 1024.0 MiB (50.0 %)', data: { cpuPercent: 97.5, memoryPercent: 50 } });
  });
});
