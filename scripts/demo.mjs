#!/usr/bin/env node
// `npm run demo`: opsdeck against a sandbox Docker engine with demo workloads.
//
// 1. starts (or reuses) a private dockerd in $TMPDIR/opsdeck-demo (lab/docker-engine.mjs; never the
//    system daemon; a first run on a fresh machine apt-installs docker.io),
// 2. starts project `shop` (healthy web, noisy api, crash-looping worker, CPU burner, unhealthy db)
//    and project `billing` (2 healthy services),
// 3. runs `node dist/opsdeck.mjs --docker-host unix://…` in this terminal,
// 4. when it exits (or on SIGINT/SIGTERM) removes both projects and stops the sandbox dockerd by its pid.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrivateDockerd } from '../lab/docker-engine.mjs';
import { removeStack, startDemoStack, startHealthyProject } from '../lab/stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = process.env.OPSDECK_DEMO_DIR || join(tmpdir(), 'opsdeck-demo');
// OPSDECK_DEMO_APP: run another entry point instead of dist/opsdeck.mjs (e.g. to test this script).
const app = process.env.OPSDECK_DEMO_APP || join(root, 'dist', 'opsdeck.mjs');
const PROJECTS = ['shop', 'billing'];

/** @type {import('../lab/docker-engine.mjs').PrivateDockerd | undefined} */
let engine;
/** @type {import('node:child_process').ChildProcess | undefined} */
let child;
/** @type {Promise<void> | undefined} */
let cleaning;
/** @type {Promise<unknown> | undefined} */
let engineStarting;

const say = (/** @type {string} */ msg) => process.stderr.write(`opsdeck demo: ${msg}\n`);

function cleanup() {
  cleaning ??= (async () => {
    if (!engine) return;
    for (const project of PROJECTS) {
      await removeStack(engine.dockerHost, project).catch((err) => say(`removing ${project}: ${err.message}`));
    }
    // The directory stays (busybox tarball, image): the next demo starts in a second.
    await engine.stop().catch((err) => say(`stopping dockerd: ${err.message}`));
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
    // Let a running engine start finish first so the new dockerd's pid is known.
    void Promise.resolve(engineStarting)
      .catch(() => undefined)
      .then(cleanup)
      .finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

async function main() {
  if (!existsSync(app)) throw new Error(`${app} not found (run \`npm run build\` first)`);
  say(`starting a sandbox Docker engine in ${engineDir} (the first run may apt-get install docker.io) …`);
  const t0 = performance.now();
  engineStarting = startPrivateDockerd({ dir: engineDir });
  engine = /** @type {import('../lab/docker-engine.mjs').PrivateDockerd} */ (await engineStarting);
  if (exiting) return;
  await Promise.all([
    startDemoStack(engine.dockerHost, { project: 'shop' }),
    startHealthyProject(engine.dockerHost, { project: 'billing', services: ['invoices', 'payments'] }),
  ]);
  if (exiting) return;
  say(
    `engine ${engine.dockerHost} (dockerd pid ${engine.pid()}), projects shop + billing up in ` +
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
