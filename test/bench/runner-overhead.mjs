// Bench 6a: the playbook runner's overhead per step. A 50-step playbook of `note` and
// `container.inspect` steps (alternating, the inspect on a filler container of the bench engine)
// run by `opsdeck run <id> --yes --json` with OPSDECK_RUN_TIMINGS=1, so each step's JSON lines
// carry the runner's phase marks on its monotonic clock. The journal (three fsynced records per
// step: intent, output, result) goes to a real XDG_STATE_HOME on the engine's disk.
//
// Per step k (k >= 2): wall = the time its terminal line was written minus the previous step's;
// action = actionEnd - actionStart (the action definition's run, the engine call included);
// overhead = wall - action. Beside it, in the same run: the same inspect calls made directly on
// the engine socket with node's http module, and a bare append + fsync on the same filesystem.
// BENCH_RUNNER_ROUNDS (8) runs of the playbook. Goal: p99 overhead <= 5 ms.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, fsyncSync, writeSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { BUNDLE, envNumber, fmtMs, now, percentile, row, say } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const STEPS = 50;
const PLAYBOOK_ID = 'bench-runner-overhead';

function playbookYaml(container) {
  const steps = [];
  for (let i = 1; i <= STEPS; i++) {
    const id = `s${String(i).padStart(2, '0')}`;
    if (i % 2 === 1) steps.push(`  - id: ${id}\n    title: note ${i}\n    action: note\n    with: { text: "step ${i} of ${STEPS}" }`);
    else steps.push(`  - id: ${id}\n    title: inspect ${i}\n    action: container.inspect\n    with: { container: "${container}" }`);
  }
  return `id: ${PLAYBOOK_ID}\ntitle: Runner overhead benchmark\ndescription: ${STEPS} alternating note and container.inspect steps (test/bench/runner-overhead.mjs)\nsteps:\n${steps.join('\n')}\n`;
}

const ms3 = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');
const stats = (xs) => `p50 ${ms3(percentile(xs, 50))} p99 ${ms3(percentile(xs, 99))} max ${ms3(Math.max(...xs))} (n=${xs.length})`;

/** One `opsdeck run --json`: its step lines (terminal ones, with timings) and when each line arrived here. */
function runOnce(engine, playbooksDir, env) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn('node', [BUNDLE, '--docker-host', engine.dockerHost, '--playbooks', playbooksDir, 'run', PLAYBOOK_ID, '--yes', '--json'], {
      env,
      cwd: engine.workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    const lines = [];
    child.stdout.on('data', (chunk) => {
      const t = now();
      buffer += chunk;
      let at;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (text.trim()) lines.push({ arrived: t, text });
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const objects = [];
      for (const line of lines) {
        try {
          objects.push({ arrived: line.arrived, value: JSON.parse(line.text) });
        } catch {
          return reject(new Error(`opsdeck run --json printed a line that is not JSON: ${line.text.slice(0, 300)}`));
        }
      }
      resolve({ code, ms: now() - t0, objects, stderr });
    });
  });
}

/** GET /containers/<name>/json on the engine's unix socket: the inspect call with nothing around it. */
function bareInspect(socketPath, name) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const request = http.request({ socketPath, path: `/containers/${encodeURIComponent(name)}/json`, method: 'GET' }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (response.statusCode !== 200) return reject(new Error(`bare inspect ${name}: HTTP ${response.statusCode} ${body.slice(0, 200)}`));
        JSON.parse(body);
        resolve(now() - t0);
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/** A journal-sized line appended and fsynced, as the journal writer does, on the same filesystem. */
function bareFsync(dir, count) {
  const file = join(dir, 'bare-fsync.jsonl');
  const fd = openSync(file, 'a', 0o600);
  const line = Buffer.from(`${JSON.stringify({ seq: 0, at: Date.now(), prev: '0'.repeat(64), type: 'step-result', stepId: 's01', attempt: 1, phase: 'main', verdict: 'passed', durationMs: 1 })}\n`);
  const times = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = now();
      writeSync(fd, line);
      fsyncSync(fd);
      times.push(now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return times;
}

function filesystemOf(dir) {
  try {
    return execFileSync('df', ['--output=fstype,source,target', dir], { encoding: 'utf8' }).trim().split('\n').pop().trim().split(/\s+/).join(' on ').replace(/ on ([^ ]+)$/, ' mounted at $1');
  } catch {
    return 'unknown filesystem';
  }
}

const PHASES = {
  before: 'before the intent',
  intent: 'intent appended+fsync',
  start: 'attempt published',
  result: 'expect+output+result appended+fsyncs',
  publish: 'result published',
};

/** Per-step figures of one run from its terminal step lines (step 1 has no previous end: skipped). */
function stepFigures(objects) {
  const terminal = objects.filter((o) => o.value.type === 'step' && o.value.phase === 'main' && ['passed', 'failed'].includes(o.value.status));
  const failed = terminal.filter((o) => o.value.status !== 'passed');
  if (failed.length) throw new Error(`step ${failed[0].value.id} ${failed[0].value.status}: ${failed[0].value.detail ?? ''}`);
  if (terminal.length !== STEPS) throw new Error(`expected ${STEPS} passed steps, saw ${terminal.length}`);
  const missing = terminal.find((o) => !o.value.timings || o.value.timings.actionEnd === undefined);
  if (missing) throw new Error(`step ${missing.value.id} has no timings: is OPSDECK_RUN_TIMINGS supported by ${BUNDLE}?`);
  const out = [];
  for (let k = 1; k < terminal.length; k++) {
    const t = terminal[k].value.timings;
    const previousEnd = terminal[k - 1].value.timings.at;
    const wall = t.at - previousEnd;
    const action = t.actionEnd - t.actionStart;
    out.push({
      kind: terminal[k].value.action,
      wall,
      action,
      overhead: wall - action,
      // where the overhead goes
      before: t.intent - previousEnd, // next step chosen, `when`, params rendered, described, published
      intent: t.intentWritten - t.intent, // step-intent appended + fsync
      start: t.actionStart - t.intentWritten, // the attempt published (its `running` line)
      result: t.resultWritten - t.actionEnd, // expect, output record (fsync), step-result (fsync)
      publish: t.at - t.resultWritten, // scope, view published, this line written
      outside: terminal[k].arrived - terminal[k - 1].arrived, // seen from this process
    });
  }
  return out;
}

export async function run(engine) {
  await engine.ensureFiller(50);
  const [container] = (await engine.fillerNames()).filter((n) => /-svc-001-1$/.test(n));
  if (!container) throw new Error('no filler container svc-001 on the bench engine');
  const rounds = envNumber('BENCH_RUNNER_ROUNDS', 8);
  const base = join(engine.dir, 'runner-overhead');
  const playbooksDir = join(base, 'playbooks');
  const stateHome = join(base, 'state');
  mkdirSync(playbooksDir, { recursive: true });
  mkdirSync(stateHome, { recursive: true });
  writeFileSync(join(playbooksDir, `${PLAYBOOK_ID}.yaml`), playbookYaml(container));
  const fs = filesystemOf(stateHome);
  say(`  ${STEPS} steps (note / container.inspect ${container}), ${rounds} rounds; journal in ${stateHome} (${fs})`);
  const env = {
    ...process.env,
    HOME: engine.workDir,
    XDG_CONFIG_HOME: join(engine.workDir, '.config'),
    XDG_STATE_HOME: stateHome,
    OPSDECK_SHARED_DIR: join(base, 'shared'),
    OPSDECK_RUN_TIMINGS: '1',
  };
  for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_')) delete env[k];
  const steps = [];
  const bare = [];
  const fsyncs = [];
  const roundMs = [];
  for (let round = 0; round < rounds; round++) {
    const r = await runOnce(engine, playbooksDir, env);
    if (r.code !== 0) throw new Error(`opsdeck run exited ${r.code}: ${r.stderr.slice(-2000)}\n${r.objects.slice(-3).map((o) => JSON.stringify(o.value)).join('\n')}`);
    const end = r.objects.find((o) => o.value.type === 'run');
    if (end?.value.verdict !== 'passed') throw new Error(`run verdict ${end?.value.verdict}: ${end?.value.summary}`);
    steps.push(...stepFigures(r.objects));
    roundMs.push(r.ms);
    // The baselines between rounds, so they see the same machine.
    for (let i = 0; i < STEPS / 2; i++) bare.push(await bareInspect(engine.socketPath, container));
    fsyncs.push(...bareFsync(stateHome, STEPS));
  }
  const pick = (kind, field) => steps.filter((s) => !kind || s.kind === kind).map((s) => s[field]);
  const overhead = pick(undefined, 'overhead');
  const p50 = percentile(overhead, 50);
  const p99 = percentile(overhead, 99);
  const ok = p99 <= 5;
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const mean = (xs) => sum(xs) / xs.length;
  const lines = [
    `runner overhead per step (${STEPS}-step note/inspect playbook, journal fsync on ${fs.split(' ')[0]}): ${stats(overhead)}; goal p99 <= 5 ms -> ${ok ? 'MET' : 'MISSED'}`,
    `  note steps: overhead ${stats(pick('note', 'overhead'))}; action ${stats(pick('note', 'action'))}`,
    `  inspect steps: overhead ${stats(pick('container.inspect', 'overhead'))}; action in the runner ${stats(pick('container.inspect', 'action'))}`,
    `  bare inspect (node http on the engine socket, same run): ${stats(bare)}; bare append+fsync on the same filesystem: ${stats(fsyncs)}`,
    `  where it goes, p50 / mean ms: ${['before', 'intent', 'start', 'result', 'publish'].map((f) => `${PHASES[f]} ${percentile(pick(undefined, f), 50).toFixed(2)} / ${mean(pick(undefined, f)).toFixed(2)}`).join(', ')}`,
    `  overhead without the journal's appends (before + attempt published + result published): ${stats(steps.map((x) => x.before + x.start + x.publish))}`,
    `  step wall: ${stats(pick(undefined, 'wall'))}; seen from outside (line arrivals): mean ${mean(pick(undefined, 'outside')).toFixed(2)} ms vs ${mean(pick(undefined, 'wall')).toFixed(2)} ms inside; whole process per run ${roundMs.map((x) => fmtMs(x)).join(' ')}`,
  ];
  for (const l of lines) say(l);
  return {
    lines,
    rows: [row('6a runner overhead / step', 'p50/p99 wall - action', `${ms3(p50)} / ${ms3(p99)}`, 'p99 <= 5 ms', `${(p99 / 5).toFixed(1)}x goal ${ok ? 'MET' : 'MISSED'}; bare inspect p50 ${ms3(percentile(bare, 50))}`)],
    data: { filesystem: fs, steps, bare, fsyncs, roundMs },
  };
}

standalone(import.meta.url, run);
