// Live CPU and memory of the containers of a local engine, read from their cgroups on one timer
// for all of them, instead of one engine stats stream each (an HTTP stream and a JSON payload per
// container per second cost the cockpit about a core percent at 200 idle containers). A reading
// becomes the payload the engine would have sent (cgroup-stats.ts) and goes through the same
// formulas and the same "nothing changed" filter as a stream's, so the sink sees the same calls.
// A container whose cgroup is not found here (a remote engine, Podman, another pid namespace)
// gets a stream, as before.

import type Docker from 'dockerode';
import type { ContainerStatsSample, RefKey } from '../../domain/types';
import { createCgroupReader, readPayload, type CgroupLocation, type CgroupPaths, type CgroupReader, type CpuPass } from './cgroup-stats';
import { KeptFiles } from './kept-files';
import { cpuPercentOf, toContainerStatsSample } from './stats-payload';
import { sameFigures, shownTenths, StatsStreams, type StatsSink } from './stats-streams';

/** The engine's stats streams send one reading a second: the views expect that cadence. */
export const CGROUP_SAMPLE_INTERVAL_MS = 1000;
/**
 * A container whose CPU shows 0.0 % and would show 0.0 % again (a process asleep, or one that
 * wakes for a few microseconds now and then, as docker's --init does every second): its memory
 * counters are read every this many readings only, not every second, so its memory can show up
 * to that many seconds late less one. Each container has its own turn among these readings, so
 * a tick reads the memory of a fifth of the idle containers instead of all of them every fifth
 * second (a tick is synchronous: all at once held keys and frames back).
 */
const IDLE_MEMORY_READING_EVERY = 5;

/** One container followed from its cgroup: a new one per (re)location, so a restart starts a fresh CPU reading. */
interface Sampled {
  containerId: string;
  instanceKey: RefKey;
  pid: number;
  location: CgroupLocation;
  /** Which of the IDLE_MEMORY_READING_EVERY ticks reads its memory while it is idle. */
  memoryTurn: number;
}

export interface LiveStatsOptions {
  now?: () => number;
  onProblem?: (problem: string) => void;
  /** Figures ended by themselves (the container stopped, its cgroup went away, the stream closed). */
  onEnded?: (containerId: string) => void;
  engineMemoryBytes?: () => number | undefined;
  /** Read cgroups on this host (under these paths); absent for remote engines and Podman: every container gets a stream. */
  cgroups?: CgroupPaths | undefined;
  intervalMs?: number;
}

/** Stats of running containers: from their cgroups where readable, else from a stream each. */
export class LiveStats {
  readonly streams: StatsStreams;
  private readonly sampled = new Map<string, Sampled>();
  private readonly lastSent = new Map<string, ContainerStatsSample>();
  private previous: CpuPass<Sampled> | undefined;
  /** Ticks so far and the memory turn the next container followed gets. */
  private ticks = 0;
  private nextMemoryTurn = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly engineMemoryBytes: () => number | undefined;
  private readonly files = new KeptFiles();
  private readonly cgroups: CgroupReader | undefined;

  constructor(docker: Docker, private readonly sink: StatsSink, private readonly options: LiveStatsOptions = {}) {
    this.streams = new StatsStreams(docker, sink, options);
    this.cgroups = options.cgroups ? createCgroupReader({ ...options.cgroups, readText: this.files.read }) : undefined;
    this.now = options.now ?? Date.now;
    this.engineMemoryBytes = options.engineMemoryBytes ?? (() => undefined);
  }

  /** Containers read from their cgroups. */
  get sampledCount(): number {
    return this.sampled.size;
  }

  /** Follow a running container; `pid` is its main process (inspect's State.Pid). */
  async open(containerId: string, instanceKey: RefKey, pid: number | undefined): Promise<void> {
    const current = this.sampled.get(containerId);
    if (current && current.pid === pid && current.instanceKey === instanceKey) return;
    if (this.streams.has(containerId)) return;
    if (current) this.files.forgetUnder([current.location.cpuDirectory, current.location.memoryDirectory]);
    const location = this.cgroups && pid !== undefined ? this.cgroups.locate(pid, containerId) : undefined;
    if (!location || pid === undefined) {
      if (current) this.end(containerId, { notify: false });
      await this.streams.open(containerId, instanceKey);
      return;
    }
    // Restarted (another pid): the new process's counters start a new reading.
    const memoryTurn = this.nextMemoryTurn;
    this.nextMemoryTurn = (memoryTurn + 1) % IDLE_MEMORY_READING_EVERY;
    this.sampled.set(containerId, { containerId, instanceKey, pid, location, memoryTurn });
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), this.options.intervalMs ?? CGROUP_SAMPLE_INTERVAL_MS);
      this.timer.unref?.();
      this.sample();
    }
  }

  close(containerId: string): void {
    this.end(containerId, { notify: false });
    this.streams.close(containerId);
  }

  closeAll(): void {
    for (const containerId of [...this.sampled.keys()]) this.end(containerId, { notify: false });
    this.streams.closeAll();
    this.files.closeAll();
  }

  /** One CPU pass for every sampled container, then each one's figures against the previous pass. */
  private sample(): void {
    if (this.sampled.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.previous = undefined;
      return;
    }
    const located = new Map<Sampled, CgroupLocation>();
    for (const entry of this.sampled.values()) located.set(entry, entry.location);
    let pass: CpuPass<Sampled>;
    try {
      pass = this.cgroups!.readCpuPass(located, this.previous);
    } catch {
      return; // /proc/stat unreadable for a moment: the next tick tries again
    }
    const previous = this.previous;
    this.previous = pass;
    this.ticks += 1;
    const memoryBytes = this.engineMemoryBytes();
    for (const entry of located.keys()) {
      // Its cgroup went away (stopped, removed) before the event says so: end quietly, like a stream.
      if (!pass.cpuUsageNanoseconds.has(entry)) {
        this.end(entry.containerId, { notify: true });
        continue;
      }
      const before = previous?.cpuUsageNanoseconds.get(entry);
      if (before === undefined || !previous) continue; // its first reading: CPU % needs two
      if (this.idle(entry, before, previous, pass) && (this.ticks + entry.memoryTurn) % IDLE_MEMORY_READING_EVERY !== 0) continue;
      const payload = readPayload(entry, entry.location, previous, pass, memoryBytes, this.files.read);
      if (!payload) {
        this.end(entry.containerId, { notify: true });
        continue;
      }
      if (!(pass.systemCpuNanoseconds > previous.systemCpuNanoseconds)) continue;
      const next = toContainerStatsSample(entry.instanceKey, payload, this.now(), memoryBytes);
      if (sameFigures(this.lastSent.get(entry.containerId), next)) continue;
      this.lastSent.set(entry.containerId, next);
      this.sink.statsReceived(next);
    }
  }

  /** Its CPU showed 0.0 % and shows 0.0 % again: only its memory could show something new. */
  private idle(entry: Sampled, before: number, previous: CpuPass<Sampled>, pass: CpuPass<Sampled>): boolean {
    const shown = this.lastSent.get(entry.containerId);
    if (!shown || shownTenths(shown.cpuPercent) !== 0) return false;
    const cpuDelta = (pass.cpuUsageNanoseconds.get(entry) ?? before) - before;
    return shownTenths(cpuPercentOf(cpuDelta, pass.systemCpuNanoseconds - previous.systemCpuNanoseconds, pass.onlineCpus)) === 0;
  }

  private end(containerId: string, { notify }: { notify: boolean }): void {
    const entry = this.sampled.get(containerId);
    if (!entry) return;
    this.sampled.delete(containerId);
    this.lastSent.delete(containerId);
    this.files.forgetUnder([entry.location.cpuDirectory, entry.location.memoryDirectory]);
    this.sink.statsEnded(entry.instanceKey);
    if (notify) this.options.onEnded?.(containerId);
  }
}
