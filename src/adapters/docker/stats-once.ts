import type Docker from 'dockerode';
import { toContainerStatsSample, type DockerStatsPayload } from './stats-payload';
import { mapWithConcurrency } from '../../support/concurrency';
import type { RefKey } from '../../domain/types';
import type { StatsSink } from './stats-streams';

const STATS_CONCURRENCY = 128;
const MAX_SECOND_READINGS = 3;

/**
 * CPU and memory of many containers at once, without a stream. The engine publishes stats
 * once per collection cycle (1 s); an immediate (`one-shot`) reading answers at the next
 * cycle. Two readings in a row span one cycle, and the first serves as the second's previous
 * reading, so the CPU % is the docker CLI's formula over that cycle: about as long as
 * `docker stats --no-stream`, for every container at once.
 */
export async function readStatsAcross(
  docker: Docker,
  containers: ReadonlyArray<{ id: string; instanceKey: RefKey }>,
  sink: StatsSink,
  now: () => number,
  engineMemoryBytes?: number,
): Promise<void> {
  await mapWithConcurrency(containers, STATS_CONCURRENCY, async ({ id, instanceKey }) => {
    const payload = await readCycle(docker, id);
    if (payload) sink.statsReceived(toContainerStatsSample(instanceKey, payload, now(), engineMemoryBytes));
  });
}

async function readCycle(docker: Docker, containerId: string): Promise<DockerStatsPayload | undefined> {
  const first = await readOne(docker, containerId);
  if (!first) return undefined; // stopped in between: no figures
  for (let attempt = 0; attempt < MAX_SECOND_READINGS; attempt += 1) {
    const second = await readOne(docker, containerId);
    if (!second) return undefined;
    if ((second.cpu_stats?.system_cpu_usage ?? 0) > (first.cpu_stats?.system_cpu_usage ?? 0)) {
      return { ...second, precpu_stats: first.cpu_stats };
    }
  }
  return undefined;
}

async function readOne(docker: Docker, containerId: string): Promise<DockerStatsPayload | undefined> {
  try {
    const options = { stream: false, 'one-shot': true } as { stream: false };
    return (await docker.getContainer(containerId).stats(options)) as unknown as DockerStatsPayload;
  } catch {
    return undefined;
  }
}
