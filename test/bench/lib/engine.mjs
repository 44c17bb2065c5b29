// The benchmarks' own private Docker engine (test/engine/start-docker.sh in a fresh /tmp/ob-XXXX),
// the containers they share (grown 50 -> 100 -> 200 -> 500, reused across benchmarks), and teardown
// by our own pids and paths only.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, LABEL_OPSDECK, dockerCli, startFiller } from '../../engine/stack.mjs';
import { ROOT, fmtBytes, isAlive, say, sleep, waitDead } from './util.mjs';

export const FILLER_PROJECT = 'bench';

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...opts }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`), { stdout, stderr }));
      else resolve(String(stdout));
    });
  });
}

function pidFromFile(file, mustContain) {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return undefined;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return cmd.includes(mustContain) ? pid : undefined;
  } catch {
    return undefined;
  }
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
  const out = await run('bash', [join(ROOT, 'test/engine/start-docker.sh')], {
    env: { ...process.env, ENGINE_DIR: dir },
    timeout: 15 * 60_000,
  });
  const kv = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  if (!kv.DOCKER_HOST) throw new Error(`start-docker.sh printed no DOCKER_HOST:\n${out}`);
  const engine = new Engine(dir, kv, !!reuse);
  say(`engine: ${kv.DOCKER_HOST} (dockerd pid ${kv.DOCKERD_PID}, ready in ${Date.now() - t0} ms${reuse ? ', reused' : ''})`);
  return engine;
}

export class Engine {
  constructor(dir, kv, reused) {
    this.dir = dir;
    this.dockerHost = kv.DOCKER_HOST;
    this.socketPath = this.dockerHost.replace(/^unix:\/\//, '');
    this.execRoot = kv.EXEC_ROOT || join(dir, 'x');
    this.reused = reused;
    this.workDir = join(dir, 'home');
    mkdirSync(this.workDir, { recursive: true });
    /** Container start timings per growth step. */
    this.growth = [];
  }

  pid() {
    return pidFromFile(join(this.dir, 'docker.pid'), this.socketPath);
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

  /** Remove all containers, stop dockerd by pid, unmount and delete the directory. */
  async dispose({ keep = false } = {}) {
    if (keep) {
      say(`engine: kept running (BENCH_KEEP_ENGINE=1): ENGINE_DIR=${this.dir} DOCKER_HOST=${this.dockerHost} pid ${this.pid()}`);
      return;
    }
    const t0 = Date.now();
    const pid = this.pid();
    if (pid) {
      const ids = (await this.docker(['ps', '-aq', '--no-trunc'], { timeoutMs: 60_000 }).catch(() => '')).split('\n').filter(Boolean);
      const batches = [];
      for (let i = 0; i < ids.length; i += 50) batches.push(ids.slice(i, i + 50));
      // two batches at a time
      for (let i = 0; i < batches.length; i += 2) {
        await Promise.all(batches.slice(i, i + 2).map((b) => this.docker(['rm', '-f', '-v', ...b], { timeoutMs: 300_000 }).catch(() => undefined)));
      }
      process.kill(pid, 'SIGTERM');
      if (!(await waitDead(pid, 60_000))) {
        process.kill(pid, 'SIGKILL');
        await waitDead(pid, 5000);
        await this.#reapLeftovers();
      }
    }
    const ctd = pidFromFile(join(this.dir, 'containerd.pid'), join(this.execRoot, 'ctd', 'containerd.sock'));
    if (ctd) {
      process.kill(ctd, 'SIGTERM');
      if (!(await waitDead(ctd, 10_000))) process.kill(ctd, 'SIGKILL');
    }
    await this.#unmountUnder(this.dir);
    let external;
    try {
      external = readlinkSync(join(this.dir, 'exec-root'));
    } catch {}
    if (external) {
      await this.#unmountUnder(external);
      rmSync(external, { recursive: true, force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
    say(`engine: removed containers, stopped dockerd ${pid ?? '(not running)'} and deleted ${this.dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  async #unmountUnder(prefix) {
    let info = '';
    try {
      info = readFileSync('/proc/self/mountinfo', 'utf8');
    } catch {
      return;
    }
    const points = info
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((p) => p && (p === prefix || p.startsWith(prefix + '/')))
      .sort((a, b) => b.length - a.length);
    for (const p of points) await run('umount', ['-l', p]).catch(() => undefined);
  }

  /** After a SIGKILL only: shims and runc containers started by our dockerd (found by our exec root). */
  async #reapLeftovers() {
    const runcRoot = join(this.execRoot, 'runtime-runc', 'moby');
    const ids = existsSync(runcRoot) ? readdirSync(runcRoot) : [];
    for (const id of ids) {
      await run('runc', ['--root', runcRoot, 'kill', '--all', id, 'KILL']).catch(() => undefined);
      await run('runc', ['--root', runcRoot, 'delete', '--force', id]).catch(() => undefined);
    }
    const socks = [join(this.execRoot, 'containerd', 'containerd.sock'), join(this.execRoot, 'ctd', 'containerd.sock')];
    for (const e of readdirSync('/proc')) {
      const p = Number(e);
      if (!Number.isInteger(p) || p <= 1) continue;
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        continue;
      }
      if (cmd.startsWith('/usr/bin/containerd-shim') && socks.some((s) => cmd.includes(`-address ${s}`))) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      }
    }
    const ctd = pidFromFile(join(this.execRoot, 'containerd', 'containerd.pid'), this.execRoot);
    if (ctd) {
      try {
        process.kill(ctd, 'SIGKILL');
      } catch {}
      await sleep(500);
    }
  }
}
