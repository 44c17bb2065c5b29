// A mutating step holds a lock on its target across the opsdeck processes of the host, so two
// operators on one bastion never restart the same container at once. One file per target in
// <shared>/locks/, named by the sha256 of the target's ref key, holding who has it.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { processIsAlive } from './process-liveness';
import { readSharedJson, removeSharedFileIf, writeSharedFile } from './shared-files';
import { ensureSharedDirectory, sharedDirectory } from './state-directory';

export interface LockHolder {
  operator: string;
  runId: string;
  stepId: string;
  pid: number;
  host: string;
  since: number;
}

export interface TargetLockOptions {
  /** The shared directory (default sharedDirectory()); locks go in its locks/ subdirectory. */
  directory?: string;
}

export type AcquiredLock = { acquired: true; release(): void };
export type LockAttempt = AcquiredLock | { acquired: false; holder: LockHolder };

/** What the lock file holds: the holder, and the target for a human reading the directory. */
type LockFile = LockHolder & { target: string };

/** Acquisitions of one lock file by this process not yet released (re-entrant use by one run). */
const heldCounts = new Map<string, number>();

const ATTEMPTS = 5;

export function targetLockFile(target: string, options: TargetLockOptions = {}): string {
  const directory = path.join(options.directory ?? sharedDirectory(), 'locks');
  ensureSharedDirectory(directory);
  return path.join(directory, `${createHash('sha256').update(target, 'utf8').digest('hex')}.lock`);
}

/** Who holds the target's lock now (stale or not), if anyone. */
export function readTargetLock(target: string, options: TargetLockOptions = {}): LockHolder | undefined {
  const content = readSharedJson<LockFile>(targetLockFile(target, options));
  return content === undefined || content === 'unreadable' ? undefined : holderOf(content);
}

/**
 * The lock on `target` (a ref key) for this run's step. Refused, naming the holder, while
 * another run holds it; a lock whose process is dead on this host is stale and taken; a lock
 * already held by the same run is granted again (re-entrant).
 */
export function acquireTargetLock(target: string, holder: Omit<LockHolder, 'since'>, options: TargetLockOptions = {}): LockAttempt {
  const file = targetLockFile(target, options);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const mine: LockFile = { ...holderOf(holder), since: Date.now(), target };
    if (writeSharedFile(file, JSON.stringify(mine), { exclusive: true })) return granted(file, mine);
    const current = readSharedJson<LockFile>(file);
    if (current === undefined) continue; // released between our two looks
    if (current === 'unreadable') {
      // Files are written whole (link of a complete file): one that is not JSON was damaged by hand.
      removeSharedFileIf<LockFile>(file, (content) => content === 'unreadable');
      continue;
    }
    if (current.runId === holder.runId) {
      // The same run, resumed by a new process: the lock now lives as long as that process.
      if (current.pid !== holder.pid || current.host !== holder.host) writeSharedFile(file, JSON.stringify({ ...mine, since: current.since }), { exclusive: false });
      return granted(file, { ...mine, since: current.since });
    }
    if (!processIsAlive(current.pid, current.host, current.since)) {
      removeSharedFileIf<LockFile>(file, (content) => content !== undefined && content !== 'unreadable' && sameHolder(content, current));
      continue;
    }
    return { acquired: false, holder: holderOf(current) };
  }
  throw new Error(`could not lock ${target}: the lock file ${file} kept changing`);
}

/** Takes the lock whatever holds it (the operator confirmed the takeover; the runner journals it). */
export function takeOverTargetLock(target: string, holder: Omit<LockHolder, 'since'>, options: TargetLockOptions = {}): { release(): void; previous?: LockHolder } {
  const file = targetLockFile(target, options);
  const previous = readSharedJson<LockFile>(file);
  const mine: LockFile = { ...holderOf(holder), since: Date.now(), target };
  writeSharedFile(file, JSON.stringify(mine), { exclusive: false });
  heldCounts.delete(file);
  const { release } = granted(file, mine);
  return previous === undefined || previous === 'unreadable' ? { release } : { release, previous: holderOf(previous) };
}

function granted(file: string, mine: LockFile): AcquiredLock {
  heldCounts.set(file, (heldCounts.get(file) ?? 0) + 1);
  let released = false;
  return {
    acquired: true,
    release(): void {
      if (released) return;
      released = true;
      const remaining = (heldCounts.get(file) ?? 1) - 1;
      if (remaining > 0) {
        heldCounts.set(file, remaining);
        return;
      }
      heldCounts.delete(file);
      // Only our own lock: after a takeover the file is someone else's and stays.
      removeSharedFileIf<LockFile>(file, (content) => content !== undefined && content !== 'unreadable' && content.runId === mine.runId && content.pid === mine.pid && content.host === mine.host);
    },
  };
}

function sameHolder(left: LockHolder, right: LockHolder): boolean {
  return left.runId === right.runId && left.pid === right.pid && left.host === right.host && left.since === right.since;
}

/** The holder fields alone (a file may carry more). */
function holderOf(value: Omit<LockHolder, 'since'> & { since?: number }): LockHolder {
  return { operator: value.operator, runId: value.runId, stepId: value.stepId, pid: value.pid, host: value.host, since: value.since ?? 0 };
}
