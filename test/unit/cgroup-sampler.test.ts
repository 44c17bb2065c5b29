// The live sampler's rhythm on cgroup v1 fixture files, one reading a second: a container whose CPU
// shows 0.0 % (asleep, or woken for a few microseconds every second as docker's --init is) has its
// memory read in its own turn, a fifth of such containers a second, so a tick does not read every
// idle container's memory at once and each one's new memory still shows within five seconds;
// CPU is read every second for everyone, so a container that starts or stops working shows it at
// the next reading, with its memory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStats } from '../../src/adapters/docker/cgroup-sampler';
import type { StatsSink } from '../../src/adapters/docker/stats-streams';
import type { ContainerStatsSample, RefKey } from '../../src/domain/types';

const CONTAINERS = 10;
const MEMORY_BYTES = 8 * 1024 * 1024;
/** 2 CPUs at USER_HZ 100: a second of wall time is 200 ticks of system CPU time. */
const SYSTEM_TICKS_PER_SECOND = 200;
/** What docker-init (tini) uses in a second: 10 µs, 0.001 % of a core. */
const INIT_WAKE_NANOSECONDS = 10_000;

let root: string;
let systemTicks: number;
const cpuNanoseconds: number[] = [];
let received: ContainerStatsSample[];
let live: LiveStats;

const idOf = (index: number): string => `${String(index).padStart(4, '0')}${'ab'.repeat(30)}`;
const keyOf = (index: number): RefKey => `docker:local/container/${idOf(index)}` as RefKey;
const pidOf = (index: number): number => 5000 + index;
const memoryDirectory = (index: number): string => path.join(root, 'sys/fs/cgroup/memory/docker', idOf(index));
const cpuDirectory = (index: number): string => path.join(root, 'sys/fs/cgroup/cpu,cpuacct/docker', idOf(index));

function put(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function writeSystem(): void {
  put(path.join(root, 'proc/stat'), `cpu  ${systemTicks} 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n`);
}

/** The parent cgroup's counter is charged with everything under it. */
function writeParentCpu(): void {
  put(path.join(root, 'sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage'), `${cpuNanoseconds.reduce((sum, value) => sum + value, 0)}\n`);
}

function setMemory(index: number, usageBytes: number): void {
  put(path.join(memoryDirectory(index), 'memory.usage_in_bytes'), `${usageBytes}\n`);
}

/** One second: the system and every container's CPU counter advance, then the sampler's timer fires. */
function second(cpuUsedNanoseconds: (index: number) => number = () => INIT_WAKE_NANOSECONDS): ContainerStatsSample[] {
  systemTicks += SYSTEM_TICKS_PER_SECOND;
  writeSystem();
  for (let index = 0; index < CONTAINERS; index += 1) {
    cpuNanoseconds[index] = (cpuNanoseconds[index] ?? 0) + cpuUsedNanoseconds(index);
    put(path.join(cpuDirectory(index), 'cpuacct.usage'), `${cpuNanoseconds[index]}\n`);
  }
  writeParentCpu();
  const before = received.length;
  vi.advanceTimersByTime(1000);
  return received.slice(before);
}

const indexOf = (sample: ContainerStatsSample): number => Number(sample.instanceKey.slice('docker:local/container/'.length, 'docker:local/container/'.length + 4));

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  root = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sampler-'));
  systemTicks = 1_000_000;
  cpuNanoseconds.length = 0;
  received = [];
  put(
    path.join(root, 'proc/self/mountinfo'),
    [
      `30 25 0:26 / ${root}/sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct`,
      `31 25 0:27 / ${root}/sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,memory`,
      '',
    ].join('\n'),
  );
  writeSystem();
  for (let index = 0; index < CONTAINERS; index += 1) {
    const cgroup = `/docker/${idOf(index)}`;
    put(path.join(root, 'proc', String(pidOf(index)), 'cgroup'), `4:memory:${cgroup}\n2:cpu,cpuacct:${cgroup}\n`);
    cpuNanoseconds[index] = 1_000_000_000;
    put(path.join(cpuDirectory(index), 'cpuacct.usage'), `${cpuNanoseconds[index]}\n`);
    setMemory(index, MEMORY_BYTES);
    put(path.join(memoryDirectory(index), 'memory.limit_in_bytes'), `${64 * 1024 * 1024}\n`);
    put(path.join(memoryDirectory(index), 'memory.stat'), 'cache 0\nrss 0\ntotal_cache 0\ntotal_inactive_file 0\n');
  }
  writeParentCpu();
  // A socket nothing listens on: every container here is read from its cgroup, none gets a stream.
  const sink: StatsSink = { statsReceived: (sample) => received.push(sample), statsEnded: () => undefined };
  live = new LiveStats(new Docker({ socketPath: path.join(root, 'no-engine.sock') }), sink, { cgroups: { procRoot: path.join(root, 'proc') } });
  for (let index = 0; index < CONTAINERS; index += 1) await live.open(idOf(index), keyOf(index), pidOf(index));
  expect(live.sampledCount).toBe(CONTAINERS);
  // A container's first reading sends nothing (CPU needs two); the first open read the first one at once.
  second();
  second();
  expect(new Set(received.map(indexOf)).size).toBe(CONTAINERS);
  expect(received).toHaveLength(CONTAINERS);
});

afterEach(() => {
  live.closeAll();
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});

describe('live stats from cgroups', () => {
  it('reads the memory of containers at 0.0 % CPU a fifth at a time, each new figure within five seconds', () => {
    expect(received.every((sample) => sample.cpuPercent > 0 && Math.round(sample.cpuPercent * 10) === 0)).toBe(true);
    for (let index = 0; index < CONTAINERS; index += 1) setMemory(index, MEMORY_BYTES * 2);
    const shownPerSecond: number[] = [];
    const shown = new Set<number>();
    for (let count = 0; count < 5; count += 1) {
      const samples = second();
      shownPerSecond.push(samples.length);
      for (const sample of samples) {
        expect(sample.memoryUsageBytes).toBe(MEMORY_BYTES * 2);
        shown.add(indexOf(sample));
      }
    }
    expect(shownPerSecond).toEqual([2, 2, 2, 2, 2]);
    expect(shown.size).toBe(CONTAINERS);
  });

  it('shows a container that starts working at the next reading, with its memory, and its return to 0.0 % at the one after', () => {
    setMemory(3, MEMORY_BYTES * 3);
    // 0.1 s of CPU in a second on 2 CPUs: 10 % of a core.
    const busy = second((index) => (index === 3 ? 100_000_000 : INIT_WAKE_NANOSECONDS)).filter((sample) => indexOf(sample) === 3);
    expect(busy).toHaveLength(1);
    expect(busy[0]?.cpuPercent).toBeCloseTo(10, 5);
    expect(busy[0]?.memoryUsageBytes).toBe(MEMORY_BYTES * 3);
    const calm = second().filter((sample) => indexOf(sample) === 3);
    expect(calm).toHaveLength(1);
    expect(Math.round((calm[0]?.cpuPercent ?? NaN) * 10)).toBe(0);
  });

  it('sends nothing while nothing a container shows has changed', () => {
    for (let count = 0; count < 10; count += 1) expect(second()).toEqual([]);
  });
});
