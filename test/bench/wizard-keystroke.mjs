// Bench 6b: the wizard's keystroke-to-frame latency while a step streams 1,000 output lines/s.
// The cockpit (120x40 pty, 50 containers, --playbooks a temp dir) opens the bench playbook with
// the wizard's own keys (`p`, the filter typed, enter): a `shell.run` step (readOnly, a fixed
// argv: node running a small script here that prints BENCH_WIZARD_LINES_PER_SECOND (1000)
// lines/s for BENCH_WIZARD_STREAM_SECONDS (30), paced by the clock), then three notes.
// Keys j and k alternately move the step selection (the `›` row of the step list), so every
// other key lands on the streaming step's detail pane and the next one leaves it. One key at a
// time, 80-200 ms apart after the previous key's effect; time from writing the key until the
// screen shows the selection moved. Three phases in the same run: before the step runs (idle),
// while it streams (enter ran it), and after it passed (its last 2,000 lines kept).
// Goal: p99 <= 50 ms while streaming.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { cpuSeconds, envNumber, fmtBytes, fmtMs, now, percentile, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 50;
const PLAYBOOK_ID = 'bench-wizard-stream';
const STREAM_TITLE = 'stream output lines';

/** The generator: `rate` lines/s for `seconds`, written in 10 ms batches paced by the clock. */
const STREAM_SCRIPT = `const [seconds, rate] = process.argv.slice(2).map(Number);
const total = seconds * rate;
const t0 = performance.now();
const tail = ' lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor';
let sent = 0;
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  let chunk = '';
  for (; sent < due; sent++) chunk += 'line ' + (sent + 1) + ' of ' + total + tail + '\\n';
  if (chunk) process.stdout.write(chunk);
  if (sent < total) setTimeout(tick, 10);
}
tick();
`;

function playbookYaml(scriptPath, seconds, rate) {
  const argv = JSON.stringify([process.execPath, scriptPath, String(seconds), String(rate)]);
  return `id: ${PLAYBOOK_ID}
title: Wizard keystroke benchmark
description: one shell.run step printing ${rate} lines/s for ${seconds} s, then notes (test/bench/wizard-keystroke.mjs)
steps:
  - id: stream
    title: ${STREAM_TITLE}
    action: shell.run
    with: { command: ${argv}, readOnly: true }
    timeout: ${seconds * 3 + 30}s
${[1, 2, 3].map((i) => `  - id: note-${i}\n    title: note ${i}\n    action: note\n    with: { text: "note ${i}" }`).join('\n')}
`;
}

/** Screen row of the step list's selected row (the marker in its left columns), or -1. */
function selectedRow(text) {
  return text.split('\n').findIndex((line) => line.slice(0, 50).includes('›'));
}

/** "output: 12345 lines" of the detail pane, when it shows the streaming step. */
function shownLineCount(text) {
  const m = /output: (\d+) lines/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const fmt = (xs) => (xs.length ? `p50 ${fmtMs(percentile(xs, 50))} p95 ${fmtMs(percentile(xs, 95))} p99 ${fmtMs(percentile(xs, 99))} max ${fmtMs(Math.max(...xs))} (n=${xs.length})` : 'no keys');

/**
 * j/k alternately, one at a time, until `count` keys or `until()` says stop. Returns the
 * latencies and how many keys showed no effect within the timeout.
 */
async function measureKeys(s, { count, until = () => false, onKey = () => undefined }) {
  const latencies = [];
  let missed = 0;
  const keyTimeout = 2000;
  for (let i = 0; i < count && !until(); i++) {
    const was = selectedRow(s.text());
    if (was < 0) throw new Error(`no selected step row on the run screen:\n${s.text()}`);
    const key = i % 2 === 0 ? 'j' : 'k';
    const pEffect = s.waitFor((text) => selectedRow(text) !== was, keyTimeout, `selection moved by ${key}`).catch(() => undefined);
    const t0 = now();
    s.write(key);
    const tEffect = await pEffect;
    if (tEffect === undefined) missed++;
    else latencies.push(tEffect - t0);
    onKey(s.text());
    await sleep(80 + Math.random() * 120);
  }
  // An odd count leaves the selection on the second step: back to the first.
  if ((latencies.length + missed) % 2 === 1) {
    s.write('k');
    await sleep(300);
  }
  return { latencies, missed };
}

export async function run(engine) {
  await engine.ensureFiller(N);
  const seconds = envNumber('BENCH_WIZARD_STREAM_SECONDS', 30);
  const rate = envNumber('BENCH_WIZARD_LINES_PER_SECOND', 1000);
  const idleKeys = envNumber('BENCH_WIZARD_IDLE_KEYS', 40);
  const base = join(engine.dir, 'wizard-keystroke');
  const playbooksDir = join(base, 'playbooks');
  mkdirSync(playbooksDir, { recursive: true });
  const scriptPath = join(base, 'stream-lines.mjs');
  writeFileSync(scriptPath, STREAM_SCRIPT);
  writeFileSync(join(playbooksDir, `${PLAYBOOK_ID}.yaml`), playbookYaml(scriptPath, seconds, rate));
  const s = openCockpit(engine, { XDG_STATE_HOME: join(base, 'state'), OPSDECK_SHARED_DIR: join(base, 'shared') }, ['--playbooks', playbooksDir]);
  try {
    await s.waitFor(completeFrame(N), 90_000, `first complete frame with ${N} containers`);
    await sleep(2000);
    // The wizard's keys: p opens the picker, the filter narrows it, enter opens the playbook.
    s.write('p');
    await s.waitFor((text) => /Playbooks \(\d+\)/.test(text), 5000, 'the playbook picker');
    for (const ch of PLAYBOOK_ID) {
      s.write(ch);
      await sleep(30);
    }
    await s.waitFor((text) => /Playbooks \(1\)/.test(text) && text.includes(PLAYBOOK_ID), 5000, `the picker filtered to ${PLAYBOOK_ID}`);
    s.write('\r');
    await s.waitFor((text) => text.includes('Playbook run') && text.includes(`Next: ${STREAM_TITLE}`), 10_000, 'the run screen, first step ready');
    await sleep(1000);
    const pid = await s.programPid('node');

    // 1. Idle: the run waits for enter on the first step.
    const before = await measureKeys(s, { count: idleKeys });

    // 2. Streaming: enter runs the step; measure once its output is flowing.
    s.write('\r');
    const tStart = now();
    await s.waitFor((text) => (shownLineCount(text) ?? 0) >= rate / 2, 20_000, 'the streaming step showing output');
    const tFlowing = now();
    const counts = [];
    const frames0 = s.screen.counts.syncEnd;
    const bytes0 = s.bytes;
    const cpu0 = cpuSeconds(pid);
    const t0 = now();
    const deadline = tStart + seconds * 1000 - 2500;
    const streaming = await measureKeys(s, {
      count: 10_000,
      until: () => now() > deadline,
      onKey: (text) => {
        const c = shownLineCount(text);
        if (c !== undefined) counts.push({ t: now(), c });
      },
    });
    const window = (now() - t0) / 1000;
    const framesPerSecond = (s.screen.counts.syncEnd - frames0) / window;
    const bytesPerSecond = (s.bytes - bytes0) / window;
    const cpuPercent = ((cpuSeconds(pid) - cpu0) / window) * 100;
    const first = counts[0];
    const last = counts[counts.length - 1];
    const shownRate = first && last && last.t > first.t ? ((last.c - first.c) / (last.t - first.t)) * 1000 : NaN;
    const stillStreaming = last ? last.c < seconds * rate : false;

    // 3. After: the step passed, its last lines kept; the run waits on the next step.
    await s.waitFor((text) => text.includes('Next: note 1'), seconds * 3000 + 30_000, 'the streaming step passed');
    const endedAfter = (now() - tStart) / 1000;
    await sleep(1000);
    const after = await measureKeys(s, { count: idleKeys });

    const p99 = percentile(streaming.latencies, 99);
    const ok = p99 <= 50;
    const lines = [
      `wizard keystroke-to-frame while a step streams ${rate} lines/s: ${fmt(streaming.latencies)}; goal p99 <= 50 ms -> ${ok ? 'MET' : 'MISSED'}`,
      `  same keys, no step streaming: before it ran ${fmt(before.latencies)}; after it passed (2,000 lines kept) ${fmt(after.latencies)}`,
      `  while streaming: ${Number.isFinite(shownRate) ? Math.round(shownRate) : '?'} lines/s reached the screen (${last ? `${last.c} shown at the last key, ` : ''}output flowing ${((tFlowing - tStart) / 1000).toFixed(1)} s after enter, step ended ${endedAfter.toFixed(1)} s after enter${stillStreaming ? '' : '; the stream had ended before the last key'}); ${framesPerSecond.toFixed(1)} frames/s, ${fmtBytes(bytesPerSecond)}/s to the terminal, opsdeck CPU ${cpuPercent.toFixed(0)} % of a core over ${window.toFixed(0)} s`,
      `  keys without a visible effect within 2 s: ${before.missed} before, ${streaming.missed} streaming, ${after.missed} after`,
    ];
    for (const l of lines) say(l);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
    return {
      lines,
      rows: [
        row('6b wizard keys while streaming', 'p50/p95/p99 key -> selection moved', `${fmtMs(percentile(streaming.latencies, 50))} / ${fmtMs(percentile(streaming.latencies, 95))} / ${fmtMs(p99)}`, 'p99 <= 50 ms', `${(p99 / 50).toFixed(1)}x goal ${ok ? 'MET' : 'MISSED'}; idle p99 ${fmtMs(percentile(before.latencies, 99))}`),
      ],
      data: { before, streaming, after, shownRate, framesPerSecond, bytesPerSecond, cpuPercent, counts, screen: s.text() },
    };
  } finally {
    await s.stop();
  }
}

standalone(import.meta.url, run);
