// A child process's stdin and stdout as the socket of one HTTP connection: what node:http needs
// of a socket (read, write, end, destroy, ref/unref, keep-alive and timeout calls) and no more.
// When the child fails, the socket is destroyed with the error `describeExit` makes of its
// stderr, rather than the bare "socket hang up" node:http would report for an early end. A
// connection whose first bytes are not an HTTP answer (a remote login file that prints a
// banner in front of `docker system dial-stdio`) is destroyed with the error `describeNoise`
// makes of what came instead, rather than node's "Parse Error: Expected HTTP/".
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { toDisplayText } from '../../domain/untrusted-text';

const MAX_STDERR_CHARS = 8192;
const HTTP_START = Buffer.from('HTTP/');
/** How much of what is not an answer is read to name it. */
const MAX_NOISE_BYTES = 512;

export class ChildProcessSocket extends Duplex {
  /** Read by node:http's agent (`socket.timeout !== agentTimeout`). */
  timeout = 0;
  private stderr = '';
  private timeoutTimer: NodeJS.Timeout | undefined;
  private exited = false;
  /** The connection's first bytes until they are known to start an HTTP answer (then undefined). */
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    describeExit: (stderr: string, exitCode: number | null) => Promise<Error>,
    private readonly describeNoise: (output: string) => Error = (output) => new Error(`unexpected output instead of an HTTP answer: ${output}`),
  ) {
    super({ allowHalfOpen: false });
    child.stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (this.head !== undefined && !this.checkHead(chunk)) return;
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

  /** False when the connection is refused for what it started with, or its start is still too short to tell. */
  private checkHead(chunk: Buffer): boolean {
    const head = Buffer.concat([this.head ?? Buffer.alloc(0), chunk]);
    const compared = Math.min(head.length, HTTP_START.length);
    if (head.subarray(0, compared).equals(HTTP_START.subarray(0, compared))) {
      if (head.length < HTTP_START.length) {
        this.head = head;
        return false;
      }
      this.head = undefined;
      if (head.length > chunk.length && !this.push(head)) this.child.stdout.pause();
      return head.length === chunk.length;
    }
    // Not an answer: named by its first line with text, once one has arrived (or enough bytes).
    const lines = head.toString('utf8').split(/\r?\n/);
    const complete = lines.slice(0, -1);
    const firstLine = complete.find((line) => line.trim() !== '');
    if (firstLine === undefined && head.length < MAX_NOISE_BYTES) {
      this.head = head;
      return false;
    }
    this.head = undefined;
    const named = firstLine !== undefined && !firstLine.startsWith('HTTP/') ? JSON.stringify(toDisplayText(firstLine).slice(0, 80)) : 'blank lines';
    this.fail(this.describeNoise(named));
    return false;
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
