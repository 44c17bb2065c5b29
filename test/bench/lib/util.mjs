// Small helpers shared by the benchmarks: timing, statistics, /proc readers, formatting.
import { readFileSync, readdirSync } from 'node:fs';
import { isProcessAlive } from '../../../lab/process-state.mjs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The bundle under test (BENCH_BUNDLE overrides, e.g. to compare two builds). */
export const BUNDLE = process.env.BENCH_BUNDLE || `${ROOT}dist/opsdeck.mjs`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.now();

/** Integer env var with a default. */
export function envNumber(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name}=${v} is not a number`);
  return n;
}

export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export const round = (x, d = 0) => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);

export function fmtMs(x) {
  return Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a';
}

export function fmtBytes(b) {
  if (!Number.isFinite(b)) return 'n/a';
  if (b < 0) return `-${fmtBytes(-b)}`;
  if (b < 1024) return `${Math.round(b)} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 / 1024).toFixed(1)} MB`;
  return `${(b / 1024 ** 3).toFixed(2)} GB`;
}

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime+stime of a process in seconds, or undefined when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14, stime field 15
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** CPU time of a process's main thread (its JavaScript) in ms, from /proc/PID/schedstat (ns), or undefined when it is gone. */
export function mainThreadCpuMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS), or undefined when the process is gone. */
export function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function ppidOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function childrenOf(pid) {
  try {
    const txt = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return txt ? txt.split(/\s+/).map(Number) : [];
  } catch {
    const out = [];
    for (const e of readdirSync('/proc')) {
      const p = Number(e);
      if (Number.isInteger(p) && ppidOf(p) === pid) out.push(p);
    }
    return out;
  }
}

/** Same check as the test engine's. */
export const isAlive = isProcessAlive;

export async function waitDead(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Environment without the variables that make Ink believe it runs in CI (is-in-ci). */
export function nonCiEnv(extra = {}) {
  const env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...extra };
  for (const k of Object.keys(env)) {
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
  }
  for (const k of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'NO_COLOR', 'FORCE_COLOR']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

/** Shell-quote one argument for sh -c. */
export function shq(s) {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** Print a line now (benchmarks print as they go). */
export function say(...parts) {
  process.stdout.write(`${parts.join(' ')}\n`);
}

/** A result row for the summary table. */
export function row(bench, metric, value, goal, verdict) {
  return { bench, metric, value, goal, verdict };
}
