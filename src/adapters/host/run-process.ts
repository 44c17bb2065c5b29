// The one way opsdeck starts a host process (playbook `shell.run` steps, `command` gates):
// node's child_process.spawn on an argv array, never a shell, so `api; rm -rf /` stays one inert
// argument. stdin is closed; stdout and stderr stream to the caller as text. Each process leads a
// process group of its own, so what it starts (`sh -c 'curl … | grep …'`) is stopped with it: a
// timeout or an abort sends SIGTERM to the group, then SIGKILL if the process is still there
// FORCE_KILL_AFTER_MS later; groups still running when the cockpit exits get SIGTERM. It is the
// plain spawn, without a wrapper library's per-run bookkeeping: a 5 s command gate costs the
// cockpit one fork.

import { spawn, type ChildProcess } from 'node:child_process';

/** After SIGTERM on timeout or abort, SIGKILL follows this much later. */
export const FORCE_KILL_AFTER_MS = 2000;
/** After the process exited, how long a descendant that inherited its stdout/stderr may hold them open before they are closed. */
const STREAM_GRACE_MS = 1000;

export interface ProcessRunOptions {
  cwd?: string;
  /** Added to the inherited environment (not instead of it). */
  env?: Record<string, string>;
  /**
   * The environment the process inherits: a plain copy the caller took once (spawn reads every
   * key of it, and a plain object is much cheaper to read than process.env). Default: process.env.
   */
  inherited?: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  signal?: AbortSignal;
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
}

export interface ProcessEnd {
  /** Undefined when a signal ended it. */
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  timedOut: boolean;
}

/** Why the process could not be started (no such program, not executable, no such directory). */
export class ProcessStartError extends Error {}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Signals the child's process group (it is the leader), or the child alone when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) {
      process.kill(-child.pid, signal);
      return;
    }
  } catch {
    /* the group is gone: the child alone, below */
  }
  child.kill(signal);
}

function stopAllOnExit(): void {
  for (const child of running) signalGroup(child, 'SIGTERM');
}

/** Runs argv[0] with argv[1..]; resolves when it ended and its output was read, rejects (ProcessStartError) when it did not start. */
export function runProcess(program: string, args: readonly string[], options: ProcessRunOptions): Promise<ProcessEnd> {
  return new Promise<ProcessEnd>((resolve, reject) => {
    const child = spawn(program, args, {
      shell: false,
      // Its own process group (setsid), so a stop reaches what it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.env !== undefined ? { env: { ...(options.inherited ?? process.env), ...options.env } } : options.inherited !== undefined ? { env: options.inherited } : {}),
    });
    let timedOut = false;
    let settled = false;
    let forceKill: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;

    const stop = (): void => {
      if (child.exitCode !== null || child.signalCode !== null || forceKill !== undefined) return;
      signalGroup(child, 'SIGTERM');
      forceKill = setTimeout(() => signalGroup(child, 'SIGKILL'), FORCE_KILL_AFTER_MS);
    };
    const onAbort = (): void => stop();
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const cleanUp = (): void => {
      clearTimeout(timer);
      clearTimeout(forceKill);
      clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
    };

    child.once('error', (error) => {
      if (settled || child.pid !== undefined) return;
      settled = true;
      cleanUp();
      reject(new ProcessStartError(error.message));
    });
    child.once('exit', () => {
      clearTimeout(forceKill);
      // A background process that inherited the pipes must not keep the run open.
      grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, STREAM_GRACE_MS);
    });
    child.once('close', (exitCode, signal) => {
      if (settled) return;
      settled = true;
      cleanUp();
      resolve({ exitCode: exitCode ?? undefined, signal: signal ?? undefined, timedOut });
    });
    if (child.pid === undefined) return;

    running.add(child);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', stopAllOnExit);
    }
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', options.onStdout);
    child.stderr?.on('data', options.onStderr);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
