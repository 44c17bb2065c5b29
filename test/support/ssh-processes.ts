import { readdirSync, readFileSync } from 'node:fs';

/** Pids of `ssh` client processes (not sshd) whose arguments include `argument`, e.g. a port. */
export function sshProcessesFor(argument: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0] === 'ssh' && argv.includes(argument)) found.push(pid);
  }
  return found;
}
