// Where opsdeck keeps what outlives a process: the journals of runs (private to the operator)
// and the shared directory where operators' processes on one host meet (target locks, approvals).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** $XDG_STATE_HOME/opsdeck, else ~/.local/state/opsdeck (the XDG fallback). */
export function opsdeckStateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdgState = env.XDG_STATE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  if (xdgState && path.isAbsolute(xdgState)) return path.join(xdgState, 'opsdeck');
  return path.join(env.HOME || os.homedir(), '.local', 'state', 'opsdeck');
}

/** <state>/runs, created 0700 on demand: journals hold outputs and inputs of the operator's runs. */
export function runsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const directory = path.join(opsdeckStateDirectory(env), 'runs');
  ensurePrivateDirectory(directory);
  return directory;
}

/** A directory only its owner can enter (created with its parents; an existing one is narrowed to 0700). */
export function ensurePrivateDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(directory);
  if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) fs.chmodSync(directory, 0o700);
}

/**
 * OPSDECK_SHARED_DIR, else /tmp/opsdeck-shared: host-wide, where the opsdeck processes of every
 * operator on the host see each other's target locks and approval requests. Created with mode
 * 1777 like /tmp (the umask would narrow mkdir's mode, hence the chmod).
 */
export function sharedDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const directory = env.OPSDECK_SHARED_DIR || path.join('/tmp', 'opsdeck-shared');
  ensureSharedDirectory(directory, 0o1777);
  return directory;
}

/**
 * A directory every operator can write in. Below the sticky shared root the subdirectories
 * (locks/, approvals/<run>/) are 0777 without the sticky bit: taking over another operator's
 * lock replaces their file, and withdrawing a request removes the approver's file, which a
 * sticky directory forbids between users. A lock is a cooperation between operators, not a
 * security boundary: anyone on the host can already stop the containers it protects.
 */
export function ensureSharedDirectory(directory: string, mode: number = 0o777): void {
  try {
    fs.mkdirSync(directory, { mode });
    fs.chmodSync(directory, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      fs.mkdirSync(path.dirname(directory), { recursive: true });
      return ensureSharedDirectory(directory, mode);
    }
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else's symlink in /tmp would redirect our files: only a real directory is used.
    const stat = fs.lstatSync(directory);
    if (!stat.isDirectory()) throw new Error(`${directory} is not a directory (opsdeck's shared directory for locks and approvals)`);
  }
}

/** <state>/incidents (created 0700 when the first incident is declared): one JSONL journal per incident. */
export function incidentsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(opsdeckStateDirectory(env), 'incidents');
}
