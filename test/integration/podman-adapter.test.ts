// The Docker adapter reading a real Podman service (podman 4.3 through its Docker-compatible API)
// with engine kind `podman`: what an operator sees in the cockpit, read from the real engine.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ReadOnlyError } from '../../src/adapters/capabilities';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { Instance } from '../../src/domain/types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { podman } from '../../lab/podman-engine.mjs';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');
const PROJECT = 'pods';
const IMAGE = 'local/busybox:latest';

// 25 ERROR lines at once (one second of Podman's whole-second log timestamps), a pause, 25 more.
// Every line must be counted once: also after the container restarts and its log stream resumes.
const BURSTS_SH = `
for round in 1 2; do
  i=0
  while [ $i -lt 25 ]; do i=$((i+1)); echo "ERROR upstream timeout order_id=$round$i after $((i * 7))ms" >&2; done
  sleep 2
done
exec sleep 2147483647
`.trim();

/** podman run -d with the labels podman-compose 1.0.3 sets; returns the full id. */
async function runService(service: string, options: string[], command: string): Promise<string> {
  const name = `${PROJECT}-${service}-1`;
  await podman(podmanDir, ['rm', '-f', '-t', '0', name], { reject: false });
  const result = await podman(podmanDir, [
    'run', '-d', '--name', name,
    '--label', `io.podman.compose.project=${PROJECT}`,
    '--label', `com.docker.compose.project=${PROJECT}`,
    '--label', `com.docker.compose.service=${service}`,
    ...options, IMAGE, 'sh', '-c', command,
  ]);
  return result.stdout.trim();
}

function startAdapter(store: OpsdeckStore, readOnly = false): DockerEngineAdapter {
  const adapter = new DockerEngineAdapter({
    engineId: 'pods-engine',
    label: 'pods-engine',
    kind: 'podman',
    host: podmanHost,
    readOnly,
    sink: store.getState(),
    logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
  });
  adapter.start();
  return adapter;
}

function service(store: OpsdeckStore, name: string): Instance | undefined {
  return Object.values(store.getState().instances).find((c) => c.workload.namespace === PROJECT && c.workload.name === name);
}

/** The instance key of the container with engine id `id`. */
function keyOf(store: OpsdeckStore, id: string): string {
  const instance = Object.values(store.getState().instances).find((candidate) => candidate.ref.uid === id);
  if (!instance) throw new Error(`no instance for container ${id}`);
  return instance.key;
}

function timeoutFingerprintCount(store: OpsdeckStore): number {
  return store.getState().fingerprints.find((f) => /upstream timeout/.test(f.fingerprint))?.count ?? 0;
}

describe('Podman engine through the Docker adapter', () => {
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const started = await Promise.all([
      runService('web', ['--health-cmd', 'true', '--health-interval', '1s'], 'echo "INFO web ready"; exec sleep 2147483647'),
      runService('db', ['--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1'], 'exec sleep 2147483647'),
      runService('worker', ['--restart', 'always'], 'echo "FATAL cannot connect to queue" >&2; sleep 1; exit 1'),
      runService('burner', [], 'while :; do :; done'),
      runService('api', [], BURSTS_SH),
    ]);
    [ids.web, ids.db, ids.worker, ids.burner, ids.api] = started;
    store = createTestStore();
    adapter = startAdapter(store);
    await waitFor('engine connected', () => store.getState().engines['pods-engine']?.state === 'connected');
  });

  afterAll(async () => {
    await adapter?.stop();
    const names = ['web', 'db', 'worker', 'burner', 'api'].map((name) => `${PROJECT}-${name}-1`);
    await podman(podmanDir, ['rm', '-f', '-t', '0', ...names], { reject: false, timeoutMs: 120_000 });
  });

  it('registers the engine as kind podman and groups containers by their podman-compose labels', async () => {
    const engine = await waitFor('engine version', () => {
      const status = store.getState().engines['pods-engine'];
      return status?.version ? status : undefined;
    });
    expect(engine.kind).toBe('podman');
    expect(engine.version).toMatch(/^4\./);
    await waitFor('the five services', () => ['web', 'db', 'worker', 'burner', 'api'].every((name) => service(store, name)));
    const web = service(store, 'web')!;
    expect(web).toMatchObject({
      ref: { uid: ids.web, name: 'pods-web-1', engineId: 'pods-engine', namespace: PROJECT },
      workload: { kind: 'compose-service', name: 'web' },
    });
    // Podman lists images of its local store as localhost/<name>.
    expect(web.image).toBe(IMAGE);
  });

  it('shows health from inspect and events (the list has none), and the crash loop restart count', async () => {
    await waitFor('web healthy', () => service(store, 'web')?.health === 'healthy');
    await waitFor('db unhealthy', () => service(store, 'db')?.health === 'unhealthy');
    expect(service(store, 'web')?.state).toBe('running');
    const before = await waitFor('worker restarted twice', () => {
      const worker = service(store, 'worker');
      return worker && worker.restartCount >= 2 ? worker.restartCount : undefined;
    });
    const engineCount = Number((await podman(podmanDir, ['inspect', '-f', '{{.RestartCount}}', ids.worker!])).stdout);
    expect(engineCount).toBeGreaterThanOrEqual(before);
    await waitFor('restart count follows the engine', () => (service(store, 'worker')?.restartCount ?? 0) > before, { timeoutMs: 30_000 });
    const alerts = store.getState().alerts.map((alert) => alert.kind);
    expect(alerts).toContain('unhealthy');
    expect(alerts).toContain('restarting');
  }, 60_000);

  it('measures the CPU burner above an idle container (stats every 5 s)', async () => {
    const burnerId = keyOf(store, ids.burner!);
    const webId = keyOf(store, ids.web!);
    await waitFor('burner busy', () => (store.getState().statsByInstance[burnerId]?.cpuPercent ?? 0) > 5, { timeoutMs: 30_000 });
    await waitFor('web measured', () => store.getState().statsByInstance[webId], { timeoutMs: 30_000 });
    const stats = store.getState().statsByInstance;
    expect(stats[burnerId]!.cpuPercent).toBeGreaterThan(stats[webId]!.cpuPercent);
    expect(stats[webId]!.cpuPercent).toBeLessThan(5);
    expect(stats[burnerId]!.memoryUsageBytes).toBeGreaterThan(0);
    // No --memory: Podman reports the host's memory as the limit, which counts as no limit (0),
    // from the first sample on (stats open once the engine's MemTotal is known).
    expect(stats[burnerId]!.memoryLimitBytes).toBe(0);
  }, 45_000);

  it('follows the logs and counts every error line once, though Podman stamps them to the second', async () => {
    await waitFor('both bursts counted', () => timeoutFingerprintCount(store) >= 50, { timeoutMs: 20_000 });
    const logs = await podman(podmanDir, ['logs', ids.api!]);
    const engineLines = `${logs.stdout}\n${logs.stderr}`.split('\n').filter((line) => line.includes('upstream timeout'));
    expect(engineLines).toHaveLength(50);
    expect(timeoutFingerprintCount(store)).toBe(50);
    const fingerprint = store.getState().fingerprints.find((f) => /upstream timeout/.test(f.fingerprint))!;
    expect(fingerprint.fingerprint).not.toMatch(/order_id=\d/);
    const api = service(store, 'api')!;
    expect(fingerprint.workloadKeys).toEqual([api.workloadKey]);
    const worker = service(store, 'worker')!;
    await waitFor('worker FATAL fingerprinted', () =>
      store.getState().fingerprints.find((f) => /fatal/i.test(f.fingerprint) && f.workloadKeys.includes(worker.workloadKey)),
    );
    const lines = store.getState().logBuffers.get(api.workloadKey)?.toArray() ?? [];
    expect(lines.filter((line) => line.stream === 'stderr' && line.text.includes('upstream timeout'))).toHaveLength(50);
  }, 40_000);

  it('refuses to restart under --read-only, restarts through the adapter (StartedAt changes), and resumes the logs', async () => {
    const apiId = ids.api!;
    await waitFor('both bursts counted', () => timeoutFingerprintCount(store) >= 50, { timeoutMs: 20_000 });
    const apiKey = keyOf(store, apiId);
    const before = store.getState().instances[apiKey]!;
    expect(before.startedAt).toBeGreaterThan(0);

    const readOnlyStore = createTestStore({ readOnly: true });
    const readOnlyAdapter = startAdapter(readOnlyStore, true);
    try {
      await waitFor('read-only engine connected', () => readOnlyStore.getState().engines['pods-engine']?.state === 'connected');
      await waitFor('read-only adapter knows the container', () => service(readOnlyStore, 'api'));
      await expect(readOnlyAdapter.restartInstance(before.ref)).rejects.toBeInstanceOf(ReadOnlyError);
      await expect(readOnlyAdapter.stopInstance(before.ref)).rejects.toThrow(/read-only/);
    } finally {
      await readOnlyAdapter.stop();
    }
    const afterRefusal = await podman(podmanDir, ['inspect', '-f', '{{.State.StartedAt}}', apiId]);
    expect(afterRefusal.stdout).toContain(new Date(before.startedAt!).toISOString().slice(0, 19).replace('T', ' '));

    await adapter.restartInstance(before.ref);
    const restarted = await waitFor('StartedAt changed', () => {
      const container = store.getState().instances[apiKey];
      return container && container.phase === 'running' && container.startedAt !== before.startedAt ? container : undefined;
    });
    expect(restarted.startedAt).toBeGreaterThan(before.startedAt!);
    // The program runs again: 50 new lines, and none of the 50 read before the restart twice.
    await waitFor('new bursts counted', () => timeoutFingerprintCount(store) >= 100, { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(timeoutFingerprintCount(store)).toBe(100);
  }, 90_000);
});
