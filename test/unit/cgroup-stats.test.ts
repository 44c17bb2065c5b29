// Container CPU and memory from cgroup files (fixtures laid out as the kernel shows them): where
// a container's cgroup is found (v1, v2, a bind-mounted sub-tree), what is refused (a process
// whose cgroup does not name the container), and that two passes give the figures docker stats
// computes from the same counters.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCgroupReader, parseSystemCpu, readPayload, type CgroupLocation } from '../../src/adapters/docker/cgroup-stats';
import { NO_MEMORY_LIMIT, toContainerStatsSample } from '../../src/adapters/docker/stats-payload';

const ID = 'c0ffee'.repeat(10) + 'abcd';
const PID = 4242;
const MACHINE_MEMORY = 8 * 1024 ** 3;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-cgroup-'));
  await mkdir(path.join(root, 'proc', 'self'), { recursive: true });
  await mkdir(path.join(root, 'proc', String(PID)), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(relative: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), text);
}

/** /proc/stat with `ticks` of work and idle split over two CPUs (USER_HZ 100: 1 tick = 10 ms). */
function procStat(userTicks: number, idleTicks: number, stealTicks = 0): string {
  return `cpu  ${userTicks} 0 0 ${idleTicks} 0 0 0 ${stealTicks} 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 1\n`;
}

async function layoutV1(options: { mountRoot?: string; cgroupPath?: string } = {}): Promise<void> {
  const mountRoot = options.mountRoot ?? '/';
  const cgroupPath = options.cgroupPath ?? `/docker/${ID}`;
  await put(
    'proc/self/mountinfo',
    [
      `25 1 0:22 / ${root}/sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755`,
      `30 25 0:26 ${mountRoot} ${root}/sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct`,
      `31 25 0:27 ${mountRoot} ${root}/sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,memory`,
      `32 25 0:28 / ${root}/sys/fs/cgroup/unified rw,nosuid shared:12 - cgroup2 cgroup2 rw`,
      '',
    ].join('\n'),
  );
  await put(`proc/${PID}/cgroup`, `4:memory:${cgroupPath}\n2:cpu,cpuacct:${cgroupPath}\n1:name=systemd:${cgroupPath}\n0::${cgroupPath}\n`);
  const relative = path.relative(mountRoot, cgroupPath);
  await put(`sys/fs/cgroup/cpu,cpuacct/${relative}/cpuacct.usage`, '1000000000\n');
  await put(`sys/fs/cgroup/memory/${relative}/memory.usage_in_bytes`, `${8 * 1024 * 1024}\n`);
  await put(`sys/fs/cgroup/memory/${relative}/memory.limit_in_bytes`, '9223372036854771712\n');
  await put(`sys/fs/cgroup/memory/${relative}/memory.stat`, `cache 4194304\nrss 2097152\ninactive_file 1048576\ntotal_cache 4194304\ntotal_inactive_file ${3 * 1024 * 1024}\n`);
}

async function layoutV2(memoryMax: string): Promise<string> {
  const cgroupPath = `/system.slice/docker-${ID}.scope`;
  await put('proc/self/mountinfo', `25 1 0:22 / ${root}/sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n`);
  await put(`proc/${PID}/cgroup`, `0::${cgroupPath}\n`);
  const directory = `sys/fs/cgroup${cgroupPath}`;
  await put(`${directory}/cpu.stat`, 'usage_usec 2000000\nuser_usec 1500000\nsystem_usec 500000\n');
  await put(`${directory}/memory.current`, `${64 * 1024 * 1024}\n`);
  await put(`${directory}/memory.max`, `${memoryMax}\n`);
  await put(`${directory}/memory.stat`, `anon 50331648\nfile 16777216\nactive_file 8388608\ninactive_file ${16 * 1024 * 1024}\n`);
  return directory;
}

/** Two passes `cpuSeconds` of container CPU apart, over one second of both CPUs (2 x 100 ticks). */
async function twoPasses(location: CgroupLocation, writeCpu: () => Promise<void>): Promise<ReturnType<typeof toContainerStatsSample> | undefined> {
  const reader = createCgroupReader({ procRoot: path.join(root, 'proc') });
  const located = new Map([['instance', location]]);
  await put('proc/stat', procStat(1000, 9000));
  const first = reader.readCpuPass(located);
  await writeCpu();
  await put('proc/stat', procStat(1100, 9100));
  const second = reader.readCpuPass(located);
  const payload = readPayload('instance', location, first, second, MACHINE_MEMORY);
  return payload && toContainerStatsSample('local/container/shop/shop-burner-1', payload, 1, MACHINE_MEMORY);
}

describe('cgroup stats', () => {
  it('finds a cgroup v1 container by its main process and computes docker stats figures from two passes', async () => {
    await layoutV1();
    const location = createCgroupReader({ procRoot: path.join(root, 'proc') }).locate(PID, ID);
    expect(location).toEqual({
      version: 1,
      cpuDirectory: `${root}/sys/fs/cgroup/cpu,cpuacct/docker/${ID}`,
      memoryDirectory: `${root}/sys/fs/cgroup/memory/docker/${ID}`,
    });
    // Half a second of CPU over one second of two CPUs: 50 % of a core, as docker stats shows a --cpus 0.5 burner.
    const sample = await twoPasses(location!, () => put(`sys/fs/cgroup/cpu,cpuacct/docker/${ID}/cpuacct.usage`, '1500000000\n'));
    expect(sample?.cpuPercent).toBeCloseTo(50, 6);
    // Usage without the inactive page cache of the whole sub-tree; the unlimited cgroup reads as no limit.
    expect(sample?.memoryUsageBytes).toBe(5 * 1024 * 1024);
    expect(sample?.memoryLimitBytes).toBe(NO_MEMORY_LIMIT);
    expect(sample?.memoryPercent).toBeCloseTo(((5 * 1024 * 1024) / MACHINE_MEMORY) * 100, 9);
  });

  it('finds a cgroup v2 container in its systemd scope and reads its memory limit', async () => {
    const directory = await layoutV2(String(256 * 1024 * 1024));
    const location = createCgroupReader({ procRoot: path.join(root, 'proc') }).locate(PID, ID);
    expect(location).toEqual({ version: 2, cpuDirectory: path.join(root, directory), memoryDirectory: path.join(root, directory) });
    const sample = await twoPasses(location!, () => put(`${directory}/cpu.stat`, 'usage_usec 2250000\nuser_usec 1700000\nsystem_usec 550000\n'));
    expect(sample?.cpuPercent).toBeCloseTo(25, 6);
    expect(sample?.memoryUsageBytes).toBe(48 * 1024 * 1024);
    expect(sample?.memoryLimitBytes).toBe(256 * 1024 * 1024);
    expect(sample?.memoryPercent).toBeCloseTo(18.75, 9);
  });

  it('reads memory.max "max" as no limit, the host memory standing in for it as the daemon does', async () => {
    await layoutV2('max');
    const location = createCgroupReader({ procRoot: path.join(root, 'proc') }).locate(PID, ID);
    const sample = await twoPasses(location!, async () => undefined);
    expect(sample?.cpuPercent).toBe(0);
    expect(sample?.memoryLimitBytes).toBe(NO_MEMORY_LIMIT);
    expect(sample?.memoryPercent).toBeCloseTo(((48 * 1024 * 1024) / MACHINE_MEMORY) * 100, 9);
  });

  it('maps the path through a mount of a sub-tree (a cgroup namespace or bind mount)', async () => {
    await layoutV1({ mountRoot: '/docker', cgroupPath: `/docker/${ID}` });
    expect(createCgroupReader({ procRoot: path.join(root, 'proc') }).locate(PID, ID)?.cpuDirectory).toBe(`${root}/sys/fs/cgroup/cpu,cpuacct/${ID}`);
  });

  it('refuses a process whose cgroup does not name the container (a pid of another pid namespace)', async () => {
    await layoutV1({ cgroupPath: '/user.slice/user-0.slice/session-3.scope' });
    const reader = createCgroupReader({ procRoot: path.join(root, 'proc') });
    expect(reader.locate(PID, ID)).toBeUndefined();
    expect(reader.locate(PID + 1, ID)).toBeUndefined();
    expect(reader.locate(undefined, ID)).toBeUndefined();
    expect(reader.locate(0, ID)).toBeUndefined();
  });

  it('has no figures for a container whose cgroup went away between the passes', async () => {
    await layoutV1();
    const location = createCgroupReader({ procRoot: path.join(root, 'proc') }).locate(PID, ID);
    const sample = await twoPasses(location!, () => rm(path.join(root, `sys/fs/cgroup/cpu,cpuacct/docker/${ID}`), { recursive: true }));
    expect(sample).toBeUndefined();
  });

  it('carries idle containers over unread while their parent cgroup used no CPU, and reads them all once it did', async () => {
    const ids = ['a', 'b', 'c'].map((letter) => letter.repeat(64));
    const cpuFile = (id: string): string => `sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`;
    await put('sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage', '9000000000\n');
    for (const [index, id] of ids.entries()) await put(cpuFile(id), `${(index + 1) * 1e9}\n`);
    await put('proc/stat', procStat(1000, 9000));
    const reads: string[] = [];
    const reader = createCgroupReader({
      procRoot: path.join(root, 'proc'),
      readText: (file) => {
        reads.push(path.relative(root, file));
        return readFileSync(file, 'utf8');
      },
    });
    const located = new Map(ids.map((id) => [id, { version: 1 as const, cpuDirectory: path.join(root, path.dirname(cpuFile(id))), memoryDirectory: '' }]));
    const first = reader.readCpuPass(located);
    expect([...first.cpuUsageNanoseconds.values()]).toEqual([1e9, 2e9, 3e9]);
    // Nothing under /docker ran: the parent's counter is the same, no container file is read.
    reads.length = 0;
    const second = reader.readCpuPass(located, first);
    expect(reads).toEqual(['proc/stat', 'sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage']);
    expect(second.cpuUsageNanoseconds).toEqual(first.cpuUsageNanoseconds);
    // One of them ran: the parent moved, every container is read again and the new figure is seen.
    await put(cpuFile(ids[1]!), '2500000000\n');
    await put('sys/fs/cgroup/cpu,cpuacct/docker/cpuacct.usage', '9500000000\n');
    reads.length = 0;
    const third = reader.readCpuPass(located, second);
    expect(reads).toHaveLength(2 + ids.length);
    expect([...third.cpuUsageNanoseconds.values()]).toEqual([1e9, 2.5e9, 3e9]);
    // A container new in this pass is read even when the parent did not move.
    const fourth = reader.readCpuPass(new Map([...located, ['d', { version: 1 as const, cpuDirectory: path.join(root, path.dirname(cpuFile(ids[0]!))), memoryDirectory: '' }]]), third);
    expect(fourth.cpuUsageNanoseconds.get('d')).toBe(1e9);
  });

  it('sums the system CPU time the way the daemon does: user to softirq, steal left out', () => {
    // 7 fields of 100 ticks, steal 500 ticks: 7 s, two CPUs.
    expect(parseSystemCpu('cpu  100 100 100 100 100 100 100 500 0 0\ncpu0 1\ncpu1 1\n')).toEqual({ systemCpuNanoseconds: 7e9, onlineCpus: 2 });
    expect(() => parseSystemCpu('intr 1\n')).toThrow(/no aggregate "cpu" line/);
  });
});
