// The cockpit's live CPU and memory figures read from cgroups on the private dockerd: a `--cpus 0.5`
// burner shows about 50 % in the store without any stats request reaching the engine (counted by a
// loopback proxy in front of its socket), its memory agrees with `docker stats`, and it keeps
// reporting after a stop and a start (a new main process, found again from the next inspect).
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const NAME = 'cgroups-live-burner-1';
const MEMORY_LIMIT = 64 * 1024 * 1024;
const CPU_TOLERANCE = 15;
const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

let id: string;
let directory: string;
let proxy: net.Server;
/** Every request line the adapter sent through the proxy. */
const requestLines: string[] = [];

/** `docker stats --no-stream` of the burner (the CLI talks to the engine's own socket, not the proxy). */
async function dockerStats(): Promise<{ cpuPercent: number; usageBytes: number }> {
  const { stdout } = await docker(dockerHost, ['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}', NAME]);
  const [cpu = '', memory = ''] = stdout.trim().split('|');
  const match = /^([\d.]+)\s*([KMG]?i?B)\s*\//.exec(memory.trim());
  if (!match) throw new Error(`unreadable docker stats memory: ${stdout}`);
  return { cpuPercent: Number.parseFloat(cpu), usageBytes: Number(match[1]) * (UNITS[match[2] ?? ''] ?? NaN) };
}

beforeAll(async () => {
  await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  const run = await docker(dockerHost, [
    'run', '-d', '--name', NAME, '--network', 'none', '--init', '--cpus', '0.5', '--memory', String(MEMORY_LIMIT),
    '--label', `${LABEL_PROJECT}=cgroups-live`, '--label', `${LABEL_SERVICE}=burner`,
    IMAGE, 'sh', '-c', 'while :; do :; done',
  ]);
  id = run.stdout.trim();
  directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cgroup-live-'));
  const engineSocket = dockerHost.replace(/^unix:\/\//, '');
  proxy = net.createServer((client) => {
    const upstream = net.connect(engineSocket);
    client.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('latin1').split('\r\n')) if (/^(GET|POST|HEAD|DELETE|PUT) /.test(line)) requestLines.push(line);
    });
    client.pipe(upstream).pipe(client);
    const end = (): void => { client.destroy(); upstream.destroy(); };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(path.join(directory, 'docker.sock'), resolve));
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  if (directory) rmSync(directory, { recursive: true, force: true });
  await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
});

describe('live container stats from cgroups', () => {
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;

  beforeAll(() => {
    store = createTestStore();
    adapter = new DockerEngineAdapter({
      engineId: 'local',
      label: 'local',
      host: `unix://${path.join(directory, 'docker.sock')}`,
      readOnly: false,
      sink: store.getState(),
      logs: { backfillMs: 60_000, maxLineBytes: 4096 },
    });
    adapter.start();
  });

  afterAll(async () => {
    await adapter.stop();
  });

  const burnerStats = () => {
    const state = store.getState();
    const instance = Object.values(state.instances).find((candidate) => candidate.ref.uid === id);
    return instance ? state.statsByInstance[instance.key] : undefined;
  };

  it('shows a --cpus 0.5 burner near 50 % with no stats request to the engine, and memory as docker stats has it', async () => {
    // A few readings in, so the figure covers whole seconds of the capped burner.
    await waitFor('burner stats', () => burnerStats(), { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Both over the same seconds: the engine's figure, and the mean of the store's last two readings.
    const theirs = await dockerStats();
    const ours = burnerStats()!;
    const history = store.getState().cpuHistoryByInstance[ours.instanceKey] ?? [];
    const recent = history.slice(-2);
    const cpuPercent = recent.reduce((sum, value) => sum + value, 0) / recent.length;
    // Capped at half a core; on a busy machine it may get less, as the engine sees too.
    expect(cpuPercent).toBeGreaterThan(5);
    expect(cpuPercent).toBeLessThanOrEqual(50 + CPU_TOLERANCE);
    expect(Math.abs(cpuPercent - theirs.cpuPercent)).toBeLessThanOrEqual(CPU_TOLERANCE);
    expect(ours.memoryLimitBytes).toBe(MEMORY_LIMIT);
    expect(Math.abs(ours.memoryUsageBytes - theirs.usageBytes)).toBeLessThanOrEqual(Math.max(256 * 1024, theirs.usageBytes * 0.1));
    expect(requestLines.some((line) => line.includes('/events'))).toBe(true);
    expect(requestLines.filter((line) => line.includes(`/containers/${id}/stats`))).toEqual([]);
  });

  it('keeps reporting the burner after it is stopped and started again', async () => {
    const before = burnerStats()!.sampledAt;
    await docker(dockerHost, ['stop', '-t', '0', NAME]);
    await waitFor('stats ended after the stop', () => burnerStats() === undefined || burnerStats()!.sampledAt === before);
    await docker(dockerHost, ['start', NAME]);
    const after = await waitFor('burner stats after the start', () => {
      const sample = burnerStats();
      return sample && sample.sampledAt > before && sample.cpuPercent > 5 ? sample : undefined;
    }, { timeoutMs: 20_000 });
    expect(after.cpuPercent).toBeLessThanOrEqual(50 + CPU_TOLERANCE);
    expect(requestLines.filter((line) => line.includes(`/containers/${id}/stats`))).toEqual([]);
  });
});
