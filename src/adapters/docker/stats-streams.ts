import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { ContainerStatsSample, RefKey } from '../../domain/types';
import type { EngineSink } from '../engine-sink';
import { hasPreviousReading, toContainerStatsSample, type DockerStatsPayload } from './stats-payload';
import { describeError } from './docker-client';
import { readJsonLines } from './json-lines';

export type StatsSink = Pick<EngineSink, 'statsReceived' | 'statsEnded'>;

/** One stats stream per running container; a stream stops when its container stops. */
export class StatsStreams {
  private readonly streams = new Map<string, Readable>();
  private readonly lastSent = new Map<string, ContainerStatsSample>();
  /** Instance key of each container id with a stream. */
  private readonly keys = new Map<string, RefKey>();

  private readonly now: () => number;
  private readonly onProblem: (problem: string) => void;
  /** A stream ended by itself (the container stopped, or the engine closed it). */
  private readonly onEnded: ((containerId: string) => void) | undefined;
  private readonly engineMemoryBytes: () => number | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly sink: StatsSink,
    options: {
      now?: () => number;
      onProblem?: (problem: string) => void;
      onEnded?: (containerId: string) => void;
      /** The engine host's memory (docker info MemTotal), once known: tells an unlimited container. */
      engineMemoryBytes?: () => number | undefined;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.engineMemoryBytes = options.engineMemoryBytes ?? (() => undefined);
    this.onProblem = options.onProblem ?? (() => undefined);
    this.onEnded = options.onEnded;
  }

  get size(): number {
    return this.streams.size;
  }

  has(containerId: string): boolean {
    return this.streams.has(containerId);
  }

  async open(containerId: string, instanceKey: RefKey): Promise<void> {
    if (this.streams.has(containerId)) return;
    this.keys.set(containerId, instanceKey);
    // Reserve the slot before the request so a burst of events opens one stream only.
    const placeholder = { destroy() {} } as unknown as Readable;
    this.streams.set(containerId, placeholder);
    let stream: Readable;
    try {
      stream = (await this.docker.getContainer(containerId).stats({ stream: true })) as unknown as Readable;
    } catch {
      this.streams.delete(containerId);
      return;
    }
    if (this.streams.get(containerId) !== placeholder) {
      stream.destroy();
      return;
    }
    this.streams.set(containerId, stream);
    readJsonLines(stream, {
      onConsumerError: (error) => this.onProblem(`reading stats of ${containerId.slice(0, 12)} failed: ${describeError(error)}`),
      onMalformed: (line, reason) => this.onProblem(`unreadable stats (${reason}): ${line}`),
      onObject: (payload) => {
        const sample = payload as DockerStatsPayload;
        // The first sample of a stream has no previous CPU reading (Docker: none; Podman: the same
        // reading twice): skip it rather than show 0 %.
        if (!hasPreviousReading(sample)) return;
        const next = toContainerStatsSample(instanceKey, sample, this.now(), this.engineMemoryBytes());
        // An idle container sends the same figures every second: nothing to store or redraw.
        if (sameFigures(this.lastSent.get(containerId), next)) return;
        this.lastSent.set(containerId, next);
        this.sink.statsReceived(next);
      },
    });
    const finish = (): void => {
      if (this.streams.get(containerId) === stream) {
        this.streams.delete(containerId);
        this.lastSent.delete(containerId);
        this.sink.statsEnded(instanceKey);
        this.onEnded?.(containerId);
      }
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  }

  close(containerId: string): void {
    const stream = this.streams.get(containerId);
    if (!stream) return;
    this.streams.delete(containerId);
    this.lastSent.delete(containerId);
    stream.destroy();
    const instanceKey = this.keys.get(containerId);
    this.keys.delete(containerId);
    if (instanceKey !== undefined) this.sink.statsEnded(instanceKey);
  }

  closeAll(): void {
    for (const containerId of [...this.streams.keys()]) this.close(containerId);
  }
}

/**
 * Same figures as far as an operator can tell: CPU and memory % to a tenth, memory use within
 * 1 %. An idle container's usage jitters by a few pages every second; storing that would
 * redraw the screen for nothing.
 */
export function sameFigures(previous: ContainerStatsSample | undefined, next: ContainerStatsSample): boolean {
  return (
    previous !== undefined &&
    shownTenths(previous.cpuPercent) === shownTenths(next.cpuPercent) &&
    shownTenths(previous.memoryPercent) === shownTenths(next.memoryPercent) &&
    Math.abs(previous.memoryUsageBytes - next.memoryUsageBytes) <= previous.memoryUsageBytes * 0.01 &&
    previous.memoryLimitBytes === next.memoryLimitBytes
  );
}

/** A percentage to the tenth the figures are compared at (sameFigures). */
export function shownTenths(percent: number): number {
  return Math.round(percent * 10);
}
