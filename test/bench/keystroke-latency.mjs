// Bench 5a: keystroke-to-frame latency with 500 containers: `j` (move the selection) and the filter
// (`/`, then typing and deleting characters). One key at a time: wait for BENCH_QUIET_MS (250) of
// quiet output, write the key, time until the pty output shows the key's effect (the selection
// marker moved / the typed filter text appears; else the next output). About 100 keys.
// Goal: p99 <= 50 ms.
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { envNumber, fmtMs, now, percentile, median, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 500;
const ESC = '\u001b';
const BACKSPACE = '\u007f';

/** The key plan: [key, kind, expected filter text after the key (for a sanity check) | undefined]. */
function keyPlan() {
  const plan = [];
  for (let i = 0; i < 50; i++) plan.push({ key: 'j', kind: 'j' });
  const rounds = ['svc-42', 'svc-13', 'svc-3', 'bench-svc-2', 'svc-49', 'svc-1'];
  for (const text of rounds) {
    plan.push({ key: '/', kind: 'filter' });
    let typed = '';
    for (const ch of text) {
      typed += ch;
      plan.push({ key: ch, kind: 'filter', expect: typed });
    }
    for (let i = 0; i < 2; i++) {
      typed = typed.slice(0, -1);
      plan.push({ key: BACKSPACE, kind: 'filter', expect: typed });
    }
    plan.push({ key: ESC, kind: 'unmeasured' }); // clear the filter
  }
  return plan;
}

const escapeRe = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Row index and text of the services panel's selected row (marker › in the left half). */
function selectedRow(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.slice(0, 60).includes('›'));
  return i < 0 ? '' : `${i}:${lines[i].slice(0, 60)}`;
}

/** A predicate that holds once the key's effect is on screen, or undefined (use the first output). */
function effectOf(step, before) {
  if (step.key === 'j') {
    const was = selectedRow(before);
    return was ? (text) => selectedRow(text) !== was : undefined;
  }
  if (step.expect !== undefined && step.expect !== '') {
    const re = new RegExp(`/${escapeRe(step.expect)}(?![A-Za-z0-9_-])`);
    return re.test(before) ? undefined : (text) => re.test(text);
  }
  return undefined;
}

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
    const lat = { j: [], filter: [] };
    let noChange = 0;
    let noEffect = 0;
    let unrelatedFirst = 0;
    const gaps = [];
    const keyTimeout = 2000;
    for (const step of keyPlan()) {
      await s.waitQuiet(quiet, 5000);
      if (step.kind === 'unmeasured') {
        s.write(step.key);
        await sleep(300);
        continue;
      }
      // The key's visible effect, so that an unrelated frame (a stats update) arriving first is
      // not taken for the answer: the selection marker moved, or the filter text shows.
      const effect = effectOf(step, s.text());
      const pFirst = s.nextData(keyTimeout);
      const pEffect = effect ? s.waitFor(effect, keyTimeout, 'key effect').catch(() => undefined) : undefined;
      const t0 = now();
      s.write(step.key);
      const tFirst = await pFirst;
      const tEffect = pEffect ? await pEffect : tFirst;
      if (tFirst === undefined) {
        noChange++;
        continue;
      }
      if (tEffect === undefined) noEffect++;
      else if (tEffect > tFirst) {
        unrelatedFirst++;
        gaps.push(tEffect - tFirst);
      }
      lat[step.kind].push((tEffect ?? tFirst) - t0);
    }
    const all = [...lat.j, ...lat.filter];
    const fmt = (xs) => `p50 ${fmtMs(percentile(xs, 50))} p95 ${fmtMs(percentile(xs, 95))} p99 ${fmtMs(percentile(xs, 99))} max ${fmtMs(Math.max(...xs))} (n=${xs.length})`;
    const p99 = percentile(all, 99);
    const ok = p99 <= 50;
    const lines = [
      `keystroke-to-frame (500 containers): all ${fmt(all)}; goal p99 <= 50 ms -> ${ok ? 'MET' : 'MISSED'}`,
      `  j: ${fmt(lat.j)}`,
      `  filter (/ + typing + backspace): ${fmt(lat.filter)}`,
      `  background ${background.toFixed(1)} frames/s while idle; ${noChange} keys without output within ${keyTimeout} ms; ${noEffect} keys whose effect was not recognised (first output used); for ${unrelatedFirst} keys the first output came before the effect (a lone ESC[?2026h or an unrelated frame; median ${fmtMs(median(gaps))} earlier)`,
    ];
    for (const l of lines) say(l);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
    return {
      lines,
      rows: [row('5a keystroke latency (500 ctrs)', 'p50/p95/p99 key -> next output', `${fmtMs(percentile(all, 50))} / ${fmtMs(percentile(all, 95))} / ${fmtMs(p99)}`, 'p99 <= 50 ms', `${(p99 / 50).toFixed(1)}x goal ${ok ? 'MET' : 'MISSED'}`)],
      data: { lat, background, noChange, noEffect, unrelatedFirst, median: median(all), screen: s.text() },
    };
  } finally {
    await s.stop();
  }
}

standalone(import.meta.url, run);
