#!/usr/bin/env node
// `npm run demo`: opsdeck against a sandbox Docker engine with demo workloads.
//
// 1. starts (or reuses) a private dockerd in $TMPDIR/opsdeck-demo (lab/docker-engine.mjs; never the
//    system daemon; a first run on a fresh machine apt-installs docker.io),
// 2. starts project `shop` (healthy web, noisy api, crash-looping worker, CPU burner, unhealthy db)
//    and project `billing` (2 healthy services),
// 3. runs `node dist/opsdeck.mjs --docker-host unix://…` in this terminal,
// 4. when it exits (or on SIGINT/SIGTERM) removes both projects and stops the sandbox dockerd by its pid.
// With OPSDECK_DEMO_PODMAN=1 (or `npm run demo -- --podman`) a private podman service starts too
// (lab/podman-engine.mjs, in $TMPDIR/opsdeck-demo-podman), `billing` runs on it, and opsdeck watches
// both engines (--docker-host … --engine podman=podman:unix://…).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrivateDockerd } from '../lab/docker-engine.mjs';
import { startPrivatePodman } from '../lab/podman-engine.mjs';
import { removeStack, startDemoStack, startHealthyProject } from '../lab/stack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = process.env.OPSDECK_DEMO_DIR || join(tmpdir(), 'opsdeck-demo');
// OPSDECK_DEMO_APP: run another entry point instead of dist/opsdeck.mjs (e.g. to test this script).
const app = process.env.OPSDECK_DEMO_APP || join(root, 'dist', 'opsdeck.mjs');
const podmanDir = process.env.OPSDECK_DEMO_PODMAN_DIR || join(tmpdir(), 'opsdeck-demo-podman');
const withPodman = process.env.OPSDECK_DEMO_PODMAN === '1' || process.argv.includes('--podman');

/** @type {import('../lab/docker-engine.mjs').PrivateDockerd | undefined} */
let engine;
/** @type {import('../lab/podman-engine.mjs').PrivatePodman | undefined} */
let podmanEngine;
/** @type {import('node:child_process').ChildProcess | undefined} */
let child;
/** @type {Promise<void> | undefined} */
let cleaning;
/** @type {Promise<unknown> | undefined} */
let engineStarting;

const say = (/** @type {string} */ msg) => process.stderr.write(`opsdeck demo: ${msg}\n`);

function cleanup() {
  cleaning ??= (async () => {
    // The directories stay (busybox tarball, image): the next demo starts in a second.
    if (podmanEngine) {
      await removeStack(podmanEngine.podmanHost, 'billing').catch((err) => say(`removing billing: ${err.message}`));
      await podmanEngine.stop().catch((err) => say(`stopping podman: ${err.message}`));
    }
    if (!engine) return;
    for (const project of podmanEngine ? ['shop'] : ['shop', 'billing']) {
      await removeStack(engine.dockerHost, project).catch((err) => say(`removing ${project}: ${err.message}`));
    }
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
  // Both engines start at once; each is kept as soon as it is up, so a failure or a signal stops it.
  const dockerStarting = startPrivateDockerd({ dir: engineDir }).then((started) => (engine = started));
  const podmanStarting = withPodman ? startPrivatePodman({ dir: podmanDir }).then((started) => (podmanEngine = started)) : undefined;
  engineStarting = Promise.allSettled([dockerStarting, podmanStarting]);
  await Promise.all([dockerStarting, podmanStarting]);
  const dockerd = /** @type {import('../lab/docker-engine.mjs').PrivateDockerd} */ (engine);
  if (exiting) return;
  const billingHost = podmanEngine ? podmanEngine.podmanHost : dockerd.dockerHost;
  await Promise.all([
    startDemoStack(dockerd.dockerHost, { project: 'shop' }),
    startHealthyProject(billingHost, { project: 'billing', services: ['invoices', 'payments'], init: !podmanEngine }),
  ]);
  if (exiting) return;
  say(
    `engine ${dockerd.dockerHost} (dockerd pid ${dockerd.pid()})` +
      (podmanEngine ? `, podman ${podmanEngine.podmanHost} (service pid ${podmanEngine.pid()}) with billing` : '') +
      `, projects shop + billing up in ${((performance.now() - t0) / 1000).toFixed(1)} s; launching opsdeck`,
  );
  const engineArgs = ['--docker-host', dockerd.dockerHost, ...(podmanEngine ? ['--engine', `podman=podman:${podmanEngine.podmanHost}`] : [])];
  child = spawn(process.execPath, [app, ...engineArgs], { stdio: 'inherit' });
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
