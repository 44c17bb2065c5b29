// The http.Agent dockerode uses for an ssh:// engine: every HTTP connection to the Docker API is
// `ssh ... -- host docker system dial-stdio` (as the docker CLI does), its stdin and stdout the
// socket. Connections share multiplexing masters (ssh ControlMaster, SESSIONS_PER_MASTER each)
// whose control sockets live in a private temp directory removed on destroy() and on exit.
// Host keys are checked by ssh itself against known_hosts (StrictHostKeyChecking=yes).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, type ClientRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { ChildProcessSocket } from './child-process-socket';
import { describeSshFailure, SshFailure, stderrLines } from './ssh-failure';
import { SshMaster } from './ssh-master';
import { sshDialArguments, type SshTarget } from './ssh-target';

/** An idle keep-alive connection holds a remote `docker system dial-stdio`: not for long. */
const IDLE_CONNECTION_MS = 15_000;
/** A master without sessions for this long is stopped. */
const IDLE_MASTER_MS = 30_000;
/** How long a failed session waits for its master's reason. */
const MASTER_EXIT_WAIT_MS = 500;

export class SshDockerAgent extends Agent {
  private readonly masters = new Set<SshMaster>();
  private directory: string | undefined;
  private masterCount = 0;
  private readonly idleTimers = new WeakMap<Duplex, NodeJS.Timeout>();
  private idleMasterTimer: NodeJS.Timeout | undefined;
  private readonly onProcessExit = (): void => this.stopMasters();

  constructor(readonly target: SshTarget) {
    super({ keepAlive: true, maxFreeSockets: 4 });
  }

  override createConnection(_options: unknown, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    this.openConnection().then(
      (socket) => callback(null, socket),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
    return undefined;
  }

  // node:http returns whether the socket is kept (its types say void).
  override keepSocketAlive(socket: Duplex): boolean {
    const kept = (super.keepSocketAlive as (socket: Duplex) => boolean).call(this, socket);
    if (kept) {
      const timer = setTimeout(() => socket.destroy(), IDLE_CONNECTION_MS);
      timer.unref();
      this.idleTimers.set(socket, timer);
    }
    return kept;
  }

  override reuseSocket(socket: Duplex, request: ClientRequest): void {
    clearTimeout(this.idleTimers.get(socket));
    super.reuseSocket(socket as never, request);
  }

  /** Closes every connection, stops the masters and removes their directory. */
  override destroy(): void {
    super.destroy();
    this.stopMasters();
  }

  private async openConnection(): Promise<Duplex> {
    const master = this.masterWithRoom();
    master.sessions += 1;
    try {
      await master.ready;
    } catch (error) {
      master.sessions -= 1;
      throw error;
    }
    const child = spawn('ssh', sshDialArguments(this.target, master.controlPath), { stdio: ['pipe', 'pipe', 'pipe'] });
    const socket = new ChildProcessSocket(
      child,
      (stderr, exitCode) => this.describeExit(master, stderr, exitCode),
      (output) =>
        new SshFailure(
          `ssh ${this.target.host}: the remote side wrote ${output} before docker's answer: a login file of the remote user (such as ~/.bashrc) prints on non-interactive sessions, and it must print nothing there`,
          'failed',
        ),
    );
    clearTimeout(this.idleMasterTimer);
    socket.once('close', () => {
      master.sessions -= 1;
      this.scheduleIdleMasterStop();
    });
    return socket;
  }

  /**
   * A client session failed. When it says nothing, its master is usually going down with the
   * connection: the master's reason ("Connection to ... closed by remote host") says more.
   */
  private async describeExit(master: SshMaster, stderr: string, exitCode: number | null): Promise<Error> {
    if (/Session open refused by peer/i.test(stderr)) master.capacity = Math.max(1, master.sessions - 1);
    if (stderrLines(stderr).length === 0) {
      const masterFailure = await Promise.race([master.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), MASTER_EXIT_WAIT_MS).unref())]);
      if (masterFailure) return masterFailure;
    }
    return describeSshFailure(this.target, stderr, exitCode);
  }

  private masterWithRoom(): SshMaster {
    for (const master of this.masters) if (master.hasRoom) return master;
    if (!this.directory) {
      // Short on purpose: a control socket path must fit in 108 bytes.
      this.directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-ssh-'));
      process.once('exit', this.onProcessExit);
    }
    this.masterCount += 1;
    const master = new SshMaster(this.target, path.join(this.directory, `m${this.masterCount}`), (gone) => {
      this.masters.delete(gone);
    });
    this.masters.add(master);
    return master;
  }

  private scheduleIdleMasterStop(): void {
    clearTimeout(this.idleMasterTimer);
    this.idleMasterTimer = setTimeout(() => {
      for (const master of this.masters) {
        if (master.sessions === 0) {
          this.masters.delete(master);
          master.stop();
        }
      }
    }, IDLE_MASTER_MS);
    this.idleMasterTimer.unref();
  }

  private stopMasters(): void {
    clearTimeout(this.idleMasterTimer);
    for (const master of this.masters) master.stop();
    this.masters.clear();
    if (this.directory) {
      rmSync(this.directory, { recursive: true, force: true });
      this.directory = undefined;
      process.removeListener('exit', this.onProcessExit);
    }
  }
}
