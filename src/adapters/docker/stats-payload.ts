// CPU and memory figures from one Docker stats payload, computed the way the
// docker CLI does on Linux (cli/command/container/stats_helpers.go:
// calculateCPUPercentUnix and calculateMemUsageUnixNoCache), so the numbers
// match what an operator sees in `docker stats`.

import type { ContainerStatsSample, RefKey } from '../../domain/types';

export interface DockerCpuUsage {
  total_usage?: number;
  percpu_usage?: readonly number[] | null;
}

export interface DockerCpuStats {
  cpu_usage?: DockerCpuUsage;
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface DockerMemoryStats {
  usage?: number;
  limit?: number;
  /** cgroup v1 has total_inactive_file, cgroup v2 has inactive_file. */
  stats?: Readonly<Record<string, number | undefined>> | null;
}

/**
 * The subset of GET /containers/{id}/stats we use. Every field is optional:
 * the engine omits some for stopped containers and podman sends fewer fields.
 */
export interface DockerStatsPayload {
  read?: string;
  preread?: string;
  cpu_stats?: DockerCpuStats;
  precpu_stats?: DockerCpuStats;
  memory_stats?: DockerMemoryStats;
}

export interface MemoryUsage {
  usageBytes: number;
  limitBytes: number;
  percent: number;
}

/** True when the payload carries an earlier CPU reading to measure against. */
export function hasPreviousReading(stats: DockerStatsPayload): boolean {
  const previous = numberOrZero(stats.precpu_stats?.system_cpu_usage);
  return previous > 0 && numberOrZero(stats.cpu_stats?.system_cpu_usage) > previous;
}

/** CPU %, where 100 % is one core fully used; 0 when either delta is not positive. */
export function computeCpuPercent(stats: DockerStatsPayload): number {
  const current = stats.cpu_stats;
  const previous = stats.precpu_stats;
  const cpuDelta = numberOrZero(current?.cpu_usage?.total_usage) - numberOrZero(previous?.cpu_usage?.total_usage);
  const systemDelta = numberOrZero(current?.system_cpu_usage) - numberOrZero(previous?.system_cpu_usage);
  let onlineCpus = numberOrZero(current?.online_cpus);
  if (onlineCpus === 0) {
    onlineCpus = current?.cpu_usage?.percpu_usage?.length ?? 0;
  }
  return cpuPercentOf(cpuDelta, systemDelta, onlineCpus);
}

/** The docker CLI's CPU % from the deltas of a container's and the system's CPU time. */
export function cpuPercentOf(cpuDelta: number, systemDelta: number, onlineCpus: number): number {
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;
}

/** Memory used without the reclaimable page cache, as `docker stats` shows it. */
export function computeMemoryUsage(stats: DockerStatsPayload): MemoryUsage {
  const memory = stats.memory_stats;
  const usage = numberOrZero(memory?.usage);
  const limitBytes = numberOrZero(memory?.limit);
  const usageBytes = usageWithoutCache(usage, memory?.stats ?? undefined);
  const percent = limitBytes !== 0 ? (usageBytes / limitBytes) * 100 : 0;
  return { usageBytes, limitBytes, percent };
}

/**
 * A container without a memory limit of its own reports the engine host's memory as its
 * limit (the daemon substitutes MemTotal for cgroup "max"). Such a limit, or a larger one,
 * limits nothing: it becomes NO_MEMORY_LIMIT, and the view shows bytes instead of a
 * percentage of the host. The percentage stays (of the host, as `docker stats` shows it)
 * for the memory thresholds.
 */
export const NO_MEMORY_LIMIT = 0;

/** `engineMemoryBytes`: MemTotal from the engine's `docker info`, when known. */
export function toContainerStatsSample(
  instanceKey: RefKey,
  payload: DockerStatsPayload,
  now: number,
  engineMemoryBytes?: number,
): ContainerStatsSample {
  const memory = computeMemoryUsage(payload);
  const unlimited = engineMemoryBytes !== undefined && engineMemoryBytes > 0 && memory.limitBytes >= engineMemoryBytes;
  return {
    instanceKey,
    cpuPercent: computeCpuPercent(payload),
    memoryUsageBytes: memory.usageBytes,
    memoryLimitBytes: unlimited ? NO_MEMORY_LIMIT : memory.limitBytes,
    memoryPercent: memory.percent,
    sampledAt: now,
  };
}

function usageWithoutCache(usage: number, counters: Readonly<Record<string, number | undefined>> | undefined): number {
  // cgroup v1: the key exists and is smaller than usage.
  const totalInactiveFile = counters?.['total_inactive_file'];
  if (totalInactiveFile !== undefined && totalInactiveFile < usage) {
    return usage - totalInactiveFile;
  }
  // cgroup v2 (a missing key counts as 0, like a Go map lookup).
  const inactiveFile = numberOrZero(counters?.['inactive_file']);
  if (inactiveFile < usage) {
    return usage - inactiveFile;
  }
  return usage;
}

function numberOrZero(value: number | undefined | null): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
