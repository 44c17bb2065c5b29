import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { ActionCall, EngineAction, InstanceDetails } from '../../domain/engine-action';
import type { InstanceKind, ResourceRef } from '../../domain/resource-ref';
import { toDisplayText, toDisplayTextOrUndefined } from '../../domain/untrusted-text';
import { backoffDelay, mapWithConcurrency } from '../../support/concurrency';
import type { Archivable, ArchiveFile, ContainerAdapter, Executable, ExecOutcome, ExecRequest, Inspectable, InstanceStats } from '../capabilities';
import type { Killable, LogReadable, LogWindow, OperationOptions, StatsReadable } from '../capabilities';
import type { EngineSink } from '../engine-sink';
import { ContainerInventory } from './container-inventory';
import { containerFromListItem, type DockerApiDialect, type DockerContainer } from './container-mapping';
import { containerEventEffect, type DockerEvent } from './docker-events';
import { ContainerOperations } from './container-operations';
import { closeDockerClient, createDockerClient, describeError, memoryTotalOf, withTimeout, type EngineInfo } from './docker-client';
import { resolveDockerEndpoint, type DockerEndpoint } from './docker-connection';
import { readJsonLines } from './json-lines';
import { LogStreams } from './log-streams';
import { LiveStats } from './cgroup-sampler';
import { INSPECT_CONCURRENCY, inspectContainer, readEngineOnce } from './one-shot-read';

export interface DockerAdapterOptions {
  engineId: string;
  /** Docker itself (default) or Podman's Docker-compatible service: the engine kind shown, and its quirks. */
  kind?: DockerApiDialect;
  label: string;
  /** unix://, tcp:// or ssh:// URL; DOCKER_HOST or the default socket when absent. */
  host?: string;
  /** ssh:// only: an ssh client configuration file (`ssh -F`). */
  sshConfig?: string;
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

const EVENT_REFRESH_DELAY_MS = 50;

type InstanceRef = ResourceRef & { kind: InstanceKind };
/** Resolves on the next turn of the event loop, after the timers already due (a store flush asked for before). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
/** At most one reopen per second per stream, should an engine keep closing one. */
const STREAM_REOPEN_DELAY_MS = 1000;

/**
 * Keeps the store in step with one Docker engine: list + inspect on connect, then the
 * `/events` stream drives targeted refreshes (throttled), one stats and one log stream per
 * running container, a slow resync as a safety net, and reconnection with backoff.
 */
export class DockerEngineAdapter implements ContainerAdapter, Killable, Executable, LogReadable, Inspectable, StatsReadable, Archivable {
  readonly engineId: string;
  readonly endpoint: DockerEndpoint;
  private docker: Docker | undefined;
  private events: Readable | undefined;
  private stats: LiveStats | undefined;
  private logs: LogStreams | undefined;
  private readonly known: ContainerInventory;
  private readonly dirty = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private generation = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly dialect: DockerApiDialect;
  private readonly operations: ContainerOperations;
  /** MemTotal of the engine's host (docker info), to tell containers without a memory limit. */
  private engineMemoryBytes: number | undefined;
  /**
   * Settles once `GET /info` answered (or failed): stats streams open after it, so the first
   * sample already knows the host's MemTotal and a container without a limit reads as one.
   */
  private engineInfoRead: Promise<void> = Promise.resolve();

  constructor(private readonly options: DockerAdapterOptions) {
    this.engineId = options.engineId;
    this.known = new ContainerInventory(options.engineId, options.sink);
    this.dialect = options.kind ?? 'docker';
    this.endpoint = resolveDockerEndpoint(options.host, process.env, { sshConfig: options.sshConfig });
    this.now = options.now ?? Date.now;
    this.operations = new ContainerOperations({
      engineId: options.engineId,
      label: options.label,
      readOnly: options.readOnly,
      dialect: this.dialect,
      client: () => (this.connected ? this.docker : undefined),
      known: this.known,
      engineMemoryBytes: () => this.engineMemoryBytes,
      now: this.now,
    });
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
    closeDockerClient(this.docker);
    this.docker = undefined;
  }

  /** True while connected; the store has the details. */
  get connected(): boolean {
    return this.events !== undefined;
  }

  // The capabilities live in ContainerOperations; the adapter lends it the connection and inventory.
  restartInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void> { return this.operations.restartInstance(target, timeoutSeconds); }
  stopInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void> { return this.operations.stopInstance(target, timeoutSeconds); }
  startInstance(target: InstanceRef): Promise<void> { return this.operations.startInstance(target); }
  killInstance(target: InstanceRef, signal?: string): Promise<void> { return this.operations.killInstance(target, signal); }
  execInInstance(target: InstanceRef, request: ExecRequest, options?: OperationOptions): Promise<ExecOutcome> { return this.operations.execInInstance(target, request, options); }
  readInstanceLogs(target: InstanceRef, window: LogWindow, options?: OperationOptions): Promise<string> { return this.operations.readInstanceLogs(target, window, options); }
  inspectInstance(target: InstanceRef, options?: OperationOptions): Promise<InstanceDetails> { return this.operations.inspectInstance(target, options); }
  readInstanceStats(target: InstanceRef, options?: OperationOptions): Promise<InstanceStats> { return this.operations.readInstanceStats(target, options); }
  archiveInstancePath(target: InstanceRef, path: string, destinationFile: string, options?: OperationOptions): Promise<ArchiveFile> { return this.operations.archiveInstancePath(target, path, destinationFile, options); }
  restoreInstancePath(target: InstanceRef, path: string, sourceFile: string, options?: OperationOptions): Promise<void> { return this.operations.restoreInstancePath(target, path, sourceFile, options); }
  describeCall(action: EngineAction): ActionCall | undefined { return this.operations.describeCall(action); }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const sink = this.options.sink;
    sink.engineStateChanged(this.engineId, { state: 'connecting' });
    try {
      const docker = this.docker ?? (await createDockerClient(this.endpoint));
      this.docker = docker;
      // Subscribe before listing, so nothing that happens in between is missed. A local or tcp engine
      // is asked for its events beside the ping (one round trip less before the list); an ssh:// one
      // after it (the ping opens its ssh session).
      const subscribe = (signal?: AbortSignal): Promise<Readable> => docker.getEvents({ filters: { type: ['container'] }, ...(signal ? { abortSignal: signal } : {}) }) as unknown as Promise<Readable>;
      const early = this.endpoint.ssh ? undefined : new AbortController();
      const subscribing = early ? subscribe(early.signal) : undefined;
      subscribing?.catch(() => undefined);
      await withTimeout(docker.ping(), this.options.pingTimeoutMs ?? this.endpoint.pingTimeoutMs, 'ping').catch((error: unknown) => {
        early?.abort();
        throw error;
      });
      const events = await (subscribing ?? subscribe());
      if (this.isStale(generation)) {
        events.destroy();
        return;
      }
      this.events = events;
      readJsonLines(events, {
        onObject: (event) => this.onEvent(event as DockerEvent),
        onConsumerError: (error) => this.reportProblem(`event handling failed: ${describeError(error)}`),
        onMalformed: (line, reason) => this.reportProblem(`unreadable event (${reason}): ${line}`),
      });
      const onLost = (error?: Error): void => this.onConnectionLost(generation, error ?? new Error('event stream closed'));
      events.once('error', onLost);
      events.once('end', () => onLost());
      events.once('close', () => onLost());
      const list = await docker.listContainers({ all: true });
      if (this.isStale(generation)) return;
      const containers = list.map((item) => containerFromListItem(this.engineId, item, this.known.get(item.Id), this.dialect));
      this.known.replace(containers);
      this.attempt = 0;
      sink.engineStateChanged(this.engineId, { state: 'connected', connectedAt: this.now() });
      // Version and data root are not needed for the first frame.
      this.engineInfoRead = this.readEngineInfo(docker, generation);
      this.stats = new LiveStats(docker, sink, {
        now: this.now,
        // Docker's own figures from the counters it reads (Podman's differ): a stream for the others.
        cgroups: this.endpoint.local && this.dialect === 'docker' ? {} : undefined,
        onProblem: (problem) => this.reportProblem(problem),
        onEnded: (id) => this.followAgainIfRunning(id, generation),
        engineMemoryBytes: () => this.engineMemoryBytes,
      });
      // Kept across reconnects: it remembers the last timestamp read per container.
      this.logs ??= new LogStreams(docker, sink, {
        ...this.options.logs,
        follow: true,
        now: this.now,
        onEnded: (id) => this.followAgainIfRunning(id, this.generation),
      });
      this.scheduleResync(generation);
      // The list's flush (asked for on the next turn by inventoryReplaced) goes out before the
      // first inspect is even sent: 200 inspects and their log streams held the first frame back.
      await nextTurn();
      if (this.isStale(generation)) return;
      await this.inspectAndFollow(containers.map((container) => container.id), generation);
    } catch (error) {
      this.onConnectionLost(generation, error);
    }
  }

  /** One-shot read for the headless twin: list, inspect, CPU and memory figures and the log backfill (one-shot-read.ts). */
  async collectOnce(): Promise<void> {
    this.register();
    await readEngineOnce({
      engineId: this.engineId,
      endpoint: this.endpoint,
      dialect: this.dialect,
      options: this.options,
      known: this.known,
      now: this.now,
      onEngineMemory: (bytes) => (this.engineMemoryBytes = bytes),
    });
  }

  private register(): void {
    this.options.sink.engineRegistered({
      id: this.engineId,
      kind: this.dialect,
      label: this.options.label,
      endpoint: this.endpoint.url,
      state: 'connecting',
    });
  }

  private async openStats(containerId: string, instanceKey: string): Promise<void> {
    await this.engineInfoRead;
    await this.stats?.open(containerId, instanceKey, this.known.get(containerId)?.pid);
  }

  private async readEngineInfo(docker: Docker, generation: number): Promise<void> {
    try {
      const info = (await docker.info()) as EngineInfo;
      this.engineMemoryBytes = memoryTotalOf(info);
      if (this.isStale(generation)) return;
      this.options.sink.engineStateChanged(this.engineId, { version: toDisplayTextOrUndefined(info.ServerVersion) });
      this.options.onDataRoot?.(this.endpoint.local ? toDisplayTextOrUndefined(info.DockerRootDir) : undefined);
    } catch {
      // a lost connection is reported by the event stream
    }
  }

  /** A problem that does not cost the connection: kept on the engine's status, shown beside it. */
  private reportProblem(problem: string): void {
    this.options.sink.engineStateChanged(this.engineId, { problem: toDisplayText(problem) });
  }

  private isStale(generation: number): boolean {
    return this.stopped || generation !== this.generation;
  }

  private onEvent(event: DockerEvent): void {
    const meaning = containerEventEffect(event, this.dialect);
    if (!meaning) return;
    const id = meaning.containerId;
    if (meaning.effect === 'removed') {
      this.dirty.delete(id);
      this.stats?.close(id);
      this.logs?.forget(id);
      this.known.forget(id);
      return;
    }
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

  /** Inspect containers, publish them, and open or close their streams to match their state. */
  private async inspectAndFollow(ids: string[], generation: number): Promise<void> {
    const docker = this.docker;
    if (!docker) return;
    await mapWithConcurrency(ids, INSPECT_CONCURRENCY, async (id) => {
      let container: DockerContainer | undefined;
      try {
        container = await inspectContainer(docker, this.engineId, id, this.dialect);
      } catch {
        return; // a lost connection is reported by the event stream
      }
      if (this.isStale(generation)) return;
      if (!container) {
        this.stats?.close(id);
        this.logs?.forget(id);
        this.known.forget(id);
        return;
      }
      this.known.remember(container);
      if (container.instance.phase === 'running') {
        void this.openStats(id, container.instance.key);
        void this.logs?.open(container);
      } else {
        this.stats?.close(id);
        // A stopped container's logs still hold the reason it stopped: read what is left.
        void this.logs?.open(container);
      }
    });
  }

  /**
   * A stream that ends while its container runs again is reopened. A restart can be seen as
   * running before the old streams have ended (Podman sends restart, die, init and start at once,
   * and one refresh reads them all), and opening a stream that is still there does nothing.
   */
  private followAgainIfRunning(containerId: string, generation: number): void {
    const timer = setTimeout(() => {
      const container = this.known.get(containerId);
      if (this.isStale(generation) || container?.instance.phase !== 'running') return;
      void this.openStats(containerId, container.instance.key);
      void this.logs?.open(container);
    }, STREAM_REOPEN_DELAY_MS);
    timer.unref?.();
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
        const listed = containerFromListItem(this.engineId, item, known, this.dialect);
        if (!known || known.instance.state !== listed.instance.state || known.instance.health !== listed.instance.health) changed.push(item.Id);
      }
      for (const id of this.known.ids()) if (!seen.has(id)) changed.push(id);
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
