// A child process's stdin and stdout as the socket of one HTTP connection: what node:http needs
// of a socket (read, write, end, destroy, ref/unref, keep-alive and timeout calls) and no more.
// When the child fails, the socket is destroyed with the error `describeExit` makes of its
// stderr, rather than the bare "socket hang up" node:http would report for an early end.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

const MAX_STDERR_CHARS = 8192;

export class ChildProcessSocket extends Duplex {
  /** Read by node:http's agent (`socket.timeout !== agentTimeout`). */
  timeout = 0;
  private stderr = '';
  private timeoutTimer: NodeJS.Timeout | undefined;
  private exited = false;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    describeExit: (stderr: string, exitCode: number | null) => Promise<Error>,
  ) {
    super({ allowHalfOpen: false });
    child.stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-MAX_STDERR_CHARS);
    });
    // Write errors (EPIPE once the child is gone) are reported through its exit below.
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => {
      this.exited = true;
      this.destroy(error);
    });
    child.once('close', (code, signal) => {
      this.exited = true;
      if (this.destroyed) return;
      if (code === 0) {
        this.push(null);
        return;
      }
      void describeExit(this.stderr, signal ? null : code).then((error) => this.fail(error));
    });
  }

  /**
   * node:http turns a socket error during a response into a bare "aborted" on the response
   * (a long events, stats or logs stream): hand the response the real reason first.
   */
  private fail(error: Error): void {
    if (this.destroyed) return;
    const response = (this as unknown as { _httpMessage?: { res?: { complete?: boolean; destroy(error: Error): void } } })._httpMessage?.res;
    if (response && !response.complete) response.destroy(error);
    this.destroy(error);
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    if (this.child.stdin.destroyed) {
      callback();
      return;
    }
    this.child.stdin.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timeoutTimer);
    if (!this.exited) this.child.kill('SIGTERM');
    callback(error);
  }

  /** The child and its pipes stop keeping the event loop alive (an idle keep-alive connection). */
  unref(): this {
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as Socket).unref?.();
    return this;
  }

  ref(): this {
    this.child.ref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as Socket).ref?.();
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** As net.Socket: 'timeout' after `ms` without reads or writes (0 turns it off). */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback) this.once('timeout', callback);
    this.touch();
    return this;
  }

  private touch(): void {
    clearTimeout(this.timeoutTimer);
    if (this.timeout > 0 && !this.destroyed) {
      this.timeoutTimer = setTimeout(() => this.emit('timeout'), this.timeout);
      this.timeoutTimer.unref();
    }
  }
}
