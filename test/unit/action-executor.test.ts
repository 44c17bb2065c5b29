// The one action path, with an in-test adapter that implements the capability interfaces and
// records every mutating call it receives (the executor must decide before any reaches it).
import { describe, expect, it } from 'vitest';
import { ReadOnlyError, type EngineAdapter, type Restartable, type Startable, type Stoppable } from '../../src/adapters/capabilities';
import type { ActionCall, EngineAction } from '../../src/domain/engine-action';
import type { InstanceKind, ResourceRef } from '../../src/domain/resource-ref';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { container } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';

type InstanceRef = ResourceRef & { kind: InstanceKind };

interface RecordingAdapter extends EngineAdapter, Restartable, Stoppable, Startable {
  /** Mutating calls received, in order. */
  calls: string[];
}

/** Answers every mutating call with `outcome` (a promise the test may hold open). */
function recordingAdapter(engineId: string, outcome: () => Promise<void> = () => Promise.resolve()): RecordingAdapter {
  const calls: string[] = [];
  const record = (verb: string, target: InstanceRef, timeoutSeconds?: number): Promise<void> => {
    calls.push(`${verb} ${target.engineId}/${target.name}${timeoutSeconds === undefined ? '' : ` t=${timeoutSeconds}`}`);
    return outcome();
  };
  return {
    engineId,
    calls,
    start: () => undefined,
    stop: () => Promise.resolve(),
    collectOnce: () => Promise.resolve(),
    describeCall: (action: EngineAction): ActionCall => ({
      type: 'http',
      method: 'POST',
      path: `/containers/${action.target.uid ?? action.target.name}/${action.verb}`,
    }),
    restartInstance: (target, timeoutSeconds) => record('restart', target, timeoutSeconds),
    stopInstance: (target, timeoutSeconds) => record('stop', target, timeoutSeconds),
    startInstance: (target) => record('start', target),
  };
}

const api = container('api', { engineId: 'local', id: 'c0ffee' });
const restartApi: EngineAction = { verb: 'restart', target: api.ref, timeoutSeconds: 3 };

/** A clock that moves 5 ms per reading. */
function steppingClock(start = 1000): () => number {
  let time = start;
  return () => (time += 5);
}

describe('action executor', () => {
  it('refuses a mutation in read-only mode with the reason, and never calls the adapter', async () => {
    const adapter = recordingAdapter('local');
    const store = createTestStore({ readOnly: true });
    const executor = createActionExecutor({ store, adapterFor: (id) => (id === 'local' ? adapter : undefined), readOnly: true });
    for (const verb of ['restart', 'stop', 'start'] as const) {
      const result = await executor.execute({ verb, target: api.ref });
      expect(result.status).toBe('refused');
      expect(result.error).toBe(`read-only mode: refused to ${verb} shop-api-1`);
    }
    // Nor as a dry run.
    expect((await executor.execute(restartApi, { dryRun: true })).status).not.toBe('done');
    expect(adapter.calls).toEqual([]);
    expect(store.getState().actionsInFlight).toEqual({});
  });

  it('answers a dry run with the exact call it would make, and never calls the adapter', async () => {
    const adapter = recordingAdapter('local');
    const store = createTestStore();
    const executor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false });
    const result = await executor.execute(restartApi, { dryRun: true });
    expect(result).toMatchObject({
      status: 'would-do',
      action: restartApi,
      call: { type: 'http', method: 'POST', path: '/containers/c0ffee/restart' },
    });
    expect(result.error).toBeUndefined();
    expect(executor.describe(restartApi)).toEqual(result.call);
    expect(adapter.calls).toEqual([]);
    expect(store.getState().actionsInFlight).toEqual({});
    expect(store.getState().actionResults).toEqual([]);
  });

  it('records the action in flight while it runs, then clears it and keeps the result', async () => {
    let finish: () => void = () => undefined;
    const adapter = recordingAdapter('local', () => new Promise<void>((resolve) => (finish = resolve)));
    const now = steppingClock();
    const store = createTestStore({ now });
    const executor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false, now });
    const running = executor.execute(restartApi);
    await Promise.resolve();
    expect(adapter.calls).toEqual(['restart local/shop-api-1 t=3']);
    expect(store.getState().actionsInFlight[api.key]).toMatchObject({ verb: 'restart' });
    expect(Object.keys(store.getState().actionsInFlight)).toEqual([api.key]);
    expect(store.getState().actionResults).toEqual([]);
    finish();
    const result = await running;
    expect(result).toMatchObject({ status: 'done', action: restartApi, call: { path: '/containers/c0ffee/restart' } });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(store.getState().actionsInFlight).toEqual({});
    expect(store.getState().actionResults).toEqual([result]);
    // Results accumulate, newest last.
    const stopping = executor.execute({ verb: 'stop', target: api.ref });
    await Promise.resolve();
    expect(store.getState().actionsInFlight[api.key]).toMatchObject({ verb: 'stop' });
    finish();
    const stopped = await stopping;
    expect(store.getState().actionResults).toEqual([result, stopped]);
    expect(adapter.calls).toEqual(['restart local/shop-api-1 t=3', 'stop local/shop-api-1']);
  });

  it('reports a failure with the engine error, and clears the in-flight mark', async () => {
    const adapter = recordingAdapter('local', () => Promise.reject(new Error('(HTTP code 500) server error - cannot restart container: boom')));
    const store = createTestStore();
    const executor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false });
    const result = await executor.execute(restartApi);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('(HTTP code 500) server error - cannot restart container: boom');
    expect(result.call).toEqual({ type: 'http', method: 'POST', path: '/containers/c0ffee/restart' });
    expect(adapter.calls).toHaveLength(1);
    expect(store.getState().actionsInFlight).toEqual({});
    expect(store.getState().actionResults.at(-1)).toEqual(result);
  });

  it('turns an adapter that refuses on its own (read-only there) into refused, not failed', async () => {
    const adapter = recordingAdapter('local', () => Promise.reject(new ReadOnlyError('restart', 'shop-api-1')));
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false });
    const result = await executor.execute(restartApi);
    expect(result).toMatchObject({ status: 'refused', error: 'read-only mode: refused to restart shop-api-1' });
  });

  it('gives up on a call that does not answer within the timeout', async () => {
    const adapter = recordingAdapter('local', () => new Promise<void>(() => undefined));
    const store = createTestStore();
    const executor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false });
    const result = await executor.execute(restartApi, { timeoutMs: 30 });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/restart shop-api-1 timed out/);
    expect(store.getState().actionsInFlight).toEqual({});
  });

  it('refuses an action for an engine that is not configured, with no call built', async () => {
    const adapter = recordingAdapter('local');
    const executor = createActionExecutor({ adapterFor: (id) => (id === 'local' ? adapter : undefined), readOnly: false });
    const elsewhere = container('api', { engineId: 'edge' });
    const result = await executor.execute({ verb: 'restart', target: elsewhere.ref });
    expect(result.status).toBe('refused');
    expect(result.error).toBe('engine edge is not configured');
    expect(result.call).toBeUndefined();
    expect(executor.describe({ verb: 'restart', target: elsewhere.ref })).toBeUndefined();
    expect(adapter.calls).toEqual([]);
  });

  it('refuses a verb the engine does not support for that kind', async () => {
    const full = recordingAdapter('local');
    const { stopInstance: _stop, ...withoutStop } = full;
    const executor = createActionExecutor({ adapterFor: () => withoutStop as EngineAdapter, readOnly: false });
    const result = await executor.execute({ verb: 'stop', target: api.ref });
    expect(result).toMatchObject({ status: 'refused', error: 'engine local cannot stop a container' });
    expect(full.calls).toEqual([]);
    expect((await executor.execute(restartApi)).status).toBe('done');
    expect(full.calls).toEqual(['restart local/shop-api-1 t=3']);
  });

  it('sends each action to the adapter of the engine that owns its target', async () => {
    const socket = recordingAdapter('socket');
    const tcp = recordingAdapter('tcp');
    const adapters = new Map<string, EngineAdapter>([
      ['socket', socket],
      ['tcp', tcp],
    ]);
    const executor = createActionExecutor({ adapterFor: (id) => adapters.get(id), readOnly: false });
    await executor.execute({ verb: 'start', target: container('api', { engineId: 'tcp' }).ref });
    expect(socket.calls).toEqual([]);
    expect(tcp.calls).toEqual(['start tcp/shop-api-1']);
  });
});
