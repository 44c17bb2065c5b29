// A real, private Podman engine: a rootful `podman system service` (Docker-compatible API) of our
// own on a socket in a temp directory (see start-podman.sh), with its own containers.conf and
// storage, and the healthcheck loop that stands in for systemd. Controlled only through its pids.
// Plain node ESM so the tests, the benchmarks and the demo share it; types in podman-engine.d.mts.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  commandLine,
  parseKeyValueLines,
  pidFromFile,
  runCommand,
  runOnProcessExit,
  signal,
  sleep,
  tailFile,
  terminate,
  unmountUnder,
} from './process-state.mjs';

export const START_PODMAN_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'start-podman.sh');

/** Environment that points the podman CLI at the engine in `dir` (and nowhere else). */
export function podmanEnvironment(dir) {
  return { CONTAINERS_CONF: join(dir, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf') };
}

/**
 * Run the podman CLI on the engine in `dir` (argv, never a shell string).
 * Podman logs "unable to get systemd connection" for every healthcheck it cannot schedule: those
 * lines are dropped from stderr (the loop of start-podman.sh runs the checks instead).
 */
export async function podman(dir, args, options = {}) {
  const result = await runCommand('podman', args, {
    env: { ...process.env, ...options.env, ...podmanEnvironment(dir) },
    timeoutMs: options.timeoutMs ?? 60_000,
    input: options.input,
  });
  const stderr = result.stderr
    .split('\n')
    .filter((line) => !line.includes('unable to get systemd connection'))
    .join('\n')
    .trim();
  const out = { stdout: result.stdout.trim(), stderr, exitCode: result.code ?? undefined, failed: result.code !== 0 };
  if (out.failed && options.reject !== false) {
    throw new Error(`podman ${args.join(' ')} failed (exit ${result.code ?? result.signal}): ${stderr || result.error?.message}`);
  }
  return out;
}

/**
 * Start a private podman service (installing podman / busybox-static when missing, importing
 * local/busybox:latest). Throws with the tail of podman.log when it cannot start.
 * @param {{ dir?: string, waitSeconds?: number, stopTimeoutMs?: number }} [options]
 */
export async function startPrivatePodman(options = {}) {
  const ownDir = !options.dir;
  let dir;
  if (options.dir) {
    dir = resolve(options.dir);
    await mkdir(dir, { recursive: true });
  } else {
    // Short on purpose: unix socket paths are limited to 107 bytes.
    dir = await mkdtemp('/tmp/op-');
  }
  const socketPath = join(dir, 'podman.sock');
  const podmanHost = `unix://${socketPath}`;
  const pidFile = join(dir, 'podman.pid');
  const healthcheckPidFile = join(dir, 'healthcheck.pid');
  const logFile = join(dir, 'podman.log');
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  let started = false;

  const pid = () => pidFromFile(pidFile, socketPath);
  const healthcheckPid = () => pidFromFile(healthcheckPidFile, 'opsdeck-podman-healthchecks');

  /** conmon monitors (one per container) started by our service: found by our own storage paths. */
  const conmonPids = async () => {
    const pids = [];
    for (const entry of await readdir('/proc').catch(() => [])) {
      const candidate = Number(entry);
      if (!Number.isInteger(candidate) || candidate <= 1) continue;
      const command = commandLine(candidate);
      if (command.startsWith('/usr/bin/conmon') && command.includes(`${dir}/`)) pids.push(candidate);
    }
    return pids;
  };

  const stop = async () => {
    const loop = healthcheckPid();
    if (loop !== undefined) await terminate(loop, 2_000);
    const service = pid();
    if (service !== undefined) await terminate(service, stopTimeoutMs);
    const deadline = Date.now() + 2_000;
    while (existsSync(socketPath) && Date.now() < deadline) await sleep(50);
    await unlink(socketPath).catch(() => undefined);
    await rm(pidFile, { force: true });
    await rm(healthcheckPidFile, { force: true });
  };

  const start = async () => {
    const result = await runCommand('bash', [START_PODMAN_SCRIPT], {
      env: {
        ...process.env,
        ENGINE_DIR: dir,
        ...(options.waitSeconds ? { OPSDECK_PODMAN_WAIT: String(options.waitSeconds) } : {}),
      },
      timeoutMs: 15 * 60_000, // a first run may apt-get install podman
    });
    const out = parseKeyValueLines(result.stdout);
    if (result.code !== 0 || out.get('PODMAN_HOST') !== podmanHost) {
      const why = result.stderr.split('\n--- tail of')[0]?.trim() || result.error?.message || `exit ${result.code}`;
      const tail = await tailFile(logFile);
      if (!started) {
        await stop().catch(() => undefined);
        await unmountUnder(dir);
        if (ownDir) await rm(dir, { recursive: true, force: true });
      }
      throw new Error(
        `private podman service in ${dir} failed to start (exit ${result.code ?? result.signal ?? '?'}): ${why}\n` +
          `--- tail of ${logFile} ---\n${tail}`,
      );
    }
    started = true;
    if (pid() === undefined) throw new Error(`private podman service in ${dir} answers but its pid is unknown\n${await tailFile(logFile)}`);
  };

  const dispose = async () => {
    if (pid() !== undefined) {
      // Remove every container first (kill at once: -t 0), so no conmon outlives the service.
      await podman(dir, ['rm', '--all', '--force', '--time', '0'], { reject: false, timeoutMs: 120_000 });
    }
    await stop();
    for (const leftover of await conmonPids()) signal(leftover, 'SIGKILL');
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
  };

  await start();
  return {
    podmanHost,
    socketPath,
    dir,
    env: podmanEnvironment(dir),
    pid,
    healthcheckPid,
    start,
    stop,
    dispose,
    podman: (args, cliOptions) => podman(dir, args, cliOptions),
  };
}

// Run by a detached bash when the test process exits before dispose() finished:
// $1 service pid, $2 healthcheck loop pid, $3 socket path, $4 engine dir.
const REAPER_SH = `
pid=$1 loop=$2 sock=$3 dir=$4
ours() { [ -r /proc/$1/cmdline ] && tr '\\0' ' ' </proc/$1/cmdline | grep -qF -- "$2"; }
ours "$loop" opsdeck-podman-healthchecks && kill -TERM "$loop" 2>/dev/null
if ours "$pid" "$sock"; then
  CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf timeout 60 podman rm -a -f -t 0 >/dev/null 2>&1
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do ours "$pid" "$sock" || break; sleep 0.1; done
  ours "$pid" "$sock" && kill -KILL "$pid" 2>/dev/null
fi
awk -v r="$dir" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
  while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$dir"
`;

/**
 * If this process exits before `engine.dispose()` has finished (vitest's teardownTimeout), stop
 * that podman service by its pid and delete its directory from a detached helper.
 * Returns a function that removes the hook (call it once dispose() has completed).
 */
export function stopPodmanOnProcessExit(engine) {
  return runOnProcessExit(REAPER_SH, () => [String(engine.pid() ?? 0), String(engine.healthcheckPid() ?? 0), engine.socketPath, engine.dir]);
}
