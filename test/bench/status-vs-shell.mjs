// Bench 4: `opsdeck status --json` with 100 containers beside the runbooks' morning checklist as
// a shell loop (docker ps; docker stats --no-stream; per container
// `docker logs --since 1h <c> 2>&1 | grep -ci error`). Median of BENCH_STATUS_RUNS (default 3).
// Goal: opsdeck >= 5x faster.
import { spawn } from 'node:child_process';
import { defaultDockerCli } from '../../lab/stack.mjs';
import { BUNDLE, envNumber, fmtMs, median, nonCiEnv, now, row, say } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 100;

function timed(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: now() - t0, code, stdout: Buffer.concat(out).toString(), stderr: err }));
  });
}

const CHECKLIST = `
set -u
docker() { "$DOCKER_CLI" "$@"; }
docker ps
docker stats --no-stream
for c in $(docker ps --format '{{.Names}}'); do
  printf '%s %s\\n' "$c" "$(docker logs --since 1h "$c" 2>&1 | grep -ci error)"
done
`;

export async function run(engine) {
  await engine.ensureFiller(N);
  const runs = envNumber('BENCH_STATUS_RUNS', 3);
  const env = nonCiEnv({ DOCKER_HOST: engine.dockerHost, DOCKER_CLI: defaultDockerCli(), HOME: engine.workDir, XDG_CONFIG_HOME: `${engine.workDir}/.config` });
  const status = [];
  const shell = [];
  let snapshotInfo = '';
  for (let i = 0; i < runs; i++) {
    const r = await timed('node', [BUNDLE, 'status', '--json', '--docker-host', engine.dockerHost], { env, cwd: engine.workDir });
    if (r.code !== 0) throw new Error(`opsdeck status --json exited ${r.code}: ${r.stderr.slice(-2000)}`);
    let snap;
    try {
      snap = JSON.parse(r.stdout);
    } catch (e) {
      throw new Error(`opsdeck status --json printed invalid JSON (${e.message}): ${r.stdout.slice(0, 500)}`);
    }
    const containers = (snap.services ?? []).reduce((n, s) => n + (s.containers?.length ?? 0), 0);
    const withStats = (snap.services ?? []).reduce((n, s) => n + (s.containers ?? []).filter((c) => c.stats).length, 0);
    snapshotInfo = `${snap.services?.length ?? '?'} services, ${containers} containers (${withStats} with stats), engines ${(snap.engines ?? []).map((e) => e.state).join(',')}, ${r.stdout.length} bytes of JSON`;
    if (containers < N) throw new Error(`opsdeck status --json listed ${containers} containers, expected >= ${N}`);
    status.push(r.ms);
    const sh = await timed('bash', ['-c', CHECKLIST], { env });
    if (sh.code !== 0) throw new Error(`checklist shell loop exited ${sh.code}: ${sh.stderr.slice(-2000)}`);
    shell.push(sh.ms);
  }
  const m = median(status);
  const mShell = median(shell);
  const speedup = mShell / m;
  const ok = speedup >= 5;
  say(`  runs (ms): opsdeck status --json ${status.map(Math.round).join(' ')} | shell checklist ${shell.map(Math.round).join(' ')}; snapshot: ${snapshotInfo}`);
  const line = `status --json (100 containers): ${fmtMs(m)} vs shell checklist ${fmtMs(mShell)}; ${speedup.toFixed(1)}x faster; goal >= 5x -> ${ok ? 'MET' : 'MISSED'}`;
  say(line);
  return {
    lines: [line],
    rows: [row('4 status --json (100 ctrs)', 'median wall time', fmtMs(m), '>= 5x faster than shell', `${speedup.toFixed(1)}x faster than ${fmtMs(mShell)} ${ok ? 'MET' : 'MISSED'}`)],
    data: { status, shell, snapshotInfo },
  };
}

standalone(import.meta.url, run);
