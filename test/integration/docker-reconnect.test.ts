// An engine that goes away shows as disconnected with its error, and comes back by itself;
// following the logs resumes from the last line seen: nothing lost, nothing counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { docker, startPrivateDockerd, type PrivateDockerd } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { instanceWithUid } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

// A counter kept in the container's own filesystem, so it goes on after the engine restarts it.
// Written with a rename, so a kill at any moment leaves either the old or the new value.
const COUNTER =
  'n=$(cat /tmp/n 2>/dev/null || echo 0); while :; do n=$((n+1)); echo $n > /tmp/n.next; mv /tmp/n.next /tmp/n; echo "ERROR tick $n"; sleep 0.1; done';

describe('engine that goes away and comes back', () => {
  let engine: PrivateDockerd;

  beforeAll(async () => {
    // Its own daemon: stopping the shared one would pull the floor from under the other tests.
    engine = await startPrivateDockerd();
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  it('shows disconnected with the error, reconnects, and resumes logs without loss or duplicates', async () => {
    const run = await docker(engine.dockerHost, [
      'run', '-d', '--name', 'ticker', '--network', 'none', '--restart', 'always',
      '--label', `${LABEL_PROJECT}=clock`, '--label', `${LABEL_SERVICE}=ticker`,
      IMAGE, 'sh', '-c', COUNTER,
    ]);
    const id = run.stdout.trim();
    const store = createTestStore();
    const adapter = new DockerEngineAdapter({
      engineId: 'sandbox',
      label: 'sandbox',
      host: engine.dockerHost,
      readOnly: false,
      sink: store.getState(),
      logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
      reconnect: { initialMs: 200, maxMs: 1000 },
    });
    adapter.start();
    try {
      await waitFor('connected', () => store.getState().engines.sandbox?.state === 'connected');
      const ticker = await waitFor('ticker known', () => instanceWithUid(store.getState().instances, id));
      expect(ticker.ref).toMatchObject({ engineId: 'sandbox', kind: 'container', namespace: 'clock', name: 'ticker' });
      const key = ticker.workloadKey;
      const ticks = (): number[] =>
        (store.getState().logBuffers.get(key)?.toArray() ?? []).map((line) => Number(/tick (\d+)/.exec(line.text)?.[1]));
      await waitFor('some ticks', () => ticks().length >= 5);

      await engine.stop();
      const lost = await waitFor('disconnected', () => {
        const status = store.getState().engines.sandbox;
        return status?.state === 'disconnected' ? status : undefined;
      });
      expect(lost.error).toBeTruthy();
      expect(store.getState().alerts.some((alert) => alert.kind === 'engine' && alert.severity === 'critical')).toBe(true);
      expect(store.getState().gates.find((gate) => gate.id === 'engine-reachable')?.status).toBe('fail');
      // What was known stays on screen while the engine is away.
      expect(store.getState().instances[ticker.key]).toBeDefined();
      expect(store.getState().workloads[ticker.workloadKey]).toBeDefined();
      const beforeRestart = ticks().length;

      await engine.start();
      await waitFor('reconnected', () => store.getState().engines.sandbox?.state === 'connected', { timeoutMs: 30_000 });
      expect(store.getState().engines.sandbox?.error).toBeUndefined();
      await waitFor('ticks after the restart', () => ticks().length >= beforeRestart + 10, { timeoutMs: 30_000 });

      await adapter.stop();
      store.getState().flush();
      const seen = ticks();
      // Compare with the engine's own record of the same lines: nothing lost, nothing twice.
      const engineLog = await docker(engine.dockerHost, ['logs', id]);
      const recorded = engineLog.stdout
        .split('\n')
        .map((line) => Number(/tick (\d+)/.exec(line)?.[1]))
        .filter((tick) => !Number.isNaN(tick));
      expect(seen.length).toBeGreaterThan(beforeRestart);
      expect(seen).toEqual(recorded.slice(0, seen.length));
      expect(new Set(seen).size).toBe(seen.length);
      // Error lines are counted once each.
      const fingerprint = store.getState().fingerprints.find((f) => f.fingerprint.includes('tick'));
      expect(fingerprint?.count).toBe(seen.length);
    } finally {
      await adapter.stop();
    }
  });
});
