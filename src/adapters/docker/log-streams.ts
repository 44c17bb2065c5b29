import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import type { LogStream } from '../../domain/types';
import type { EngineSink } from '../engine-sink';
import type { DockerContainer } from './container-mapping';
import { LogResumePoint, newLogLines } from '../log-resume';
import { createLineDemultiplexer, rawTimestampToSince, type SplitLine } from './log-decoder';

export type LogSink = Pick<EngineSink, 'logLinesReceived'>;

export interface LogStreamOptions {
  /** How far back the first read of a container goes (ms). */
  backfillMs: number;
  maxLineBytes: number;
  /** Keep following (cockpit) or read what is there and end (headless status). */
  follow: boolean;
  now?: () => number;
  /** A follow stream ended by itself (the container stopped, or the engine closed it). */
  onEnded?(containerId: string): void;
}

/**
 * One log stream per container: the backfill window at first, then follow. After a reconnect
 * or a container restart, following resumes from the last timestamp seen (`since` is inclusive):
 * lines before it are dropped, and as many lines at exactly that timestamp as were already read,
 * so no line is lost or counted twice. Podman's timestamps have whole seconds only, so several
 * lines share one; Docker's have nanoseconds.
 */
export class LogStreams {
  private readonly streams = new Map<string, Readable>();
  private readonly resumePoints = new Map<string, LogResumePoint>();
  private readonly now: () => number;

  constructor(
    private readonly docker: Docker,
    private readonly sink: LogSink,
    private readonly options: LogStreamOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.streams.size;
  }

  /** Opens the container's stream; resolves when a non-follow read has ended (or the follow stream opened). */
  async open(container: DockerContainer): Promise<void> {
    if (this.streams.has(container.id)) return;
    const placeholder = { destroy() {} } as unknown as Readable;
    this.streams.set(container.id, placeholder);
    const last = this.resumePoints.get(container.id)?.last;
    const since = (last && rawTimestampToSince(last)) ?? String(Math.floor((this.now() - this.options.backfillMs) / 1000));
    let stream: Readable;
    try {
      const result: unknown = await this.docker.getContainer(container.id).logs({
        follow: this.options.follow as true,
        stdout: true,
        stderr: true,
        timestamps: true,
        since: since as unknown as number,
      });
      // dockerode answers a non-follow read with one Buffer instead of a stream.
      stream = Buffer.isBuffer(result) ? Readable.from([result]) : (result as Readable);
    } catch {
      this.streams.delete(container.id);
      return;
    }
    if (this.streams.get(container.id) !== placeholder) {
      stream.destroy();
      return;
    }
    this.streams.set(container.id, stream);
    const ended = this.consume(container, stream);
    if (!this.options.follow) await ended;
  }

  private consume(container: DockerContainer, stream: Readable): Promise<void> {
    const { key: instanceKey, workloadKey } = container.instance;
    // Lines at the resume timestamp that an earlier stream already delivered come first: skip them.
    const point = this.resumePoints.get(container.id) ?? new LogResumePoint();
    this.resumePoints.set(container.id, point);
    point.streamStarted();
    const emit = (streamName: LogStream, lines: SplitLine[]): void => {
      const out = newLogLines(lines, point, { instanceKey, workloadKey, stream: streamName });
      if (out.length > 0) this.sink.logLinesReceived(out);
    };
    const demultiplexer = createLineDemultiplexer(emit, { raw: container.tty, maxLineBytes: this.options.maxLineBytes });
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => demultiplexer.push(chunk));
      const finish = (): void => {
        demultiplexer.flush();
        if (this.streams.get(container.id) === stream) {
          this.streams.delete(container.id);
          if (this.options.follow) this.options.onEnded?.(container.id);
        }
        resolve();
      };
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
    });
  }

  close(containerId: string): void {
    const stream = this.streams.get(containerId);
    this.streams.delete(containerId);
    stream?.destroy();
  }

  /** Forget a removed container entirely. */
  forget(containerId: string): void {
    this.close(containerId);
    this.resumePoints.delete(containerId);
  }

  closeAll(): void {
    for (const containerId of [...this.streams.keys()]) this.close(containerId);
  }
}
