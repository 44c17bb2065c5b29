import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { serviceKeyOf, type ContainerInfo, type LogLine, type LogStream } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';
import {
  compareRawTimestamps,
  DockerLogDemultiplexer,
  LineSplitter,
  parseTimestampPrefix,
  rawTimestampToSince,
} from './log-decoder';

export interface LogSink {
  logLinesReceived(lines: LogLine[]): void;
}

export interface LogStreamOptions {
  /** How far back the first read of a container goes (ms). */
  backfillMs: number;
  maxLineBytes: number;
  /** Keep following (cockpit) or read what is there and end (headless status). */
  follow: boolean;
  now?: () => number;
}

/**
 * One log stream per container: the backfill window at first, then follow. After a reconnect
 * or a container restart, following resumes from the last timestamp seen, and lines at or
 * before it are dropped, so no line is lost or counted twice.
 */
export class LogStreams {
  private readonly streams = new Map<string, Readable>();
  private readonly lastTimestampByContainer = new Map<string, string>();
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
  async open(container: ContainerInfo): Promise<void> {
    if (this.streams.has(container.id)) return;
    const placeholder = { destroy() {} } as unknown as Readable;
    this.streams.set(container.id, placeholder);
    const last = this.lastTimestampByContainer.get(container.id);
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

  private consume(container: ContainerInfo, stream: Readable): Promise<void> {
    const serviceKey = serviceKeyOf(container);
    const splitters: Record<LogStream, LineSplitter> = {
      stdout: new LineSplitter({ maxLineBytes: this.options.maxLineBytes }),
      stderr: new LineSplitter({ maxLineBytes: this.options.maxLineBytes }),
    };
    const emit = (streamName: LogStream, lines: ReturnType<LineSplitter['push']>): void => {
      const out: LogLine[] = [];
      for (const split of lines) {
        const parsed = parseTimestampPrefix(split.text);
        if (!parsed) continue;
        const last = this.lastTimestampByContainer.get(container.id);
        if (last && compareRawTimestamps(parsed.rawTimestamp, last) <= 0) continue;
        this.lastTimestampByContainer.set(container.id, parsed.rawTimestamp);
        out.push({
          containerId: container.id,
          serviceKey,
          stream: streamName,
          timestamp: parsed.timestamp,
          rawTimestamp: parsed.rawTimestamp,
          // Log text is untrusted: escape sequences and controls never reach the store.
          text: toDisplayText(parsed.text),
          ...(split.truncated ? { truncated: true } : {}),
        });
      }
      if (out.length > 0) this.sink.logLinesReceived(out);
    };
    const demultiplexer = new DockerLogDemultiplexer(
      (source, payload) => {
        const streamName: LogStream = source === 'stdout' ? 'stdout' : 'stderr';
        emit(streamName, splitters[streamName].push(payload));
      },
      { raw: container.tty === true },
    );
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => demultiplexer.push(chunk));
      const finish = (): void => {
        emit('stdout', splitters.stdout.flush());
        emit('stderr', splitters.stderr.flush());
        if (this.streams.get(container.id) === stream) this.streams.delete(container.id);
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
    this.lastTimestampByContainer.delete(containerId);
  }

  closeAll(): void {
    for (const containerId of [...this.streams.keys()]) this.close(containerId);
  }
}
