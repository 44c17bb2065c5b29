// The bundled CLI as a script would call it: --help, --version, status, config errors.
import { execFile } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import packageJson from '../../package.json';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { runBundle, type CommandRun } from '../support/bundle-command';
import { BUNDLE } from '../support/pty';

const dockerHost = inject('dockerHost');

function opsdeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runBundle(args, { env: { ...process.env, ...env } });
}

describe('opsdeck CLI (bundled)', () => {
  it('prints help and version', async () => {
    const help = await opsdeck(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--docker-host', '--engine', '--config', '--read-only', '--ascii', 'status']) expect(help.stdout).toContain(flag);
    const version = await opsdeck(['--version']);
    expect(version.stdout.trim()).toBe(packageJson.version);
  });

  it('status --json prints the snapshot the cockpit shows', async () => {
    const result = await opsdeck(['status', '--json', '--docker-host', dockerHost]);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as StatusSnapshot;
    expect(snapshot.engines[0]?.state).toBe('connected');
    const shop = snapshot.services.filter((service) => service.project === 'shop').map((service) => service.service);
    expect(shop).toEqual(expect.arrayContaining(['api', 'burner', 'db', 'web', 'worker']));
    const burner = snapshot.services.find((service) => service.project === 'shop' && service.service === 'burner');
    const web = snapshot.services.find((service) => service.project === 'shop' && service.service === 'web');
    expect(burner!.cpuPercent).toBeGreaterThan(web!.cpuPercent);
    expect(snapshot.alerts.some((alert) => alert.kind === 'unhealthy')).toBe(true);
    expect(snapshot.errors.some((error) => /connection refused/i.test(error.fingerprint))).toBe(true);
    expect(snapshot.host?.disks.some((disk) => disk.path === '/')).toBe(true);
    expect(snapshot.gates.find((gate) => gate.id === 'no-unhealthy')?.status).toBe('fail');
  });

  it('status in text form names the services and failing gates', async () => {
    const result = await opsdeck(['status', '--docker-host', dockerHost], { NO_COLOR: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/shop\s+db\s+shop-db-1\s+running\s+unhealthy/);
    expect(result.stdout).toContain('GATES');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('status exits non-zero when the engine is unreachable', async () => {
    const result = await opsdeck(['status', '--json', '--docker-host', 'unix:///tmp/opsdeck-no-such-engine.sock']);
    expect(result.code).toBe(1);
    const snapshot = JSON.parse(result.stdout) as StatusSnapshot;
    expect(snapshot.engines[0]?.state).toBe('disconnected');
    expect(snapshot.engines[0]?.error).toMatch(/ENOENT|connect/);
  });

  it('refuses a broken configuration with one line naming file, line and field', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-config-'));
    const file = path.join(directory, 'opsdeck.yaml');
    await writeFile(file, 'thresholds:\n  cpu:\n    warning: high\n    critical: 80\n');
    const result = await opsdeck(['status', '--config', file, '--docker-host', dockerHost]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/opsdeck\.yaml:3:\d+: /);
    expect(lines[0]).toContain('thresholds.cpu.warning');
  });

  it('runs as the installed command does: the bundle executed through a link, its first line starting node, arguments kept as given', async () => {
    // npm links the bin into node_modules/.bin; the bundle's first line (sh) execs node with its heap flags.
    const directory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck entry '));
    const command = path.join(directory, 'opsdeck');
    await symlink(BUNDLE, command);
    const run = (args: string[]): Promise<CommandRun> =>
      new Promise((resolve) => execFile(command, args, { env: process.env }, (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? Number(error.code) : 0 })));
    const version = await run(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
    const file = path.join(directory, 'my opsdeck.yaml');
    await writeFile(file, 'thresholds:\n  cpu:\n    warning: high\n    critical: 80\n');
    const broken = await run(['status', '--config', file, '--docker-host', 'unix:///tmp/opsdeck-no-such-engine.sock']);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/my opsdeck\.yaml:3:\d+: .*thresholds\.cpu\.warning/);
  });
});
