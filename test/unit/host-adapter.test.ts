import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostSample } from '../../src/domain/types';
import { createHostSampler, diskUsageFrom, startHostAdapter, type FileSystemStats, type HostSampler } from '../../src/adapters/host/host-adapter';
import { cpuPercentBetween, parseLoadAverage, parseMemoryInfo, parseProcStat } from '../../src/adapters/host/proc-readers';

const STAT_BEFORE = [
  'cpu  1000 0 500 8000 500 0 0 0 0 0',
  'cpu0 500 0 250 4000 250 0 0 0 0 0',
  'cpu1 500 0 250 4000 250 0 0 0 0 0',
  'intr 12345',
  'ctxt 67890',
  '',
].join('\n');
// +600 user, +200 system, +1000 idle, +200 iowait: 800 busy of 2000.
const STAT_AFTER = 'cpu  1600 0 700 9000 700 0 0 0 0 0\ncpu0 800 0 350 4500 350 0 0 0 0 0\ncpu1 800 0 350 4500 350 0 0 0 0 0\n';
const MEMINFO = 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nBuffers:          100000 kB\nCached:          2000000 kB\n';
const LOADAVG = '1.50 0.75 0.25 3/412 12345\n';

let procRoot: string;

beforeEach(async () => {
  procRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-proc-'));
  await fs.writeFile(path.join(procRoot, 'stat'), STAT_BEFORE);
  await fs.writeFile(path.join(procRoot, 'meminfo'), MEMINFO);
  await fs.writeFile(path.join(procRoot, 'loadavg'), LOADAVG);
});

afterEach(async () => {
  await fs.rm(procRoot, { recursive: true, force: true });
});

const fixedDisk: FileSystemStats = { bsize: 4096, blocks: 1000, bfree: 200, bavail: 150 };

describe('proc readers', () => {
  it('counts busy time as everything but idle and iowait, ignoring guest columns', () => {
    expect(parseProcStat(STAT_BEFORE)).toEqual({ aggregate: { busy: 1500, total: 10000 }, cpuCount: 2 });
    // guest (9th) and guest_nice (10th) are already included in user and nice.
    expect(parseProcStat('cpu  100 0 0 100 0 0 0 0 50 50\n').aggregate).toEqual({ busy: 100, total: 200 });
  });

  it('computes CPU % from two readings and never goes negative', () => {
    const before = parseProcStat(STAT_BEFORE).aggregate;
    const after = parseProcStat(STAT_AFTER).aggregate;
    expect(cpuPercentBetween(before, after)).toBeCloseTo(40, 10);
    expect(cpuPercentBetween(after, before)).toBe(0);
    expect(cpuPercentBetween(after, after)).toBe(0);
  });

  it('fails clearly on a /proc/stat without the cpu line', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow(/no aggregate "cpu" line/);
  });

  it('uses MemAvailable, falling back to free + buffers + cached on old kernels', () => {
    expect(parseMemoryInfo(MEMINFO)).toEqual({ totalBytes: 16_000_000 * 1024, availableBytes: 4_000_000 * 1024 });
    const oldKernel = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n';
    expect(parseMemoryInfo(oldKernel)).toEqual({ totalBytes: 1000 * 1024, availableBytes: 400 * 1024 });
  });

  it('parses the load averages', () => {
    expect(parseLoadAverage(LOADAVG)).toEqual({ load1: 1.5, load5: 0.75, load15: 0.25 });
    expect(() => parseLoadAverage('garbage')).toThrow(/malformed/);
  });

  it('computes disk usage like df (used / (used + available to users))', () => {
    const usage = diskUsageFrom({ path: '/', role: 'root' }, fixedDisk);
    expect(usage).toEqual({
      path: '/',
      role: 'root',
      totalBytes: 1000 * 4096,
      usedBytes: 800 * 4096,
      usedPercent: (800 / 950) * 100,
    });
  });
});

describe('createHostSampler with fixture files', () => {
  it('samples CPU between two reads, memory, load and disks', async () => {
    const statFileSystem = async (): Promise<FileSystemStats> => fixedDisk;
    const sampler = createHostSampler({
      procRoot,
      firstSampleDelayMs: 0,
      statFileSystem,
      diskPaths: () => [{ path: '/backups', role: 'configured' }],
    });
    const first = await sampler.sample(1000);
    expect(first).toMatchObject({
      cpuPercent: 0, // the fixture did not move between the two reads
      cpuCount: 2,
      load1: 1.5,
      load5: 0.75,
      load15: 0.25,
      memoryTotalBytes: 16_000_000 * 1024,
      memoryAvailableBytes: 4_000_000 * 1024,
      sampledAt: 1000,
    });
    expect(first.memoryUsedPercent).toBeCloseTo(75, 10);
    expect(first.disks.map((disk) => [disk.path, disk.role])).toEqual([
      ['/', 'root'],
      ['/backups', 'configured'],
    ]);

    await fs.writeFile(path.join(procRoot, 'stat'), STAT_AFTER);
    const second = await sampler.sample(2000);
    expect(second.cpuPercent).toBeCloseTo(40, 10);
  });

  it('measures each path once, keeping its first role', async () => {
    const measured: string[] = [];
    const sampler = createHostSampler({
      procRoot,
      firstSampleDelayMs: 0,
      statFileSystem: async (diskPath) => {
        measured.push(diskPath);
        return fixedDisk;
      },
      diskPaths: () => [
        { path: '/', role: 'root' },
        { path: '/var/lib/docker/', role: 'docker-data' },
        { path: '/var/lib/docker', role: 'configured' },
      ],
    });
    const sample = await sampler.sample();
    expect(sample.disks.map((disk) => [disk.path, disk.role])).toEqual([
      ['/', 'root'],
      ['/var/lib/docker', 'docker-data'],
    ]);
    expect(measured.sort()).toEqual(['/', '/var/lib/docker']);
  });

  it('reports a missing path as an error on that disk only', async () => {
    const sampler = createHostSampler({
      procRoot,
      firstSampleDelayMs: 0,
      diskPaths: () => [{ path: path.join(procRoot, 'does-not-exist'), role: 'configured' }],
    });
    const sample = await sampler.sample();
    const missing = sample.disks.find((disk) => disk.role === 'configured');
    expect(missing).toMatchObject({ error: 'no such file or directory', usedPercent: 0, totalBytes: 0 });
    expect(sample.disks.find((disk) => disk.path === '/')?.error).toBeUndefined();
  });

  it('does not wait forever on a hung mount, and does not pile up statfs calls on it', async () => {
    let calls = 0;
    const sampler = createHostSampler({
      procRoot,
      firstSampleDelayMs: 0,
      diskTimeoutMs: 50,
      statFileSystem: (diskPath) => {
        if (diskPath === '/') return Promise.resolve(fixedDisk);
        calls += 1;
        return new Promise<FileSystemStats>(() => {}); // never answers, like a dead NFS server
      },
      diskPaths: () => [{ path: '/mnt/nfs', role: 'configured' }],
    });
    const first = await sampler.sample();
    expect(first.disks.find((disk) => disk.path === '/mnt/nfs')?.error).toMatch(/not responding/);
    const second = await sampler.sample();
    expect(second.disks.find((disk) => disk.path === '/mnt/nfs')?.error).toMatch(/not responding/);
    expect(calls).toBe(1);
  });

  it('rejects when a fixture file is missing instead of silently using this machine', async () => {
    await fs.rm(path.join(procRoot, 'meminfo'));
    const sampler = createHostSampler({ procRoot, firstSampleDelayMs: 0, statFileSystem: async () => fixedDisk, diskPaths: () => [] });
    await expect(sampler.sample()).rejects.toThrow(/meminfo/);
  });
});

describe('createHostSampler on this machine', () => {
  it('returns values within sane bounds', async () => {
    const sampler = createHostSampler({ diskPaths: () => [{ path: os.tmpdir(), role: 'configured' }], firstSampleDelayMs: 100 });
    const sample = await sampler.sample();
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpuPercent).toBeLessThanOrEqual(100);
    expect(sample.cpuCount).toBeGreaterThanOrEqual(1);
    expect(sample.load1).toBeGreaterThanOrEqual(0);
    expect(sample.memoryTotalBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(sample.memoryAvailableBytes).toBeLessThanOrEqual(sample.memoryTotalBytes);
    expect(sample.memoryUsedPercent).toBeGreaterThan(0);
    expect(sample.memoryUsedPercent).toBeLessThan(100);
    const root = sample.disks.find((disk) => disk.path === '/');
    expect(root?.error).toBeUndefined();
    expect(root?.totalBytes).toBeGreaterThan(0);
    expect(root?.usedPercent).toBeGreaterThanOrEqual(0);
    expect(root?.usedPercent).toBeLessThanOrEqual(100);
    expect(Math.abs(sample.sampledAt - Date.now())).toBeLessThan(5000);
  });
});

describe('startHostAdapter', () => {
  it('samples at once, then on the interval, and stops', async () => {
    const samples: HostSample[] = [];
    let counter = 0;
    const sampler: HostSampler = {
      sample: async () => ({
        cpuPercent: counter++,
        cpuCount: 1,
        load1: 0,
        load5: 0,
        load15: 0,
        memoryTotalBytes: 1,
        memoryAvailableBytes: 1,
        memoryUsedPercent: 0,
        disks: [],
        sampledAt: Date.now(),
      }),
    };
    const adapter = startHostAdapter({ intervalMs: 20, sampler, onSample: (sample) => samples.push(sample) });
    await new Promise((resolve) => setTimeout(resolve, 110));
    adapter.stop();
    const countAtStop = samples.length;
    expect(countAtStop).toBeGreaterThanOrEqual(3);
    expect(samples.map((sample) => sample.cpuPercent)).toEqual([...Array(countAtStop).keys()]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(samples.length).toBe(countAtStop);
  });

  it('reports a failed sample and keeps sampling', async () => {
    const errors: unknown[] = [];
    let attempt = 0;
    const samples: number[] = [];
    const sampler: HostSampler = {
      sample: async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('proc unavailable');
        return {
          cpuPercent: attempt,
          cpuCount: 1,
          load1: 0,
          load5: 0,
          load15: 0,
          memoryTotalBytes: 1,
          memoryAvailableBytes: 1,
          memoryUsedPercent: 0,
          disks: [],
          sampledAt: 0,
        };
      },
    };
    const adapter = startHostAdapter({ intervalMs: 10, sampler, onSample: (sample) => samples.push(sample.cpuPercent), onError: (error) => errors.push(error) });
    await new Promise((resolve) => setTimeout(resolve, 60));
    adapter.stop();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('proc unavailable');
    expect(samples[0]).toBe(2);
  });
});
