// Bench 5b: RSS of the opsdeck process during a ~1,000 lines/s log flood (BENCH_FLOOD_CONTAINERS,
// default 4, busybox loops printing ERROR lines in batches), with the idle containers on
// screen (BENCH_FLOOD_IDLE_CONTAINERS, default 500), sampled every BENCH_RSS_INTERVAL_SECONDS (30)
// for BENCH_FLOOD_SECONDS (600).
// The rate is checked from the line counters in `docker logs --tail 1` and the batch size adjusted.
// Goal: RSS flat and bounded.
import { completeFrame, openCockpit } from './lib/cockpit.mjs';
import { cpuSeconds, envNumber, fmtBytes, row, rssBytes, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';
import { connectInspector } from './lib/inspector.mjs';
import { readFileSync } from 'node:fs';

const N = envNumber('BENCH_FLOOD_IDLE_CONTAINERS', 500);
const TARGET = 1000; // lines per second, all flood containers together

const floodScript = (batch, usleep) =>
  `n=0; while :; do i=0; while [ $i -lt ${batch} ]; do i=$((i+1)); n=$((n+1)); echo "ERROR flood $n id=$RANDOM"; done; usleep ${usleep}; done`;

/** The line counter n of the newest log line of a flood container (0 when none yet). */
async function counter(engine, name) {
  const out = await engine.docker(['logs', '--tail', '1', name]).catch(() => '');
  const m = /ERROR flood (\d+)/.exec(out);
  return m ? Number(m[1]) : 0;
}

/** Resident bytes of the process's brk heap (glibc malloc's main arena), from /proc/PID/smaps. */
function brkHeapBytes(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    const at = text.indexOf('[heap]');
    if (at < 0) return 0;
    const rss = /\nRss:\s+(\d+) kB/.exec(text.slice(at));
    return rss ? Number(rss[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function counters(engine, names) {
  return (await Promise.all(names.map((n) => counter(engine, n)))).reduce((a, b) => a + b, 0);
}

export async function run(engine) {
  await engine.ensureFiller(N);
  const floodSeconds = envNumber('BENCH_FLOOD_SECONDS', 600);
  const interval = envNumber('BENCH_RSS_INTERVAL_SECONDS', 30);
  const count = envNumber('BENCH_FLOOD_CONTAINERS', 4);
  const names = Array.from({ length: count }, (_, i) => `benchx-flood-${i + 1}-1`);
  const s = openCockpit(engine);
  const startFlood = async (batch) => {
    await engine.removeContainers(names);
    await Promise.all(names.map((name) => engine.runContainer(name, [], floodScript(batch, 100_000))));
  };
  let inspector;
  try {
    await s.waitFor(completeFrame(N), 90_000, `first complete frame with ${N} containers`);
    const pid = await s.programPid('node');
    // With BENCH_NODE_FLAGS="--inspect=127.0.0.1:PORT" and BENCH_INSPECT_PORT=PORT, each sample also
    // shows the cockpit's V8 heap, external and ArrayBuffer bytes (process.memoryUsage).
    const inspectPort = process.env.BENCH_INSPECT_PORT;
    inspector = inspectPort ? await connectInspector(Number(inspectPort)) : undefined;
    await sleep(10_000);
    const rssBefore = rssBytes(pid);
    // Calibrate: batch lines every 0.1 s per container; adjust until within 10 % of the target.
    let batch = Math.round(TARGET / count / 10);
    let rate = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      await startFlood(batch);
      await sleep(2000);
      const c0 = await counters(engine, names);
      const t0 = performance.now();
      await sleep(8000);
      const c1 = await counters(engine, names);
      rate = (c1 - c0) / ((performance.now() - t0) / 1000);
      say(`  flood calibration: ${count} containers x ${batch} lines per 0.1 s -> ${Math.round(rate)} lines/s`);
      if (Math.abs(rate - TARGET) / TARGET <= 0.1) break;
      batch = Math.max(1, Math.round((batch * TARGET) / Math.max(1, rate)));
    }
    // The flood runs on from here (the calibration seconds count as warm-up, not in the window).
    const samples = [];
    const cpu0 = cpuSeconds(pid);
    const lines0 = await counters(engine, names);
    const bytes0 = s.bytes;
    const t0 = performance.now();
    const sample = async () => {
      const rss = rssBytes(pid);
      if (rss === undefined) throw new Error(`opsdeck (pid ${pid}) exited during the flood; stderr: ${s.stderr.slice(-2000)}`);
      const t = Math.round((performance.now() - t0) / 1000);
      const memory = inspector ? await inspector.memory() : undefined;
      const spaces = inspector ? await inspector.spaces() : undefined;
      samples.push({ t, rss, ...(memory ? { memory, brkHeap: brkHeapBytes(pid) } : {}) });
      const heap = memory
        ? `  heap used ${fmtBytes(memory.heapUsed)} of ${fmtBytes(memory.heapTotal)}, external ${fmtBytes(memory.external)} (ArrayBuffers ${fmtBytes(memory.arrayBuffers)}), malloc brk heap ${fmtBytes(brkHeapBytes(pid))}; MB used/size: ${spaces}`
        : '';
      say(`  t=${String(t).padStart(4)} s  RSS ${fmtBytes(rss)}${heap}`);
    };
    // The live heap after a full GC at the start and at the end of the window; with
    // BENCH_HEAP_SNAPSHOT_DIR also a heap snapshot of each (flood-start / flood-end.heapsnapshot).
    const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
    const liveHeap = async (name) => {
      if (!inspector) return undefined;
      await inspector.call('HeapProfiler.collectGarbage');
      const used = (await inspector.memory()).heapUsed;
      if (snapshotDir) await inspector.heapSnapshot(`${snapshotDir}/flood-${name}.heapsnapshot`);
      return used;
    };
    const liveBefore = await liveHeap('start');
    await sample();
    while ((performance.now() - t0) / 1000 < floodSeconds - 0.5) {
      const next = Math.min(samples.length * interval, floodSeconds);
      await sleep(Math.max(0, next * 1000 - (performance.now() - t0)));
      await sample();
    }
    const secs = (performance.now() - t0) / 1000;
    const liveAfter = await liveHeap('end');
    const lines1 = await counters(engine, names);
    const cpuPct = ((cpuSeconds(pid) - cpu0) / secs) * 100;
    const actualRate = (lines1 - lines0) / secs;
    const termBps = (s.bytes - bytes0) / secs;
    const disk = await engine.diskUsage(); // with the flood's json logs, before they are removed
    const rss = samples.map((x) => x.rss);
    const half = samples.filter((x) => x.t >= secs / 2);
    // least-squares slope over the second half, bytes per minute
    const slope = (() => {
      if (half.length < 2) return NaN;
      const mt = half.reduce((a, x) => a + x.t, 0) / half.length;
      const mr = half.reduce((a, x) => a + x.rss, 0) / half.length;
      const num = half.reduce((a, x) => a + (x.t - mt) * (x.rss - mr), 0);
      const den = half.reduce((a, x) => a + (x.t - mt) ** 2, 0);
      return den ? (num / den) * 60 : NaN;
    })();
    const final = rss[rss.length - 1];
    const max = Math.max(...rss);
    // Bounded: the second half never goes more than 10 % above the first half's peak.
    const firstHalfMax = Math.max(...samples.filter((x) => x.t < secs / 2).map((x) => x.rss));
    const secondHalfMax = Math.max(...half.map((x) => x.rss));
    const flat = half.length ? secondHalfMax <= firstHalfMax * 1.1 : undefined;
    const lines = [
      `RSS under log flood (${Math.round(actualRate)} lines/s for ${Math.round(secs)} s, ${N} idle containers): ${fmtBytes(final)} at the end (before the flood ${fmtBytes(rssBefore)}, min ${fmtBytes(Math.min(...rss))}, max ${fmtBytes(max)}); second-half trend ${slope >= 0 ? '+' : ''}${fmtBytes(slope)}/min, second-half peak ${(secondHalfMax / firstHalfMax).toFixed(2)}x the first half's -> ${flat === undefined ? 'n/a' : flat ? 'flat and bounded' : 'GROWING'}; opsdeck CPU ${cpuPct.toFixed(1)} % of a core; terminal ${fmtBytes(termBps)}/s; engine dir ${fmtBytes(disk)}`,
      `  RSS samples (MB): ${samples.map((x) => `${x.t}s:${(x.rss / 1024 / 1024).toFixed(0)}`).join(' ')}`,
    ];
    if (liveBefore !== undefined) {
      lines.push(
        `  heap total samples (MB): ${samples.map((x) => `${x.t}s:${(x.memory.heapTotal / 1024 / 1024).toFixed(0)}`).join(' ')}; live heap after a full GC ${fmtBytes(liveBefore)} at the start, ${fmtBytes(liveAfter)} at the end`,
      );
    }
    for (const l of lines) say(l);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
    return {
      lines,
      rows: [row('5b RSS under 1k lines/s flood', `RSS after ${Math.round(secs / 60)} min (max)`, `${fmtBytes(final)} (${fmtBytes(max)})`, 'flat and bounded', `${slope >= 0 ? '+' : ''}${fmtBytes(slope)}/min ${flat ? 'flat' : 'GROWING'}; CPU ${cpuPct.toFixed(0)} %`)],
      data: { samples, rssBefore, actualRate, cpuPct, termBps, slope, disk, screen: s.text() },
    };
  } finally {
    inspector?.close();
    await s.stop();
    await engine.removeContainers(names);
  }
}

standalone(import.meta.url, run);
