import { describe, it, expect } from 'vitest';
import { computeCpuPercent, computeMemoryUsage, toContainerStatsSample, type DockerStatsPayload } from '../../src/adapters/docker/stats-payload';
import { container } from '../support/domain-fixtures';

const MEBIBYTE = 1024 * 1024;

function cpuPayload(options: {
  total: number;
  previousTotal: number;
  system: number;
  previousSystem: number;
  onlineCpus?: number;
  perCpu?: number[];
}): DockerStatsPayload {
  return {
    cpu_stats: {
      cpu_usage: { total_usage: options.total, percpu_usage: options.perCpu },
      system_cpu_usage: options.system,
      online_cpus: options.onlineCpus,
    },
    precpu_stats: { cpu_usage: { total_usage: options.previousTotal }, system_cpu_usage: options.previousSystem },
  };
}

describe('computeCpuPercent', () => {
  it('matches docker stats: cpuDelta / systemDelta * onlineCPUs * 100', () => {
    // The container used 0.5 s of CPU while the 4-CPU host accumulated 4 s of CPU time: half a core.
    const payload = cpuPayload({ total: 1_500_000_000, previousTotal: 1_000_000_000, system: 104e9, previousSystem: 100e9, onlineCpus: 4 });
    expect(computeCpuPercent(payload)).toBeCloseTo(50, 10);
  });

  it('can exceed 100 % when the container uses more than one core', () => {
    const payload = cpuPayload({ total: 3e9, previousTotal: 0, system: 8e9, previousSystem: 4e9, onlineCpus: 4 });
    expect(computeCpuPercent(payload)).toBeCloseTo(300, 10);
  });

  it('falls back to the number of per-CPU counters when online_cpus is 0 or missing', () => {
    const payload = cpuPayload({ total: 2e9, previousTotal: 1e9, system: 20e9, previousSystem: 10e9, onlineCpus: 0, perCpu: [1, 2] });
    expect(computeCpuPercent(payload)).toBeCloseTo(20, 10);
    const withoutOnline = cpuPayload({ total: 2e9, previousTotal: 1e9, system: 20e9, previousSystem: 10e9, perCpu: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(computeCpuPercent(withoutOnline)).toBeCloseTo(80, 10);
  });

  it('is 0 when a delta is zero or negative (first sample, counter reset)', () => {
    expect(computeCpuPercent(cpuPayload({ total: 2e9, previousTotal: 1e9, system: 10e9, previousSystem: 10e9, onlineCpus: 2 }))).toBe(0);
    expect(computeCpuPercent(cpuPayload({ total: 1e9, previousTotal: 2e9, system: 20e9, previousSystem: 10e9, onlineCpus: 2 }))).toBe(0);
    // First sample of a stream: precpu_stats is empty.
    expect(computeCpuPercent({ cpu_stats: { cpu_usage: { total_usage: 5e9 }, system_cpu_usage: 9e9, online_cpus: 2 }, precpu_stats: {} })).toBeGreaterThan(0);
  });

  it('is 0 for an empty payload (stopped container, sparse podman payload)', () => {
    expect(computeCpuPercent({})).toBe(0);
  });
});

describe('computeMemoryUsage', () => {
  it('subtracts total_inactive_file on cgroup v1', () => {
    const usage = computeMemoryUsage({
      memory_stats: { usage: 300 * MEBIBYTE, limit: 1000 * MEBIBYTE, stats: { total_inactive_file: 100 * MEBIBYTE, inactive_file: 50 * MEBIBYTE } },
    });
    expect(usage.usageBytes).toBe(200 * MEBIBYTE);
    expect(usage.limitBytes).toBe(1000 * MEBIBYTE);
    expect(usage.percent).toBeCloseTo(20, 10);
  });

  it('subtracts inactive_file on cgroup v2', () => {
    const usage = computeMemoryUsage({ memory_stats: { usage: 300 * MEBIBYTE, limit: 600 * MEBIBYTE, stats: { inactive_file: 60 * MEBIBYTE } } });
    expect(usage.usageBytes).toBe(240 * MEBIBYTE);
    expect(usage.percent).toBeCloseTo(40, 10);
  });

  it('falls through to inactive_file when total_inactive_file is not below usage, like the CLI', () => {
    const usage = computeMemoryUsage({
      memory_stats: { usage: 100, limit: 1000, stats: { total_inactive_file: 150, inactive_file: 30 } },
    });
    expect(usage.usageBytes).toBe(70);
  });

  it('keeps raw usage when the cache figure is missing or too large', () => {
    expect(computeMemoryUsage({ memory_stats: { usage: 500, limit: 1000 } }).usageBytes).toBe(500);
    expect(computeMemoryUsage({ memory_stats: { usage: 500, limit: 1000, stats: { inactive_file: 900 } } }).usageBytes).toBe(500);
  });

  it('reports 0 % when the limit is 0 instead of dividing by zero', () => {
    expect(computeMemoryUsage({ memory_stats: { usage: 500, limit: 0 } })).toEqual({ usageBytes: 500, limitBytes: 0, percent: 0 });
    expect(computeMemoryUsage({})).toEqual({ usageBytes: 0, limitBytes: 0, percent: 0 });
  });
});

describe('toContainerStatsSample', () => {
  it('combines CPU and memory into the domain sample with the given time', () => {
    const payload: DockerStatsPayload = {
      ...cpuPayload({ total: 2e9, previousTotal: 1e9, system: 12e9, previousSystem: 10e9, onlineCpus: 2 }),
      memory_stats: { usage: 256 * MEBIBYTE, limit: 512 * MEBIBYTE, stats: { inactive_file: 0 } },
    };
    const { key } = container('api');
    expect(toContainerStatsSample(key, payload, 1_700_000_000_000)).toEqual({
      instanceKey: key,
      cpuPercent: 100,
      memoryUsageBytes: 256 * MEBIBYTE,
      memoryLimitBytes: 512 * MEBIBYTE,
      memoryPercent: 50,
      sampledAt: 1_700_000_000_000,
    });
  });

  it('a limit as large as the engine host memory is no limit: reported as 0, the percentage of the host kept', () => {
    const hostMemory = 24 * 1024 * MEBIBYTE;
    const unlimited: DockerStatsPayload = { memory_stats: { usage: 12 * MEBIBYTE, limit: hostMemory, stats: { inactive_file: 0 } } };
    const sample = toContainerStatsSample('abc123', unlimited, 0, hostMemory);
    expect(sample.memoryLimitBytes).toBe(0);
    expect(sample.memoryUsageBytes).toBe(12 * MEBIBYTE);
    expect(sample.memoryPercent).toBeCloseTo((12 / (24 * 1024)) * 100, 6);
    // A limit above the host's memory limits nothing either (cgroup v1 reports 2^63 - 4096).
    expect(toContainerStatsSample('abc123', { memory_stats: { usage: 1, limit: 9223372036854771712 } }, 0, hostMemory).memoryLimitBytes).toBe(0);
    // A real limit stays, and so does every limit while the engine's memory is unknown.
    expect(toContainerStatsSample('abc123', { memory_stats: { usage: 1, limit: 512 * MEBIBYTE } }, 0, hostMemory).memoryLimitBytes).toBe(512 * MEBIBYTE);
    expect(toContainerStatsSample('abc123', unlimited, 0).memoryLimitBytes).toBe(hostMemory);
  });
});
