// command gates on the host (real processes: exit codes, output regex, JSON, an aborted
// `sleep 30` killed), and the gates read from the live state of a real store: container
// (services, containers, Deployments, running and healthy, minimum counts, offenders named,
// the workload bound) and built-in (one of BUILT_IN_GATES evaluated as the health slice does).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { GateCheck, GateCheckContext, GateOutcome } from '../../src/gates/gate-types';
import { parseComparison } from '../../src/gates/value-comparison';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { container, inventoryOf } from '../support/domain-fixtures';
import { gateContext } from '../support/gate-context';
import { createTestStore } from '../support/test-store';
import { engine } from '../views/fixtures';
import { deployment, kubeEngine, pod } from '../views/kubernetes-fixtures';

const checkers = createGateCheckers();

function run(check: GateCheck, context: GateCheckContext = gateContext()): Promise<GateOutcome> {
  const checker = checkers.get(check.type);
  if (!checker) throw new Error(`no checker for ${check.type}`);
  return checker.run(check, context);
}

/** Pids whose command line is exactly `argv`. */
function processesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\u0000')}\u0000`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('command gate on the host', () => {
  it('passes on exit code 0 and fails on another, with the exit code and output as evidence', async () => {
    expect(await run({ type: 'command', argv: ['sh', '-c', 'echo all good'] })).toMatchObject({ status: 'pass', evidence: { exitCode: 0, outputExcerpt: 'all good' } });
    const failed = await run({ type: 'command', argv: ['sh', '-c', 'echo "nodetool: connection refused" >&2; exit 3'] });
    expect(failed).toMatchObject({ status: 'fail', evidence: { exitCode: 3, outputExcerpt: 'nodetool: connection refused' } });
    expect(failed.detail).toBe('sh on the host: exit code 3, expected 0');
  });

  it('accepts the exit codes written (vault status exits 2 when sealed, 0 when unsealed)', async () => {
    const check: GateCheck = { type: 'command', argv: ['sh', '-c', 'exit 2'], expectExit: [0, 2] };
    expect((await run(check)).status).toBe('pass');
    expect((await run({ ...check, argv: ['sh', '-c', 'exit 1'] })).status).toBe('fail');
  });

  it('matches the output against a regex (nodetool status: every node UN)', async () => {
    const check: GateCheck = { type: 'command', argv: ['printf', 'Datacenter: dc1\nUN  10.0.0.1\nDN  10.0.0.2\n'], outputMatches: '^DN ' };
    // The pattern is matched against the whole output (not line by line): `^` is its start.
    expect((await run(check)).status).toBe('fail');
    expect((await run({ ...check, outputMatches: 'DN\\s+10\\.0\\.0\\.2' })).status).toBe('pass');
  });

  it('compares a JSON field of the output (vault status -format=json: .sealed == false)', async () => {
    const check: GateCheck = { type: 'command', argv: ['printf', '{"sealed":false,"version":"1.15.2"}'], json: parseComparison('.sealed == false') };
    expect(await run(check)).toMatchObject({ status: 'pass', evidence: { value: 'false', comparison: '.sealed == false' } });
    const sealed = await run({ ...check, argv: ['printf', '{"sealed":true}'] });
    expect(sealed.status).toBe('fail');
    expect(sealed.detail).toBe('printf on the host: .sealed == false does not hold (got true)');
  });

  it('fails when the program does not exist', async () => {
    const outcome = await run({ type: 'command', argv: ['no-such-program-opsdeck'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(/^cannot run no-such-program-opsdeck: /);
  });

  it('kills the process when the scheduler aborts it, and returns at once', async () => {
    const argv = ['sleep', `30.${process.pid}`];
    const controller = new AbortController();
    const pending = run({ type: 'command', argv }, gateContext({ signal: controller.signal }));
    const deadline = Date.now() + 5000;
    while (processesRunning(argv).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(processesRunning(argv)).toHaveLength(1);
    const abortedAt = Date.now();
    controller.abort();
    const outcome = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(2500);
    expect(outcome).toMatchObject({ status: 'unknown', detail: 'aborted' });
    expect(processesRunning(argv)).toEqual([]);
  });
});

function shopStore(): OpsdeckStore {
  const store = createTestStore();
  store.getState().engineRegistered(engine());
  store.getState().inventoryReplaced(
    'local',
    inventoryOf([
      container('api1', { service: 'api', name: 'shop-api-1', health: 'healthy' }),
      container('api2', { service: 'api', name: 'shop-api-2', health: 'unhealthy' }),
      container('api3', { service: 'api', name: 'shop-api-3', state: 'exited', exitCode: 137, oomKilled: true }),
      container('vault', { name: 'vault', health: 'none' }),
    ]),
  );
  store.getState().flush();
  return store;
}

describe('container gate', () => {
  it('counts the running instances of a compose service, names the offenders and binds the service', async () => {
    const context = gateContext({ store: shopStore() });
    const outcome = await run({ type: 'container', target: 'shop/api', expect: 'running', minimum: 2 }, context);
    expect(outcome).toMatchObject({ status: 'fail', workloadKey: 'local/compose-service/shop/api', evidence: { value: '1/3 running', items: ['shop-api-2 unhealthy', 'shop-api-3 exited (OOMKilled)'] } });
    expect(outcome.detail).toBe('shop/api: 1/3 running, minimum 2: shop-api-2 unhealthy, shop-api-3 exited (OOMKilled)');
    const one = await run({ type: 'container', target: 'api', expect: 'running' }, context);
    expect(one.status).toBe('pass');
    expect(one.detail).toBe('api: 1/3 running (shop-api-2 unhealthy, shop-api-3 exited (OOMKilled))');
  });

  it('with expect: healthy needs a passing healthcheck (a container without one is not healthy)', async () => {
    const context = gateContext({ store: shopStore() });
    expect((await run({ type: 'container', target: 'vault', expect: 'running' }, context)).status).toBe('pass');
    const vault = await run({ type: 'container', target: 'vault', expect: 'healthy' }, context);
    expect(vault.status).toBe('fail');
    expect(vault.detail).toBe('vault: 0/1 healthy, minimum 1: vault health none');
    expect((await run({ type: 'container', target: 'local/shop/api', expect: 'healthy' }, context)).status).toBe('pass');
  });

  it('fails for a name the live state does not have, and is unknown before any engine connected', async () => {
    expect(await run({ type: 'container', target: 'postgres', expect: 'running' }, gateContext({ store: shopStore() }))).toMatchObject({
      status: 'fail',
      detail: 'no container, service or Deployment named postgres',
    });
    expect((await run({ type: 'container', target: 'postgres', expect: 'running' }, gateContext({ store: createTestStore() }))).status).toBe('unknown');
    expect((await run({ type: 'container', target: 'api', engine: 'remote', expect: 'running' }, gateContext({ store: shopStore() }))).detail).toBe(
      'no container, service or Deployment named api on engine remote',
    );
  });

  it('counts the ready pods of a Deployment', async () => {
    const store = createTestStore();
    const api = deployment('prod', 'shop', 'api');
    store.getState().engineRegistered(kubeEngine('prod'));
    store.getState().inventoryReplaced('prod', { workloads: [api], instances: [pod(api, 'a'), pod(api, 'b', { ready: false, health: 'unhealthy' })] });
    store.getState().flush();
    const outcome = await run({ type: 'container', target: 'shop/api', expect: 'healthy', minimum: 2 }, gateContext({ store }));
    expect(outcome).toMatchObject({ status: 'fail', workloadKey: api.key });
    expect(outcome.detail).toBe('shop/api: 1/2 healthy, minimum 2: api-7d9f8-b unhealthy');
  });
});

describe('built-in gate', () => {
  it('evaluates one of the built-in gates over the live state, as the gates panel shows it', async () => {
    const store = shopStore();
    const outcome = await run({ type: 'built-in', gate: 'no-unhealthy' }, gateContext({ store }));
    const shown = store.getState().gates.find((gate) => gate.id === 'no-unhealthy');
    expect(shown?.status).toBe('fail');
    expect(outcome).toMatchObject({ status: 'fail', detail: shown?.detail });
    expect(outcome.detail).toContain('shop-api-2');
    expect((await run({ type: 'built-in', gate: 'engine-reachable' }, gateContext({ store }))).status).toBe('pass');
  });

  it('binds the workload of a Deployment that is not available', async () => {
    const store = createTestStore();
    const api = deployment('prod', 'shop', 'api', { availableReplicas: 1 });
    store.getState().engineRegistered(kubeEngine('prod'));
    store.getState().inventoryReplaced('prod', { workloads: [api], instances: [pod(api, 'a')] });
    store.getState().flush();
    expect(await run({ type: 'built-in', gate: 'deployments-available' }, gateContext({ store }))).toMatchObject({ status: 'fail', workloadKey: api.key });
  });

  it('names the known gates for an id that is none of them', async () => {
    const outcome = await run({ type: 'built-in', gate: 'G0' });
    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toMatch(/^no built-in gate G0 \(known: engine-reachable, /);
  });
});
