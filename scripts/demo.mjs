#!/usr/bin/env node
// `npm run demo`: opsdeck against a sandbox Docker engine with demo workloads.
//
// 1. starts (or reuses) a private dockerd in $TMPDIR/opsdeck-demo via test/engine/start-docker.sh
//    (never the system daemon; a first run on a fresh machine apt-installs docker.io),
// 2. starts project `shop` (healthy web, noisy api, crash-looping worker, CPU burner, unhealthy db)
//    and project `billing` (2 healthy services),
// 3. runs `node dist/opsdeck.mjs --docker-host unix://…` in this terminal,
// 4. when it exits (or on SIGINT/SIGTERM) removes both projects and stops the sandbox dockerd by its pid.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStack, startDemoStack, startHealthyProject } from '../test/engine/stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = process.env.OPSDECK_DEMO_DIR || join(tmpdir(), 'opsdeck-demo');
const startScript = join(root, 'test', 'engine', 'start-docker.sh');
// OPSDECK_DEMO_APP: run another entry point instead of dist/opsdeck.mjs (e.g. to test this script).
const app = process.env.OPSDECK_DEMO_APP || join(root, 'dist', 'opsdeck.mjs');
const PROJECTS = ['shop', 'billing'];

/** @type {{ dockerHost?: string, pid?: number, socket?: string }} */
const engine = {};
/** @type {import('node:child_process').ChildProcess | undefined} */
let child;
/** @type {Promise<void> | undefined} */
let cleaning;
/** @type {Promise<unknown> | undefined} */
let engineStarting;

const say = (/** @type {string} */ msg) => process.stderr.write(`opsdeck demo: ${msg}\n`);

/** Run start-docker.sh; its progress/errors go to our stderr, KEY=VALUE lines come back. */
function startEngine() {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [startScript], {
      env: { ...process.env, ENGINE_DIR: engineDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`start-docker.sh exited with ${code} (log: ${join(engineDir, 'dockerd.log')})`));
      /** @type {Record<string, string>} */
      const kv = {};
      for (const line of out.split('\n')) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) kv[m[1]] = m[2];
      }
      resolve(kv);
    });
  });
}

/** Alive and really our dockerd (its command line names our socket), so a recycled pid is never hit. */
function isOurDockerd(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && !!engine.socket && cmd.includes(engine.socket);
  } catch {
    return false;
  }
}

/** Our dockerd's pid: from start-docker.sh, else from its pid file (when interrupted mid-start). */
function dockerdPid() {
  if (engine.pid) return engine.pid;
  engine.socket ??= join(engineDir, 'docker.sock');
  try {
    return Number.parseInt(readFileSync(join(engineDir, 'docker.pid'), 'utf8'), 10) || undefined;
  } catch {
    return undefined;
  }
}

async function stopDockerd() {
  const pid = dockerdPid();
  if (!pid || !isOurDockerd(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isOurDockerd(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isOurDockerd(pid)) {
    say(`dockerd ${pid} did not stop in 10 s, killing it`);
    process.kill(pid, 'SIGKILL');
  }
}

function cleanup() {
  cleaning ??= (async () => {
    if (engine.dockerHost) {
      for (const project of PROJECTS) {
        await removeStack(engine.dockerHost, project).catch((err) => say(`removing ${project}: ${err.message}`));
      }
    }
    await stopDockerd().catch((err) => say(`stopping dockerd: ${err.message}`));
  })();
  return cleaning;
}

let exiting = false;
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(sig); // its exit runs the cleanup below
      return;
    }
    if (exiting) return;
    exiting = true;
    say(`${sig}: cleaning up`);
    // Let a running start-docker.sh finish first so the new dockerd's pid is known.
    void Promise.resolve(engineStarting)
      .catch(() => undefined)
      .then(() => new Promise((r) => setTimeout(r, engine.pid ? 0 : 500)))
      .then(cleanup)
      .finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

async function main() {
  if (!existsSync(app)) throw new Error(`${app} not found (run \`npm run build\` first)`);
  say(`starting a sandbox Docker engine in ${engineDir} (the first run may apt-get install docker.io) …`);
  const t0 = performance.now();
  engineStarting = startEngine();
  const kv = /** @type {Record<string, string>} */ (await engineStarting);
  engine.dockerHost = kv.DOCKER_HOST;
  engine.pid = Number(kv.DOCKERD_PID) || undefined;
  engine.socket = engine.dockerHost?.replace(/^unix:\/\//, '');
  if (!engine.dockerHost) throw new Error('start-docker.sh printed no DOCKER_HOST');
  if (exiting) return;
  await Promise.all([
    startDemoStack(engine.dockerHost, { project: 'shop' }),
    startHealthyProject(engine.dockerHost, { project: 'billing', services: ['invoices', 'payments'] }),
  ]);
  if (exiting) return;
  say(
    `engine ${engine.dockerHost} (dockerd pid ${engine.pid}), projects shop + billing up in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s; launching opsdeck`,
  );
  child = spawn(process.execPath, [app, '--docker-host', engine.dockerHost], { stdio: 'inherit' });
  const code = await new Promise((resolve) => {
    child?.on('error', (err) => {
      say(`cannot run opsdeck: ${err.message}`);
      resolve(1);
    });
    child?.on('exit', (c, s) => resolve(c ?? (s === 'SIGINT' ? 130 : s ? 143 : 0)));
  });
  return /** @type {number} */ (code);
}

let exitCode = 0;
try {
  exitCode = (await main()) ?? 0;
} catch (err) {
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
}
if (!exiting) {
  exiting = true;
  say('removing demo projects and stopping the sandbox engine …');
  await cleanup();
  process.exit(exitCode);
}
