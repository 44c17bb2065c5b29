import type Docker from 'dockerode';
import { toContainerStatsSample, type DockerStatsPayload } from '../../engine/cpu-percent';
import type { StatsSink } from './stats-streams';

/** One stats sample (the engine waits a cycle so the CPU delta is real). Errors leave the container without figures. */
export async function readStatsOnce(docker: Docker, containerId: string, sink: StatsSink, now: () => number): Promise<void> {
  try {
    const payload = (await docker.getContainer(containerId).stats({ stream: false })) as unknown as DockerStatsPayload;
    sink.statsReceived(toContainerStatsSample(containerId, payload, now()));
  } catch {
    // a container that stopped meanwhile has no figures
  }
}
