// Smoke test of the real test engine: the shared private dockerd from global-setup with the
// `shop` demo stack, and the lifecycle of a second private dockerd (stop / start / dispose).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { docker, isProcessAlive, startPrivateDockerd, type PrivateDockerd } from '../../lab/docker-engine.mjs';
import { DEMO_SERVICES, removeStack, startDemoStack } from '../../lab/stack.mjs';

interface Inspect {
  Name: string;
  Config: { Image: string; Labels: Record<string, string> };
  State: { Status: string; Running: boolean; Health?: { Status: string } };
  RestartCount: number;
  HostConfig: { NetworkMode: string; RestartPolicy: { Name: string } };
}

async function inspect(host: string, name: string): Promise<Inspect> {
  const r = await docker(host, ['inspect', name]);
  const [first] = JSON.parse(r.stdout) as Inspect[];
  if (!first) throw new Error(`no such container ${name}`);
  return first;
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('shared private dockerd (global setup) with the shop stack', () => {
  const host = inject('dockerHost');

  it('is a private unix socket, not the system daemon', async () => {
    expect(host).toMatch(/^unix:\/\/\/tmp\/.+\/docker\.sock$/);
    expect(host).not.toContain('/var/run/docker.sock');
    const v = await docker(host, ['version', '--format', '{{.Server.APIVersion}}']);
    expect(v.stdout).toMatch(/^1\.\d+$/);
  });

  it('has every demo service with compose labels', async () => {
    const names = (
      await docker(host, ['ps', '-a', '--filter', 'label=com.docker.compose.project=shop', '--format', '{{.Names}}'])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(names).toEqual(DEMO_SERVICES.map((s) => `shop-${s}-1`).sort());
    for (const svc of DEMO_SERVICES) {
      const c = await inspect(host, `shop-${svc}-1`);
      expect(c.Config.Image).toBe('local/busybox:latest');
      expect(c.HostConfig.NetworkMode).toBe('none');
      expect(c.Config.Labels).toMatchObject({
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': svc,
        'com.docker.compose.container-number': '1',
      });
    }
  });

  it('web is healthy and db becomes unhealthy', async () => {
    expect((await inspect(host, 'shop-web-1')).State.Health?.Status).toBe('healthy');
    await until('db unhealthy', 15_000, async () => (await inspect(host, 'shop-db-1')).State.Health?.Status === 'unhealthy');
  });

  it('burner is running and is the busiest container of the stack', async () => {
    const c = await inspect(host, 'shop-burner-1');
    expect(c.State.Running).toBe(true);
    // Relative, not absolute: on a loaded 2-core machine the burner's share varies a lot.
    const names = ['shop-burner-1', 'shop-web-1', 'shop-api-1', 'shop-db-1'];
    const stats = await docker(host, ['stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}}', ...names]);
    const cpu = new Map(
      stats.stdout.split('\n').map((l) => {
        const [name = '', pct = '0'] = l.trim().split(/\s+/);
        return [name, Number.parseFloat(pct)] as const;
      }),
    );
    const burner = cpu.get('shop-burner-1') ?? 0;
    expect(burner).toBeGreaterThan(1);
    for (const other of names.slice(1)) expect(burner).toBeGreaterThan(cpu.get(other) ?? 0);
  });

  it('api logs ERROR lines with varying request ids', async () => {
    const logs = await until('api errors', 10_000, async () => {
      const r = await docker(host, ['logs', 'shop-api-1']);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('ERROR Connection refused to 10.0.0.'));
      return errors.length >= 2 ? { errors, stdout: r.stdout } : undefined;
    });
    const ids = new Set(logs.errors.map((l) => /request_id=([0-9a-f-]+)/.exec(l)?.[1]));
    expect(ids.size).toBeGreaterThanOrEqual(2);
    expect(logs.stdout).toContain('INFO ');
  });

  it('worker is in a crash loop (restart always, RestartCount > 0, FATAL in logs)', async () => {
    const c = await until('worker restarted', 15_000, async () => {
      const w = await inspect(host, 'shop-worker-1');
      return w.RestartCount > 0 ? w : undefined;
    });
    expect(c.HostConfig.RestartPolicy.Name).toBe('always');
    const logs = await docker(host, ['logs', 'shop-worker-1']);
    expect(logs.stderr).toContain('FATAL cannot connect to queue');
  });
});

describe('a second private dockerd: lifecycle', () => {
  let engine: PrivateDockerd | undefined;
  afterAll(async () => {
    await engine?.dispose();
  });

  it('starts, runs a stack whose worker RestartCount grows, stops, starts again and disposes', async () => {
    engine = await startPrivateDockerd();
    const e = engine;
    const pid1 = e.pid();
    expect(pid1).toBeGreaterThan(1);
    expect(existsSync(e.socketPath)).toBe(true);
    expect(e.dockerHost).toBe(`unix://${e.socketPath}`);

    const stack = await startDemoStack(e.dockerHost, { project: 'smoke', burnerCpus: 0.1 });
    expect(Object.keys(stack.containers).sort()).toEqual([...DEMO_SERVICES].sort());
    const first = await until('first restart', 10_000, async () => {
      const n = (await inspect(e.dockerHost, 'smoke-worker-1')).RestartCount;
      return n > 0 ? n : undefined;
    });
    await until('RestartCount grows', 30_000, async () => (await inspect(e.dockerHost, 'smoke-worker-1')).RestartCount > first);

    await e.stop();
    expect(e.pid()).toBeUndefined();
    expect(isProcessAlive(pid1!)).toBe(false);
    expect(existsSync(e.socketPath)).toBe(false);
    const down = await docker(e.dockerHost, ['version'], { reject: false, timeoutMs: 10_000 });
    expect(down.failed).toBe(true);

    await e.start();
    const pid2 = e.pid();
    expect(pid2).toBeGreaterThan(1);
    expect(pid2).not.toBe(pid1);
    // Same data root: the containers are still there, restart=always ones run again.
    const names = (await docker(e.dockerHost, ['ps', '-a', '--format', '{{.Names}}'])).stdout.split('\n');
    expect(names).toContain('smoke-web-1');
    await until('worker restarted by the daemon', 10_000, async () => {
      const w = await inspect(e.dockerHost, 'smoke-worker-1');
      return w.State.Status === 'running' || w.State.Status === 'restarting';
    });
    expect(await removeStack(e.dockerHost, 'smoke')).toBe(5);

    const dir = e.dir;
    await e.dispose();
    engine = undefined;
    expect(isProcessAlive(pid2!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('a start failure throws with the tail of dockerd.log', async () => {
    const dir = await mkdtemp('/tmp/od-bad-');
    try {
      // The vfs graph driver directory is a file: dockerd exits with "not a directory".
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'vfs'), 'not a directory');
      const err = await startPrivateDockerd({ dir }).then(
        () => new Error('unexpectedly started'),
        (e: unknown) => e as Error,
      );
      expect(err.message).toMatch(/failed to start/);
      expect(err.message).toContain('dockerd.log');
      expect(err.message).toContain('error initializing graphdriver');
      expect(err.message).toContain('not a directory');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
