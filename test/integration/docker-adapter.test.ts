// The Docker adapter against the shared private dockerd and its `shop` stack:
// what an operator sees in the cockpit, read from the real engine.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ReadOnlyError } from '../../src/adapters/capabilities';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { serviceKeyOf, type ContainerInfo } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../engine/docker-engine';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../engine/stack.mjs';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');

function shopContainer(store: OpsdeckStore, service: string): ContainerInfo | undefined {
  return Object.values(store.getState().containers).find((c) => c.project === 'shop' && c.service === service);
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
    await docker(dockerHost, ['rm', '-f', 'probe-restart-1', 'probe-bigline-1', 'probe-memory-1'], { reject: false });
  });

  it('groups every container by compose project and service', async () => {
    await waitFor('the five shop services', () => ['web', 'api', 'worker', 'burner', 'db'].every((s) => shopContainer(store, s)));
    const shop = Object.values(store.getState().containers).filter((c) => c.project === 'shop');
    expect(new Set(shop.map((c) => c.service))).toEqual(new Set(['web', 'api', 'worker', 'burner', 'db']));
    expect(shop.every((c) => c.engineId === 'local')).toBe(true);
    expect(shopContainer(store, 'web')?.name).toBe('shop-web-1');
  });

  it('shows states, health and restart counts as the engine reports them', async () => {
    await waitFor('web healthy', () => shopContainer(store, 'web')?.health === 'healthy');
    await waitFor('db unhealthy', () => shopContainer(store, 'db')?.health === 'unhealthy');
    const worker = await waitFor('worker restarting', () => {
      const c = shopContainer(store, 'worker');
      return c && c.restartCount >= 2 ? c : undefined;
    });
    expect(shopContainer(store, 'web')?.state).toBe('running');
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
      return c && store.getState().statsByContainer[c.id];
    });
    await waitFor('a few samples', () => (store.getState().cpuHistoryByContainer[burner.containerId]?.length ?? 0) >= 2);
    const state = store.getState();
    const burnerCpu = state.statsByContainer[burner.containerId]?.cpuPercent ?? 0;
    expect(burnerCpu).toBeGreaterThan(5);
    for (const service of ['web', 'api', 'db']) {
      const other = shopContainer(store, service);
      const cpu = other ? (state.statsByContainer[other.id]?.cpuPercent ?? 0) : 0;
      expect(cpu).toBeLessThan(burnerCpu);
    }
    expect(state.statsByContainer[burner.containerId]?.memoryUsageBytes).toBeGreaterThan(0);
  });

  it('tells a container without a memory limit (limit 0, bytes shown) from one with a limit', async () => {
    const web = await waitFor('web stats', () => {
      const c = shopContainer(store, 'web');
      return c && store.getState().statsByContainer[c.id];
    });
    // The engine reports the host's memory as the limit of an unlimited container.
    expect(web.memoryLimitBytes).toBe(0);
    expect(web.memoryUsageBytes).toBeGreaterThan(0);
    const id = await runProbeContainer('probe-memory-1', 'memory', 'exec sleep 2147483647', ['--memory', '64m']);
    const limited = await waitFor('limited container stats', () => store.getState().statsByContainer[id]);
    expect(limited.memoryLimitBytes).toBe(64 * 1024 * 1024);
  });

  it('fingerprints the error lines of the last hour and counts them', async () => {
    const api = shopContainer(store, 'api');
    expect(api).toBeDefined();
    const apiKey = serviceKeyOf(api!);
    const refused = await waitFor('connection refused fingerprint counted several times', () =>
      store.getState().fingerprints.find((f) => /connection refused/i.test(f.fingerprint) && f.count >= 3),
    );
    expect(refused.serviceKeys).toContain(apiKey);
    // Varying ids and addresses fold into one fingerprint.
    expect(refused.fingerprint).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    expect(refused.sampleLine).toMatch(/Connection refused/);
    const worker = shopContainer(store, 'worker')!;
    await waitFor('worker FATAL line fingerprinted', () =>
      store.getState().fingerprints.find((f) => /fatal/i.test(f.fingerprint) && f.serviceKeys.includes(serviceKeyOf(worker))),
    );
    // Log lines are kept per service, stdout and stderr apart.
    const lines = store.getState().logBuffers.get(apiKey)?.toArray() ?? [];
    expect(lines.length).toBeGreaterThan(3);
    expect(new Set(lines.map((line) => line.stream))).toEqual(new Set(['stdout', 'stderr']));
  });

  it('restarts a container (StartedAt changes) and refuses to under --read-only', async () => {
    const id = await runProbeContainer('probe-restart-1', 'restartable', 'sleep 3600');
    const container = await waitFor('probe running', () => {
      const c = store.getState().containers[id];
      return c?.state === 'running' && c.startedAt ? c : undefined;
    });
    const readOnlyStore = createTestStore({ readOnly: true });
    const readOnlyAdapter = startAdapter(readOnlyStore, true);
    try {
      await waitFor('read-only engine connected', () => readOnlyStore.getState().engines.local?.state === 'connected');
      await expect(readOnlyAdapter.restartContainer(id)).rejects.toBeInstanceOf(ReadOnlyError);
      await expect(readOnlyAdapter.stopContainer(id)).rejects.toThrow(/read-only/);
    } finally {
      await readOnlyAdapter.stop();
    }
    const inspectAfterRefusal = await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', id]);
    expect(Date.parse(inspectAfterRefusal.stdout.trim())).toBe(container.startedAt);

    await adapter.restartContainer(id);
    const restarted = await waitFor('StartedAt changed', () => {
      const c = store.getState().containers[id];
      return c && c.startedAt !== container.startedAt && c.state === 'running' ? c : undefined;
    });
    expect(restarted.startedAt).toBeGreaterThan(container.startedAt ?? 0);
  });

  it('handles a 1 MB log line: cut to the cap, and the next line still arrives', async () => {
    const command = "head -c 1048576 /dev/zero | tr '\\0' x; echo; echo 'ERROR after the big line'; sleep 3600";
    const id = await runProbeContainer('probe-bigline-1', 'bigline', command);
    const key = await waitFor('probe known', () => {
      const c = store.getState().containers[id];
      return c && serviceKeyOf(c);
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
});
