// The benchmarks' own private Docker engine (lab/docker-engine.mjs in a fresh /tmp/ob-XXXX), the
// containers they share (grown 50 -> 100 -> 200 -> 500, reused across benchmarks), and teardown
// by our own pids and paths only.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPrivateDockerd } from '../../../lab/docker-engine.mjs';
import { IMAGE, LABEL_OPSDECK, dockerCli, startFiller } from '../../../lab/stack.mjs';
import { fmtBytes, say } from './util.mjs';

export const FILLER_PROJECT = 'bench';

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...opts }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`), { stdout, stderr }));
      else resolve(String(stdout));
    });
  });
}

/**
 * Start (or, with BENCH_ENGINE_DIR, reuse) a private dockerd.
 * @returns {Promise<Engine>}
 */
export async function startEngine() {
  const reuse = process.env.BENCH_ENGINE_DIR;
  const dir = reuse || mkdtempSync('/tmp/ob-');
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  // 500 containers take a while to stop: a minute before SIGKILL.
  const dockerd = await startPrivateDockerd({ dir, stopTimeoutMs: 60_000 });
  const engine = new Engine(dockerd, !!reuse);
  say(`engine: ${dockerd.dockerHost} (dockerd pid ${dockerd.pid()}, ready in ${Date.now() - t0} ms${reuse ? ', reused' : ''})`);
  return engine;
}

export class Engine {
  constructor(dockerd, reused) {
    this.dockerd = dockerd;
    this.dir = dockerd.dir;
    this.dockerHost = dockerd.dockerHost;
    this.socketPath = dockerd.socketPath;
    this.reused = reused;
    this.workDir = join(this.dir, 'home');
    mkdirSync(this.workDir, { recursive: true });
    /** Container start timings per growth step. */
    this.growth = [];
  }

  pid() {
    return this.dockerd.pid();
  }
  docker(args, opts) {
    return dockerCli(this.dockerHost, args, opts);
  }

  /** Names of the filler containers (project "bench"), running or not. */
  async fillerNames() {
    const out = await this.docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${FILLER_PROJECT}`, '--format', '{{.Names}}']);
    return out.split('\n').filter(Boolean).sort();
  }

  /** Make sure exactly svc-001..svc-N of the filler project exist and run (grows only). */
  async ensureFiller(n) {
    const names = await this.fillerNames();
    const have = new Set(names);
    const extra = names.filter((x) => /-svc-\d{3}-1$/.test(x) && Number(x.match(/svc-(\d{3})/)[1]) > n).length;
    if (extra) say(`engine: note: ${extra} filler containers beyond svc-${String(n).padStart(3, '0')} exist (reused engine): the figures below are for ${n + extra}, not ${n}`);
    let missingFrom = 0;
    for (let i = 1; i <= n; i++) {
      if (!have.has(`${FILLER_PROJECT}-svc-${String(i).padStart(3, '0')}-1`)) {
        missingFrom = i;
        break;
      }
    }
    const stopped = (await this.docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${FILLER_PROJECT}`, '--filter', 'status=exited', '--format', '{{.Names}}']))
      .split('\n')
      .filter(Boolean);
    if (stopped.length) await this.docker(['start', ...stopped], { timeoutMs: 300_000 });
    if (!missingFrom) return { added: 0, ms: 0 };
    const count = n - missingFrom + 1;
    const concurrency = Number(process.env.BENCH_START_CONCURRENCY || 4);
    say(`engine: starting ${count} idle containers (svc-${String(missingFrom).padStart(3, '0')}..svc-${String(n).padStart(3, '0')}, ${concurrency} at a time)...`);
    const r = await startFiller(this.dockerHost, { project: FILLER_PROJECT, count, startAt: missingFrom, concurrency });
    const disk = await this.diskUsage();
    const step = { from: missingFrom - 1, to: n, ms: r.ms, perContainerMs: Math.round(r.ms / count), disk };
    this.growth.push(step);
    say(`engine: ${n} filler containers; started ${count} in ${(r.ms / 1000).toFixed(1)} s (${step.perContainerMs} ms each), engine dir ${fmtBytes(disk)}`);
    return { added: count, ms: r.ms };
  }

  /** docker run -d with our labels; returns the id. */
  async runContainer(name, args, command) {
    await this.docker(['rm', '-f', name]).catch(() => undefined);
    return this.docker([
      'run', '-d', '--name', name, '--network', 'none', '--init',
      '--label', 'com.docker.compose.project=benchx',
      '--label', `com.docker.compose.service=${name}`,
      '--label', 'com.docker.compose.container-number=1',
      '--label', `${LABEL_OPSDECK}=1`,
      ...args, IMAGE, 'sh', '-c', command,
    ]);
  }

  async removeContainers(names) {
    if (names.length) await this.docker(['rm', '-f', '-v', ...names], { timeoutMs: 120_000 }).catch(() => undefined);
  }

  /** Bytes used by the engine directory (data root, logs). */
  async diskUsage() {
    try {
      const out = await run('du', ['-sb', this.dir], { timeout: 120_000 });
      return Number(out.split(/\s/)[0]);
    } catch (e) {
      const m = /^(\d+)/.exec(String(e.stdout || ''));
      return m ? Number(m[1]) : NaN;
    }
  }

  /** Kill all containers, stop dockerd by pid, unmount and delete the directory (lab/docker-engine.mjs). */
  async dispose({ keep = false } = {}) {
    if (keep) {
      say(`engine: kept running (BENCH_KEEP_ENGINE=1): ENGINE_DIR=${this.dir} DOCKER_HOST=${this.dockerHost} pid ${this.pid()}`);
      return;
    }
    const t0 = Date.now();
    const pid = this.pid();
    await this.dockerd.dispose();
    say(`engine: removed containers, stopped dockerd ${pid ?? '(not running)'} and deleted ${this.dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}
