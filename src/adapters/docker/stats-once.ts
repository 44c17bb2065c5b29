import type Docker from 'dockerode';
import { hasPreviousReading, toContainerStatsSample, type DockerStatsPayload } from './stats-payload';
import { mapWithConcurrency } from '../../support/concurrency';
import type { RefKey } from '../../domain/types';
import type { StatsSink } from './stats-streams';
import { readPayload, type CgroupLocation, type CgroupReader, type CpuPass } from './cgroup-stats';

const STATS_CONCURRENCY = 128;
const MAX_SECOND_READINGS = 3;
/**
 * Between the two cgroup readings: five periods of the CFS scheduler (100 ms), so a container
 * capped with --cpus shows its cap rather than where in a period the readings fell.
 */
export const CGROUP_INTERVAL_MS = 500;

export interface StatsTarget {
  id: string;
  instanceKey: RefKey;
  /** The main process (inspect's State.Pid): where its cgroup is found. */
  pid?: number | undefined;
}

export interface StatsAcrossOptions {
  /** MemTotal from the engine's `docker info`, when known. */
  engineMemoryBytes?: number | undefined;
  /** Reads containers' cgroups on this host (engines on this host only); the others are asked of the engine. */
  cgroups?: CgroupReader | undefined;
  /** The cgroup readings' interval (ms); default CGROUP_INTERVAL_MS. */
  cgroupIntervalMs?: number;
}

/**
 * CPU and memory of many containers at once, without a stream. Containers whose cgroup is
 * readable here are read twice, all together, `cgroupIntervalMs` apart. The others are asked
 * of the engine, all at once: the engine publishes stats once per collection cycle (1 s); an
 * immediate (`one-shot`) reading answers at the next cycle. Two readings in a row span one
 * cycle, and the first serves as the second's previous reading, so the CPU % is the docker
 * CLI's formula over that cycle: about as long as `docker stats --no-stream`, for every
 * container at once.
 */
export async function readStatsAcross(
  docker: Docker,
  containers: readonly StatsTarget[],
  sink: StatsSink,
  now: () => number,
  options: StatsAcrossOptions = {},
): Promise<void> {
  const { engineMemoryBytes, cgroups } = options;
  const located = new Map<RefKey, CgroupLocation>();
  if (cgroups) {
    for (const container of containers) {
      const location = cgroups.locate(container.pid, container.id);
      if (location) located.set(container.instanceKey, location);
    }
  }
  const fromEngine = (targets: readonly StatsTarget[]): Promise<unknown> =>
    mapWithConcurrency(targets, STATS_CONCURRENCY, async ({ id, instanceKey }) => {
      // Stopped in between: no figures.
      const payload = await readStatsCycle(docker, id, { oneShot: true }).catch(() => undefined);
      if (payload) sink.statsReceived(toContainerStatsSample(instanceKey, payload, now(), engineMemoryBytes));
    });
  const first = cgroups && located.size > 0 ? cpuPassOrUndefined(cgroups, located) : undefined;
  const firstAt = performance.now();
  const fromCgroups = async (pass: CpuPass<RefKey>): Promise<unknown> => {
    await delay((options.cgroupIntervalMs ?? CGROUP_INTERVAL_MS) - (performance.now() - firstAt));
    const readable = new Map([...located].filter(([instanceKey]) => pass.cpuUsageNanoseconds.has(instanceKey)));
    const second = cgroups ? cpuPassOrUndefined(cgroups, readable) : undefined;
    if (!second) return fromEngine(containers.filter((container) => readable.has(container.instanceKey)));
    for (const [instanceKey, location] of readable) {
      const payload = readPayload(instanceKey, location, pass, second, engineMemoryBytes);
      if (payload) sink.statsReceived(toContainerStatsSample(instanceKey, payload, now(), engineMemoryBytes));
    }
    return undefined;
  };
  await Promise.all([
    first ? fromCgroups(first) : undefined,
    fromEngine(containers.filter((container) => !first?.cpuUsageNanoseconds.has(container.instanceKey))),
  ]);
}

/** A pass, or undefined when /proc/stat cannot be read here. */
function cpuPassOrUndefined(cgroups: CgroupReader, located: ReadonlyMap<RefKey, CgroupLocation>): CpuPass<RefKey> | undefined {
  try {
    return cgroups.readCpuPass(located);
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * One reading that spans a collection cycle. A `stream=false` read of Docker already carries
 * the previous reading; a one-shot read (or Podman's) does not, and a second read follows, the
 * first serving as its previous reading. Throws what the engine answered (e.g. not running).
 */
export async function readStatsCycle(
  docker: Docker,
  containerId: string,
  options: { oneShot: boolean; abortSignal?: AbortSignal | undefined },
): Promise<DockerStatsPayload | undefined> {
  const first = await readOne(docker, containerId, options);
  if (!options.oneShot && hasPreviousReading(first)) return first;
  for (let attempt = 0; attempt < MAX_SECOND_READINGS; attempt += 1) {
    const second = await readOne(docker, containerId, options);
    if ((second.cpu_stats?.system_cpu_usage ?? 0) > (first.cpu_stats?.system_cpu_usage ?? 0)) {
      return { ...second, precpu_stats: first.cpu_stats };
    }
  }
  return undefined;
}

async function readOne(docker: Docker, containerId: string, options: { oneShot: boolean; abortSignal?: AbortSignal | undefined }): Promise<DockerStatsPayload> {
  const query = { stream: false, ...(options.oneShot ? { 'one-shot': true } : {}), ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) } as { stream: false };
  return (await docker.getContainer(containerId).stats(query)) as unknown as DockerStatsPayload;
}
