import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { ContainerInfo, EngineStatus } from '../../domain/types';
import { toDisplayText, toDisplayTextOrUndefined } from '../../domain/untrusted-text';
import { backoffDelay, mapWithConcurrency } from '../../support/concurrency';
import { ReadOnlyError, type EngineAdapter } from '../capabilities';
import { containerFromInspect, containerFromListItem } from './container-mapping';
import { createDockerClient, describeError, isNotFound, withTimeout } from './docker-client';
import { resolveDockerEndpoint, type DockerEndpoint } from './docker-connection';
import { readJsonLines } from './json-lines';
import { LogStreams, type LogSink } from './log-streams';
import { StatsStreams, type StatsSink } from './stats-streams';

/** The store actions an engine adapter writes through. */
export interface EngineSink extends StatsSink, LogSink {
  engineRegistered(engine: EngineStatus): void;
  engineStateChanged(engineId: string, change: Partial<Omit<EngineStatus, 'id' | 'kind'>>): void;
  containersReplaced(engineId: string, containers: ContainerInfo[]): void;
  containerUpserted(container: ContainerInfo): void;
  containerRemoved(containerId: string): void;
}

export interface DockerAdapterOptions {
  engineId: string;
  label: string;
  /** unix://, tcp:// or ssh:// URL; DOCKER_HOST or the default socket when absent. */
  host?: string;
  readOnly: boolean;
  sink: EngineSink;
  logs: { backfillMs: number; maxLineBytes: number };
  /** Safety-net full resync (the events stream does the real work). */
  resyncIntervalMs?: number;
  reconnect?: { initialMs: number; maxMs: number };
  /** Time allowed for the engine to answer a ping. */
  pingTimeoutMs?: number;
  onDataRoot?(dataRoot: string | undefined): void;
  now?: () => number;
}

const INSPECT_CONCURRENCY = 16;
const EVENT_REFRESH_DELAY_MS = 50;

/**
 * Keeps the store in step with one Docker engine: list + inspect on connect, then the
 * `/events` stream drives targeted refreshes (throttled), one stats and one log stream per
 * running container, a slow resync as a safety net, and reconnection with backoff.
 */
export class DockerEngineAdapter implements EngineAdapter {
  readonly engineId: string;
  readonly endpoint: DockerEndpoint;
  private docker: Docker | undefined;
  private events: Readable | undefined;
  private stats: StatsStreams | undefined;
  private logs: LogStreams | undefined;
  private readonly known = new Map<string, ContainerInfo>();
  private readonly dirty = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private generation = 0;
  private stopped = false;
  /** MemTotal of the engine's host (docker info), to tell containers without a memory limit. */
  private engineMemoryBytes: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: DockerAdapterOptions) {
    this.engineId = options.engineId;
    this.endpoint = resolveDockerEndpoint(options.host);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.register();
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.teardown();
  }

  /** True while connected; the store has the details. */
  get connected(): boolean {
    return this.events !== undefined;
  }

  async restartContainer(containerId: string): Promise<void> {
    const docker = this.mutableClient('restart', containerId);
    await engineCall(docker.getContainer(containerId).restart({ t: 10 }));
  }

  async stopContainer(containerId: string): Promise<void> {
    const docker = this.mutableClient('stop', containerId);
    await engineCall(docker.getContainer(containerId).stop({ t: 10 }));
  }

  async startContainer(containerId: string): Promise<void> {
    const docker = this.mutableClient('start', containerId);
    await engineCall(docker.getContainer(containerId).start());
  }

  /** Read-only is enforced here, before anything reaches the engine. */
  private mutableClient(action: string, containerId: string): Docker {
    const name = this.known.get(containerId)?.name ?? containerId.slice(0, 12);
    if (this.options.readOnly) throw new ReadOnlyError(action, name);
    if (!this.docker || !this.connected) throw new Error(`engine ${this.options.label} is not connected`);
    return this.docker;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const sink = this.options.sink;
    sink.engineStateChanged(this.engineId, { state: 'connecting' });
    try {
      const docker = this.docker ?? (await createDockerClient(this.endpoint));
      this.docker = docker;
      await withTimeout(docker.ping(), this.options.pingTimeoutMs ?? 5000, 'ping');
      // Subscribe before listing, so nothing that happens in between is missed.
      const events = (await docker.getEvents({ filters: { type: ['container'] } })) as unknown as Readable;
      if (this.isStale(generation)) {
        events.destroy();
        return;
      }
      this.events = events;
      readJsonLines(events, (event) => this.onEvent(event as DockerEvent));
      const onLost = (error?: Error): void => this.onConnectionLost(generation, error ?? new Error('event stream closed'));
      events.once('error', onLost);
      events.once('end', () => onLost());
      events.once('close', () => onLost());
      const list = await docker.listContainers({ all: true });
      if (this.isStale(generation)) return;
      const containers = list.map((item) => containerFromListItem(this.engineId, item, this.known.get(item.Id)));
      this.replaceKnown(containers);
      sink.containersReplaced(this.engineId, containers);
      this.attempt = 0;
      sink.engineStateChanged(this.engineId, { state: 'connected', connectedAt: this.now() });
      // Version and data root are not needed for the first frame.
      void this.readEngineInfo(docker, generation);
      this.stats = new StatsStreams(docker, sink, this.now, () => this.engineMemoryBytes);
      // Kept across reconnects: it remembers the last timestamp read per container.
      this.logs ??= new LogStreams(docker, sink, { ...this.options.logs, follow: true, now: this.now });
      this.scheduleResync(generation);
      await this.inspectAndFollow(containers.map((container) => container.id), generation);
    } catch (error) {
      this.onConnectionLost(generation, error);
    }
  }

  /** One-shot read for the headless twin: list, inspect, CPU and memory figures and the log backfill. */
  async collectOnce(): Promise<void> {
    const sink = this.options.sink;
    this.register();
    try {
      const docker = await createDockerClient(this.endpoint);
      await withTimeout(docker.ping(), this.options.pingTimeoutMs ?? 5000, 'ping');
      const [info, list] = await Promise.all([
        docker.info() as Promise<EngineInfo>,
        docker.listContainers({ all: true }),
      ]);
      this.options.onDataRoot?.(this.endpoint.local ? toDisplayTextOrUndefined(info.DockerRootDir) : undefined);
      this.engineMemoryBytes = memoryTotalOf(info);
      const inspected = await mapWithConcurrency(list, INSPECT_CONCURRENCY * 2, (item) =>
        this.inspect(docker, item.Id).then((container) => container ?? containerFromListItem(this.engineId, item)),
      );
      sink.containersReplaced(this.engineId, inspected);
      sink.engineStateChanged(this.engineId, { state: 'connected', connectedAt: this.now(), version: toDisplayTextOrUndefined(info.ServerVersion) });
      const logs = new LogStreams(docker, sink, { ...this.options.logs, follow: false, now: this.now });
      const { readStatsAcross } = await import('./stats-once');
      const running = inspected.filter((container) => container.state === 'running').map((container) => container.id);
      await Promise.all([
        readStatsAcross(docker, running, sink, this.now, this.engineMemoryBytes),
        mapWithConcurrency(inspected, INSPECT_CONCURRENCY * 2, (container) => logs.open(container)),
      ]);
    } catch (error) {
      sink.engineStateChanged(this.engineId, { state: 'disconnected', error: describeError(error) });
    }
  }

  private register(): void {
    this.options.sink.engineRegistered({
      id: this.engineId,
      kind: 'docker',
      label: this.options.label,
      endpoint: this.endpoint.url,
      state: 'connecting',
    });
  }

  private async readEngineInfo(docker: Docker, generation: number): Promise<void> {
    try {
      const info = (await docker.info()) as EngineInfo;
      if (this.isStale(generation)) return;
      this.engineMemoryBytes = memoryTotalOf(info);
      this.options.sink.engineStateChanged(this.engineId, { version: toDisplayTextOrUndefined(info.ServerVersion) });
      this.options.onDataRoot?.(this.endpoint.local ? toDisplayTextOrUndefined(info.DockerRootDir) : undefined);
    } catch {
      // a lost connection is reported by the event stream
    }
  }

  private isStale(generation: number): boolean {
    return this.stopped || generation !== this.generation;
  }

  private onEvent(event: DockerEvent): void {
    // Event fields are untrusted text too: the id becomes a store key, the action is matched.
    const id = toDisplayText(String(event.id ?? event.Actor?.ID ?? ''));
    if (!id || (event.Type && event.Type !== 'container')) return;
    const action = toDisplayText(String(event.Action ?? event.status ?? '')).split(':')[0] ?? '';
    if (action === 'destroy') {
      this.known.delete(id);
      this.dirty.delete(id);
      this.stats?.close(id);
      this.logs?.forget(id);
      this.options.sink.containerRemoved(id);
      return;
    }
    if (action.startsWith('exec_') || action === 'attach' || action === 'resize' || action === 'top') return;
    this.dirty.add(id);
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        const ids = [...this.dirty];
        this.dirty.clear();
        void this.inspectAndFollow(ids, this.generation);
      }, EVENT_REFRESH_DELAY_MS);
    }
  }

  private async inspect(docker: Docker, containerId: string): Promise<ContainerInfo | undefined> {
    try {
      return containerFromInspect(this.engineId, await docker.getContainer(containerId).inspect());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Inspect containers, publish them, and open or close their streams to match their state. */
  private async inspectAndFollow(ids: string[], generation: number): Promise<void> {
    const docker = this.docker;
    if (!docker) return;
    await mapWithConcurrency(ids, INSPECT_CONCURRENCY, async (id) => {
      let container: ContainerInfo | undefined;
      try {
        container = await this.inspect(docker, id);
      } catch {
        return; // a lost connection is reported by the event stream
      }
      if (this.isStale(generation)) return;
      if (!container) {
        if (this.known.delete(id)) this.options.sink.containerRemoved(id);
        this.stats?.close(id);
        this.logs?.forget(id);
        return;
      }
      this.known.set(id, container);
      this.options.sink.containerUpserted(container);
      if (container.state === 'running') {
        void this.stats?.open(id);
        void this.logs?.open(container);
      } else {
        this.stats?.close(id);
        // A stopped container's logs still hold the reason it stopped: read what is left.
        void this.logs?.open(container);
      }
    });
  }

  private replaceKnown(containers: ContainerInfo[]): void {
    this.known.clear();
    for (const container of containers) this.known.set(container.id, container);
  }

  private scheduleResync(generation: number): void {
    const interval = this.options.resyncIntervalMs ?? 60_000;
    this.resyncTimer = setTimeout(() => void this.resync(generation), interval);
    this.resyncTimer.unref?.();
  }

  /** Safety net: compare the engine's list with what we know and refresh the differences. */
  private async resync(generation: number): Promise<void> {
    const docker = this.docker;
    if (!docker || this.isStale(generation)) return;
    try {
      const list = await docker.listContainers({ all: true });
      if (this.isStale(generation)) return;
      const seen = new Set<string>();
      const changed: string[] = [];
      for (const item of list) {
        seen.add(item.Id);
        const known = this.known.get(item.Id);
        const listed = containerFromListItem(this.engineId, item, known);
        if (!known || known.state !== listed.state || known.health !== listed.health) changed.push(item.Id);
      }
      for (const id of [...this.known.keys()]) if (!seen.has(id)) changed.push(id);
      await this.inspectAndFollow(changed, generation);
    } catch (error) {
      this.onConnectionLost(generation, error);
      return;
    }
    this.scheduleResync(generation);
  }

  private onConnectionLost(generation: number, error: unknown): void {
    if (this.isStale(generation)) return;
    this.generation++;
    this.teardown();
    const delay = backoffDelay(this.attempt++, this.options.reconnect?.initialMs ?? 500, this.options.reconnect?.maxMs ?? 15_000);
    this.options.sink.engineStateChanged(this.engineId, {
      state: 'disconnected',
      error: describeError(error),
      nextRetryAt: this.now() + delay,
    });
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private teardown(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.resyncTimer);
    this.refreshTimer = undefined;
    this.resyncTimer = undefined;
    this.dirty.clear();
    const events = this.events;
    this.events = undefined;
    events?.destroy();
    this.stats?.closeAll();
    this.logs?.closeAll();
    this.stats = undefined;
    // Log streams keep their last timestamps across reconnects (resume without loss or duplicates).
  }
}

/** An engine refusal (e.g. 409 "container is paused") reaches the operator as one clean line. */
async function engineCall(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    throw new Error(describeError(error), { cause: error });
  }
}

interface EngineInfo {
  ServerVersion?: string;
  DockerRootDir?: string;
  MemTotal?: number;
}

function memoryTotalOf(info: EngineInfo): number | undefined {
  return typeof info.MemTotal === 'number' && Number.isFinite(info.MemTotal) && info.MemTotal > 0 ? info.MemTotal : undefined;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}
