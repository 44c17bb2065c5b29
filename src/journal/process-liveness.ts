// Whether the process a journal or a lock names is still the one that wrote it: alive on this
// host and not a newer process that was given the same pid after the writer died.

import fs from 'node:fs';
import os from 'node:os';

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's start time, is 100 on every architecture. */
const CLOCK_TICKS_PER_SECOND = 100;
/** The boot time is given in whole seconds: allow for it and the tick rounding. */
const START_TIME_SLACK_MS = 2000;

/**
 * True when `pid` on `host` is alive. For this host only: another host's process cannot be
 * checked, so it counts as alive. With `notStartedAfter` (when the record was written), a
 * process that started later is a reused pid, so the writer is dead.
 */
export function processIsAlive(pid: number, host: string, notStartedAfter?: number): boolean {
  if (host !== os.hostname()) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's process.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (notStartedAfter === undefined) return true;
  const startedAt = processStartTime(pid);
  return startedAt === undefined || startedAt <= notStartedAfter + START_TIME_SLACK_MS;
}

/** When the process started (ms since epoch), from /proc; undefined where there is no /proc. */
function processStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields count from its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const bootLine = fs.readFileSync('/proc/stat', 'utf8').match(/^btime (\d+)$/m);
    if (!bootLine || !Number.isFinite(startTicks)) return undefined;
    return Number(bootLine[1]) * 1000 + (startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}
