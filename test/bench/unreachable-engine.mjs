// Bench 1b: first complete frame with two engines configured, one of them unreachable (a loopback
// port whose listener accepts connections and never answers), beside the same engine alone.
// Both a tcp:// and an ssh:// unreachable engine (ssh waits for a banner that never comes).
// Goal: the unreachable engine delays neither the first frame nor the other engine: the median
// stays within 20 % (or 50 ms) of one engine alone, and at that frame it still says connecting.
// Median of BENCH_RUNS (default 7) runs each, interleaved.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { completeFrame } from './lib/cockpit.mjs';
import { PtySession, bundleCommand } from './lib/pty.mjs';
import { envNumber, fmtMs, median, row, say, sleep } from './lib/util.mjs';
import { standalone } from './lib/standalone.mjs';

const N = 50;

/** Accepts every connection, reads what comes, never writes a byte. */
async function startSilentListener() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    accepted: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

function writeConfig(dir, name, engines) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `engines:\n${engines.map((engine) => `  - name: ${engine.name}\n    host: ${engine.host}\n`).join('')}`);
  return file;
}

async function timeFrame(engine, configFile, deadName) {
  const session = new PtySession([...bundleCommand(), '--config', configFile], {
    cwd: engine.workDir,
    env: { HOME: engine.workDir, XDG_CONFIG_HOME: `${engine.workDir}/.config` },
  });
  try {
    const at = await session.waitFor(completeFrame(N), 30_000, `first complete frame with ${N} containers (${configFile})`);
    const screen = session.text();
    // The unreachable engine is still trying when the other one's frame is complete.
    const deadStillConnecting = deadName ? new RegExp(`${deadName}\\W+connecting`).test(screen) : true;
    return { ms: at - session.startedAt, screen, deadStillConnecting };
  } finally {
    await session.stop();
  }
}

export async function run(engine) {
  await engine.ensureFiller(N);
  const runs = envNumber('BENCH_RUNS', 7);
  const listener = await startSilentListener();
  const dir = join(engine.workDir, 'unreachable');
  mkdirSync(dir, { recursive: true });
  const local = { name: 'local', host: engine.dockerHost };
  const variants = [
    { key: 'alone', label: 'one engine alone', config: writeConfig(dir, 'alone', [local]) },
    { key: 'tcp', label: 'beside an unreachable tcp:// engine', dead: 'deadtcp', config: writeConfig(dir, 'tcp', [local, { name: 'deadtcp', host: `tcp://127.0.0.1:${listener.port}` }]) },
    { key: 'ssh', label: 'beside an unreachable ssh:// engine', dead: 'deadssh', config: writeConfig(dir, 'ssh', [local, { name: 'deadssh', host: `ssh://root@127.0.0.1:${listener.port}` }]) },
  ];
  const times = Object.fromEntries(variants.map((variant) => [variant.key, []]));
  let stillConnecting = 0;
  let withDead = 0;
  let lastScreen = '';
  try {
    for (const variant of variants) await timeFrame(engine, variant.config, variant.dead); // warm-up, not counted
    for (let index = 0; index < runs; index++) {
      for (const variant of variants) {
        const result = await timeFrame(engine, variant.config, variant.dead);
        times[variant.key].push(result.ms);
        if (variant.dead) {
          withDead++;
          if (result.deadStillConnecting) stillConnecting++;
          lastScreen = result.screen;
        }
        await sleep(300);
      }
    }
  } finally {
    await listener.close();
  }
  const alone = median(times.alone);
  const verdicts = variants.slice(1).map((variant) => {
    const value = median(times[variant.key]);
    const ok = value <= Math.max(alone * 1.2, alone + 50);
    return { variant, value, ok };
  });
  const allOk = verdicts.every((verdict) => verdict.ok) && stillConnecting === withDead;
  say(`  runs (ms): ${variants.map((variant) => `${variant.label} ${times[variant.key].map(Math.round).join(' ')}`).join(' | ')}`);
  // On a loaded machine the medians move by seconds; the fastest run of each shows the floor.
  say(`  fastest run: ${variants.map((variant) => `${variant.label} ${fmtMs(Math.min(...times[variant.key]))}`).join(', ')}`);
  say(`  unreachable engine still "connecting" at the first complete frame: ${stillConnecting}/${withDead} runs`);
  if (process.env.BENCH_SHOW_SCREEN) say(`  first complete frame beside an unreachable engine:\n${lastScreen}`);
  const line =
    `unreachable-engine: one engine alone ${fmtMs(alone)}, ` +
    verdicts.map(({ variant, value }) => `${variant.label} ${fmtMs(value)} (${(value / alone).toFixed(2)}x)`).join(', ') +
    `; goal <= 1.2x (or +50 ms) of alone -> ${allOk ? 'MET' : 'MISSED'}`;
  say(line);
  return {
    lines: [line],
    rows: [
      row('1b unreachable engine (50 ctrs)', 'median first frame, one engine alone', fmtMs(alone), '', ''),
      ...verdicts.map(({ variant, value, ok }) =>
        row('1b unreachable engine (50 ctrs)', `median first frame ${variant.label}`, fmtMs(value), '<= 1.2x (or +50 ms) of alone', `${(value / alone).toFixed(2)}x ${ok ? 'MET' : 'MISSED'}`),
      ),
    ],
    data: { times, stillConnecting, withDead, screen: lastScreen },
  };
}

standalone(import.meta.url, run);
