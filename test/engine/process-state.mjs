// Process checks shared by the test engine (TypeScript) and the benchmarks (plain node).
import { readFileSync } from 'node:fs';

/** True while `pid` exists and is not a zombie (orphans here may stay zombies for a while). */
export function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat[stat.lastIndexOf(')') + 2];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
