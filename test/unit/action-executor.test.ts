// The one action path, with an in-test adapter that implements the capability interfaces and
// records every mutating call it receives (the executor must decide before any reaches it).
import { describe, expect, it, vi } from 'vitest';
import {
  ReadOnlyError,
  type Archivable,
  type EngineAdapter,
  type Executable,
  type Inspectable,
  type Killable,
  type LogReadable,
  type OperationOptions,
  type Restartable,
  type Startable,
  type StatsReadable,
  type Stoppable,
} from '../../src/adapters/capabilities';
import { isMutating, type ActionCall, type ActionResult, type EngineAction } from '../../src/domain/engine-action';
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

  it('without a timeout from the caller, lets an action that waits by itself finish its own wait', async () => {
    vi.useFakeTimers();
    try {
      const adapter = recordingAdapter('local', () => new Promise<void>(() => undefined));
      const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false });
      // A stop with a 90 s grace period (docker stop -t 90) is not cut at the executor's minute.
      let settled: ActionResult | undefined;
      void executor.execute({ verb: 'stop', target: api.ref, timeoutSeconds: 90 }).then((result) => (settled = result));
      await vi.advanceTimersByTimeAsync(61_000);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(40_000);
      expect(settled).toMatchObject({ status: 'failed', error: expect.stringMatching(/stop shop-api-1 timed out/) });
      // Without a wait of its own, the minute holds.
      let plain: ActionResult | undefined;
      void executor.execute(restartApi).then((result) => (plain = result));
      await vi.advanceTimersByTimeAsync(60_500);
      expect(plain).toMatchObject({ status: 'failed' });
    } finally {
      vi.useRealTimers();
    }
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

// ---- the playbook verbs ----

/** Every capability, recording each call it receives with what it was given. */
function operationsAdapter(engineId = 'local') {
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const seen = (entry: string, options?: OperationOptions): void => {
    calls.push(entry);
    if (options?.signal) signals.push(options.signal);
  };
  const adapter: RecordingAdapter & Killable & Executable & LogReadable & Inspectable & StatsReadable & Archivable = {
    ...recordingAdapter(engineId),
    calls,
    killInstance: async (target, signal) => seen(`kill ${target.name} ${signal ?? '-'}`),
    execInInstance: async (target, request, options) => {
      seen(`exec ${target.name} ${request.argv.join(' ')}`, options);
      options?.onOutput?.('stdout', `ran ${request.argv.join(' ')}`);
      return { exitCode: 3, stdout: `ran ${request.argv.join(' ')}`, stderr: '' };
    },
    readInstanceLogs: async (target, window, options) => {
      seen(`logs ${target.name} since=${window.sinceSeconds ?? '-'} tail=${window.tail ?? '-'}`, options);
      options?.onOutput?.('stderr', 'a log line');
      return 'a log line';
    },
    inspectInstance: async (target, options) => {
      seen(`inspect ${target.name}`, options);
      return { name: target.name, state: 'running', raw: {} };
    },
    readInstanceStats: async (target, options) => {
      seen(`stats ${target.name}`, options);
      return { cpuPercent: 12.5, memoryBytes: 1024 };
    },
    archiveInstancePath: async (target, path, destinationFile, options) => {
      seen(`archive ${target.name} ${path} ${destinationFile}`, options);
      return { path: destinationFile, bytes: 10, sha256: 'ab'.repeat(32) };
    },
    restoreInstancePath: async (target, path, sourceFile, options) => seen(`restore ${target.name} ${sourceFile} ${path}`, options),
  };
  return Object.assign(adapter, { signals });
}

const readingActions: EngineAction[] = [
  { verb: 'exec', target: api.ref, argv: ['vault', 'status'], mutates: false },
  { verb: 'logs', target: api.ref, sinceSeconds: 60, tail: 10 },
  { verb: 'inspect', target: api.ref },
  { verb: 'stats', target: api.ref },
  { verb: 'archive', target: api.ref, path: '/data', destinationFile: '/tmp/runs/data.tar.gz' },
];
const mutatingActions: EngineAction[] = [
  { verb: 'kill', target: api.ref, signal: 'TERM' },
  { verb: 'exec', target: api.ref, argv: ['rm', '-rf', '/data/cache'], mutates: true },
  { verb: 'restore', target: api.ref, path: '/', sourceFile: '/tmp/runs/data.tar.gz' },
];

describe('action executor: playbook verbs', () => {
  it('knows which verbs mutate: a declared read-only exec does not', () => {
    expect(readingActions.map(isMutating)).toEqual([false, false, false, false, false]);
    expect(mutatingActions.map(isMutating)).toEqual([true, true, true]);
    expect(['restart', 'stop', 'start'].map((verb) => isMutating({ verb, target: api.ref } as EngineAction))).toEqual([true, true, true]);
  });

  it('in a dry run, runs the reads for real and only describes the mutations', async () => {
    const adapter = operationsAdapter();
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false, dryRun: true });
    const reads = await Promise.all(readingActions.map((action) => executor.execute(action)));
    expect(reads.map((result) => result.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(reads.map((result) => result.output)).toEqual([
      { exitCode: 3, stdout: 'ran vault status', stderr: '' },
      { stdout: 'a log line' },
      { inspect: { name: 'shop-api-1', state: 'running', raw: {} } },
      { stats: { cpuPercent: 12.5, memoryBytes: 1024 } },
      { file: { path: '/tmp/runs/data.tar.gz', bytes: 10, sha256: 'ab'.repeat(32) } },
    ]);
    const callsAfterReads = [...adapter.calls];
    expect(callsAfterReads).toEqual([
      'exec shop-api-1 vault status',
      'logs shop-api-1 since=60 tail=10',
      'inspect shop-api-1',
      'stats shop-api-1',
      'archive shop-api-1 /data /tmp/runs/data.tar.gz',
    ]);
    for (const action of mutatingActions) {
      const result = await executor.execute(action);
      expect(result).toMatchObject({ status: 'would-do', call: { type: 'http', path: `/containers/c0ffee/${action.verb}` } });
      expect(result.output).toBeUndefined();
    }
    expect(adapter.calls).toEqual(callsAfterReads);
  });

  it('in read-only mode, refuses kill, restore and a mutating exec before the adapter, and runs the reads', async () => {
    const adapter = operationsAdapter();
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: true });
    for (const action of mutatingActions) {
      expect(executor.refusal(action)).toBe(`read-only mode: refused to ${action.verb} shop-api-1`);
      expect(await executor.execute(action)).toMatchObject({ status: 'refused', error: `read-only mode: refused to ${action.verb} shop-api-1` });
    }
    expect(adapter.calls).toEqual([]);
    for (const action of readingActions) expect((await executor.execute(action)).status).toBe('done');
    expect(adapter.calls).toHaveLength(readingActions.length);
  });

  it('runs the mutations for real outside dry-run and read-only, a kill with its signal', async () => {
    const adapter = operationsAdapter();
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false });
    const results = await Promise.all(mutatingActions.map((action) => executor.execute(action)));
    expect(results.map((result) => result.status)).toEqual(['done', 'done', 'done']);
    expect(adapter.calls).toEqual(['kill shop-api-1 TERM', 'exec shop-api-1 rm -rf /data/cache', 'restore shop-api-1 /tmp/runs/data.tar.gz /']);
    // A non-zero exit code is the command's answer, for `expect` to judge: not a failed action.
    expect(results[1]?.output?.exitCode).toBe(3);
  });

  it('refuses each verb the adapter has no capability for, naming the verb', async () => {
    const executor = createActionExecutor({ adapterFor: () => recordingAdapter('local'), readOnly: false });
    for (const action of [...readingActions, ...mutatingActions]) {
      expect(await executor.execute(action)).toMatchObject({ status: 'refused', error: `engine local cannot ${action.verb} a container` });
    }
  });

  it('marks rows and keeps results for mutations only, never for reads', async () => {
    const adapter = operationsAdapter();
    const store = createTestStore();
    const executor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: false });
    for (const action of readingActions) await executor.execute(action);
    expect(store.getState().actionResults).toEqual([]);
    const killed = await executor.execute(mutatingActions[0]!);
    expect(store.getState().actionResults).toEqual([killed]);
    // A read finishing while a mutation of the same row runs leaves its in-flight mark alone.
    let finish: () => void = () => undefined;
    const slow = { ...adapter, restartInstance: () => new Promise<void>((resolve) => (finish = resolve)) };
    const slowExecutor = createActionExecutor({ store, adapterFor: () => slow, readOnly: false });
    const restarting = slowExecutor.execute(restartApi);
    await slowExecutor.execute({ verb: 'inspect', target: api.ref });
    expect(store.getState().actionsInFlight[api.key]).toMatchObject({ verb: 'restart' });
    finish();
    await restarting;
    expect(store.getState().actionsInFlight).toEqual({});
  });

  it('streams output through onOutput as the adapter reads it', async () => {
    const adapter = operationsAdapter();
    const executor = createActionExecutor({ adapterFor: () => adapter, readOnly: false });
    const lines: string[] = [];
    await executor.execute(readingActions[0]!, { onOutput: (stream, text) => lines.push(`${stream}: ${text}`) });
    await executor.execute(readingActions[1]!, { onOutput: (stream, text) => lines.push(`${stream}: ${text}`) });
    expect(lines).toEqual(['stdout: ran vault status', 'stderr: a log line']);
  });

  it('aborts the adapter when the caller cancels or the timeout passes, and fails with the reason', async () => {
    const adapter = operationsAdapter();
    const hanging = {
      ...adapter,
      execInInstance: (_target: InstanceRef, _request: unknown, options?: OperationOptions) => {
        if (options?.signal) adapter.signals.push(options.signal);
        return new Promise<never>(() => undefined);
      },
    };
    const executor = createActionExecutor({ adapterFor: () => hanging, readOnly: false });
    const timedOut = await executor.execute(readingActions[0]!, { timeoutMs: 20 });
    expect(timedOut).toMatchObject({ status: 'failed', error: 'exec shop-api-1 timed out after 20 ms' });
    expect(adapter.signals.at(-1)?.aborted).toBe(true);
    const controller = new AbortController();
    const cancelled = executor.execute(readingActions[0]!, { signal: controller.signal });
    await Promise.resolve();
    expect(adapter.signals.at(-1)?.aborted).toBe(false);
    controller.abort();
    expect(await cancelled).toMatchObject({ status: 'failed', error: 'exec shop-api-1 was cancelled' });
    expect(adapter.signals.at(-1)?.aborted).toBe(true);
  });
});
