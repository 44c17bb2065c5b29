// Runs a command in a 120x40 pseudo-terminal through util-linux `script`, so Ink sees a real TTY:
//   script -qfc "stty cols 120 rows 40; exec node dist/opsdeck.mjs ..." /dev/null
// Keys go to script's stdin, terminal bytes come from its stdout (timestamped), and a small
// terminal emulator (vt.mjs) keeps the current screen for predicates.
import { spawn } from 'node:child_process';
import { Screen } from './vt.mjs';
import { BUNDLE, ROOT, childrenOf, commOf, isAlive, nonCiEnv, now, shq, sleep, waitDead } from './util.mjs';

export const COLS = 120;

/** Sessions still running (stopped on SIGINT/SIGTERM by the harness). */
export const liveSessions = new Set();

export async function stopAllSessions() {
  await Promise.all([...liveSessions].map((s) => s.stop().catch(() => undefined)));
}
export const ROWS = 40;

export class PtySession {
  /**
   * @param {string[]} argv the program and its arguments (run with exec inside the pty)
   * @param {{ env?: Record<string,string>, cwd?: string, cols?: number, rows?: number }} [opts]
   */
  constructor(argv, opts = {}) {
    this.cols = opts.cols ?? COLS;
    this.rows = opts.rows ?? ROWS;
    this.screen = new Screen(this.cols, this.rows);
    this.decoder = new TextDecoder('utf-8');
    /** Total terminal bytes received. */
    this.bytes = 0;
    /** Number of data chunks received (about one per frame with script -f). */
    this.chunks = 0;
    /** Arrival time (performance.now()) of the latest chunk. */
    this.lastDataAt = 0;
    this.stderr = '';
    this.exited = false;
    this.exitCode = undefined;
    /** @type {Array<() => void>} */
    this.listeners = [];
    /** Optional raw capture (enable with keepRaw). */
    this.raw = opts.keepRaw ? [] : undefined;
    const cmd = `stty cols ${this.cols} rows ${this.rows}; exec ${argv.map(shq).join(' ')}`;
    this.startedAt = now();
    this.child = spawn('script', ['-qfc', cmd, '/dev/null'], {
      env: nonCiEnv(opts.env),
      cwd: opts.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (buf) => {
      const t = now();
      this.bytes += buf.length;
      this.chunks++;
      this.lastDataAt = t;
      if (this.raw) this.raw.push(buf);
      this.screen.write(this.decoder.decode(buf, { stream: true }));
      for (const l of [...this.listeners]) l(t);
    });
    this.child.stderr.on('data', (b) => {
      if (this.stderr.length < 20000) this.stderr += b.toString();
    });
    this.child.stdin.on('error', () => undefined);
    this.exitPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        this.exitCode = code ?? signal;
        for (const l of [...this.listeners]) l(now());
        resolve(this.exitCode);
      });
    });
    this.scriptPid = this.child.pid;
    liveSessions.add(this);
    this.exitPromise.then(() => liveSessions.delete(this));
  }

  /** Screen text now. */
  text() {
    return this.screen.text();
  }

  /**
   * Resolve with the arrival time of the first chunk after which `pred(text)` holds.
   * @param {(text: string) => boolean} pred
   * @param {number} timeoutMs
   */
  waitFor(pred, timeoutMs, what = 'screen condition') {
    return new Promise((resolve, reject) => {
      if (pred(this.text())) return resolve(this.lastDataAt || now());
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.text()}\nstderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const l = (t) => {
        if (this.exited) {
          off();
          clearTimeout(timer);
          reject(new Error(`opsdeck exited (${this.exitCode}) while waiting for ${what}; screen:\n${this.text()}\nstderr: ${this.stderr.slice(-2000)}`));
          return;
        }
        if (pred(this.text())) {
          off();
          clearTimeout(timer);
          resolve(t);
        }
      };
      const off = () => {
        this.listeners = this.listeners.filter((x) => x !== l);
      };
      this.listeners.push(l);
    });
  }

  /** Resolve with the arrival time of the next chunk (or undefined after timeoutMs). */
  nextData(timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(undefined);
      }, timeoutMs);
      const l = (t) => {
        off();
        clearTimeout(timer);
        resolve(this.exited ? undefined : t);
      };
      const off = () => {
        this.listeners = this.listeners.filter((x) => x !== l);
      };
      this.listeners.push(l);
    });
  }

  /** Wait until no output arrived for quietMs (or maxMs passed); resolves true when quiet. */
  async waitQuiet(quietMs, maxMs) {
    const deadline = now() + maxMs;
    for (;;) {
      const since = now() - (this.lastDataAt || this.startedAt);
      if (since >= quietMs) return true;
      if (now() > deadline) return false;
      await sleep(Math.max(5, Math.min(quietMs - since, deadline - now())));
    }
  }

  write(keys) {
    this.child.stdin.write(keys);
  }

  /** pid of the program inside the pty: script -> (sh exec'd into) the program. */
  async programPid(comm = 'node', timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const c of childrenOf(this.scriptPid)) {
        if (commOf(c) === comm) return c;
        for (const g of childrenOf(c)) if (commOf(g) === comm) return g;
      }
      await sleep(20);
    }
    throw new Error(`no ${comm} process under script pid ${this.scriptPid}`);
  }

  /** Stop: SIGTERM to the program by pid (opsdeck restores the terminal), then script. */
  async stop() {
    if (this.exited) return;
    let pid;
    try {
      pid = await this.programPid('node', 500);
    } catch {
      pid = undefined;
    }
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      if (!(await waitDead(pid, 5000))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
        await waitDead(pid, 2000);
      }
    }
    const t = setTimeout(() => {
      if (!this.exited && this.scriptPid && isAlive(this.scriptPid)) {
        try {
          process.kill(this.scriptPid, 'SIGKILL');
        } catch {}
      }
    }, 3000);
    this.child.stdin.end();
    await this.exitPromise;
    clearTimeout(t);
  }
}

/** Start the opsdeck cockpit in a pty against dockerHost. */
export function startCockpit(dockerHost, { env, cwd, extraArgs = [] } = {}) {
  return new PtySession([...bundleCommand(), '--docker-host', dockerHost, ...extraArgs], { env, cwd });
}

/**
 * How a bench starts the cockpit: the bundle run as the installed `opsdeck` command runs it,
 * through its first line (which picks node and the bundle's heap flags); with BENCH_NODE_FLAGS
 * (split on spaces, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`) `node FLAGS BUNDLE` instead, the
 * given flags replacing the bundle's own.
 */
export function bundleCommand(bundle = BUNDLE) {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return flags.length > 0 ? ['node', ...flags, bundle] : [bundle];
}
