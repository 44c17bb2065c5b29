// Extra workloads the shipped playbooks need beyond the `shop` stack (lab/stack.mjs), created on
// the private engines by the playbook library test. Like the stack they are busybox containers
// labelled as Compose would, without a bridge network (`--network none`), except the health URL
// server, which shares the host's network so its loopback port is reachable from the test.
import { createServer } from 'node:net';
import { composeLabels, dockerCli, IMAGE, removeStack } from '../../lab/stack.mjs';
import { podman } from '../../lab/podman-engine.mjs';
import { docker } from '../../lab/docker-engine.mjs';
import { loadConfig } from '../../src/config/load-config';
import type { Instance } from '../../src/domain/types';
import { createRuntime, type Runtime } from '../../src/runtime/runtime';
import { temporaryDirectory } from './action-context';
import { waitFor } from './wait-for';

/** Healthy project: the morning check, a graceful restart, backups and restores. */
export const LIBRARY_PROJECT = 'lib';
/** Containers that are down: service-down's recovery and escalation. */
export const BROKEN_PROJECT = 'broken';
/** Evidence capture and isolation. */
export const INCIDENT_PROJECT = 'incident';
/** On Podman: the Vault stand-in (runbook 001's project name). */
export const VAULT_PROJECT = 'janusgraph-demo';
export const VAULT_CONTAINER = 'janusgraph-demo_vault_1';
/** On Podman: a project with a stuck container (G3). */
export const STUCK_PROJECT = 'stuck';
export const STUCK_CONTAINER = 'stuck_app_1';

export const DATA_FILES = { '/data/orders.txt': 'order-1001 paid\norder-1002 shipped\n', '/data/customers/list.txt': 'alice\nbob\n' };


/** A free TCP port on the loopback interface (for the health URL server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const WEB_SH = 'echo "INFO web ready"; exec sleep 2147483647';
// Seeds its data on the first start only: a restart must not hide what a restore did (or did not do).
const DATA_SH = [
  'if [ ! -f /data/.seeded ]; then mkdir -p /data/customers',
  ...Object.entries(DATA_FILES).map(([file, text]) => `printf '${text.replace(/\n/g, '\\n')}' > ${file}`),
  'touch /data/.seeded; fi',
  'echo "INFO data ready"',
  'exec sleep 2147483647',
].join('; ');
// Logs an error on every start: a restart of it brings "new errors".
const NOISY_SH = 'echo "INFO noisy starting"; echo "ERROR cannot reach payments at 10.0.0.7:8443" >&2; exec sleep 2147483647';
const BURNER_SH = 'while :; do :; done';
// Logs the JVM's complaint, then allocates past its memory limit: the engine OOM-kills it.
const OOM_SH = 'echo "INFO heap 16m"; echo "java.lang.OutOfMemoryError: Java heap space" >&2; sleep 1; head -c 200000000 /dev/zero | tail > /dev/null';
const HEALTH_SH = (port: number) => `mkdir -p /www; echo ok > /www/health; exec httpd -f -p 127.0.0.1:${port} -h /www`;
// Crashes on its first start only (the flag survives in the container's filesystem).
const FLAKY_SH = 'if [ -f /tmp/crashed-once ]; then echo "INFO flaky up"; exec sleep 2147483647; fi; touch /tmp/crashed-once; echo "FATAL lost the database" >&2; exit 1';
const DEAD_SH = 'echo "FATAL config missing: /etc/app.conf" >&2; exit 1';

export interface LibraryStack {
  healthPort: number;
}

/** The docker side: projects lib (healthy), broken (down) and incident. */
export async function startLibraryStack(dockerHost: string): Promise<LibraryStack> {
  for (const project of [LIBRARY_PROJECT, BROKEN_PROJECT, INCIDENT_PROJECT]) await removeStack(dockerHost, project);
  const healthPort = await freePort();
  const runDetached = (project: string, service: string, options: string[], script: string) =>
    dockerCli(dockerHost, ['run', '-d', '--name', `${project}-${service}-1`, ...composeLabels(project, service), ...options, IMAGE, 'sh', '-c', script]);
  const isolated = ['--network', 'none', '--init'];
  await Promise.all([
    runDetached(LIBRARY_PROJECT, 'web', [...isolated, '--health-cmd', 'true', '--health-interval', '1s'], WEB_SH),
    runDetached(LIBRARY_PROJECT, 'data', isolated, DATA_SH),
    runDetached(LIBRARY_PROJECT, 'noisy', isolated, NOISY_SH),
    runDetached(LIBRARY_PROJECT, 'burner', [...isolated, '--cpus', '0.5'], BURNER_SH),
    runDetached(LIBRARY_PROJECT, 'health', ['--network', 'host', '--init'], HEALTH_SH(healthPort)),
    runDetached(BROKEN_PROJECT, 'flaky', isolated, FLAKY_SH),
    runDetached(BROKEN_PROJECT, 'dead', isolated, DEAD_SH),
    runDetached(BROKEN_PROJECT, 'oom', [...isolated, '--memory', '32m', '--memory-swap', '32m'], OOM_SH),
    runDetached(INCIDENT_PROJECT, 'app', isolated, 'echo "WARN authentication failed for user admin from 203.0.113.9"; exec sleep 2147483647'),
    runDetached(INCIDENT_PROJECT, 'db', isolated, 'echo "INFO db ready"; exec sleep 2147483647'),
  ]);
  return { healthPort };
}

export async function removeLibraryStack(dockerHost: string): Promise<void> {
  for (const project of [LIBRARY_PROJECT, BROKEN_PROJECT, INCIDENT_PROJECT]) await removeStack(dockerHost, project).catch(() => 0);
}

// The Vault stand-in: a `vault` script in the container answering `vault status -format=json`
// like Vault does (exit 2 while sealed); /vault/sealed present means sealed.
const VAULT_SCRIPT = [
  '#!/bin/sh',
  'if [ "$1" != status ]; then echo "vault stand-in: only status" >&2; exit 1; fi',
  'if [ -f /vault/sealed ]; then sealed=true; code=2; else sealed=false; code=0; fi',
  'printf \'{\\n  "type": "shamir",\\n  "initialized": true,\\n  "sealed": %s,\\n  "t": 3,\\n  "n": 5,\\n  "version": "1.15.4"\\n}\\n\' "$sealed"',
  'exit $code',
].join('\n');
const VAULT_SH = `mkdir -p /vault; cat > /bin/vault <<'EOF'\n${VAULT_SCRIPT}\nEOF\nchmod +x /bin/vault; echo "INFO vault stand-in ready"; exec sleep 2147483647`;

// Ignores SIGTERM (a stop has to kill it) and stays unhealthy until it is started a second time.
const STUCK_SH = 'trap "" TERM; if [ -f /tmp/started-before ]; then touch /tmp/ok; fi; touch /tmp/started-before; echo "INFO app waiting for lock"; while :; do sleep 1; done';

function podmanLabels(project: string, service: string): string[] {
  return ['--label', `io.podman.compose.project=${project}`, ...composeLabels(project, service)];
}

/** The podman side: the Vault stand-in and the stuck project. */
export async function startLibraryPodman(podmanDir: string): Promise<void> {
  await removeLibraryPodman(podmanDir);
  await podman(podmanDir, ['run', '-d', '--name', VAULT_CONTAINER, ...podmanLabels(VAULT_PROJECT, 'vault'), '--network', 'none', IMAGE, 'sh', '-c', VAULT_SH]);
  await podman(podmanDir, [
    'run', '-d', '--name', STUCK_CONTAINER, ...podmanLabels(STUCK_PROJECT, 'app'), '--network', 'none',
    '--health-cmd', 'test -f /tmp/ok', '--health-interval', '1s', '--health-retries', '1',
    IMAGE, 'sh', '-c', STUCK_SH,
  ]);
}

export async function removeLibraryPodman(podmanDir: string): Promise<void> {
  await podman(podmanDir, ['rm', '-f', '-t', '0', VAULT_CONTAINER, STUCK_CONTAINER], { reject: false });
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  StartedAt: string;
  OOMKilled: boolean;
  ExitCode: number;
  Health?: { Status: string };
}

export async function dockerState(dockerHost: string, name: string): Promise<ContainerState> {
  return JSON.parse(await dockerCli(dockerHost, ['inspect', '-f', '{{json .State}}', name])) as ContainerState;
}

export async function podmanState(podmanDir: string, name: string): Promise<ContainerState> {
  const { stdout } = await podman(podmanDir, ['inspect', '-f', '{{json .State}}', name]);
  const state = JSON.parse(stdout) as ContainerState & { Healthcheck?: { Status: string } };
  return { ...state, Health: state.Health ?? state.Healthcheck };
}

/** Lifecycle actions the engine itself reported for a container since `since` (exec events left out). */
export async function containerLifecycleEvents(dockerHost: string, name: string, since: string): Promise<string[]> {
  const until = new Date(Date.now() + 1000).toISOString();
  const events = await docker(dockerHost, ['events', '--since', since, '--until', until, '--filter', `container=${name}`, '--format', '{{.Action}}']);
  return events.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('exec_'));
}

/**
 * A live runtime on the private dockerd alone (defaults, no config file), once the container
 * `name` is in its store (and `ready` holds for it). The caller stops it.
 */
export async function startRuntimeOn(
  dockerHost: string,
  name: string,
  options: { readOnly: boolean; ready?: (instance: Instance) => boolean },
): Promise<Runtime> {
  const { config } = await loadConfig({ cwd: temporaryDirectory(), env: {}, dockerHosts: [dockerHost] });
  const runtime = createRuntime({ config, readOnly: options.readOnly, flushIntervalMs: 0 });
  runtime.start();
  const ready = options.ready ?? (() => true);
  await waitFor(`${name} in the store`, () => Object.values(runtime.store.getState().instances).some((instance) => instance.ref.name === name && ready(instance)));
  return runtime;
}
