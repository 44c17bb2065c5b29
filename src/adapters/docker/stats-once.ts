import type Docker from 'dockerode';
import { hasPreviousReading, toContainerStatsSample, type DockerStatsPayload } from './stats-payload';
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
    // Stopped in between: no figures.
    const payload = await readStatsCycle(docker, id, { oneShot: true }).catch(() => undefined);
    if (payload) sink.statsReceived(toContainerStatsSample(instanceKey, payload, now(), engineMemoryBytes));
  });
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
