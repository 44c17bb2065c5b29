// CPU and memory of local containers from their cgroups, on the private dockerd: a `--cpus 0.5`
// burner measured from its cgroup at the same time as `docker stats --no-stream` measures it, the
// same through the headless read `opsdeck status` makes, and the engine asked when the cgroup is
// not this container's.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCgroupReader } from '../../src/adapters/docker/cgroup-stats';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { readStatsAcross } from '../../src/adapters/docker/stats-once';
import type { ContainerStatsSample } from '../../src/domain/types';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { createTestStore } from '../support/test-store';

const dockerHost = inject('dockerHost');
const NAME = 'cgroups-burner-1';
const MEMORY_LIMIT = 64 * 1024 * 1024;
/** Points of a core between the two figures: they cover overlapping, not identical, seconds. */
const CPU_TOLERANCE = 15;
const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** A stats sink that keeps what arrives. */
function collectInto(samples: ContainerStatsSample[]): { statsReceived(sample: ContainerStatsSample): void; statsEnded(): void } {
  return { statsReceived: (sample) => void samples.push(sample), statsEnded: () => undefined };
}

let id: string;
let pid: number;

/** `docker stats --no-stream` of the burner: CPU % and memory used / limit in bytes. */
async function dockerStats(): Promise<{ cpuPercent: number; usageBytes: number; limitBytes: number }> {
  const { stdout } = await docker(dockerHost, ['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}', NAME]);
  const [cpu = '', memory = ''] = stdout.trim().split('|');
  const bytes = (text: string): number => {
    const match = /^([\d.]+)\s*([KMG]?i?B)$/.exec(text.trim());
    if (!match) throw new Error(`unreadable docker stats memory: ${text}`);
    return Number(match[1]) * (UNITS[match[2] ?? ''] ?? NaN);
  };
  const [usage = '', limit = ''] = memory.split('/');
  return { cpuPercent: Number.parseFloat(cpu), usageBytes: bytes(usage), limitBytes: bytes(limit) };
}

beforeAll(async () => {
  await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  const run = await docker(dockerHost, [
    'run', '-d', '--name', NAME, '--network', 'none', '--init', '--cpus', '0.5', '--memory', String(MEMORY_LIMIT),
    '--label', `${LABEL_PROJECT}=cgroups`, '--label', `${LABEL_SERVICE}=burner`,
    IMAGE, 'sh', '-c', 'while :; do :; done',
  ]);
  id = run.stdout.trim();
  pid = Number((await docker(dockerHost, ['inspect', '-f', '{{.State.Pid}}', id])).stdout.trim());
  // A few scheduler periods behind it before anything is measured.
  await new Promise((resolve) => setTimeout(resolve, 1500));
});

afterAll(async () => {
  await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
});

describe('container stats from cgroups', () => {
  it('reads a --cpus 0.5 burner from its cgroup with the figures docker stats shows, without asking the engine', async () => {
    const cgroups = createCgroupReader();
    expect(cgroups.locate(pid, id)?.cpuDirectory).toContain(id);
    // A client on a socket nobody listens on: what arrives came from the cgroup.
    const unreachable = new Docker({ socketPath: '/tmp/opsdeck-no-such-engine.sock' });
    const samples: ContainerStatsSample[] = [];
    const [theirs] = await Promise.all([
      dockerStats(),
      readStatsAcross(unreachable, [{ id, instanceKey: 'local/container/cgroups/burner', pid }], collectInto(samples), Date.now, {
        cgroups,
        cgroupIntervalMs: 1000,
      }),
    ]);
    expect(samples).toHaveLength(1);
    const ours = samples[0]!;
    expect(ours.cpuPercent).toBeGreaterThan(0);
    expect(ours.cpuPercent).toBeLessThanOrEqual(50 + CPU_TOLERANCE);
    expect(Math.abs(ours.cpuPercent - theirs.cpuPercent)).toBeLessThanOrEqual(CPU_TOLERANCE);
    expect(ours.memoryLimitBytes).toBe(MEMORY_LIMIT);
    expect(theirs.limitBytes).toBe(MEMORY_LIMIT);
    // docker stats rounds to three digits, and the two readings are not taken at the same instant:
    // the burner's few hundred KiB move by a page-cache page or two between them (160 KiB seen on a
    // loaded machine). A unit or accounting error (KiB for bytes, page cache counted) is far larger.
    expect(Math.abs(ours.memoryUsageBytes - theirs.usageBytes)).toBeLessThanOrEqual(Math.max(256 * 1024, theirs.usageBytes * 0.1));
  });

  it('gives the headless read (opsdeck status) the burner figures docker stats shows', async () => {
    const store = createTestStore();
    const adapter = new DockerEngineAdapter({
      engineId: 'local',
      label: 'local',
      host: dockerHost,
      readOnly: true,
      sink: store.getState(),
      logs: { backfillMs: 60_000, maxLineBytes: 4096 },
    });
    const [theirs] = await Promise.all([dockerStats(), adapter.collectOnce()]);
    store.getState().flush();
    const state = store.getState();
    expect(state.engines['local']?.state).toBe('connected');
    const instance = Object.values(state.instances).find((candidate) => candidate.ref.uid === id);
    const ours = state.statsByInstance[instance!.key];
    expect(ours).toBeDefined();
    expect(Math.abs(ours!.cpuPercent - theirs.cpuPercent)).toBeLessThanOrEqual(CPU_TOLERANCE);
    expect(ours!.memoryLimitBytes).toBe(MEMORY_LIMIT);
    await adapter.stop();
  });

  it('asks the engine for a container whose cgroup it cannot find here', async () => {
    const cgroups = createCgroupReader();
    // This test process: its cgroup does not name the container.
    expect(cgroups.locate(process.pid, id)).toBeUndefined();
    const engine = new Docker({ socketPath: dockerHost.replace(/^unix:\/\//, '') });
    const samples: ContainerStatsSample[] = [];
    await readStatsAcross(engine, [{ id, instanceKey: 'local/container/cgroups/burner', pid: process.pid }], collectInto(samples), Date.now, { cgroups });
    expect(samples).toHaveLength(1);
    expect(samples[0]!.memoryLimitBytes).toBe(MEMORY_LIMIT);
  });
});
