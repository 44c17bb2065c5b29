// Bench 8: 50 configured gates (13 http, 13 tcp, 12 command, 12 file) at 5 s intervals, beside the
// same cockpit (50 containers, the same engine through the same --config) with no gates. Per run:
// first complete frame, BENCH_GATES_SETTLE_SECONDS (15) of settling, opsdeck's utime+stime over
// BENCH_GATES_SECONDS (30) as % of one core (the commands the gates run are children: their CPU is
// printed beside, not counted), then keystroke-to-frame (30 x j, 2 filter rounds). Runs alternate
// no-gates / gates, BENCH_GATES_ROUNDS (2) of each; medians. The loopback HTTP server and TCP
// listener the gates check count the requests they answered, to show the gates ran at their rate.
// A long-lived child process of the cockpit (a helper that would spawn the commands for it) is
// counted in the cockpit's figure. BENCH_GATES_SIDE_BY_SIDE=1 starts both cockpits of a round at
// once and measures them over the same window (the same load for both); BENCH_GATES_COMPARE_BUNDLE
// (another build) adds that build's two cockpits to the same windows, for an A/B whose two
// extras are paired round by round.
// Goals: <= 1 % of a core extra; keystroke p99 beside the no-gate run's.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { loadavg } from 'node:os';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeFrame } from './lib/cockpit.mjs';
import { formatLatencies, keyPlan, measureKeys } from './lib/keystrokes.mjs';
import { PtySession, bundleCommand } from './lib/pty.mjs';
import { BUNDLE, CLK_TCK, cpuSeconds, envNumber, fmtMs, median, percentile, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 50;
const GATES = { http: 13, tcp: 13, command: 12, file: 12 };

/** utime+stime of the process's waited-for children (cutime+cstime), in seconds. */
function childCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/**
 * The cockpit's long-lived child processes (a helper it keeps, not the gates' short commands): by
 * pid, their start time (to tell a reused pid) and utime+stime in seconds.
 */
function childProcesses(pid) {
  const found = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== pid) continue;
      found.set(Number(name), { start: fields[19], cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rssKb: rssKilobytes(name) });
    } catch {
      /* gone */
    }
  }
  return found;
}

function rssKilobytes(pid) {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** CPU seconds the children alive at both ends spent between them, and their RSS at the end. */
function helperUse(before, after) {
  let cpu = 0;
  let rssKb = 0;
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (!start || start.start !== end.start) continue;
    cpu += end.cpu - start.cpu;
    rssKb += end.rssKb;
  }
  return { cpu, rssKb };
}

async function startTargets() {
  const counts = { http: 0, tcp: 0 };
  const http = createHttpServer((_request, response) => {
    counts.http += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"UP","metrics":{"avg_query_time_ms":12}}');
  });
  const sockets = new Set();
  const tcp = createTcpServer((socket) => {
    counts.tcp += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.end();
  });
  await Promise.all([new Promise((resolve) => http.listen(0, '127.0.0.1', resolve)), new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve))]);
  return {
    counts,
    httpPort: http.address().port,
    tcpPort: tcp.address().port,
    close: () => {
      http.closeAllConnections?.();
      for (const socket of sockets) socket.destroy();
      return Promise.all([new Promise((resolve) => http.close(resolve)), new Promise((resolve) => tcp.close(resolve))]);
    },
  };
}

function gateEntries(targets, dir) {
  const lines = [];
  const entry = (id, title, check) => lines.push(`  - { id: ${id}, title: '${title}', interval: 5s, timeout: 2s, check: ${check} }`);
  for (let i = 0; i < GATES.http; i++) entry(`http-${i}`, `HTTP health ${i}`, `{ type: http, url: 'http://127.0.0.1:${targets.httpPort}/health/${i}', json: '.metrics.avg_query_time_ms < 1000' }`);
  for (let i = 0; i < GATES.tcp; i++) entry(`tcp-${i}`, `TCP port ${i}`, `{ type: tcp, host: 127.0.0.1, port: ${targets.tcpPort} }`);
  for (let i = 0; i < GATES.command; i++) entry(`command-${i}`, `Command ${i}`, `{ type: command, argv: [/bin/true] }`);
  for (let i = 0; i < GATES.file; i++) {
    const file = join(dir, `status-${i}.json`);
    writeFileSync(file, JSON.stringify({ exit_code: 0, timestamp_utc: new Date().toISOString() }));
    entry(`file-${i}`, `Status report ${i}`, `{ type: file, path: '${file}', json: '.exit_code == 0' }`);
  }
  return lines.join('\n');
}

/** A cockpit started on a config, up to its first complete frame and its settling time. */
async function startCockpit(engine, configFile, label, bundle) {
  const session = new PtySession([...bundleCommand(bundle), '--config', configFile], {
    cwd: engine.workDir,
    env: { HOME: engine.workDir, XDG_CONFIG_HOME: `${engine.workDir}/.config`, XDG_STATE_HOME: `${engine.workDir}/.state` },
  });
  try {
    await session.waitFor(completeFrame(N), 60_000, `first complete frame with ${N} containers (${label})`);
    return { session, label, gated: configFile.endsWith('gates.yaml') && !configFile.endsWith('no-gates.yaml'), pid: await session.programPid('node') };
  } catch (error) {
    await session.stop();
    throw error;
  }
}

/** What each cockpit spent over the same window (read back to back at both ends), then its keystroke-to-frame, one cockpit at a time. */
async function measureTogether(cockpits, targets) {
  await sleep(envNumber('BENCH_GATES_SETTLE_SECONDS', 15) * 1000);
  const window = envNumber('BENCH_GATES_SECONDS', 30) * 1000;
  const starts = cockpits.map(({ session, pid }) => ({ c: cpuSeconds(pid), k: childCpuSeconds(pid), helpers: childProcesses(pid), f: session.screen.counts.syncEnd }));
  const h0 = { ...targets.counts };
  const t0 = performance.now();
  await sleep(window);
  const ends = cockpits.map(({ session, pid }) => ({ c: cpuSeconds(pid), k: childCpuSeconds(pid), helpers: childProcesses(pid), f: session.screen.counts.syncEnd }));
  const h1 = { ...targets.counts };
  const secs = (performance.now() - t0) / 1000;
  const gatedCount = Math.max(1, cockpits.filter((cockpit) => cockpit.gated).length);
  const results = [];
  for (const [index, { session, label, gated }] of cockpits.entries()) {
    const start = starts[index];
    const end = ends[index];
    if (start.c === undefined || end.c === undefined) throw new Error(`opsdeck (${label}) exited during the window; stderr: ${session.stderr}`);
    const helpers = helperUse(start.helpers, end.helpers);
    const result = {
      // A helper process the cockpit keeps (one that would spawn commands for it) is the cockpit's cost too.
      pct: ((end.c - start.c + helpers.cpu) / secs) * 100,
      helperPct: (helpers.cpu / secs) * 100,
      helperRssMb: helpers.rssKb / 1024,
      childPct: (((end.k ?? 0) - (start.k ?? 0)) / secs) * 100,
      // Side by side, the gated cockpits share the loopback targets: each one's share.
      httpPerSecond: gated ? (h1.http - h0.http) / secs / gatedCount : 0,
      tcpPerSecond: gated ? (h1.tcp - h0.tcp) / secs / gatedCount : 0,
      framesPerSecond: (end.f - start.f) / secs,
    };
    const keys = await measureKeys(session, keyPlan({ moves: 30, filters: ['svc-42', 'svc-1'] }), { quietMs: 250 });
    result.keys = keys.all;
    result.screen = session.text();
    const helperText = result.helperPct > 0 ? `, of which helper processes ${result.helperPct.toFixed(2)} % (RSS ${result.helperRssMb.toFixed(1)} MB)` : '';
    say(
      `  ${label}: ${result.pct.toFixed(2)} % of a core${helperText} (commands ${result.childPct.toFixed(2)} %), ${result.framesPerSecond.toFixed(2)} frames/s, ` +
        `http ${result.httpPerSecond.toFixed(2)}/s tcp ${result.tcpPerSecond.toFixed(2)}/s; keys ${formatLatencies(keys.all)}`,
    );
    results.push(result);
  }
  return results;
}

async function measure(engine, configFile, label, targets, bundle) {
  const cockpit = await startCockpit(engine, configFile, label, bundle);
  try {
    return (await measureTogether([cockpit], targets))[0];
  } finally {
    await cockpit.session.stop();
  }
}

/** One round side by side: every (bundle, config) cockpit at once, measured over the same window. */
async function measureSideBySide(engine, variants, targets) {
  const cockpits = [];
  try {
    for (const variant of variants) cockpits.push(await startCockpit(engine, variant.config, variant.label, variant.bundle));
    return await measureTogether(cockpits, targets);
  } finally {
    await Promise.all(cockpits.map((cockpit) => cockpit.session.stop()));
  }
}

export async function run(engine) {
  await engine.ensureFiller(N);
  const rounds = envNumber('BENCH_GATES_ROUNDS', 2);
  const dir = join(engine.workDir, 'gates-50');
  mkdirSync(dir, { recursive: true });
  const targets = await startTargets();
  try {
    const engines = `engines:\n  - name: local\n    host: ${engine.dockerHost}\n`;
    const plain = join(dir, 'no-gates.yaml');
    const gated = join(dir, 'gates.yaml');
    writeFileSync(plain, engines);
    writeFileSync(gated, `${engines}gates:\n${gateEntries(targets, dir)}\n`);
    const runs = { none: [], gates: [] };
    const compareBundle = process.env.BENCH_GATES_COMPARE_BUNDLE;
    const sideBySide = process.env.BENCH_GATES_SIDE_BY_SIDE === '1' || compareBundle !== undefined;
    const compared = { none: [], gates: [] };
    for (let round = 0; round < rounds; round++) {
      if (!sideBySide) {
        runs.none.push(await measure(engine, plain, `no gates, run ${round + 1}`, targets));
        runs.gates.push(await measure(engine, gated, `50 gates, run ${round + 1}`, targets));
        continue;
      }
      // The same load for every cockpit: started together, measured over one window.
      say(`  round ${round + 1} side by side (load average ${loadavg().map((load) => load.toFixed(2)).join(' ')})`);
      const variants = [
        { config: plain, label: `no gates, run ${round + 1}`, bundle: BUNDLE },
        { config: gated, label: `50 gates, run ${round + 1}`, bundle: BUNDLE },
        ...(compareBundle
          ? [
              { config: plain, label: `no gates, ${compareBundle}, run ${round + 1}`, bundle: compareBundle },
              { config: gated, label: `50 gates, ${compareBundle}, run ${round + 1}`, bundle: compareBundle },
            ]
          : []),
      ];
      const [none, gates, otherNone, otherGates] = await measureSideBySide(engine, variants, targets);
      runs.none.push(none);
      runs.gates.push(gates);
      if (otherNone && otherGates) {
        compared.none.push(otherNone);
        compared.gates.push(otherGates);
        say(`  round ${round + 1}: extra ${(gates.pct - none.pct).toFixed(2)} % (this build) vs ${(otherGates.pct - otherNone.pct).toFixed(2)} % (${compareBundle})`);
      }
    }
    const cpuNone = median(runs.none.map((r) => r.pct));
    const cpuGates = median(runs.gates.map((r) => r.pct));
    const extra = cpuGates - cpuNone;
    const keysNone = runs.none.flatMap((r) => r.keys);
    const keysGates = runs.gates.flatMap((r) => r.keys);
    const p99None = percentile(keysNone, 99);
    const p99Gates = percentile(keysGates, 99);
    const childGates = median(runs.gates.map((r) => r.childPct));
    const checksPerSecond = median(runs.gates.map((r) => r.httpPerSecond + r.tcpPerSecond));
    const cpuOk = extra <= 1;
    const keysOk = p99Gates <= Math.max(p99None * 1.2, p99None + 5);
    const lines = [
      `50 gates at 5 s: opsdeck ${cpuGates.toFixed(2)} % of a core beside ${cpuNone.toFixed(2)} % with no gates (median of ${rounds}): +${extra.toFixed(2)} %; goal <= 1 % extra -> ${cpuOk ? 'MET' : 'MISSED'}`,
      `  the gates' commands (children of opsdeck, not counted above): ${childGates.toFixed(2)} % of a core; http+tcp checks answered ${checksPerSecond.toFixed(2)}/s (26 gates every 5 s: 5.2/s)`,
      `  keystroke-to-frame: no gates ${formatLatencies(keysNone)}; 50 gates ${formatLatencies(keysGates)}; goal p99 unchanged (within 20 % or 5 ms) -> ${keysOk ? 'MET' : 'MISSED'}`,
    ];
    if (compared.gates.length > 0) {
      const otherExtra = median(compared.gates.map((r) => r.pct)) - median(compared.none.map((r) => r.pct));
      const paired = compared.gates.map((r, index) => runs.gates[index].pct - runs.none[index].pct - (r.pct - compared.none[index].pct));
      lines.push(`  beside ${compareBundle} in the same windows: +${otherExtra.toFixed(2)} % extra there; this build minus that one, per round: ${paired.map((value) => value.toFixed(2)).join(' / ')} % (median ${median(paired).toFixed(2)})`);
    }
    for (const line of lines) say(line);
    if (process.env.BENCH_SHOW_SCREEN) say(`  screen (50 gates):\n${runs.gates.at(-1)?.screen}`);
    return {
      lines,
      rows: [
        row('8 gates CPU (50 gates, 5 s)', 'opsdeck utime+stime, gates - none', `+${extra.toFixed(2)} % (${cpuGates.toFixed(2)} vs ${cpuNone.toFixed(2)})`, '<= 1 % extra', `${(extra / 1).toFixed(1)}x goal ${cpuOk ? 'MET' : 'MISSED'}`),
        row('8 gates keystroke p99', 'key -> frame, gates vs none', `${fmtMs(p99Gates)} vs ${fmtMs(p99None)}`, 'unchanged', keysOk ? 'MET' : 'MISSED'),
      ],
      data: { runs: Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, list.map(({ screen: _screen, ...rest }) => rest)])), screen: runs.gates.at(-1)?.screen },
    };
  } finally {
    await targets.close();
  }
}

standalone(import.meta.url, run);
