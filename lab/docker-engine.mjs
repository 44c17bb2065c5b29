// A real, private Docker engine: a dockerd of our own on a socket in a temp directory (see
// start-docker.sh), controlled only through its own pid. Used by the tests, the benchmarks and
// the demo. Plain node ESM; types in docker-engine.d.mts.
import { existsSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  commandLine,
  isProcessAlive,
  parseKeyValueLines,
  pidFromFile,
  runCommand,
  runOnProcessExit,
  signal,
  sleep,
  tailFile,
  terminate,
  unmountUnder,
  waitDead,
} from './process-state.mjs';

export { isProcessAlive };

export const START_DOCKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'start-docker.sh');

/** The CLI matching Debian's daemon (20.10, API 1.41) when present, else `docker` on PATH. */
export function dockerCliPath() {
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
}

/** Run the docker CLI against dockerHost (argv array, never a shell string). */
export async function docker(dockerHost, args, options = {}) {
  const env = { ...process.env, ...options.env, DOCKER_HOST: dockerHost };
  for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[key];
  const result = await runCommand(dockerCliPath(), args, { env, timeoutMs: options.timeoutMs ?? 60_000, input: options.input });
  const out = {
    stdout: result.stdout.replace(/\n$/, ''),
    stderr: result.stderr.replace(/\n$/, ''),
    exitCode: result.code ?? undefined,
    failed: result.code !== 0,
  };
  if (out.failed && options.reject !== false) {
    throw new Error(`docker ${args.join(' ')} failed (exit ${result.code ?? result.signal}): ${out.stderr.trim() || result.error?.message}`);
  }
  return out;
}

/** dockerd.log without the grpc connectivity chatter that drowns the interesting lines. */
const tailDockerLog = (file) => tailFile(file, 40, 'module=grpc');

/**
 * Start a private dockerd (installing docker.io / busybox-static when missing, importing
 * local/busybox:latest). Throws with the tail of dockerd.log when it cannot start.
 * @param {{ dir?: string, waitSeconds?: number, stopTimeoutMs?: number, quiet?: boolean }} [options]
 */
export async function startPrivateDockerd(options = {}) {
  let dir;
  const ownDir = !options.dir;
  if (options.dir) {
    dir = resolve(options.dir);
    await mkdir(dir, { recursive: true });
  } else {
    // Short on purpose: unix socket paths are limited to 107 bytes.
    dir = await mkdtemp('/tmp/od-');
  }
  const socketPath = join(dir, 'docker.sock');
  const dockerHost = `unix://${socketPath}`;
  const pidFile = join(dir, 'docker.pid');
  const logFile = join(dir, 'dockerd.log');
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  let execRoot = join(dir, 'x');
  let currentPid;
  let started = false;

  const pid = () => {
    if (currentPid !== undefined && isProcessAlive(currentPid)) return currentPid;
    currentPid = pidFromFile(pidFile, socketPath);
    return currentPid;
  };

  const start = async () => {
    const result = await runCommand('bash', [START_DOCKER_SCRIPT], {
      env: {
        ...process.env,
        ENGINE_DIR: dir,
        ...(options.waitSeconds ? { OPSDECK_DOCKERD_WAIT: String(options.waitSeconds) } : {}),
      },
      timeoutMs: 15 * 60_000, // a first run may apt-get install docker.io
    });
    const out = parseKeyValueLines(result.stdout);
    if (result.code !== 0 || out.get('DOCKER_HOST') !== dockerHost) {
      const why = result.stderr.split('\n--- tail of')[0]?.trim() || result.error?.message || `exit ${result.code}`;
      const tail = await tailDockerLog(logFile);
      // First start failed after dockerd came up (e.g. the image import): nobody else holds a
      // handle to it, so stop it here.
      if (!started && pid() !== undefined) await stop().catch(() => undefined);
      // A failed dockerd can leave its data root bind-mounted; never leave mounts behind.
      if (pid() === undefined) {
        await unmountUnder(dir);
        if (ownDir && !started) await rm(dir, { recursive: true, force: true });
      }
      throw new Error(
        `private dockerd in ${dir} failed to start (exit ${result.code ?? result.signal ?? '?'}): ${why}\n` +
          `--- tail of ${logFile} ---\n${tail}`,
      );
    }
    started = true;
    execRoot = out.get('EXEC_ROOT') ?? execRoot;
    const p = Number.parseInt(out.get('DOCKERD_PID') ?? '', 10);
    currentPid = Number.isInteger(p) && p > 1 ? p : undefined;
    if (pid() === undefined) {
      throw new Error(`private dockerd in ${dir} answers but its pid is unknown\n${await tailDockerLog(logFile)}`);
    }
  };

  /** Last resort after SIGKILL: kill what our dockerd left behind, found by our own paths only. */
  const reapLeftovers = async () => {
    const runcRoot = join(execRoot, 'runtime-runc', 'moby');
    const ids = existsSync(runcRoot) ? await readdir(runcRoot).catch(() => []) : [];
    for (const id of ids) {
      await runCommand('runc', ['--root', runcRoot, 'kill', '--all', id, 'KILL']);
      await runCommand('runc', ['--root', runcRoot, 'delete', '--force', id]);
    }
    const containerdSockets = [join(execRoot, 'containerd', 'containerd.sock'), join(execRoot, 'ctd', 'containerd.sock')];
    for (const entry of await readdir('/proc').catch(() => [])) {
      const p = Number(entry);
      if (!Number.isInteger(p) || p <= 1) continue;
      const command = commandLine(p);
      if (command.startsWith('/usr/bin/containerd-shim') && containerdSockets.some((s) => command.includes(`-address ${s}`))) {
        signal(p, 'SIGKILL');
      }
    }
    const containerdPidFile = join(execRoot, 'containerd', 'containerd.pid');
    const containerd = pidFromFile(containerdPidFile, execRoot);
    if (containerd !== undefined) {
      signal(containerd, 'SIGKILL');
      await waitDead(containerd, 5_000);
    }
    // Orphans are reaped lazily here: a zombie's pid still answers kill(pid, 0), and the next
    // dockerd would wait for that "still running" containerd. Drop the stale pid file.
    await rm(containerdPidFile, { force: true });
  };

  const stopPrivateContainerd = async () => {
    const containerdPidFile = join(dir, 'containerd.pid');
    const containerd = pidFromFile(containerdPidFile, join(dir, 'containerd.toml'));
    if (containerd === undefined) return;
    await terminate(containerd, stopTimeoutMs);
    await rm(containerdPidFile, { force: true });
  };

  const stop = async () => {
    const p = pid();
    if (p !== undefined) {
      if (await terminate(p, stopTimeoutMs)) {
        if (!options.quiet) process.stderr.write(`private dockerd ${p} did not stop in ${stopTimeoutMs} ms: killed\n`);
        await reapLeftovers();
      }
    }
    currentPid = undefined;
    await stopPrivateContainerd();
    // dockerd removes its socket on a clean exit; make sure it is gone either way.
    const deadline = Date.now() + 2_000;
    while (existsSync(socketPath) && Date.now() < deadline) await sleep(50);
    await unlink(socketPath).catch(() => undefined);
    await rm(pidFile, { force: true });
  };

  const dispose = async () => {
    if (pid() !== undefined) {
      // Kill every running container first (a killed container is not restarted, even with
      // restart=always), then stop the daemon; deleting the data root below removes the
      // containers with it. Measured with 100 containers: kill+stop 5.4 s, rm -f+stop 9.7 s,
      // stop alone 7.5 s.
      const ps = await docker(dockerHost, ['ps', '-q', '--no-trunc'], { reject: false, timeoutMs: 30_000 });
      const ids = ps.stdout.split('\n').filter(Boolean);
      for (let i = 0; i < ids.length; i += 100) {
        await docker(dockerHost, ['kill', ...ids.slice(i, i + 100)], { reject: false, timeoutMs: 120_000 });
      }
    }
    await stop();
    await unmountUnder(dir);
    let externalExecRoot;
    try {
      externalExecRoot = readlinkSync(join(dir, 'exec-root'));
    } catch {
      /* exec root inside dir */
    }
    if (externalExecRoot) {
      await unmountUnder(externalExecRoot);
      await rm(externalExecRoot, { recursive: true, force: true });
    }
    await rm(dir, { recursive: true, force: true });
  };

  await start();
  return {
    dockerHost,
    socketPath,
    dir,
    get execRoot() {
      return execRoot;
    },
    pid,
    stop,
    start,
    dispose,
    docker: (args, cliOptions) => docker(dockerHost, args, cliOptions),
  };
}

// Run by a detached bash when the test process exits before dispose() finished
// (vitest exits after `teardownTimeout`): $1 pid, $2 socket path, $3 engine dir, $4 external exec root.
const REAPER_SH = `
pid=$1 sock=$2 dir=$3 xr=$4
ours() { [ -r /proc/$pid/cmdline ] && tr '\\0' ' ' </proc/$pid/cmdline | grep -qF -- "$sock"; }
if ours; then
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 300); do ours || break; sleep 0.1; done
  ours && kill -KILL "$pid" 2>/dev/null
fi
for root in "$dir" "$xr"; do
  [ -n "$root" ] || continue
  awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf "$root"
done
`;

/**
 * If this process exits before `engine.dispose()` has finished (e.g. vitest's teardownTimeout
 * expired), stop that dockerd by its pid and delete its directory from a detached helper.
 * Returns a function that removes the hook (call it once dispose() has completed).
 */
export function stopOnProcessExit(engine) {
  return runOnProcessExit(REAPER_SH, () => {
    let externalExecRoot = '';
    try {
      externalExecRoot = readlinkSync(join(engine.dir, 'exec-root'));
    } catch {
      /* inside dir */
    }
    return [String(engine.pid() ?? 0), engine.socketPath, engine.dir, externalExecRoot];
  });
}
