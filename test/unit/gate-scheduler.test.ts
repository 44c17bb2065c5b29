// The gate scheduler with the real checkers against loopback servers (http answers that change,
// a TCP listener that counts its connections), and a checker of its own that never answers, to
// prove the timeout: stage order, blocking and unblocking, bounded concurrency, never two runs
// of one gate, since kept, stop() aborting what runs.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveGates } from '../../src/config/gates-config';
import { parseYamlSource } from '../../src/config/located-problems';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { GateCheckType, GateChecker } from '../../src/gates/gate-types';
import { createGateScheduler, type RuntimeGateScheduler } from '../../src/runtime/gate-scheduler';
import { selectShownGates } from '../../src/store/selectors/gate-rows';
import { gateContext } from '../support/gate-context';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const servers: Array<Server | TcpServer> = [];
const schedulers: RuntimeGateScheduler[] = [];

afterEach(() => {
  for (const scheduler of schedulers.splice(0)) scheduler.stop();
});
afterAll(() => {
  for (const server of servers) {
    (server as Server).closeAllConnections?.();
    server.close();
  }
});

function listen(server: Server | TcpServer): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** An HTTP server whose status the test changes; it counts requests and the most answered at once. */
async function healthServer(options: { delayMs?: number } = {}) {
  const state = { status: 200, requests: 0, inFlight: 0, maxInFlight: 0, url: '' };
  const server = createHttpServer((request, response) => {
    state.requests += 1;
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    setTimeout(() => {
      state.inFlight -= 1;
      response.writeHead(state.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ path: request.url }));
    }, options.delayMs ?? 0);
  });
  state.url = `http://127.0.0.1:${await listen(server)}`;
  return state;
}

/** A TCP listener counting connections. */
async function tcpListener() {
  const state = { connections: 0, port: 0 };
  const server = createTcpServer((socket) => {
    state.connections += 1;
    socket.end();
  });
  state.port = await listen(server);
  return state;
}

function specsOf(text: string) {
  const source = parseYamlSource(text, 'opsdeck.yaml');
  const gates = resolveGates((source.data as { gates: unknown[] }).gates, source, '/tmp');
  expect(gates.invalid).toEqual([]);
  return gates.specs;
}

function schedulerFor(text: string, options: { checkers?: ReadonlyMap<GateCheckType, GateChecker>; concurrency?: number } = {}) {
  const store = createTestStore();
  const specs = specsOf(text);
  store.getState().gateSpecsLoaded(specs, []);
  const scheduler = createGateScheduler({
    store,
    specs,
    checkers: options.checkers ?? createGateCheckers(),
    context: { executor: gateContext().executor },
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  schedulers.push(scheduler);
  return { store, scheduler };
}

/** A checker that never answers, recording that it was aborted. */
function hangingCheckers() {
  const seen = { started: 0, aborted: 0 };
  const hanging: GateChecker = {
    type: 'tcp',
    run: (_check, context) => {
      seen.started += 1;
      context.signal.addEventListener('abort', () => (seen.aborted += 1));
      return new Promise(() => undefined);
    },
  };
  return { seen, checkers: new Map<GateCheckType, GateChecker>([...createGateCheckers(), ['tcp', hanging]]) };
}

describe('gate scheduler: runOnce', () => {
  it('runs stage by stage, does not run the stages after a failing one, and runs independent gates anyway', async () => {
    const http = await healthServer();
    const vault = await tcpListener();
    const independent = await tcpListener();
    http.status = 503;
    const { scheduler } = schedulerFor(`gates:
  - { id: G5, title: Deploy vault, stage: 5, failureCode: G5_DEPLOY_VAULT, check: { type: tcp, host: 127.0.0.1, port: ${vault.port} } }
  - { id: G6, title: Runtime contract, stage: 6, failureCode: G6_RUNTIME_CONTRACT, check: { type: http, url: '${http.url}/contract' } }
  - { id: G7, title: Seed, stage: 7, failureCode: G7_SEED, check: { type: tcp, host: 127.0.0.1, port: ${vault.port} } }
  - { id: api, title: API port, check: { type: tcp, host: 127.0.0.1, port: ${independent.port} } }
`);
    const results = await scheduler.runOnce();
    expect(results.map((result) => `${result.id}:${result.status}`)).toEqual(['G5:pass', 'G6:fail', 'G7:blocked', 'api:pass']);
    expect(results[2]?.detail).toBe('blocked: G6 Runtime contract failed (G6_RUNTIME_CONTRACT)');
    // G5 was connected to once; G7 (same port) never: it was not run.
    expect(vault.connections).toBe(1);
    expect(independent.connections).toBe(1);
    expect(http.requests).toBe(1);
    expect(results[1]).toMatchObject({ stage: 6, failureCode: 'G6_RUNTIME_CONTRACT', origin: 'configured', evidence: { statusCode: 503 } });
    expect(results[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(results[0]?.checkedAt).toBeGreaterThan(Date.now() - 10_000);
  });

  it('runs only the gates asked for, and refuses an unknown id', async () => {
    const listener = await tcpListener();
    const { scheduler } = schedulerFor(`gates:
  - { id: a, title: A, stage: 1, check: { type: tcp, host: 127.0.0.1, port: ${listener.port} } }
  - { id: b, title: B, stage: 2, check: { type: tcp, host: 127.0.0.1, port: ${listener.port} } }
`);
    expect((await scheduler.runOnce({ gateIds: ['b'] })).map((result) => result.id)).toEqual(['b']);
    expect(listener.connections).toBe(1);
    await expect(scheduler.runOnce({ gateIds: ['c'] })).rejects.toThrow('unknown gate c');
  });

  it('cuts a check that never answers at its timeout: it fails with why, and its signal is aborted', async () => {
    const { seen, checkers } = hangingCheckers();
    const { scheduler, store } = schedulerFor(`gates:
  - { id: hang, title: Hangs, interval: 5s, timeout: 150ms, check: { type: tcp, host: 127.0.0.1, port: 9 } }
`, { checkers });
    const started = Date.now();
    const [result] = await scheduler.runOnce();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(result).toMatchObject({ status: 'fail', detail: 'timed out after 150ms', evidence: { error: 'timed out after 150ms' } });
    expect(result?.durationMs).toBeGreaterThanOrEqual(140);
    expect(seen).toEqual({ started: 1, aborted: 1 });
    expect(store.getState().alerts.find((alert) => alert.id === 'gate:hang')?.message).toBe('gate hang Hangs failed: timed out after 150ms');
  });

  it('runs at most `concurrency` checks at once', async () => {
    const slow = await healthServer({ delayMs: 120 });
    const entries = Array.from({ length: 10 }, (_, index) => `  - { id: g${index}, title: G${index}, check: { type: http, url: '${slow.url}/${index}' } }`).join('\n');
    const { scheduler } = schedulerFor(`gates:\n${entries}\n`, { concurrency: 4 });
    const results = await scheduler.runOnce();
    expect(results.every((result) => result.status === 'pass')).toBe(true);
    expect(slow.requests).toBe(10);
    expect(slow.maxInFlight).toBe(4);
  });
});

describe('gate scheduler: live', () => {
  it('checks each gate on its interval, keeping since while the status holds; a result that holds rides the next flush', async () => {
    const server = await healthServer({ delayMs: 10 });
    const { scheduler, store } = schedulerFor(`gates:
  - { id: web, title: Web, interval: 200ms, timeout: 150ms, check: { type: http, url: '${server.url}/web' } }
`);
    scheduler.start();
    // pending -> pass is a flip: the store flushes it by itself.
    const first = await waitFor('web checked', () => store.getState().configuredGateResults['web']);
    expect(first).toMatchObject({ status: 'pass', since: first.checkedAt });
    await waitFor('web checked again', () => server.requests >= 3);
    // Still pass: nothing asked for a flush, so the store shows the first result until the next flush.
    expect(store.getState().configuredGateResults['web']).toBe(first);
    store.getState().flush();
    const again = store.getState().configuredGateResults['web'];
    expect(again).toMatchObject({ status: 'pass', since: first.since });
    // Later checks' times are in the shown result, or beside it when the answer said the same (`in 10ms` both times).
    const lastChecked = () => {
      store.getState().flush();
      return Math.max(store.getState().configuredGateResults['web']?.checkedAt ?? 0, store.getState().gateCheckTimes['web']?.checkedAt ?? 0);
    };
    await waitFor('a check an interval later', () => lastChecked() - first.checkedAt >= 150);
    expect(store.getState().configuredGateResults['web']).toMatchObject({ status: 'pass', since: first.since });
  });

  it('never runs one gate twice at once: a gate due or asked for while it runs or waits for a slot is not queued again', async () => {
    const runs = { started: 0, inFlight: new Map<string, number>(), maxPerGate: 0, maxInAll: 0, all: 0 };
    const slow: GateChecker = {
      type: 'tcp',
      run: async (check) => {
        const key = String((check as { port: number }).port);
        runs.started += 1;
        runs.all += 1;
        runs.inFlight.set(key, (runs.inFlight.get(key) ?? 0) + 1);
        runs.maxPerGate = Math.max(runs.maxPerGate, runs.inFlight.get(key) ?? 0);
        runs.maxInAll = Math.max(runs.maxInAll, runs.all);
        await new Promise((resolve) => setTimeout(resolve, 250));
        runs.inFlight.set(key, (runs.inFlight.get(key) ?? 1) - 1);
        runs.all -= 1;
        return { status: 'pass', detail: 'slow but fine' };
      },
    };
    const { scheduler, store } = schedulerFor(`gates:
  - { id: one, title: One, interval: 300ms, timeout: 280ms, check: { type: tcp, host: 127.0.0.1, port: 1 } }
  - { id: two, title: Two, interval: 300ms, timeout: 280ms, check: { type: tcp, host: 127.0.0.1, port: 2 } }
`, { checkers: new Map([['tcp', slow]]), concurrency: 1 });
    scheduler.start();
    await waitFor('a check running', () => runs.started === 1);
    scheduler.runNow('one');
    scheduler.runNow('two');
    scheduler.runNow('two');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(runs.maxPerGate).toBe(1);
    expect(runs.maxInAll).toBe(1);
    // Two gates of 250 ms each through one slot in 1.3 s: about five runs, not one per tick and request.
    expect(runs.started).toBeGreaterThanOrEqual(4);
    expect(runs.started).toBeLessThanOrEqual(6);
    expect(store.getState().configuredGateResults['two']?.status).toBe('pass');
  });

  it('waits while an earlier stage fails and runs the later stage as soon as it passes', async () => {
    const server = await healthServer();
    const later = await tcpListener();
    server.status = 500;
    const { scheduler, store } = schedulerFor(`gates:
  - { id: G5, title: Deploy vault, stage: 5, interval: 300ms, timeout: 200ms, check: { type: http, url: '${server.url}/vault' } }
  - { id: G6, title: Runtime contract, stage: 6, interval: 10s, timeout: 1s, check: { type: tcp, host: 127.0.0.1, port: ${later.port} } }
`);
    scheduler.start();
    await waitFor('G5 failed', () => store.getState().configuredGateResults['G5']?.status === 'fail');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(later.connections).toBe(0);
    expect(selectShownGates(store.getState()).find((gate) => gate.id === 'G6')?.status).toBe('blocked');
    server.status = 200;
    // G6's own interval is 10 s: it runs now because G5 passed, not because its timer came round.
    await waitFor('G6 checked', () => store.getState().configuredGateResults['G6']?.status === 'pass', { timeoutMs: 3000 });
    expect(later.connections).toBe(1);
    const flips = store.getState().gateFlips.map((flip) => `${flip.gateId}:${flip.from}>${flip.to}`);
    expect(flips).toEqual(expect.arrayContaining(['G5:pending>fail', 'G6:pending>blocked', 'G5:fail>pass']));
    // G6 was due while blocked and ran as G5 passed: it shows pending in between only when a flush came between the two.
    expect(flips.filter((flip) => flip.startsWith('G6:')).at(-1)).toMatch(/^G6:(blocked|pending)>pass$/);
  });

  it('staggers the first checks over the first two seconds in pipeline order, without jitter, and clears its timers on stop', () => {
    const delays: Array<[number, number]> = [];
    const cleared: unknown[] = [];
    let handle = 0;
    const store = createTestStore();
    const entries = ['  - { id: late, title: Late, stage: 3, check: { type: tcp, host: 127.0.0.1, port: 1 } }']
      .concat(Array.from({ length: 4 }, (_, index) => `  - { id: g${index}, title: G, interval: 5s, timeout: 1s, check: { type: tcp, host: 127.0.0.1, port: 1 } }`))
      .join('\n');
    const specs = specsOf(`gates:\n${entries}\n`);
    const scheduler = createGateScheduler({
      store,
      specs,
      checkers: createGateCheckers(),
      context: { executor: gateContext().executor },
      timers: {
        now: () => 0,
        setTimeout: (_callback, milliseconds) => {
          handle += 1;
          delays.push([handle, milliseconds]);
          return handle;
        },
        clearTimeout: (timer) => cleared.push(timer),
      },
    });
    scheduler.start();
    expect(delays.map(([, milliseconds]) => milliseconds)).toEqual([0, 400, 800, 1200, 1600]);
    scheduler.stop();
    expect(cleared).toEqual([1, 2, 3, 4, 5]);
  });

  it('stop() aborts the checks that run and writes nothing more', async () => {
    const { seen, checkers } = hangingCheckers();
    const { scheduler, store } = schedulerFor(`gates:
  - { id: hang, title: Hangs, interval: 10s, timeout: 5s, check: { type: tcp, host: 127.0.0.1, port: 9 } }
`, { checkers });
    scheduler.start();
    await waitFor('check started', () => seen.started === 1);
    scheduler.stop();
    expect(seen.aborted).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    store.getState().flush();
    expect(store.getState().configuredGateResults['hang']).toBeUndefined();
  });
});
