// Bench 2: terminal bytes per second in steady state, 50 idle containers + 1 CPU burner
// (--cpus 0.5, so its CPU % keeps changing), measured over BENCH_BPS_SECONDS (default 20) after
// BENCH_SETTLE_SECONDS (default 10) of settling, beside the same screen with full redraws
// (OPSDECK_FULL_REDRAW=1 turns Ink's incrementalRendering off).
// Goal: <= 2 KB/s and <= 1/10 of the full-redraw figure.
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { envNumber, fmtBytes, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 50;
const BURNER = 'bench-svc-000-1';

async function measure(engine, fullRedraw) {
  const settle = envNumber('BENCH_SETTLE_SECONDS', 10) * 1000;
  const window = envNumber('BENCH_BPS_SECONDS', 20) * 1000;
  const s = openCockpit(engine, fullRedraw ? { OPSDECK_FULL_REDRAW: '1' } : {});
  try {
    await s.waitFor(completeFrame(N), 30_000, 'first complete frame');
    await sleep(settle);
    const b0 = s.bytes;
    const c0 = s.chunks;
    const { clearScreen: clear0, syncEnd: f0, eraseLine: e0, eraseEndLine: r0 } = s.screen.counts;
    await sleep(window);
    const bytes = s.bytes - b0;
    const chunks = s.chunks - c0;
    // Frames: Ink wraps each frame in a synchronized update (ESC[?2026h ... ESC[?2026l);
    // without those, count the reads from the pty.
    const syncFrames = s.screen.counts.syncEnd - f0;
    const frames = syncFrames > 0 ? syncFrames : chunks;
    const text = s.text();
    return {
      bps: bytes / (window / 1000),
      bytes,
      chunks,
      frames,
      perFrame: frames ? bytes / frames : 0,
      eraseLinesPerFrame: frames ? (s.screen.counts.eraseLine - e0) / frames : 0,
      // incremental mode rewrites a changed line as cursorTo(0) + line + ESC[K
      rewrittenPerFrame: frames ? (s.screen.counts.eraseEndLine - r0) / frames : 0,
      clears: s.screen.counts.clearScreen - clear0,
      burnerVisible: text.includes('svc-000'),
      screen: text,
    };
  } finally {
    await s.stop();
  }
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
    const inc = await measure(engine, false);
    const full = await measure(engine, true);
    const ratio = full.bps > 0 ? inc.bps / full.bps : NaN;
    const ok = inc.bps <= 2048 && ratio <= 0.1;
    const lines = [];
    const describe = (m) =>
      `${fmtBytes(m.bps)}/s (${m.frames} frames, ${fmtBytes(m.perFrame)} each${m.clears ? `, ${m.clears} clear-screens` : ''})`;
    lines.push(
      `bytes/s steady (50 idle + 1 burner at 0.5 CPU): ${describe(inc)} incremental vs ${describe(full)} full redraw; ratio 1/${(1 / ratio).toFixed(1)}; goal <= 2 KB/s and <= 1/10 -> ${ok ? 'MET' : 'MISSED'}`,
    );
    if (!inc.burnerVisible) lines.push('  note: the burner (svc-000) was not visible on the screen; the changing figures were off-screen');
    // A full redraw erases every line of the previous frame (ESC[2K per line); incremental mode does not.
    if (full.frames > 0 && full.eraseLinesPerFrame < 10 && full.clears === 0)
      lines.push(`  note: the OPSDECK_FULL_REDRAW=1 run erased only ${full.eraseLinesPerFrame.toFixed(1)} lines per frame: the flag looks not honoured (incremental rendering still on)`);
    else lines.push(`  OPSDECK_FULL_REDRAW=1 honoured: ${full.eraseLinesPerFrame.toFixed(0)} lines erased and redrawn per frame; incremental mode rewrote ${inc.rewrittenPerFrame.toFixed(1)} lines per frame`);
    if (inc.clears) lines.push(`  note: ${inc.clears} clear-screen sequences (ESC[2J) in incremental mode: frames as tall as the terminal force full redraws (Ink 6.8 trap)`);
    for (const l of lines) say(l);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${inc.screen}`);
    return {
      lines,
      rows: [
        row('2 bytes/s (51 ctrs, 1 busy)', 'terminal bytes/s, incremental', `${fmtBytes(inc.bps)}/s`, '<= 2 KB/s and <= 1/10 full', `1/${(1 / ratio).toFixed(1)} of full redraw (${fmtBytes(full.bps)}/s) ${ok ? 'MET' : 'MISSED'}`),
      ],
      data: { inc: { ...inc, screen: undefined }, full: { ...full, screen: undefined }, screen: inc.screen },
    };
  } finally {
    await engine.docker(['rm', '-f', BURNER]).catch(() => undefined);
  }
}

standalone(import.meta.url, run);
