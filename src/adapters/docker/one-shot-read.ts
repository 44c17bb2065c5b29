// The headless twin's read of one Docker-compatible engine (`opsdeck status`, `check`): list,
// inspect, CPU and memory figures and the log backfill, once, then the client is closed.
import type Docker from 'dockerode';
import { toDisplayTextOrUndefined } from '../../domain/untrusted-text';
import { createLimiter, mapWithConcurrency } from '../../support/concurrency';
import type { EngineSink } from '../engine-sink';
import type { ContainerInventory } from './container-inventory';
import { containerFromInspect, containerFromListItem, type DockerApiDialect, type DockerContainer } from './container-mapping';
import { closeDockerClient, createDockerClient, describeError, isNotFound, memoryTotalOf, withTimeout, type EngineInfo } from './docker-client';
import type { DockerEndpoint } from './docker-connection';
import { LogStreams } from './log-streams';

/** Inspects at a time (the live adapter's bound; the one-shot read takes twice as many). */
export const INSPECT_CONCURRENCY = 16;

/** One container as inspect sees it; undefined when it is gone. */
export async function inspectContainer(docker: Docker, engineId: string, containerId: string, dialect: DockerApiDialect): Promise<DockerContainer | undefined> {
  try {
    return containerFromInspect(engineId, await docker.getContainer(containerId).inspect(), dialect);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface OneShotReadContext {
  engineId: string;
  endpoint: DockerEndpoint;
  dialect: DockerApiDialect;
  options: {
    sink: EngineSink;
    logs: { backfillMs: number; maxLineBytes: number };
    pingTimeoutMs?: number;
    onDataRoot?(dataRoot: string | undefined): void;
  };
  known: ContainerInventory;
  now: () => number;
  onEngineMemory(bytes: number | undefined): void;
}

export async function readEngineOnce(context: OneShotReadContext): Promise<void> {
  const { engineId, endpoint, dialect, options, known, now } = context;
  const sink = options.sink;
  let client: Docker | undefined;
  try {
    const docker = await createDockerClient(endpoint);
    client = docker;
    await withTimeout(docker.ping(), options.pingTimeoutMs ?? endpoint.pingTimeoutMs, 'ping');
    const [info, list] = await Promise.all([docker.info() as Promise<EngineInfo>, docker.listContainers({ all: true })]);
    options.onDataRoot?.(endpoint.local ? toDisplayTextOrUndefined(info.DockerRootDir) : undefined);
    const engineMemoryBytes = memoryTotalOf(info);
    context.onEngineMemory(engineMemoryBytes);
    const modules = Promise.all([import('./stats-once'), import('./cgroup-stats')]);
    // Each container's logs are read as soon as its inspect is in (it says whether they are multiplexed).
    const logs = new LogStreams(docker, sink, { ...options.logs, follow: false, now });
    const logLimit = createLimiter(INSPECT_CONCURRENCY * 2);
    const logReads: Array<Promise<void>> = [];
    const inspected = await mapWithConcurrency(list, INSPECT_CONCURRENCY * 2, async (item) => {
      const container = (await inspectContainer(docker, engineId, item.Id, dialect)) ?? containerFromListItem(engineId, item, undefined, dialect);
      logReads.push(logLimit(() => logs.open(container)));
      return container;
    });
    known.replace(inspected);
    sink.engineStateChanged(engineId, { state: 'connected', connectedAt: now(), version: toDisplayTextOrUndefined(info.ServerVersion) });
    const [{ readStatsAcross }, { createCgroupReader }] = await modules;
    const running = inspected
      .filter((container) => container.instance.phase === 'running')
      .map((container) => ({ id: container.id, instanceKey: container.instance.key, pid: container.pid }));
    await Promise.all([
      readStatsAcross(docker, running, sink, now, {
        engineMemoryBytes,
        // Docker's own figures from the counters it reads; Podman's differ (no page cache taken off), so it is asked.
        cgroups: endpoint.local && dialect === 'docker' ? createCgroupReader() : undefined,
      }),
      Promise.all(logReads),
    ]);
  } catch (error) {
    sink.engineStateChanged(engineId, { state: 'disconnected', error: describeError(error) });
  } finally {
    closeDockerClient(client);
  }
}
