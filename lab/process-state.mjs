// Process and file-system helpers shared by the private engines (Docker, Podman), the tests,
// the benchmarks and the demo. Plain node ESM; types in process-state.d.mts.
// Every process is addressed by its own pid, and only when its command line proves it is ours.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

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

/** The command line of a process, arguments joined by spaces ('' when gone). */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** pid from a pid file, only when alive and its command line contains `mustContain`. */
export function pidFromFile(file, mustContain) {
  let pid;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  return isProcessAlive(pid) && commandLine(pid).includes(mustContain) ? pid : undefined;
}

/** Send a signal; a process that is already gone is fine. */
export function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once `pid` is gone, false after `timeoutMs`. */
export async function waitDead(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGTERM, wait `graceMs`, then SIGKILL and wait 5 s more. Resolves true when it had to SIGKILL. */
export async function terminate(pid, graceMs) {
  signal(pid, 'SIGTERM');
  if (await waitDead(pid, graceMs)) return false;
  signal(pid, 'SIGKILL');
  await waitDead(pid, 5_000);
  return true;
}

/** The last `lines` lines of a log file, without lines containing `drop` (e.g. grpc chatter). */
export async function tailFile(file, lines = 40, drop = undefined) {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .trimEnd()
      .split('\n')
      .filter((line) => !drop || !line.includes(drop))
      .slice(-lines)
      .join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/**
 * Run a command (argv, no shell); never rejects.
 * @returns {Promise<{ stdout: string, stderr: string, code: number | null, signal: string | null, error?: Error }>}
 */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        resolve({
          stdout: String(stdout),
          stderr: String(stderr),
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          signal: error?.signal ?? null,
          ...(error ? { error } : {}),
        });
      },
    );
    // Progress of a long run (a first build) as it happens, besides the collected stderr.
    if (options.onStderr) child.stderr?.on('data', (chunk) => options.onStderr(String(chunk)));
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** KEY=VALUE lines (as the start-*.sh scripts print them) as a Map. */
export function parseKeyValueLines(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) out.set(match[1], match[2]);
  }
  return out;
}

/** Lazily unmount everything mounted at or below `prefix` (deepest first). */
export async function unmountUnder(prefix) {
  let info;
  try {
    info = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const points = info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point) => !!point && (point === prefix || point.startsWith(`${prefix}/`)))
    .sort((left, right) => right.length - left.length);
  for (const point of points) await runCommand('umount', ['-l', point]);
}

/**
 * Runs `script` (bash, with `args` as $1...) from a detached helper if this process exits before
 * the returned function is called: the last word on an engine whose dispose() never finished
 * (vitest's teardownTimeout). `args()` is read at exit, so it sees the pids of that moment.
 */
export function runOnProcessExit(script, args) {
  const hook = () => {
    const child = spawn('bash', ['-c', script, 'opsdeck-reaper', ...args()], { detached: true, stdio: 'ignore' });
    child.unref();
  };
  process.once('exit', hook);
  return () => {
    process.removeListener('exit', hook);
  };
}
