// Bench 3: CPU of the opsdeck process while idle with 200 containers (all `sleep` forever):
// utime+stime from /proc/<pid>/stat over BENCH_IDLE_SECONDS (default 30) after
// BENCH_IDLE_SETTLE_SECONDS (default 15) of settling, as % of one core. Goal: <= 1 %.
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { cpuSeconds, envNumber, fmtBytes, row, rssBytes, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 200;

export async function run(engine) {
  await engine.ensureFiller(N);
  const settle = envNumber('BENCH_IDLE_SETTLE_SECONDS', 15) * 1000;
  const window = envNumber('BENCH_IDLE_SECONDS', 30) * 1000;
  const s = openCockpit(engine);
  try {
    const tFrame = await s.waitFor(completeFrame(N), 60_000, `first complete frame with ${N} containers`);
    const pid = await s.programPid('node');
    const startupCpu = cpuSeconds(pid);
    say(`  first complete frame after ${Math.round(tFrame - s.startedAt)} ms; cpu used by then ${startupCpu?.toFixed(2)} s; settling ${settle / 1000} s`);
    await sleep(settle);
    const dockerdPid = engine.pid();
    const c0 = cpuSeconds(pid);
    const d0 = dockerdPid ? cpuSeconds(dockerdPid) : undefined;
    const b0 = s.bytes;
    const k0 = s.screen.counts.syncEnd;
    const t0 = performance.now();
    await sleep(window);
    const c1 = cpuSeconds(pid);
    const d1 = dockerdPid ? cpuSeconds(dockerdPid) : undefined;
    const secs = (performance.now() - t0) / 1000;
    if (c0 === undefined || c1 === undefined) throw new Error(`opsdeck (pid ${pid}) exited during the idle window; stderr: ${s.stderr}`);
    const pct = ((c1 - c0) / secs) * 100;
    const dockerdPct = d0 !== undefined && d1 !== undefined ? ((d1 - d0) / secs) * 100 : NaN;
    const rss = rssBytes(pid);
    const ok = pct <= 1;
    const line = `idle CPU (200 containers): ${pct.toFixed(2)} % of one core over ${Math.round(secs)} s (${(c1 - c0).toFixed(2)} CPU-s; ${s.screen.counts.syncEnd - k0} frames, ${fmtBytes(s.bytes - b0)}; RSS ${fmtBytes(rss)}; dockerd ${dockerdPct.toFixed(1)} %); goal <= 1 % -> ${ok ? 'MET' : 'MISSED'}`;
    say(line);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
    return {
      lines: [line],
      rows: [row('3 idle CPU (200 ctrs)', 'opsdeck utime+stime', `${pct.toFixed(2)} % of a core`, '<= 1 %', `${(pct / 1).toFixed(1)}x goal ${ok ? 'MET' : 'MISSED'}`)],
      data: { pct, cpuSeconds: c1 - c0, secs, rss, dockerdPct, startupCpu, screen: s.text() },
    };
  } finally {
    await s.stop();
  }
}

standalone(import.meta.url, run);
