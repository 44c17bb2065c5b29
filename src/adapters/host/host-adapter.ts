// Host sampling for the bastion itself: CPU, load, memory and disk usage.
// Linux /proc is the source; on other systems (developer laptops) the figures
// come from node:os instead. A disk that cannot be measured is reported with
// `error` set; it never fails the whole sample.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DiskUsage, HostSample } from '../../domain/types';
import { cpuPercentBetween, memoryUsedPercent, parseLoadAverage, parseMemoryInfo, parseProcStat } from './proc-readers';
import type { CpuTimes, LoadAverage, MemoryInfo } from './proc-readers';

export type WatchedDisk = Pick<DiskUsage, 'path' | 'role'>;

/** The fields of fs.StatFs the sampler uses. */
export interface FileSystemStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

export interface HostSamplerOptions {
  /** Paths to measure, called on every sample. "/" is always measured (role root). */
  diskPaths: () => readonly WatchedDisk[];
  /** Where /proc is mounted; tests point it at fixture files. Default "/proc". */
  procRoot?: string;
  /** The first sample has no previous CPU reading: it reads /proc/stat twice, this far apart. Default 250 ms. */
  firstSampleDelayMs?: number;
  /** A statfs slower than this (a hung network mount) reports an error for that disk. Default 2000 ms. */
  diskTimeoutMs?: number;
  /** Replaces fs.promises.statfs (tests). */
  statFileSystem?: (diskPath: string) => Promise<FileSystemStats>;
}

export interface HostSampler {
  sample(now?: number): Promise<HostSample>;
}

const DEFAULT_PROC_ROOT = '/proc';

export function createHostSampler(options: HostSamplerOptions): HostSampler {
  const procRoot = options.procRoot ?? DEFAULT_PROC_ROOT;
  // Falling back to node:os only makes sense for the real /proc, never for fixtures.
  const allowFallback = options.procRoot === undefined;
  const firstSampleDelayMs = options.firstSampleDelayMs ?? 250;
  const diskTimeoutMs = options.diskTimeoutMs ?? 2000;
  const statFileSystem = options.statFileSystem ?? ((diskPath: string) => fs.statfs(diskPath));
  /** statfs calls that have not returned yet: never start a second one on the same path. */
  const pendingStatfs = new Set<string>();
  let previousCpu: CpuTimes | undefined;

  const readCpu = async (): Promise<{ times: CpuTimes; cpuCount: number }> => {
    try {
      const stat = parseProcStat(await fs.readFile(path.join(procRoot, 'stat'), 'utf8'));
      return { times: stat.aggregate, cpuCount: stat.cpuCount > 0 ? stat.cpuCount : os.cpus().length };
    } catch (error) {
      if (!allowFallback) throw error;
      return cpuFromOs();
    }
  };

  const readLoad = async (): Promise<LoadAverage> => {
    try {
      return parseLoadAverage(await fs.readFile(path.join(procRoot, 'loadavg'), 'utf8'));
    } catch (error) {
      if (!allowFallback) throw error;
      const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
      return { load1, load5, load15 };
    }
  };

  const readMemory = async (): Promise<MemoryInfo> => {
    try {
      return parseMemoryInfo(await fs.readFile(path.join(procRoot, 'meminfo'), 'utf8'));
    } catch (error) {
      if (!allowFallback) throw error;
      return { totalBytes: os.totalmem(), availableBytes: os.freemem() };
    }
  };

  const measureDisk = async (disk: WatchedDisk): Promise<DiskUsage> => {
    if (pendingStatfs.has(disk.path)) return failedDisk(disk, 'not responding (previous statfs still pending)');
    pendingStatfs.add(disk.path);
    const pending = statFileSystem(disk.path);
    pending.then(
      () => pendingStatfs.delete(disk.path),
      () => pendingStatfs.delete(disk.path),
    );
    try {
      return diskUsageFrom(disk, await withTimeout(pending, diskTimeoutMs));
    } catch (error) {
      return failedDisk(disk, errorText(error));
    }
  };

  return {
    async sample(now?: number): Promise<HostSample> {
      const disksPromise = Promise.all(uniqueDisks(options.diskPaths()).map(measureDisk));
      let cpu = await readCpu();
      if (!previousCpu) {
        previousCpu = cpu.times;
        await delay(firstSampleDelayMs);
        cpu = await readCpu();
      }
      const cpuPercent = cpuPercentBetween(previousCpu, cpu.times);
      previousCpu = cpu.times;
      const [load, memory, disks] = await Promise.all([readLoad(), readMemory(), disksPromise]);
      return {
        cpuPercent,
        cpuCount: cpu.cpuCount,
        load1: load.load1,
        load5: load.load5,
        load15: load.load15,
        memoryTotalBytes: memory.totalBytes,
        memoryAvailableBytes: memory.availableBytes,
        memoryUsedPercent: memoryUsedPercent(memory),
        disks,
        sampledAt: now ?? Date.now(),
      };
    },
  };
}

export interface HostAdapterOptions {
  intervalMs: number;
  sampler: HostSampler;
  onSample(sample: HostSample): void;
  onError?(error: unknown): void;
}

/**
 * Samples now, then `intervalMs` after each sample completes (samples never
 * overlap). The timer is unref'd: it does not keep the process alive.
 */
export function startHostAdapter(options: HostAdapterOptions): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    try {
      const sample = await options.sampler.sample();
      if (!stopped) options.onSample(sample);
    } catch (error) {
      if (!stopped) {
        try {
          options.onError?.(error);
        } catch {
          // An error handler that throws must not stop sampling.
        }
      }
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), options.intervalMs);
      timer.unref();
    }
  };

  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Root first, then the given disks; one entry per path (the first role wins). */
function uniqueDisks(disks: readonly WatchedDisk[]): WatchedDisk[] {
  const byPath = new Map<string, WatchedDisk>();
  for (const disk of [{ path: '/', role: 'root' as const }, ...disks]) {
    const normalised = path.resolve(disk.path);
    if (!byPath.has(normalised)) byPath.set(normalised, { path: normalised, role: disk.role });
  }
  return [...byPath.values()];
}

/** Used % like df: used / (used + available to unprivileged users). */
export function diskUsageFrom(disk: WatchedDisk, stats: FileSystemStats): DiskUsage {
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  const availableBytes = stats.bavail * stats.bsize;
  const denominator = usedBytes + availableBytes;
  return {
    path: disk.path,
    role: disk.role,
    totalBytes: stats.blocks * stats.bsize,
    usedBytes,
    usedPercent: denominator > 0 ? (usedBytes / denominator) * 100 : 0,
  };
}

function failedDisk(disk: WatchedDisk, error: string): DiskUsage {
  return { path: disk.path, role: disk.role, totalBytes: 0, usedBytes: 0, usedPercent: 0, error };
}

function cpuFromOs(): { times: CpuTimes; cpuCount: number } {
  const cpus = os.cpus();
  let busy = 0;
  let total = 0;
  for (const cpu of cpus) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { times: { busy, total }, cpuCount: cpus.length };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not responding (statfs took over ${timeoutMs} ms)`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function delay(milliseconds: number): Promise<void> {
  if (milliseconds <= 0) return Promise.resolve();
  // Not unref'd: a one-shot `opsdeck status` may have nothing else keeping the process alive.
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return error.message;
  }
  return String(error);
}
