// One multiplexing master (`ssh -o ControlMaster=yes`) on a control socket in a private temp directory: it
// connects, verifies the host key and authenticates once; each Docker API connection is then a
// light `ssh -o ControlMaster=no` client session through it (measured on this machine: 0.25 s
// per connection through a master against 0.7 s for a full ssh connection each time).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { describeSshFailure, SshFailure } from './ssh-failure';
import { sshMasterArguments, type SshTarget } from './ssh-target';

/** sshd's default MaxSessions (10) is what one connection may carry, the master's own session included. */
export const SESSIONS_PER_MASTER = 9;
const READY_POLL_MS = 20;
const READY_GRACE_SECONDS = 10;
const MAX_STDERR_CHARS = 8192;

export class SshMaster {
  /** Client sessions counted against this master, including those still starting. */
  sessions = 0;
  capacity = SESSIONS_PER_MASTER;
  /** Set once the master has exited; the error says why. */
  failure: Error | undefined;
  readonly ready: Promise<void>;
  /** Resolves with the reason once the master has exited. */
  readonly exited: Promise<Error>;
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private readyTimer: NodeJS.Timeout | undefined;
  private timedOut = false;

  constructor(
    target: SshTarget,
    readonly controlPath: string,
    onExit: (master: SshMaster) => void,
  ) {
    const readyTimeoutMs = (target.connectTimeoutSeconds + READY_GRACE_SECONDS) * 1000;
    this.child = spawn('ssh', sshMasterArguments(target, controlPath), { stdio: ['pipe', 'pipe', 'pipe'] });
    // Never keeps opsdeck running by itself; killed on exit (SshDockerAgent).
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as { unref?(): void }).unref?.();
    this.child.stdin.on('error', () => undefined);
    this.child.stdout.resume();
    // Nothing is ever written: the pipe only closes, when opsdeck ends (see sshMasterArguments).
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-MAX_STDERR_CHARS);
    });
    const exited = (this.exited = new Promise<Error>((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'ENOENT' ? "the ssh command was not found (install OpenSSH's client)" : `cannot run ssh: ${error.message}`;
        resolve(new SshFailure(`ssh ${target.host}: ${why}`, 'failed'));
      });
      this.child.once('close', (code, signal) => {
        clearTimeout(this.readyTimer);
        if (this.timedOut) resolve(new SshFailure(`ssh ${target.host}: no connection after ${readyTimeoutMs / 1000} s`, 'failed'));
        else void describeSshFailure(target, this.stderr, signal ? null : code).then(resolve);
      });
    }).then((error) => {
      this.failure = error;
      onExit(this);
      return error;
    }));
    this.ready = new Promise<void>((resolve, reject) => {
      let waiting = true;
      void exited.then((error) => {
        waiting = false;
        reject(error);
      });
      const poll = (): void => {
        if (!waiting) return;
        void stat(controlPath).then(
          () => {
            waiting = false;
            clearTimeout(this.readyTimer);
            resolve();
          },
          () => setTimeout(poll, READY_POLL_MS).unref(),
        );
      };
      poll();
    });
    this.ready.catch(() => undefined);
    // ConnectTimeout covers the connection and key exchange; this also bounds authentication.
    this.readyTimer = setTimeout(() => {
      this.timedOut = true;
      this.child.kill('SIGTERM');
    }, readyTimeoutMs);
    this.readyTimer.unref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  get hasRoom(): boolean {
    return this.alive && this.sessions < this.capacity;
  }

  stop(): void {
    if (this.alive) this.child.kill('SIGTERM');
  }
}
