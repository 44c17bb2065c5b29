// Runs every benchmark on one private Docker engine (containers grown 50 -> 100 -> 200 -> 500 -> 1,000 and
// reused), prints each figure as it comes and a summary table at the end. Missed goals never fail
// the process; a harness error does (exit 1), after the other benchmarks ran.
//
//   npm run bench                         (builds first)
//   node test/bench/run-all.mjs           (uses the existing dist/opsdeck.mjs)
//   BENCH_ONLY=start-to-frame,idle-cpu BENCH_FLOOD_SECONDS=60 node test/bench/run-all.mjs
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEngine } from './lib/engine.mjs';
import { installSignalCleanup } from './lib/standalone.mjs';
import { BUNDLE, fmtBytes, say } from './lib/util.mjs';
import * as startToFrame from './start-to-frame.mjs';
import * as unreachableEngine from './unreachable-engine.mjs';
import * as bytesPerSecond from './bytes-per-second.mjs';
import * as statusVsShell from './status-vs-shell.mjs';
import * as idleCpu from './idle-cpu.mjs';
import * as keystrokeLatency from './keystroke-latency.mjs';
import * as logFloodRss from './log-flood-rss.mjs';
import * as runnerOverhead from './runner-overhead.mjs';
import * as wizardKeystroke from './wizard-keystroke.mjs';
import * as kube10kPods from './kube-10k-pods.mjs';
import * as gates50 from './gates-50.mjs';

// Ordered by container count, so the containers are only ever added.
const BENCHES = [
  ['start-to-frame', startToFrame, '1. start to first complete frame, 50 containers'],
  ['unreachable-engine', unreachableEngine, '1b. first frame beside an unreachable engine, 50 containers'],
  ['runner-overhead', runnerOverhead, '6a. playbook runner overhead per step (journal fsync included), 50 containers'],
  ['wizard-keystroke', wizardKeystroke, '6b. wizard keystroke-to-frame while a step streams 1,000 lines/s, 50 containers'],
  ['bytes-per-second', bytesPerSecond, '2. terminal bytes/s in steady state, 50 idle + 1 busy: cell writer, line mode, full redraw'],
  ['gates-50', gates50, '8. 50 gates (http, tcp, command, file) at 5 s: CPU and keystroke-to-frame beside no gates, 50 containers'],
  ['status-vs-shell', statusVsShell, '4. status --json vs the shell checklist, 100 containers'],
  ['start-to-frame-200', startToFrame.at200, '1c. start to first complete frame, 200 containers'],
  ['idle-cpu', idleCpu, '3. idle CPU, 200 containers'],
  ['bytes-per-second-busy', bytesPerSecond.busy, '2b. terminal bytes/s on a busy stack (burner, crash loop, unhealthy, 2 error loggers, 200 idle): cell writer, line mode, full redraw'],
  ['keystroke-latency', keystrokeLatency, '5a. keystroke-to-frame latency, 500 containers'],
  ['log-flood-rss', logFloodRss, '5b. RSS under a 1,000 lines/s log flood, 500 containers'],
  ['start-to-frame-1000', startToFrame.at1000, '1d. start to first complete frame, 1,000 containers (500 more started first)'],
  // Brings its own Kubernetes control plane (ENGINE 'kubernetes'): no Docker engine needed.
  ['kube-10k-pods', kube10kPods, '7. 10,000 pods in one namespace: first frame, RSS, keystroke-to-frame, beside client-node\'s informer'],
];

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main() {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first (npm run bench does)`);
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  // A name selects that bench and its variants (bytes-per-second: also bytes-per-second-busy).
  // A variant that starts many more containers (start-to-frame-1000) is picked by its own name only.
  const picks = (name, mod) => only.some((wanted) => name === wanted || (!mod.BY_NAME_ONLY && name.startsWith(`${wanted}-`)));
  for (const name of only) if (!BENCHES.some(([n]) => n === name)) throw new Error(`BENCH_ONLY: unknown bench ${name} (known: ${BENCHES.map(([n]) => n).join(', ')})`);
  const selected = BENCHES.filter(([name, mod]) => only.length === 0 || picks(name, mod));
  const outDir = process.env.BENCH_OUT_DIR || join(tmpdir(), `opsdeck-bench-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  say(`opsdeck benchmarks: ${selected.map(([n]) => n).join(', ')}; node ${process.version}; details in ${outDir}`);
  let engine;
  installSignalCleanup(() => engine);
  // The Docker engine only when a selected bench uses it.
  if (selected.some(([, mod]) => mod.ENGINE !== 'kubernetes')) engine = await startEngine();
  const results = [];
  let failed = 0;
  try {
    for (const [name, mod, title] of selected) {
      say(`\n== ${title} (load average ${loadavg()})`);
      const tb = Date.now();
      try {
        const r = await mod.run(mod.ENGINE === 'kubernetes' ? undefined : engine);
        results.push({ name, ...r, seconds: Math.round((Date.now() - tb) / 1000), load: loadavg() });
        const { screen, ...data } = r.data ?? {};
        if (screen) writeFileSync(join(outDir, `${name}.screen.txt`), `${screen}\n`);
        writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify({ lines: r.lines, rows: r.rows, data }, null, 2)}\n`);
      } catch (e) {
        failed++;
        say(`${name}: HARNESS ERROR: ${e?.stack ?? e}`);
        results.push({ name, error: String(e?.message ?? e).split('\n')[0], rows: [] });
      }
    }
    const disk = engine ? await engine.diskUsage() : NaN;
    say('\n== Summary');
    const table = [['bench', 'figure', 'value', 'goal', 'ratio / verdict']];
    for (const r of results) {
      if (r.error) table.push([r.name, 'HARNESS ERROR', r.error.slice(0, 60), '', '']);
      for (const x of r.rows) table.push([x.bench, x.metric, x.value, x.goal, x.verdict]);
    }
    const widths = table[0].map((_, i) => Math.max(...table.map((t) => String(t[i]).length)));
    for (const [i, t] of table.entries()) {
      say(t.map((c, j) => String(c).padEnd(widths[j])).join(' | '));
      if (i === 0) say(widths.map((w) => '-'.repeat(w)).join('-|-'));
    }
    say('');
    for (const r of results) for (const l of r.lines ?? []) if (!l.startsWith('  ')) say(l);
    say(`\ncontainer starts: ${(engine?.growth ?? []).map((g) => `${g.from}->${g.to} in ${(g.ms / 1000).toFixed(0)} s (${g.perContainerMs} ms each, engine dir ${fmtBytes(g.disk)})`).join('; ') || 'none (reused)'}`);
    say(`engine dir at the end: ${fmtBytes(disk)}; bench durations (load average after): ${results.map((r) => `${r.name} ${r.seconds ?? '?'} s (${r.load ?? '?'})`).join(', ')}; total ${Math.round((Date.now() - t0) / 1000)} s`);
  } finally {
    await engine?.dispose({ keep: process.env.BENCH_KEEP_ENGINE === '1' });
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
