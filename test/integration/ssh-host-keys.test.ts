// Host keys of ssh:// engines are verified against known_hosts by the system ssh: an unknown or
// changed key is a refusal naming the host and the key's fingerprint, and nothing is listed.
// The bundled CLI shows the same, and prints no Node deprecation warning for ssh:// URLs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { sshEngineAdapter, startPrivateSshd, type PrivateSshd } from '../engine/sshd-engine';
import { sshProcessesFor } from '../support/ssh-processes';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';
import { runBundle, type CommandRun } from '../support/bundle-command';

const dockerHost = inject('dockerHost');
const run = promisify(execFile);

function opsdeckStatus(configFile: string, format: 'json' | 'text' = 'json'): Promise<CommandRun> {
  return runBundle(['status', ...(format === 'json' ? ['--json'] : []), '--config', configFile], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 100_000 });
}

describe('ssh:// host key verification', { timeout: 120_000 }, () => {
  let sshd: PrivateSshd;
  let workDirectory: string;
  let unknownHostConfig: string;
  let changedHostConfig: string;

  beforeAll(async () => {
    sshd = await startPrivateSshd({ dockerHost });
    workDirectory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-ssh-keys-'));
    unknownHostConfig = await sshd.writeSshConfig('unknown', []);
    // known_hosts holds another key for this host and port: what a replaced (or intercepted) host looks like.
    const otherKey = path.join(workDirectory, 'other_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const otherPublic = (await readFile(`${otherKey}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    changedHostConfig = await sshd.writeSshConfig('changed', [`[127.0.0.1]:${sshd.port} ${otherPublic}`]);
  });

  afterAll(async () => {
    await sshd?.dispose();
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  async function refusal(sshConfig: string): Promise<{ error: string; listed: number }> {
    const store = createTestStore();
    const adapter = sshEngineAdapter(sshd, store, { engineId: 'remote', sshConfig });
    adapter.start();
    try {
      const engine = await waitFor('refused', () => {
        const status = store.getState().engines.remote;
        return status?.state === 'disconnected' && status.error ? status : undefined;
      }, { timeoutMs: 60_000 });
      return { error: engine.error ?? '', listed: Object.keys(store.getState().instances).length };
    } finally {
      await adapter.stop();
      await waitFor('no ssh client left', () => sshProcessesFor(String(sshd.port)).length === 0, { timeoutMs: 10_000 });
    }
  }

  it('refuses an unknown host key, naming the host and its fingerprint, and lists nothing', async () => {
    const { error, listed } = await refusal(unknownHostConfig);
    expect(error).toContain(`[127.0.0.1]:${sshd.port} is not in known_hosts`);
    expect(error).toContain(sshd.hostKeyFingerprint());
    expect(listed).toBe(0);
  });

  it('refuses a changed host key, naming the host and the fingerprint it now sends, and lists nothing', async () => {
    const { error, listed } = await refusal(changedHostConfig);
    expect(error).toContain(`host key of [127.0.0.1]:${sshd.port} has CHANGED`);
    expect(error).toContain(sshd.hostKeyFingerprint());
    expect(listed).toBe(0);
  });

  it('opsdeck status through a trusted sshd lists the services, with nothing on stderr', async () => {
    const configFile = path.join(workDirectory, 'trusted.yaml');
    await writeFile(configFile, `engines:\n  - name: remote\n    host: ${sshd.url}\n    sshConfig: ${sshd.sshConfig}\n`);
    const result = await opsdeckStatus(configFile);
    // No DEP0170 ("The URL ssh:... is invalid") or any other warning.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as StatusSnapshot;
    expect(snapshot.engines[0]).toMatchObject({ state: 'connected', endpoint: sshd.url });
    expect(snapshot.services.map((service) => `${service.project}/${service.service}`)).toEqual(
      expect.arrayContaining(['shop/web', 'shop/api', 'shop/db']),
    );
    expect(sshProcessesFor(String(sshd.port))).toEqual([]);
  });

  it('opsdeck status refuses an unknown host key with the fingerprint and exit code 1', async () => {
    const configFile = path.join(workDirectory, 'unknown.yaml');
    await writeFile(configFile, `engines:\n  - name: remote\n    host: ${sshd.url}\n    sshConfig: ${unknownHostConfig}\n`);
    const result = await opsdeckStatus(configFile);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const snapshot = JSON.parse(result.stdout) as StatusSnapshot;
    expect(snapshot.engines[0]?.state).toBe('disconnected');
    expect(snapshot.engines[0]?.error).toContain(`[127.0.0.1]:${sshd.port}`);
    expect(snapshot.engines[0]?.error).toContain(sshd.hostKeyFingerprint());
    expect(snapshot.services).toEqual([]);
    const text = await opsdeckStatus(configFile, 'text');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`engine remote (${sshd.url}): disconnected - host key verification failed: [127.0.0.1]:${sshd.port} is not in known_hosts`);
    expect(text.stdout).toContain(sshd.hostKeyFingerprint());
  });
});
