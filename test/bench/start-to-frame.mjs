// Bench 1: start to first complete frame with 50 containers, beside `docker ps` and `node -e 0`.
// Goal: <= 350 ms and <= 2x `docker ps`. Median of BENCH_RUNS (default 7) runs each, interleaved.
// Variants at scale (run-all: `start-to-frame-200` before idle-cpu, `start-to-frame-1000` after the
// 500-container benchmarks): the same measure with 200 containers (goal <= 500 ms) and 1,000
// (goal <= 1 s), docker ps beside each.
import { spawn } from 'node:child_process';
import { defaultDockerCli } from '../../lab/stack.mjs';
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { PtySession } from './lib/pty.mjs';
import { envNumber, fmtMs, mainThreadCpuMs, median, nonCiEnv, now, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

/** Containers and goal of each variant. */
const VARIANTS = {
  50: { goalMs: 350, psRatio: 2 },
  200: { goalMs: 500 },
  1000: { goalMs: 1000 },
};

function timeProcess(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function timeCockpitFrame(engine, N) {
  const s = openCockpit(engine);
  try {
    // The main thread's CPU when the complete frame arrives: what the start cost opsdeck itself,
    // far less moved by the machine's load than the wall time.
    let pid;
    let cpuMs = NaN;
    s.programPid('node', 30_000).then((found) => (pid = found), () => undefined);
    const complete = completeFrame(N);
    const first = s.waitFor((text) => text.trim() !== '', 30_000, 'first output');
    first.catch(() => undefined); // reported through the complete-frame wait
    const t = await s.waitFor(
      (text) => {
        if (!complete(text)) return false;
        if (pid !== undefined && Number.isNaN(cpuMs)) cpuMs = mainThreadCpuMs(pid) ?? NaN;
        return true;
      },
      30_000,
      `first complete frame with ${N} containers`,
    );
    return { ms: t - s.startedAt, firstMs: (await first) - s.startedAt, cpuMs, screen: s.text() };
  } finally {
    await s.stop();
  }
}

/** node -e 0 inside the same pty wrapper (the fixed cost of script + stty + exec). */
async function timePtyNode() {
  const s = new PtySession(['node', '-e', '0']);
  const t0 = s.startedAt;
  await s.exitPromise;
  return now() - t0;
}

async function runWith(engine, N) {
  const { goalMs, psRatio } = VARIANTS[N];
  await engine.ensureFiller(N);
  const runs = envNumber('BENCH_RUNS', 7);
  const env = nonCiEnv({ DOCKER_HOST: engine.dockerHost });
  const docker = defaultDockerCli();
  const cockpit = [];
  const dockerPs = [];
  const nodeE0 = [];
  const ptyNode = [];
  const firstText = [];
  const cpu = [];
  let lastScreen = '';
  // one warm-up of each (page cache, dockerd caches); not counted
  await timeProcess(docker, ['ps'], env);
  await timeProcess('node', ['-e', '0'], env);
  lastScreen = (await timeCockpitFrame(engine, N)).screen;
  for (let i = 0; i < runs; i++) {
    dockerPs.push(await timeProcess(docker, ['ps'], env));
    nodeE0.push(await timeProcess('node', ['-e', '0'], env));
    ptyNode.push(await timePtyNode());
    const r = await timeCockpitFrame(engine, N);
    cockpit.push(r.ms);
    firstText.push(r.firstMs);
    cpu.push(r.cpuMs);
    lastScreen = r.screen;
    await sleep(300);
  }
  const m = median(cockpit);
  const mPs = median(dockerPs);
  const ratio = m / mPs;
  const ok = m <= goalMs && (psRatio === undefined || ratio <= psRatio);
  const goal = `<= ${goalMs} ms${psRatio === undefined ? '' : ` and <= ${psRatio}x docker ps`}`;
  const name = N === 50 ? 'start-to-frame' : `start-to-frame-${N}`;
  say(`  runs (ms): opsdeck ${cockpit.map(Math.round).join(' ')} | docker ps ${dockerPs.map(Math.round).join(' ')} | node -e 0 ${nodeE0.map(Math.round).join(' ')} | node -e 0 in the pty wrapper ${ptyNode.map(Math.round).join(' ')}`);
  say(`  opsdeck's first text on screen (any frame, e.g. "connecting"): median ${fmtMs(median(firstText))} (${firstText.map(Math.round).join(' ')})`);
  say(`  opsdeck's main-thread CPU until that frame: median ${fmtMs(median(cpu))} (${cpu.map(Math.round).join(' ')})`);
  if (process.env.BENCH_SHOW_SCREEN) say(`  first complete frame:\n${lastScreen}`);
  const line = `${name}: ${fmtMs(m)} with ${N} containers (docker ps ${fmtMs(mPs)}, node -e 0 ${fmtMs(median(nodeE0))}, node -e 0 in pty ${fmtMs(median(ptyNode))}) ratio ${ratio.toFixed(1)}x docker ps; goal ${goal} -> ${ok ? 'MET' : 'MISSED'}`;
  say(line);
  return {
    lines: [line],
    rows: [row(`1 ${name} (${N} ctrs)`, 'median first complete frame', fmtMs(m), goal, `${ratio.toFixed(1)}x docker ps (${fmtMs(mPs)}) ${ok ? 'MET' : 'MISSED'}`)],
    data: { containers: N, cockpit, firstText, cpu, dockerPs, nodeE0, ptyNode, screen: lastScreen },
  };
}

export function run(engine) {
  return runWith(engine, 50);
}

/** 200 containers (run-all: `start-to-frame-200`, after the 100-container benchmarks; only when named or in a full run, so `start-to-frame` alone stays at 50). */
export const at200 = { run: (engine) => runWith(engine, 200), BY_NAME_ONLY: true };

/** 1,000 containers (run-all: `start-to-frame-1000`, after the 500-container benchmarks; 500 more to start). */
export const at1000 = { run: (engine) => runWith(engine, 1000), BY_NAME_ONLY: true };

standalone(import.meta.url, run);
