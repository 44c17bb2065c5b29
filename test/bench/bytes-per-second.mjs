// Bench 2: terminal bytes per second in steady state, each screen measured three ways in the same
// run: the cell writer (the default: only changed cells), Ink's line mode (OPSDECK_LINE_REDRAW=1:
// every changed line rewritten whole) and full redraws (OPSDECK_FULL_REDRAW=1).
//  - `run`: 50 idle containers + 1 CPU burner (--cpus 0.5, service svc-000 so it sorts first),
//    BENCH_BPS_SECONDS (20) after BENCH_SETTLE_SECONDS (10). Goal: <= 2 KB/s and <= 1/10 of full.
//  - `busy.run`: the busy stack of issue 9 — project `app` (listed first) with a burner (0.5 CPU),
//    a crash loop (restart always), an unhealthy service and two services logging an ERROR every
//    1-3 s, beside 200 idle containers — BENCH_BUSY_SECONDS (30) after BENCH_BUSY_SETTLE_SECONDS (15).
//    Goal: <= 1.5 KB/s and <= 1/20 of full redraws.
import { IMAGE, composeLabels } from '../../lab/stack.mjs';
import { completeFrame, isConnected, openCockpit, visibleServices } from './lib/cockpit.mjs';
import { cpuSeconds, envNumber, fmtBytes, row, rssBytes, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 50;
const BURNER = 'bench-svc-000-1';

const MODES = [
  { id: 'cells', label: 'cell writer', env: {} },
  { id: 'lines', label: 'line mode', env: { OPSDECK_LINE_REDRAW: '1' } },
  { id: 'full', label: 'full redraw', env: { OPSDECK_FULL_REDRAW: '1' } },
];

/** One cockpit in one mode: bytes, frames and escape counts over the window after settling. */
async function measure(engine, env, { ready, settleMs, windowMs, what }) {
  const s = openCockpit(engine, env);
  try {
    await s.waitFor(ready, 60_000, what);
    const pid = await s.programPid('node');
    await sleep(settleMs);
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const b0 = s.bytes;
    const c0 = s.chunks;
    const { clearScreen: clear0, syncEnd: f0, eraseLine: e0, eraseEndLine: r0 } = s.screen.counts;
    await sleep(windowMs);
    const cpu1 = cpuSeconds(pid);
    // opsdeck's utime+stime over the window, % of one core (the idle-cost goal of the busy stack)
    const cpuPercent = cpu0 !== undefined && cpu1 !== undefined ? ((cpu1 - cpu0) / ((performance.now() - t0) / 1000)) * 100 : NaN;
    const rss = rssBytes(pid);
    const bytes = s.bytes - b0;
    const chunks = s.chunks - c0;
    // Frames: Ink wraps each frame in a synchronized update (ESC[?2026h ... ESC[?2026l);
    // without those, count the reads from the pty.
    const syncFrames = s.screen.counts.syncEnd - f0;
    const frames = syncFrames > 0 ? syncFrames : chunks;
    const text = s.text();
    return {
      cpuPercent,
      rss,
      bps: bytes / (windowMs / 1000),
      bytes,
      chunks,
      frames,
      perFrame: frames ? bytes / frames : 0,
      eraseLinesPerFrame: frames ? (s.screen.counts.eraseLine - e0) / frames : 0,
      // line mode rewrites a changed line as cursorTo(0) + line + ESC[K; the cell writer ends a shortened line with ESC[K
      eraseEndLinesPerFrame: frames ? (s.screen.counts.eraseEndLine - r0) / frames : 0,
      clears: s.screen.counts.clearScreen - clear0,
      // One consistent frame: one header, one services panel, the hint bar at the bottom.
      consistent: text.split('\n').filter((line) => /^ opsdeck/.test(line)).length === 1 && text.split('\n').filter((line) => line.includes('Services (')).length === 1,
      screen: text,
    };
  } finally {
    await s.stop();
  }
}

/** The three modes, one after the other, on the same containers. */
async function measureModes(engine, options) {
  const results = {};
  for (const mode of MODES) results[mode.id] = await measure(engine, mode.env, options);
  return results;
}

const describe = (m) => `${fmtBytes(m.bps)}/s (${m.frames} frames, ${fmtBytes(m.perFrame)} each${m.clears ? `, ${m.clears} clear-screens` : ''}; CPU ${m.cpuPercent.toFixed(2)} %)`;

/** Summary lines, rows and data of one scenario. */
function report(bench, scenario, results, goal) {
  const { cells, lines: lineMode, full } = results;
  const ratio = full.bps > 0 ? cells.bps / full.bps : NaN;
  const lineRatio = full.bps > 0 ? lineMode.bps / full.bps : NaN;
  const ok = cells.bps <= goal.bytesPerSecond && ratio <= goal.ratio;
  const lines = [
    `bytes/s steady (${scenario}): ${describe(cells)} cell writer vs ${describe(lineMode)} line mode vs ${describe(full)} full redraw; ` +
      `cells 1/${(1 / ratio).toFixed(1)} of full (line mode 1/${(1 / lineRatio).toFixed(1)}), ${(lineMode.bps / Math.max(1, cells.bps)).toFixed(1)}x fewer than line mode; ` +
      `goal <= ${fmtBytes(goal.bytesPerSecond)}/s and <= 1/${1 / goal.ratio} -> ${ok ? 'MET' : 'MISSED'}`,
  ];
  // A full redraw erases every line of the previous frame (ESC[2K per line); the other modes do not.
  if (full.frames > 0 && full.eraseLinesPerFrame < 10 && full.clears === 0)
    lines.push(`  note: the OPSDECK_FULL_REDRAW=1 run erased only ${full.eraseLinesPerFrame.toFixed(1)} lines per frame: the flag looks not honoured`);
  else lines.push(`  OPSDECK_FULL_REDRAW=1 honoured: ${full.eraseLinesPerFrame.toFixed(0)} lines erased and redrawn per frame; line mode rewrote ${lineMode.eraseEndLinesPerFrame.toFixed(1)} lines per frame`);
  if (goal.cpuPercent !== undefined)
    lines.push(`CPU (${scenario}, cell writer): ${cells.cpuPercent.toFixed(2)} % of one core (RSS ${fmtBytes(cells.rss)}); goal <= ${goal.cpuPercent} % -> ${cells.cpuPercent <= goal.cpuPercent ? 'MET' : 'MISSED'}`);
  for (const [id, m] of Object.entries(results)) {
    if (m.clears) lines.push(`  note: ${m.clears} clear-screen sequences (ESC[2J) in ${id} mode: frames as tall as the terminal force full redraws (Ink 6.8 trap)`);
    if (!m.consistent) lines.push(`  note: the ${id} screen did not show exactly one header and one services panel at the end`);
  }
  for (const l of lines) say(l);
  if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${cells.screen}`);
  const strip = (m) => ({ ...m, screen: undefined });
  return {
    lines,
    rows: [
      row(bench, 'terminal bytes/s, cell writer', `${fmtBytes(cells.bps)}/s`, `<= ${fmtBytes(goal.bytesPerSecond)}/s and <= 1/${1 / goal.ratio} full`, `1/${(1 / ratio).toFixed(1)} of full redraw (${fmtBytes(full.bps)}/s) ${ok ? 'MET' : 'MISSED'}`),
      row(bench, 'terminal bytes/s, line mode', `${fmtBytes(lineMode.bps)}/s`, '(baseline)', `1/${(1 / lineRatio).toFixed(1)} of full redraw`),
      ...(goal.cpuPercent !== undefined
        ? [row(bench, 'opsdeck utime+stime, cell writer', `${cells.cpuPercent.toFixed(2)} % of a core`, `<= ${goal.cpuPercent} %`, cells.cpuPercent <= goal.cpuPercent ? 'MET' : 'MISSED')]
        : []),
    ],
    data: { cells: strip(cells), lines: strip(lineMode), full: strip(full), screen: cells.screen },
  };
}

export async function run(engine) {
  await engine.ensureFiller(N);
  // The burner sorts first (service svc-000 of the same project), so it is on screen.
  await engine.docker(['rm', '-f', BURNER]).catch(() => undefined);
  await engine.docker([
    'run', '-d', '--name', BURNER, '--network', 'none', '--init', '--cpus', '0.5',
    '--label', 'com.docker.compose.project=bench', '--label', 'com.docker.compose.service=svc-000',
    '--label', 'com.docker.compose.container-number=1', '--label', 'dev.opsdeck.test=1',
    'local/busybox:latest', 'sh', '-c', 'while :; do :; done',
  ]);
  try {
    await sleep(2000);
    const results = await measureModes(engine, {
      ready: completeFrame(N),
      settleMs: envNumber('BENCH_SETTLE_SECONDS', 10) * 1000,
      windowMs: envNumber('BENCH_BPS_SECONDS', 20) * 1000,
      what: 'first complete frame',
    });
    if (!results.cells.screen.includes('svc-000')) say('  note: the burner (svc-000) was not visible on the screen; the changing figures were off-screen');
    return report('2 bytes/s (51 ctrs, 1 busy)', '50 idle + 1 burner at 0.5 CPU', results, { bytesPerSecond: 2048, ratio: 0.1 });
  } finally {
    await engine.docker(['rm', '-f', BURNER]).catch(() => undefined);
  }
}

const BUSY_PROJECT = 'app';
/** busybox sh programs of the busy stack. */
const BUSY_SERVICES = {
  burner: { args: ['--cpus', '0.5'], command: 'while :; do :; done' },
  // Runs 12 s and crashes: the engine's restart back-off resets after 10 s up, so it keeps restarting.
  'crash-loop': { args: ['--restart', 'always'], command: 'echo "INFO worker starting"; sleep 12; echo "FATAL worker crashed: out of tokens" >&2; exit 1' },
  unhealthy: { args: ['--health-cmd', 'false', '--health-interval', '2s', '--health-retries', '1'], command: 'echo "INFO db up"; exec sleep 100000' },
  'errors-a': { args: [], command: 'i=0; while :; do i=$((i+1)); echo "ERROR upstream timed out after 30000 ms (request $i)" >&2; sleep $((1 + RANDOM % 3)); done' },
  'errors-b': { args: [], command: 'i=0; while :; do i=$((i+1)); echo "ERROR payment declined: card_expired (order $i)"; sleep $((1 + RANDOM % 3)); done' },
};
const busyName = (service) => `${BUSY_PROJECT}-${service}-1`;

async function runBusy(engine) {
  await engine.ensureFiller(200);
  const names = Object.keys(BUSY_SERVICES).map(busyName);
  await engine.removeContainers(names);
  for (const [service, { args, command }] of Object.entries(BUSY_SERVICES)) {
    await engine.docker(['run', '-d', '--name', busyName(service), '--network', 'none', '--init', ...composeLabels(BUSY_PROJECT, service), ...args, IMAGE, 'sh', '-c', command]);
  }
  try {
    // Long enough for the health check to fail and the first errors to be logged.
    await sleep(5000);
    const results = await measureModes(engine, {
      ready: (text) => isConnected(text) && text.includes('crash-loop') && visibleServices(text) >= 3,
      settleMs: envNumber('BENCH_BUSY_SETTLE_SECONDS', 15) * 1000,
      windowMs: envNumber('BENCH_BUSY_SECONDS', 30) * 1000,
      what: 'first complete frame of the busy stack',
    });
    return report('2b bytes/s (busy, 205 ctrs)', 'busy stack: burner, crash loop, unhealthy, 2 error loggers, 200 idle', results, { bytesPerSecond: 1536, ratio: 0.05, cpuPercent: 2 });
  } finally {
    await engine.removeContainers(names);
  }
}

/** The busy-stack scenario, run by run-all after the 200-container benchmarks (`bytes-per-second-busy`). */
export const busy = { run: runBusy };

standalone(import.meta.url, async (engine) => {
  await run(engine);
  await runBusy(engine);
});
