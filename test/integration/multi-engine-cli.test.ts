// Docker and Podman engines configured at once, through the bundled CLI: `status --json` lists both
// engines, each with its own containers, and every row names the engine it came from. Podman
// engines are also found by the name of a `podman system connection`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { podman } from '../../lab/podman-engine.mjs';
import { runCommand } from '../../lab/process-state.mjs';
import { BUNDLE } from '../support/pty';

const dockerHost = inject('dockerHost');
const podmanHost = inject('podmanHost');
const podmanDir = inject('podmanDir');
const run = promisify(execFile);
const PROJECT = 'mixed';

async function status(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ snapshot: StatusSnapshot; code: number; stderr: string }> {
  let stdout: string;
  let stderr: string;
  let code = 0;
  try {
    ({ stdout, stderr } = await run(process.execPath, [BUNDLE, 'status', '--json', ...args], {
      env: { ...process.env, DOCKER_HOST: '', ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    }));
  } catch (error) {
    ({ stdout, stderr, code } = error as { stdout: string; stderr: string; code: number });
  }
  return { snapshot: JSON.parse(stdout) as StatusSnapshot, code, stderr };
}

describe('several engines at once (bundled CLI)', () => {
  let connectionsDirectory: string;

  beforeAll(async () => {
    for (const service of ['web', 'api']) {
      const name = `${PROJECT}-${service}-1`;
      await podman(podmanDir, ['rm', '-f', '-t', '0', name], { reject: false });
      await podman(podmanDir, [
        'run', '-d', '--name', name,
        '--label', `io.podman.compose.project=${PROJECT}`,
        '--label', `com.docker.compose.project=${PROJECT}`,
        '--label', `com.docker.compose.service=${service}`,
        'local/busybox:latest', 'sleep', '3600',
      ]);
    }
    connectionsDirectory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-podman-connections-'));
  });

  afterAll(async () => {
    await podman(podmanDir, ['rm', '-f', '-t', '0', `${PROJECT}-web-1`, `${PROJECT}-api-1`], { reject: false });
    await rm(connectionsDirectory, { recursive: true, force: true });
  });

  it('status --json lists a Docker and a Podman engine, each with its own containers, the right engine per row', async () => {
    const { snapshot, code, stderr } = await status(['--docker-host', dockerHost, '--engine', `pods=podman:${podmanHost}`]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(snapshot.engines.map((engine) => [engine.id, engine.kind, engine.state, engine.endpoint])).toEqual([
      ['local', 'docker', 'connected', dockerHost],
      ['pods', 'podman', 'connected', podmanHost],
    ]);
    const servicesOf = (engine: string): string[] =>
      snapshot.services.filter((row) => row.engine === engine).map((row) => `${row.project}/${row.service}`);
    expect(servicesOf('local')).toEqual(expect.arrayContaining(['shop/web', 'shop/api', 'shop/db', 'shop/worker', 'shop/burner']));
    expect(servicesOf('pods')).toEqual(expect.arrayContaining([`${PROJECT}/web`, `${PROJECT}/api`]));
    expect(servicesOf('local').some((name) => name.startsWith(`${PROJECT}/`))).toBe(false);
    expect(servicesOf('pods').some((name) => name.startsWith('shop/'))).toBe(false);
    for (const row of snapshot.services) {
      for (const container of row.containers) expect(container.engine).toBe(row.engine);
    }
    // The text form names the engine on every row when there are several.
    const text = await run(process.execPath, [BUNDLE, 'status', '--docker-host', dockerHost, '--engine', `pods=podman:${podmanHost}`], {
      env: { ...process.env, NO_COLOR: '1' },
    }).catch((error: unknown) => error as { stdout: string });
    expect(text.stdout).toMatch(new RegExp(`^pods\\s+${PROJECT}\\s+web\\s+${PROJECT}-web-1\\s+running`, 'm'));
    expect(text.stdout).toMatch(/^local\s+shop\s+db\s+shop-db-1\s+running\s+unhealthy/m);
    const podmanWeb = snapshot.services.find((row) => row.engine === 'pods' && row.service === 'web' && row.project === PROJECT);
    expect(podmanWeb?.containers[0]).toMatchObject({ name: `${PROJECT}-web-1`, image: 'local/busybox:latest', state: 'running' });
  });

  it('keeps both sets of rows when the same daemon is configured twice, under two names', async () => {
    const { snapshot, code } = await status(['--engine', `socket=docker:${dockerHost}`, '--engine', `again=docker:${dockerHost}`]);
    expect(code).toBe(0);
    expect(snapshot.engines.map((engine) => `${engine.id} ${engine.state}`).sort()).toEqual(['again connected', 'socket connected']);
    const shopOf = (engine: string) =>
      snapshot.services.filter((row) => row.engine === engine && row.project === 'shop').flatMap((row) => row.containers.map((container) => container.name)).sort();
    expect(shopOf('socket')).toEqual(expect.arrayContaining(['shop-api-1', 'shop-db-1', 'shop-web-1']));
    // Same containers, same ids, two engines: neither overwrote the other.
    expect(shopOf('again')).toEqual(shopOf('socket'));
    const keys = snapshot.services.flatMap((row) => row.containers.map((container) => container.key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds a Podman engine by its `podman system connection` name', async () => {
    const env = { CONTAINERS_CONF: path.join(connectionsDirectory, 'containers.conf') };
    await writeFile(env.CONTAINERS_CONF, '');
    const added = await runCommand('podman', ['system', 'connection', 'add', 'lab', podmanHost], { env: { ...process.env, ...env } });
    expect(added.stderr).not.toMatch(/Error/);
    expect(added.code).toBe(0);
    const { snapshot, code } = await status(['--engine', 'podman:lab'], env);
    expect(code).toBe(0);
    expect(snapshot.engines).toEqual([expect.objectContaining({ id: 'lab', kind: 'podman', state: 'connected', endpoint: podmanHost })]);
    expect(snapshot.services.some((row) => row.engine === 'lab' && row.project === PROJECT && row.service === 'api')).toBe(true);

    const unknown = await run(process.execPath, [BUNDLE, 'status', '--engine', 'podman:nope'], { env: { ...process.env, ...env } }).catch(
      (error: unknown) => error as { stderr: string; code: number },
    );
    expect((unknown as { code: number }).code).toBe(2);
    expect((unknown as { stderr: string }).stderr.trim()).toBe('opsdeck: --engine: podman:nope: no podman connection named "nope" (known: lab)');

    // `opsdeck engines` offers the connection and shows what is watched.
    const listed = await run(process.execPath, [BUNDLE, 'engines', '--json', '--docker-host', dockerHost], { env: { ...process.env, ...env } });
    expect(JSON.parse(listed.stdout)).toEqual({
      engines: [{ name: 'local', type: 'docker', host: dockerHost }],
      podmanConnections: [{ name: 'lab', uri: podmanHost, isDefault: true }],
    });
    const text = await run(process.execPath, [BUNDLE, 'engines', '--engine', 'podman:lab'], { env: { ...process.env, ...env } });
    const rows = text.stdout.split('\n').map((line) => line.trim().split(/\s+/).join(' '));
    expect(rows).toContain(`lab podman ${podmanHost} (podman connection lab)`);
    expect(rows).toContain(`lab * ${podmanHost}`);
  });
});
