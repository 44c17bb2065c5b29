// A Podman service that goes away shows as disconnected and comes back by itself; its containers
// keep running meanwhile (conmon holds them), and following their logs resumes from the last line
// seen although Podman stamps ten lines a second with the same whole second: nothing lost, nothing
// counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { instanceWithUid } from '../support/domain-fixtures';
import { startPrivatePodman, type PrivatePodman } from '../../lab/podman-engine.mjs';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const TICKER = 'n=0; while :; do n=$((n+1)); echo "ERROR tick $n"; sleep 0.1; done';

describe('podman service that goes away and comes back', () => {
  let engine: PrivatePodman;

  beforeAll(async () => {
    // Its own service: stopping the shared one would pull the floor from under the other tests.
    engine = await startPrivatePodman();
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  it('shows disconnected, reconnects, and resumes logs without loss or duplicates', async () => {
    const run = await engine.podman([
      'run', '-d', '--name', 'ticker', '--label', 'com.docker.compose.project=clock', '--label', 'com.docker.compose.service=ticker',
      'local/busybox:latest', 'sh', '-c', TICKER,
    ]);
    const id = run.stdout.trim();
    const store = createTestStore();
    const adapter = new DockerEngineAdapter({
      engineId: 'sandbox',
      label: 'sandbox',
      kind: 'podman',
      host: engine.podmanHost,
      readOnly: false,
      sink: store.getState(),
      logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
      reconnect: { initialMs: 200, maxMs: 1000 },
    });
    adapter.start();
    try {
      await waitFor('connected', () => store.getState().engines.sandbox?.state === 'connected');
      const key = (await waitFor('ticker known', () => instanceWithUid(store.getState().instances, id))).workloadKey;
      const ticks = (): number[] =>
        (store.getState().logBuffers.get(key)?.toArray() ?? []).map((line) => Number(/tick (\d+)/.exec(line.text)?.[1]));
      await waitFor('some ticks', () => ticks().length >= 15);

      await engine.stop();
      const lost = await waitFor('disconnected', () => {
        const status = store.getState().engines.sandbox;
        return status?.state === 'disconnected' ? status : undefined;
      });
      expect(lost.error).toBeTruthy();
      const beforeRestart = ticks().length;
      // The container goes on logging while nobody serves the API.
      await new Promise((resolve) => setTimeout(resolve, 1500));

      await engine.start();
      await waitFor('reconnected', () => store.getState().engines.sandbox?.state === 'connected', { timeoutMs: 30_000 });
      await waitFor('ticks after the restart', () => ticks().length >= beforeRestart + 30, { timeoutMs: 30_000 });

      await adapter.stop();
      store.getState().flush();
      const seen = ticks();
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, index) => index + 1));
      const fingerprint = store.getState().fingerprints.find((f) => f.fingerprint.includes('tick'));
      expect(fingerprint?.count).toBe(seen.length);
    } finally {
      await adapter.stop();
    }
  }, 90_000);
});
