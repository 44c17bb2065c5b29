// The Docker adapter against the shared private dockerd and its `shop` stack:
// what an operator sees in the cockpit, read from the real engine.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ReadOnlyError } from '../../src/adapters/capabilities';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { Instance } from '../../src/domain/types';
import { createActionExecutor } from '../../src/runtime/action-executor';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { instanceWithUid } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');

function shopContainer(store: OpsdeckStore, service: string): Instance | undefined {
  return Object.values(store.getState().instances).find((c) => c.workload.namespace === 'shop' && c.workload.name === service);
}

/** The engine's own StartedAt (nanoseconds), read with the CLI. */
async function startedAtOf(id: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', id])).stdout.trim();
}

/** Actions of the engine's events for one container between two times (epoch ms). */
async function eventsOf(id: string, sinceMs: number, untilMs: number): Promise<string[]> {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const result = await docker(dockerHost, [
    'events', '--since', seconds(sinceMs), '--until', seconds(untilMs), '--filter', `container=${id}`, '--format', '{{.Action}}',
  ]);
  return result.stdout.split('\n').filter(Boolean);
}

function startAdapter(store: OpsdeckStore, readOnly = false): DockerEngineAdapter {
  const adapter = new DockerEngineAdapter({
    engineId: 'local',
    label: 'local',
    host: dockerHost,
    readOnly,
    sink: store.getState(),
    logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
  });
  adapter.start();
  return adapter;
}

async function runProbeContainer(name: string, service: string, command: string, options: string[] = []): Promise<string> {
  await docker(dockerHost, ['rm', '-f', name], { reject: false });
  const result = await docker(dockerHost, [
    'run', '-d', '--name', name, '--network', 'none', ...options,
    '--label', `${LABEL_PROJECT}=probe`, '--label', `${LABEL_SERVICE}=${service}`,
    IMAGE, 'sh', '-c', command,
  ]);
  return result.stdout.trim();
}

describe('Docker adapter on a real engine', () => {
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;

  beforeAll(async () => {
    store = createTestStore();
    adapter = startAdapter(store);
    await waitFor('engine connected', () => store.getState().engines.local?.state === 'connected');
  });

  afterAll(async () => {
    await adapter.stop();
    await docker(dockerHost, ['rm', '-f', 'probe-restart-1', 'probe-bigline-1', 'probe-gone-1', 'probe-memory-1'], { reject: false });
  });

  it('groups every container by compose project and service', async () => {
    await waitFor('the five shop services', () => ['web', 'api', 'worker', 'burner', 'db'].every((s) => shopContainer(store, s)));
    const shop = Object.values(store.getState().instances).filter((c) => c.workload.namespace === 'shop');
    expect(new Set(shop.map((c) => c.workload.name))).toEqual(new Set(['web', 'api', 'worker', 'burner', 'db']));
    expect(shop.every((c) => c.ref.engineId === 'local' && c.ref.kind === 'container' && c.ref.namespace === 'shop')).toBe(true);
    expect(shopContainer(store, 'web')?.ref.name).toBe('shop-web-1');
    // Each compose service is a workload of its own, its instances point at it.
    const workloads = store.getState().workloads;
    for (const instance of shop) expect(workloads[instance.workloadKey]?.ref).toEqual({ ...instance.workload });
    const shopWorkloads = Object.values(workloads).filter((workload) => workload.ref.namespace === 'shop');
    expect(shopWorkloads.map((workload) => workload.ref.name).sort()).toEqual(['api', 'burner', 'db', 'web', 'worker']);
    expect(shopWorkloads.every((workload) => workload.ref.kind === 'compose-service' && workload.ref.engineId === 'local')).toBe(true);
  });

  it('shows states, health and restart counts as the engine reports them', async () => {
    await waitFor('web healthy', () => shopContainer(store, 'web')?.health === 'healthy');
    await waitFor('db unhealthy', () => shopContainer(store, 'db')?.health === 'unhealthy');
    const worker = await waitFor('worker restarting', () => {
      const c = shopContainer(store, 'worker');
      return c && c.restartCount >= 2 ? c : undefined;
    });
    expect(shopContainer(store, 'web')?.state).toBe('running');
    expect(shopContainer(store, 'web')?.phase).toBe('running');
    expect(shopContainer(store, 'web')?.ready).toBe(true);
    expect(shopContainer(store, 'db')?.ready).toBe(false);
    expect(worker.restartCount).toBeGreaterThanOrEqual(2);
    // The restart count follows the engine through events, without polling.
    const before = worker.restartCount;
    // Docker backs off up to a minute between restarts of a crash loop.
    await waitFor('restart count grows', () => (shopContainer(store, 'worker')?.restartCount ?? 0) > before, {
      timeoutMs: 75_000,
    });
    const alerts = store.getState().alerts.map((a) => a.kind);
    expect(alerts).toContain('unhealthy');
    expect(alerts).toContain('restarting');
  }, 120_000);

  it('measures the CPU burner above every other service', async () => {
    const burner = await waitFor('burner stats', () => {
      const c = shopContainer(store, 'burner');
      return c && store.getState().statsByInstance[c.key];
    });
    expect(burner.instanceKey).toBe(shopContainer(store, 'burner')?.key);
    await waitFor('a few samples', () => (store.getState().cpuHistoryByInstance[burner.instanceKey]?.length ?? 0) >= 2);
    const state = store.getState();
    const burnerCpu = state.statsByInstance[burner.instanceKey]?.cpuPercent ?? 0;
    expect(burnerCpu).toBeGreaterThan(5);
    for (const service of ['web', 'api', 'db']) {
      const other = shopContainer(store, service);
      const cpu = other ? (state.statsByInstance[other.key]?.cpuPercent ?? 0) : 0;
      expect(cpu).toBeLessThan(burnerCpu);
    }
    expect(state.statsByInstance[burner.instanceKey]?.memoryUsageBytes).toBeGreaterThan(0);
  });

  it('tells a container without a memory limit (limit 0, bytes shown) from one with a limit', async () => {
    const web = await waitFor('web stats', () => {
      const c = shopContainer(store, 'web');
      return c && store.getState().statsByInstance[c.key];
    });
    // The engine reports the host's memory as the limit of an unlimited container.
    expect(web.memoryLimitBytes).toBe(0);
    expect(web.memoryUsageBytes).toBeGreaterThan(0);
    const id = await runProbeContainer('probe-memory-1', 'memory', 'exec sleep 2147483647', ['--memory', '64m']);
    const limited = await waitFor('limited container stats', () => {
      const probe = instanceWithUid(store.getState().instances, id);
      return probe && store.getState().statsByInstance[probe.key];
    });
    expect(limited.memoryLimitBytes).toBe(64 * 1024 * 1024);
  });

  it('fingerprints the error lines of the last hour and counts them', async () => {
    const api = shopContainer(store, 'api');
    expect(api).toBeDefined();
    const apiKey = api!.workloadKey;
    const refused = await waitFor('connection refused fingerprint counted several times', () =>
      store.getState().fingerprints.find((f) => /connection refused/i.test(f.fingerprint) && f.count >= 3),
    );
    expect(refused.workloadKeys).toContain(apiKey);
    // Varying ids and addresses fold into one fingerprint.
    expect(refused.fingerprint).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    expect(refused.sampleLine).toMatch(/Connection refused/);
    const worker = shopContainer(store, 'worker')!;
    await waitFor('worker FATAL line fingerprinted', () =>
      store.getState().fingerprints.find((f) => /fatal/i.test(f.fingerprint) && f.workloadKeys.includes(worker.workloadKey)),
    );
    // Log lines are kept per service, stdout and stderr apart.
    const lines = store.getState().logBuffers.get(apiKey)?.toArray() ?? [];
    expect(lines.length).toBeGreaterThan(3);
    expect(new Set(lines.map((line) => line.stream))).toEqual(new Set(['stdout', 'stderr']));
    expect(lines.every((line) => line.instanceKey === api!.key && line.workloadKey === apiKey)).toBe(true);
  });

  it('restarts a container through the action executor: StartedAt changes, and the engine saw one restart', async () => {
    const id = await runProbeContainer('probe-restart-1', 'restartable', 'sleep 3600');
    const probe = await waitFor('probe running', () => {
      const instance = instanceWithUid(store.getState().instances, id);
      return instance?.phase === 'running' && instance.startedAt ? instance : undefined;
    });
    expect(probe.ref).toMatchObject({ engineId: 'local', kind: 'container', namespace: 'probe', name: 'probe-restart-1', uid: id });
    const startedAt = await startedAtOf(id);
    const restart = { verb: 'restart', target: probe.ref } as const;
    const quietSince = Date.now();

    // Dry run: the exact call, and nothing sent.
    const executor = createActionExecutor({ store, adapterFor: (engineId) => (engineId === 'local' ? adapter : undefined), readOnly: false });
    const dryRun = await executor.execute(restart, { dryRun: true });
    expect(dryRun).toMatchObject({ status: 'would-do', call: { type: 'http', method: 'POST', path: `/containers/${id}/restart?t=10` } });

    // Read-only: refused by the executor, and by a read-only adapter on its own.
    const readOnlyExecutor = createActionExecutor({ store, adapterFor: () => adapter, readOnly: true });
    const refused = await readOnlyExecutor.execute(restart);
    expect(refused).toMatchObject({ status: 'refused', error: 'read-only mode: refused to restart probe-restart-1' });
    const readOnlyStore = createTestStore({ readOnly: true });
    const readOnlyAdapter = startAdapter(readOnlyStore, true);
    try {
      await waitFor('read-only engine connected', () => readOnlyStore.getState().engines.local?.state === 'connected');
      await waitFor('read-only adapter knows the probe', () => instanceWithUid(readOnlyStore.getState().instances, id));
      await expect(readOnlyAdapter.restartInstance(probe.ref)).rejects.toBeInstanceOf(ReadOnlyError);
      await expect(readOnlyAdapter.stopInstance(probe.ref)).rejects.toThrow(/read-only/);
      const viaAdapter = await createActionExecutor({ adapterFor: () => readOnlyAdapter, readOnly: false }).execute(restart);
      expect(viaAdapter).toMatchObject({ status: 'refused', error: 'read-only mode: refused to restart probe-restart-1' });
    } finally {
      await readOnlyAdapter.stop();
    }
    expect(await eventsOf(id, quietSince, Date.now() + 1000)).toEqual([]);
    expect(await startedAtOf(id)).toBe(startedAt);
    expect(instanceWithUid(store.getState().instances, id)?.startedAt).toBe(probe.startedAt);

    const restartSince = Date.now();
    const done = await executor.execute(restart);
    expect(done).toMatchObject({ status: 'done', call: { path: `/containers/${id}/restart?t=10` } });
    expect(store.getState().actionsInFlight).toEqual({});
    expect(store.getState().actionResults.at(-1)).toEqual(done);
    expect(await startedAtOf(id)).not.toBe(startedAt);
    const restarted = await waitFor('StartedAt changed in the store', () => {
      const instance = instanceWithUid(store.getState().instances, id);
      return instance && instance.startedAt !== probe.startedAt && instance.phase === 'running' ? instance : undefined;
    });
    expect(restarted.startedAt).toBeGreaterThan(probe.startedAt ?? 0);
    expect(restarted.key).toBe(probe.key);
    expect((await eventsOf(id, restartSince, Date.now() + 1000)).filter((action) => action === 'restart')).toEqual(['restart']);
  });

  it('handles a 1 MB log line: cut to the cap, and the next line still arrives', async () => {
    const command = "head -c 1048576 /dev/zero | tr '\\0' x; echo; echo 'ERROR after the big line'; sleep 3600";
    const id = await runProbeContainer('probe-bigline-1', 'bigline', command);
    const key = await waitFor('probe known', () => {
      return instanceWithUid(store.getState().instances, id)?.workloadKey;
    });
    const lines = await waitFor('line after the big one', () => {
      const all = store.getState().logBuffers.get(key)?.toArray() ?? [];
      return all.some((line) => line.text.includes('after the big line')) ? all : undefined;
    });
    const big = lines.find((line) => line.text.startsWith('xxxx'));
    expect(big?.truncated).toBe(true);
    expect(big!.text.length).toBeLessThanOrEqual(4096);
    expect(lines.filter((line) => line.text.startsWith('xxxx'))).toHaveLength(1);
  });

  it('drops a compose service with its last container, and only that one', async () => {
    const id = await runProbeContainer('probe-gone-1', 'vanishing', 'sleep 3600');
    const probe = await waitFor('probe known', () => instanceWithUid(store.getState().instances, id));
    await waitFor('its workload', () => store.getState().workloads[probe.workloadKey]);
    await docker(dockerHost, ['rm', '-f', 'probe-gone-1']);
    await waitFor('instance gone', () => !store.getState().instances[probe.key]);
    await waitFor('workload gone', () => !store.getState().workloads[probe.workloadKey]);
    const web = shopContainer(store, 'web');
    expect(web && store.getState().workloads[web.workloadKey]).toBeDefined();
  });
});
