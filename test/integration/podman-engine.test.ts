// Smoke test of the real Podman test engine: the shared private podman service from global-setup
// (Docker-compatible API, its own storage, the healthcheck loop standing in for systemd), and the
// lifecycle of a second one (stop / start / dispose, by pid).
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isProcessAlive } from '../../lab/process-state.mjs';
import { podman, startPrivatePodman, type PrivatePodman } from '../../lab/podman-engine.mjs';
import { waitFor } from '../support/wait-for';

const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');

async function ping(socketPath: string): Promise<string> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('shared private podman service (global setup)', () => {
  afterAll(async () => {
    await podman(podmanDir, ['rm', '-f', 'smoke-health-1'], { reject: false });
  });

  it('is a private unix socket answering the Docker API, with local/busybox imported', async () => {
    expect(podmanHost).toMatch(/^unix:\/\/\/tmp\/.+\/podman\.sock$/);
    expect(await ping(podmanHost.slice('unix://'.length))).toBe('OK');
    const images = await podman(podmanDir, ['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(images.stdout.split('\n')).toContain('localhost/local/busybox:latest');
  });

  it('runs healthchecks without systemd (health leaves "starting")', async () => {
    await podman(podmanDir, [
      'run', '-d', '--name', 'smoke-health-1', '--health-cmd', 'true', '--health-interval', '1s',
      'local/busybox:latest', 'sleep', '3600',
    ]);
    await waitFor('healthy', async () => (await podman(podmanDir, ['inspect', '-f', '{{.State.Health.Status}}', 'smoke-health-1'])).stdout === 'healthy', {
      timeoutMs: 20_000,
    });
  });
});

describe('a second private podman service', () => {
  let engine: PrivatePodman | undefined;

  afterAll(async () => {
    await engine?.dispose();
  });

  it('stops by its pid, starts again on the same storage, and leaves nothing behind', async () => {
    engine = await startPrivatePodman();
    expect(engine.socketPath).not.toBe(podmanHost.slice('unix://'.length));
    const servicePid = engine.pid();
    const loopPid = engine.healthcheckPid();
    expect(servicePid).toBeGreaterThan(1);
    expect(loopPid).toBeGreaterThan(1);
    await engine.podman(['create', '--name', 'kept-1', 'local/busybox:latest', 'true']);
    await engine.stop();
    expect(isProcessAlive(servicePid!)).toBe(false);
    expect(isProcessAlive(loopPid!)).toBe(false);
    expect(existsSync(engine.socketPath)).toBe(false);
    await engine.start();
    expect(await ping(engine.socketPath)).toBe('OK');
    expect((await engine.podman(['ps', '-a', '--format', '{{.Names}}'])).stdout).toContain('kept-1');
    const dir = engine.dir;
    const restartedPid = engine.pid();
    await engine.dispose();
    engine = undefined;
    expect(isProcessAlive(restartedPid!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  }, 90_000);
});
