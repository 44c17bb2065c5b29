// Keystroke-to-frame measuring shared by the latency benchmarks: one key at a time after a quiet
// spell of output, timed from writing the key until the screen shows its effect (the services
// panel's `›` row moved, or the typed filter text appears; else the first output after the key).
import { cpuSeconds, fmtMs, median, now, percentile, sleep } from './util.mjs';

export const ESC = '\u001b';
export const BACKSPACE = '\u007f';

/**
 * The key plan: `moves` x j, then per filter text: `/`, the text typed, `backspaces` x backspace,
 * Escape (unmeasured, clears the filter). Steps: { key, kind: 'j' | 'filter' | 'unmeasured', expect? }.
 */
export function keyPlan({ moves, filters, backspaces = 2 }) {
  const plan = [];
  for (let i = 0; i < moves; i++) plan.push({ key: 'j', kind: 'j' });
  for (const text of filters) {
    plan.push({ key: '/', kind: 'filter' });
    let typed = '';
    for (const ch of text) {
      typed += ch;
      plan.push({ key: ch, kind: 'filter', expect: typed });
    }
    for (let i = 0; i < backspaces; i++) {
      typed = typed.slice(0, -1);
      plan.push({ key: BACKSPACE, kind: 'filter', expect: typed });
    }
    plan.push({ key: ESC, kind: 'unmeasured' });
  }
  return plan;
}

const escapeRe = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Row index and text of the services panel's selected row (marker › in the left half). */
export function selectedRow(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.slice(0, 60).includes('›'));
  return i < 0 ? '' : `${i}:${lines[i].slice(0, 60)}`;
}

/** The services panel's rows (the left half of the screen). */
function panelRows(text) {
  return text
    .split('\n')
    .map((l) => l.slice(0, 60))
    .join('\n');
}

/** A predicate that holds once the key's effect is on screen, or undefined (use the first output). */
function effectOf(step, before) {
  if (step.key === 'j') {
    // The marker moved; or, at the bottom of the window, the rows scrolled under it (rows of one
    // ReplicaSet's pods look alike once their names are cut to the column).
    const was = selectedRow(before);
    const rows = panelRows(before);
    return was ? (text) => selectedRow(text) !== was || panelRows(text) !== rows : undefined;
  }
  if (step.expect !== undefined && step.expect !== '') {
    const re = new RegExp(`/${escapeRe(step.expect)}(?![A-Za-z0-9_-])`);
    return re.test(before) ? undefined : (text) => re.test(text);
  }
  return undefined;
}

/**
 * Play the plan on a PtySession. Before each key: wait for `quietMs` without output (at most 5 s).
 * Resolves with the latencies per kind and how the effects were recognised; with `pid`, also the
 * CPU time that process used per kind from each key to its effect (utime+stime, in clock ticks:
 * summed over the keys, not per key), which a busy machine does not stretch as it does the latency.
 */
export async function measureKeys(session, plan, { quietMs = 250, keyTimeoutMs = 2000, pid } = {}) {
  const lat = { j: [], filter: [] };
  const cpu = { j: 0, filter: 0 };
  let noChange = 0;
  let noEffect = 0;
  let unrelatedFirst = 0;
  const gaps = [];
  /** Keys whose effect was not recognised (the filter text expected, or the key). */
  const unrecognised = [];
  for (const step of plan) {
    await session.waitQuiet(quietMs, 5000);
    if (step.kind === 'unmeasured') {
      session.write(step.key);
      await sleep(300);
      continue;
    }
    // The key's visible effect, so that an unrelated frame (a stats update) arriving first is
    // not taken for the answer: the selection marker moved, or the filter text shows.
    const effect = effectOf(step, session.text());
    const pFirst = session.nextData(keyTimeoutMs);
    const pEffect = effect ? session.waitFor(effect, keyTimeoutMs, 'key effect').catch(() => undefined) : undefined;
    const c0 = pid === undefined ? 0 : cpuSeconds(pid);
    const t0 = now();
    session.write(step.key);
    const tFirst = await pFirst;
    const tEffect = pEffect ? await pEffect : tFirst;
    if (pid !== undefined) cpu[step.kind] += (cpuSeconds(pid) ?? c0) - c0;
    if (tFirst === undefined) {
      noChange++;
      continue;
    }
    if (tEffect === undefined) {
      noEffect++;
      unrecognised.push(step.expect ?? JSON.stringify(step.key));
    }
    else if (tEffect > tFirst) {
      unrelatedFirst++;
      gaps.push(tEffect - tFirst);
    }
    lat[step.kind].push((tEffect ?? tFirst) - t0);
  }
  const all = [...lat.j, ...lat.filter];
  const cpuMsPerKey = Object.fromEntries(Object.entries(cpu).map(([kind, seconds]) => [kind, lat[kind].length ? (seconds * 1000) / lat[kind].length : NaN]));
  return { lat, all, cpuMsPerKey, noChange, noEffect, unrecognised, unrelatedFirst, gaps, keyTimeoutMs };
}

/** `p50 … p95 … p99 … max … (n=…)` */
export function formatLatencies(xs) {
  return `p50 ${fmtMs(percentile(xs, 50))} p95 ${fmtMs(percentile(xs, 95))} p99 ${fmtMs(percentile(xs, 99))} max ${fmtMs(Math.max(...xs))} (n=${xs.length})`;
}

/** The line on how the effects were recognised. */
export function recognitionLine(result) {
  return `${result.noChange} keys without output within ${result.keyTimeoutMs} ms; ${result.noEffect} keys whose effect was not recognised (first output used); for ${result.unrelatedFirst} keys the first output came before the effect (a lone ESC[?2026h or an unrelated frame; median ${fmtMs(median(result.gaps))} earlier)`;
}
