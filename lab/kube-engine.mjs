// A real, private Kubernetes control plane (v1.20.2: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler; no kubelet) on free loopback ports, everything in a fresh run directory (see
// start-kube.sh), controlled only through its own pids. Used by the tests and the benchmarks.
// Plain node ESM; types in kube-engine.d.mts.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKeyValueLines, pidFromFile, runCommand, runOnProcessExit, tailFile, terminate } from './process-state.mjs';

export const START_KUBE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'start-kube.sh');

/** The developers' own cluster listens here (apiserver, etcd client and peer): never ours. */
const RESERVED_PORTS = new Set([16443, 23790, 23800]);
/** A first run may apt-get install and build the binaries (about 6 minutes on 2 cores). */
const SCRIPT_TIMEOUT_MS = 45 * 60_000;
const STOP_TIMEOUT_MS = 10_000;
/**
 * An apiserver stops listening at once on SIGTERM but then waits up to a minute for its open
 * watches (the controllers' and the tests'): after this grace they are cut by SIGKILL, as when an
 * apiserver goes away, so a client notices at once.
 */
const APISERVER_STOP_TIMEOUT_MS = 1_000;
/** Stopped in this order: nothing keeps talking to an apiserver that is gone. */
const COMPONENT_ORDER = ['scheduler', 'controller-manager', 'apiserver-', 'etcd'];

/** Where the binaries are built once: $OPSDECK_KUBE_CACHE, else $XDG_CACHE_HOME (~/.cache)/opsdeck/kube. */
export function kubeCacheDirectory(env = process.env) {
  if (env.OPSDECK_KUBE_CACHE) return env.OPSDECK_KUBE_CACHE;
  return join(env.XDG_CACHE_HOME || join(env.HOME || '/root', '.cache'), 'opsdeck', 'kube');
}

/** `count` distinct free loopback ports (held open together so none is handed out twice). */
export async function freeLoopbackPorts(count) {
  const servers = [];
  const ports = [];
  try {
    while (ports.length < count) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const port = server.address().port;
      if (!RESERVED_PORTS.has(port)) ports.push(port);
    }
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
  return ports;
}

/** Run start-kube.sh; resolves with its KEY=VALUE lines, rejects with its reason and the log's tail. */
async function runKubeScript(args, env, options = {}) {
  const result = await runCommand('bash', [START_KUBE_SCRIPT, ...args], {
    env: { ...process.env, ...env },
    timeoutMs: SCRIPT_TIMEOUT_MS,
    ...(options.onProgress ? { onStderr: options.onProgress } : {}),
  });
  if (result.code !== 0) {
    const why = result.stderr.trim() || result.error?.message || `exit ${result.code ?? result.signal}`;
    throw new Error(`start-kube.sh ${args.join(' ')} failed (exit ${result.code ?? result.signal ?? '?'}):\n${why}`);
  }
  return parseKeyValueLines(result.stdout);
}

/** Install the packages and build the binaries into the cache when they are not there yet. */
export async function buildKubeBinaries(options = {}) {
  const out = await runKubeScript(['build'], {}, options);
  return out.get('KUBE_BIN') ?? join(kubeCacheDirectory(), 'bin');
}

/** Pid of a component of the control plane in runDir (pid file NAME.pid), only while it is ours. */
function componentPid(runDir, name) {
  return pidFromFile(join(runDir, `${name}.pid`), `${runDir}/`);
}

/** Every component with a pid file in runDir, in stopping order. */
async function componentNames(runDir) {
  const names = (await readdir(runDir).catch(() => [])).filter((file) => file.endsWith('.pid')).map((file) => file.slice(0, -4));
  const rank = (name) => COMPONENT_ORDER.findIndex((prefix) => name.startsWith(prefix));
  return names.sort((left, right) => rank(left) - rank(right));
}

async function stopComponent(runDir, name) {
  const pid = componentPid(runDir, name);
  if (pid !== undefined) await terminate(pid, name.startsWith('apiserver-') ? APISERVER_STOP_TIMEOUT_MS : STOP_TIMEOUT_MS);
  await rm(join(runDir, `${name}.pid`), { force: true });
}

/** The run's bearer tokens by user (admin, viewer), from its tokens.csv. */
export function kubeTokens(runDir) {
  const tokens = {};
  for (const line of readFileSync(join(runDir, 'tokens.csv'), 'utf8').split('\n')) {
    const [token, user] = line.split(',');
    if (token && user) tokens[user] = token;
  }
  return tokens;
}

/**
 * A further apiserver on the etcd of the control plane in runDir, on a port of its own, with its own
 * kubeconfig (contexts NAME, as admin, and NAME-viewer). Usable from any process that knows runDir
 * (a test worker): stopping it never disturbs the shared apiserver.
 */
export async function startExtraApiserver(runDir, options = {}) {
  const name = options.name ?? `extra-${randomBytes(3).toString('hex')}`;
  const [port] = await freeLoopbackPorts(1);
  const component = `apiserver-${name}`;
  const start = () => runKubeScript(['apiserver', name, String(port)], { KUBE_RUN_DIR: runDir }, options);
  const out = await start();
  const pid = () => componentPid(runDir, component);
  const unhook = runOnProcessExit(REAPER_SH, () => [runDir, component]);
  return {
    name,
    kubeconfig: out.get('KUBECONFIG') ?? join(runDir, `${name}.kubeconfig`),
    server: out.get('KUBE_SERVER') ?? `https://127.0.0.1:${port}`,
    contexts: { admin: name, viewer: `${name}-viewer` },
    port,
    pid,
    stop: () => stopComponent(runDir, component),
    start: async () => {
      await start();
    },
    dispose: async () => {
      await stopComponent(runDir, component);
      unhook();
    },
  };
}

/**
 * Start a private control plane in a fresh run directory (installing the packages and building the
 * binaries once when missing). Throws with the script's reason and the logs' tails when it cannot.
 * @param {{ onProgress?: (text: string) => void, controllerManagerFlags?: string[] }} [options]
 */
export async function startKubeLab(options = {}) {
  // A port found free can be taken by another process before etcd or the apiserver binds it.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startKubeLabOnce(options);
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test(error.message)) throw error;
    }
  }
}

async function startKubeLabOnce(options) {
  // Short and under /tmp: every component's command line names it, which is how its pid is proven ours.
  const runDir = await mkdtemp('/tmp/ok-');
  const [etcdPort, etcdPeerPort, apiserverPort] = await freeLoopbackPorts(3);
  const env = {
    KUBE_RUN_DIR: runDir,
    KUBE_ETCD_PORT: String(etcdPort),
    KUBE_ETCD_PEER_PORT: String(etcdPeerPort),
    KUBE_APISERVER_PORT: String(apiserverPort),
    KUBE_CONTROLLER_MANAGER_FLAGS: (options.controllerManagerFlags ?? []).join(' '),
  };
  const stopAll = async () => {
    for (const name of await componentNames(runDir)) await stopComponent(runDir, name);
  };
  const dispose = async () => {
    await stopAll();
    await rm(runDir, { recursive: true, force: true });
  };
  let out;
  try {
    out = await runKubeScript(['up'], env, options);
  } catch (error) {
    const logs = [];
    for (const log of ['etcd.log', 'apiserver-main.log', 'controller-manager.log']) logs.push(`--- tail of ${log} ---\n${await tailFile(join(runDir, log), 15)}`);
    await dispose();
    throw new Error(`${error.message}\n${logs.join('\n')}`);
  }
  const up = async () => {
    await runKubeScript(['up'], env, options);
  };
  return {
    kubeconfig: out.get('KUBECONFIG') ?? join(runDir, 'kubeconfig'),
    server: out.get('KUBE_SERVER') ?? `https://127.0.0.1:${apiserverPort}`,
    contexts: { admin: 'admin', viewer: 'viewer' },
    runDir,
    ports: { etcd: etcdPort, etcdPeer: etcdPeerPort, apiserver: apiserverPort },
    pid: () => componentPid(runDir, 'apiserver-main'),
    pids: () => ({
      etcd: componentPid(runDir, 'etcd'),
      apiserver: componentPid(runDir, 'apiserver-main'),
      controllerManager: componentPid(runDir, 'controller-manager'),
      scheduler: componentPid(runDir, 'scheduler'),
    }),
    tokens: () => kubeTokens(runDir),
    stopApiserver: () => stopComponent(runDir, 'apiserver-main'),
    // Starts whatever is missing: the apiserver, and the controllers if they gave up meanwhile.
    startApiserver: up,
    startExtraApiserver: (extraOptions = {}) => startExtraApiserver(runDir, { ...options, ...extraOptions }),
    dispose,
  };
}

// Run by a detached bash when the process exits before dispose() finished (vitest's teardownTimeout):
// $1 run directory, $2 one component to stop (or empty: all of them, then the directory goes).
const REAPER_SH = `
dir=$1 only=$2
ours() { [ -r /proc/$1/cmdline ] && tr '\\0' ' ' </proc/$1/cmdline | grep -qF -- "$dir/"; }
pids=()
for file in "$dir"/*.pid; do
  [ -s "$file" ] || continue
  name=$(basename "$file" .pid)
  [ -z "$only" ] || [ "$name" = "$only" ] || continue
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] && ours "$pid" && { kill -TERM "$pid" 2>/dev/null; pids+=("$pid"); }
done
for _ in $(seq 1 100); do
  alive=0; for pid in "\${pids[@]}"; do ours "$pid" && alive=1; done
  [ $alive = 0 ] && break; sleep 0.1
done
for pid in "\${pids[@]}"; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done
[ -n "$only" ] || rm -rf "$dir"
`;

/**
 * If this process exits before `lab.dispose()` has finished, stop every component of that control
 * plane by its pid and delete its run directory from a detached helper. Returns a function that
 * removes the hook (call it once dispose() has completed).
 */
export function stopKubeOnProcessExit(lab) {
  return runOnProcessExit(REAPER_SH, () => [lab.runDir, '']);
}
