// Bench 7: 10,000 pods in one namespace on a real apiserver (a private control plane of its own,
// lib/kube.mjs): 20 Deployments x 500 replicas bound to a fake kubelet's Node, 6 of the pods
// crash-looping. `opsdeck --kubeconfig K --context admin -n bench` in a 120x40 pty: time from spawn
// to the first complete frame (header connected, `Services (10000)`, a `svc-NNN  deploy  N/500 ready` row),
// median of BENCH_KUBE_RUNS (3) after a warm-up; RSS after that frame and BENCH_KUBE_RSS_SECONDS
// (30) later; keystroke-to-frame for j (scroll) and the filter (typing, backspace).
// Baselines in the same run, each in a process of its own: one paginated list of the pods over
// node's https (the floor) and @kubernetes/client-node's informer on them (full Pod objects cached).
// Goals: first frame <= 2 s, RSS <= 250 MB, keystroke p99 <= 50 ms.
import { mkdirSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { kubeCompleteFrame, openKubeCockpit } from './lib/cockpit.mjs';
import { formatLatencies, keyPlan, measureKeys, recognitionLine } from './lib/keystrokes.mjs';
import { populate, startCluster } from './lib/kube.mjs';
import { standalone } from './lib/standalone.mjs';
import { ROOT, cpuSeconds, envNumber, fmtBytes, fmtMs, median, percentile, row, rssBytes, say, sleep } from './lib/util.mjs';

/** This bench brings its own engine (run-all starts no dockerd for it). */
export const ENGINE = 'kubernetes';

const NAMESPACE = 'bench';
const CRASHING_IN = ['svc-001', 'svc-007', 'svc-013'];
const CRASHING_PER_DEPLOYMENT = 2;
/** The cluster's shape, shared with kube-hold.mjs (which keeps one between runs). */
export const KUBE_BENCH = { namespace: NAMESPACE, crashingIn: CRASHING_IN, crashingPerDeployment: CRASHING_PER_DEPLOYMENT };
/** What kube-hold.mjs writes into its run directory for BENCH_KUBE_CLUSTER. */
export const CLUSTER_FILE = 'bench-cluster.json';
const GOALS = { frameMs: 2000, rss: 250 * 1024 * 1024, p99Ms: 50 };

/** One run of lib/kube-baseline.mjs: its JSON line. */
function baseline(mode, cluster) {
  const args = [...(mode === 'informer' ? ['--expose-gc'] : []), join(ROOT, 'test/bench/lib/kube-baseline.mjs'), mode, cluster.kubeconfig, cluster.context, NAMESPACE];
  return new Promise((resolve, reject) => {
    execFile('node', args, { cwd: ROOT, maxBuffer: 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kube-baseline ${mode}: ${String(stderr).trim() || error.message}`));
      else resolve(JSON.parse(String(stdout).trim().split('\n').pop()));
    });
  });
}

/** Spawn the cockpit, wait for its first complete frame; the session is left running. */
async function firstFrame(cluster, workDir, pods, replicas) {
  const s = openKubeCockpit(cluster, NAMESPACE, workDir);
  const first = s.waitFor((text) => text.trim() !== '', 120_000, 'first output');
  first.catch(() => undefined);
  const t = await s.waitFor(kubeCompleteFrame(pods, replicas), 120_000, `first complete frame with ${pods} pods`);
  const pid = await s.programPid('node');
  return { s, pid, ms: t - s.startedAt, firstMs: (await first) - s.startedAt, rss: rssBytes(pid), cpuMs: (cpuSeconds(pid) ?? NaN) * 1000, screen: s.text() };
}

export async function run() {
  const held = process.env.BENCH_KUBE_CLUSTER ? JSON.parse(readFileSync(join(process.env.BENCH_KUBE_CLUSTER, CLUSTER_FILE), 'utf8')) : undefined;
  const deployments = held?.deployments ?? envNumber('BENCH_KUBE_DEPLOYMENTS', 20);
  const replicas = held?.replicas ?? envNumber('BENCH_KUBE_REPLICAS', 500);
  const runs = envNumber('BENCH_KUBE_RUNS', 3);
  const rssSeconds = envNumber('BENCH_KUBE_RSS_SECONDS', 30);
  const quiet = envNumber('BENCH_QUIET_MS', 250);
  const pods = deployments * replicas;
  // A cluster held by kube-hold.mjs is reused as it is and left running.
  const cluster = held ? { ...held, lab: { runDir: held.runDir }, dispose: async () => undefined } : await startCluster();
  const workDir = join(cluster.lab.runDir, 'home');
  mkdirSync(workDir, { recursive: true });
  const lines = [];
  const note = (line) => {
    lines.push(line);
    say(line);
  };
  try {
    const filled = held?.filled ?? (await populate(cluster, { namespace: NAMESPACE, deployments, replicas, crashingIn: CRASHING_IN, crashing: CRASHING_PER_DEPLOYMENT }));
    note(`  ${pods} pods (${deployments} Deployments x ${replicas}, ${filled.crashers} crash-looping): created by the ReplicaSets in ${fmtMs(filled.phases.created)}, all ready after ${fmtMs(filled.phases.ready)} (fake kubelet problems: ${filled.kubeletProblems})${held ? `; held by kube-hold.mjs in ${held.runDir}` : ''}`);
    if (!held) await sleep(5000); // the controllers' last status updates

    // Baselines: the raw list (floor), client-node's informer (BENCH_KUBE_BASELINES=0: skipped, for quick A/B runs on a held cluster).
    const withBaselines = process.env.BENCH_KUBE_BASELINES !== '0';
    const raws = [];
    for (let i = 0; withBaselines && i < 3; i++) raws.push(await baseline('raw', cluster));
    const raw = raws[raws.length - 1];
    const rawMs = withBaselines ? median(raws.map((x) => x.listMs)) : NaN;
    if (withBaselines) note(`  floor, one paginated list (limit=500, ${raw.pages} pages, ${fmtBytes(raw.bytes)}, ${raw.items} pods) over node https: median ${fmtMs(rawMs)} (${raws.map((x) => Math.round(x.listMs)).join(' ')}), JSON.parse of the pages ${fmtMs(median(raws.map((x) => x.parseMs)))} more`);
    const informers = [];
    for (let i = 0; withBaselines && i < 2; i++) informers.push(await baseline('informer', cluster));
    const informerMs = withBaselines ? median(informers.map((x) => x.syncMs)) : NaN;
    const informer = informers[informers.length - 1] ?? { items: 0, after: { rss: NaN, heapUsed: NaN }, before: { rss: NaN, heapUsed: NaN } };
    const cachePerPod = (informer.after.heapUsed - informer.before.heapUsed) / informer.items;
    if (withBaselines) note(`  client-node 1.4 informer (makeInformer, one unpaginated list, ${informer.items} pods): synced in ${fmtMs(informerMs)} (${informers.map((x) => Math.round(x.syncMs)).join(' ')}; ${fmtMs(informer.sinceProcessStartMs)} since its process started), RSS ${fmtBytes(informer.after.rss)} (${fmtBytes(informer.before.rss)} before), heap ${fmtBytes(informer.after.heapUsed)} after gc = ${fmtBytes(cachePerPod)} per cached pod`);
    else note('  baselines skipped (BENCH_KUBE_BASELINES=0)');

    // opsdeck: a warm-up, then `runs` cold starts; the last one stays for RSS and keys.
    const frames = [];
    let session;
    for (let i = 0; i <= runs; i++) {
      const r = await firstFrame(cluster, workDir, pods, replicas);
      if (i > 0) frames.push(r);
      if (i < runs) {
        await r.s.stop();
        await sleep(1000);
      } else session = r;
    }
    const frameMs = median(frames.map((f) => f.ms));
    note(`  opsdeck first complete frame: median ${fmtMs(frameMs)} (${frames.map((f) => Math.round(f.ms)).join(' ')}; first text ${frames.map((f) => Math.round(f.firstMs)).join(' ')}; opsdeck's own CPU until then ${frames.map((f) => Math.round(f.cpuMs)).join(' ')} ms), RSS at that frame ${frames.map((f) => fmtBytes(f.rss)).join(' ')}`);
    const s = session.s;
    try {
      await sleep(rssSeconds * 1000);
      const rssLater = rssBytes(session.pid);
      const k0 = s.screen.counts.syncEnd;
      await sleep(5000);
      const background = (s.screen.counts.syncEnd - k0) / 5;
      const plan = keyPlan({ moves: 50, filters: ['svc-013', 'svc-020', 'svc-5', 'svc-00', 'svc-01'] });
      const measured = await measureKeys(s, plan, { quietMs: quiet, pid: session.pid });
      const rssAfterKeys = rssBytes(session.pid);
      const rssMax = Math.max(session.rss, rssLater, rssAfterKeys);
      note(`  opsdeck RSS: ${fmtBytes(session.rss)} at the first frame, ${fmtBytes(rssLater)} ${rssSeconds} s later, ${fmtBytes(rssAfterKeys)} after the keys (client-node's informer alone: ${fmtBytes(informer.after.rss)})`);
      note(`  keys: j ${formatLatencies(measured.lat.j)}; filter ${formatLatencies(measured.lat.filter)}; opsdeck's CPU per key (mean) j ${fmtMs(measured.cpuMsPerKey.j)}, filter ${fmtMs(measured.cpuMsPerKey.filter)}`);
      note(`  background ${background.toFixed(1)} frames/s while idle; ${recognitionLine(measured)}${measured.unrecognised.length ? ` (${measured.unrecognised.join(' ')})` : ''}`);
      const p99 = percentile(measured.all, 99);
      const verdict = (ok) => (ok ? 'MET' : 'MISSED');
      const okFrame = frameMs <= GOALS.frameMs;
      const okRss = rssMax <= GOALS.rss;
      const okKeys = p99 <= GOALS.p99Ms;
      const summary = `kube-10k-pods: first frame ${fmtMs(frameMs)} (floor ${fmtMs(rawMs)}, client-node informer ${fmtMs(informerMs)}) goal <= 2 s -> ${verdict(okFrame)}; RSS max ${fmtBytes(rssMax)} (informer ${fmtBytes(informer.after.rss)}) goal <= 250 MB -> ${verdict(okRss)}; keys ${formatLatencies(measured.all)} goal p99 <= 50 ms -> ${verdict(okKeys)}`;
      note(summary);
      lines.unshift(lines.pop());
      if (process.env.BENCH_SHOW_SCREEN) say(`  screen:\n${s.text()}`);
      const bench = `7 kube ${pods} pods`;
      return {
        lines,
        rows: [
          row(bench, 'median first complete frame', fmtMs(frameMs), '<= 2 s', `${(frameMs / rawMs).toFixed(1)}x raw list (${fmtMs(rawMs)}), ${(frameMs / informerMs).toFixed(1)}x informer (${fmtMs(informerMs)}) ${verdict(okFrame)}`),
          row(bench, 'RSS frame / +30 s / after keys', `${fmtBytes(session.rss)} / ${fmtBytes(rssLater)} / ${fmtBytes(rssAfterKeys)}`, '<= 250 MB', `${(rssMax / informer.after.rss).toFixed(1)}x informer (${fmtBytes(informer.after.rss)}) ${verdict(okRss)}`),
          row(bench, 'p50/p95/p99 key -> frame', `${fmtMs(percentile(measured.all, 50))} / ${fmtMs(percentile(measured.all, 95))} / ${fmtMs(p99)}`, 'p99 <= 50 ms', `${(p99 / GOALS.p99Ms).toFixed(1)}x goal ${verdict(okKeys)}`),
        ],
        data: { filled, raws, informers, frames: frames.map(({ s: _s, screen: _screen, ...f }) => f), rssLater, rssAfterKeys, background, lat: measured.lat, screen: s.text(), firstFrame: session.screen },
      };
    } finally {
      await s.stop();
    }
  } finally {
    await cluster.kubelet?.stop().catch(() => undefined);
    await cluster.dispose();
  }
}

standalone(import.meta.url, run, { dockerEngine: false });
