// Bench 5a: keystroke-to-frame latency with 500 containers: `j` (move the selection) and the filter
// (`/`, then typing and deleting characters). One key at a time: wait for BENCH_QUIET_MS (250) of
// quiet output, write the key, time until the pty output shows the key's effect (the selection
// marker moved / the typed filter text appears; else the next output). About 100 keys.
// Goal (issue 9, goal 5): p99 <= 30 ms.
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { formatLatencies, keyPlan, measureKeys, recognitionLine } from './lib/keystrokes.mjs';
import { envNumber, fmtMs, percentile, median, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 500;

export async function run(engine) {
  await engine.ensureFiller(N);
  const quiet = envNumber('BENCH_QUIET_MS', 250);
  const settle = envNumber('BENCH_LATENCY_SETTLE_SECONDS', 20) * 1000;
  const s = openCockpit(engine);
  try {
    const tFrame = await s.waitFor(completeFrame(N), 90_000, `first complete frame with ${N} containers`);
    say(`  first complete frame with ${N} containers after ${Math.round(tFrame - s.startedAt)} ms; settling ${settle / 1000} s`);
    await sleep(settle);
    // Background output (frames nobody asked for) over 5 s: a key may coincide with one of these.
    const k0 = s.screen.counts.syncEnd;
    await sleep(5000);
    const background = (s.screen.counts.syncEnd - k0) / 5;
    const measured = await measureKeys(s, keyPlan({ moves: 50, filters: ['svc-42', 'svc-13', 'svc-3', 'bench-svc-2', 'svc-49', 'svc-1'] }), { quietMs: quiet });
    const { lat, all, noChange, noEffect, unrelatedFirst } = measured;
    const p99 = percentile(all, 99);
    const GOAL_MS = 30;
    const ok = p99 <= GOAL_MS;
    const lines = [
      `keystroke-to-frame (500 containers): all ${formatLatencies(all)}; goal p99 <= ${GOAL_MS} ms -> ${ok ? 'MET' : 'MISSED'}`,
      `  j: ${formatLatencies(lat.j)}`,
      `  filter (/ + typing + backspace): ${formatLatencies(lat.filter)}`,
      `  background ${background.toFixed(1)} frames/s while idle; ${recognitionLine(measured)}`,
    ];
    for (const l of lines) say(l);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
    return {
      lines,
      rows: [row('5a keystroke latency (500 ctrs)', 'p50/p95/p99 key -> next output', `${fmtMs(percentile(all, 50))} / ${fmtMs(percentile(all, 95))} / ${fmtMs(p99)}`, `p99 <= ${GOAL_MS} ms`, `${(p99 / GOAL_MS).toFixed(1)}x goal ${ok ? 'MET' : 'MISSED'}`)],
      data: { lat, background, noChange, noEffect, unrelatedFirst, median: median(all), screen: s.text() },
    };
  } finally {
    await s.stop();
  }
}

standalone(import.meta.url, run);
