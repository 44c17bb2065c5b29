// A real, private sshd for the ssh:// engine tests: our own sshd on a loopback port with generated
// host and user keys (see start-sshd.sh), whose sessions reach a private dockerd, controlled only
// through its own pid. The ssh client configurations it writes never read ~/.ssh.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { isProcessAlive } from '../../lab/process-state.mjs';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';

export const START_SSHD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'start-sshd.sh');

export interface PrivateSshd {
  readonly dir: string;
  /** The sessions' HOME (empty unless a test writes a login file there, as a remote user's ~/.bashrc). */
  readonly home: string;
  /** 127.0.0.1 port, the same across stop() and start(). */
  readonly port: number;
  /** `Host` alias in sshConfig for 127.0.0.1:port as root. */
  readonly hostAlias: string;
  /** ssh client configuration trusting this sshd's host key (known_hosts in dir). */
  readonly sshConfig: string;
  /** e.g. ssh://root@127.0.0.1:40123 */
  readonly url: string;
  /** SHA256 fingerprint of the current host key. */
  hostKeyFingerprint(): string;
  pid(): number | undefined;
  /** SIGTERM to the listener and to every session it started (the host goes away); waits until they are gone. */
  stop(): Promise<void>;
  /** Start again on the same port and host key. */
  start(): Promise<void>;
  /** Stop, make a new host key, start: clients that knew the old one must refuse. */
  replaceHostKey(): Promise<void>;
  /** An ssh client configuration like sshConfig but with its own known_hosts file of `knownHostsLines`. */
  writeSshConfig(name: string, knownHostsLines: string[]): Promise<string>;
  /** Stop and delete the directory. */
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...processTree(child)]);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* already gone */
  }
}

async function waitAllDead(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isProcessAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Starts a private sshd (installing openssh-server/openssh-client when missing) whose sessions
 * get DOCKER_HOST=dockerHost. Throws with the script's reason when it cannot start: a test that
 * needs it fails, never skips.
 */
export async function startPrivateSshd(options: { dockerHost: string }): Promise<PrivateSshd> {
  // Short on purpose: ssh control sockets and unix socket paths are limited to 107 bytes.
  const dir = await mkdtemp('/tmp/os-');
  let values = new Map<string, string>();
  let currentPid: number | undefined;

  const start = async (): Promise<void> => {
    const result = await execa('bash', [START_SSHD_SCRIPT], {
      env: { SSHD_DIR: dir, SSHD_DOCKER_HOST: options.dockerHost },
      extendEnv: true,
      reject: false,
      timeout: 15 * 60_000, // a first run may apt-get install openssh-server
      stdin: 'ignore',
    });
    values = new Map();
    for (const line of String(result.stdout).split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2]);
    }
    const pid = Number(values.get('SSHD_PID'));
    if (result.failed || !Number.isInteger(pid) || pid <= 1) {
      throw new Error(`private sshd in ${dir} failed to start (exit ${result.exitCode ?? result.signal ?? '?'}): ${String(result.stderr).trim() || result.shortMessage}`);
    }
    currentPid = pid;
  };

  const pid = (): number | undefined => (currentPid !== undefined && isProcessAlive(currentPid) ? currentPid : undefined);

  const stop = async (): Promise<void> => {
    const listener = pid();
    if (listener === undefined) return;
    // Held still while its sessions are listed, so none starts unseen.
    signal(listener, 'SIGSTOP');
    const sessions = processTree(listener);
    signal(listener, 'SIGTERM');
    signal(listener, 'SIGCONT');
    for (const session of sessions) signal(session, 'SIGTERM');
    const all = [listener, ...sessions];
    if (!(await waitAllDead(all, 5_000))) {
      for (const each of all) signal(each, 'SIGKILL');
      await waitAllDead(all, 5_000);
    }
    currentPid = undefined;
  };

  const onExit = (): void => {
    const listener = pid();
    if (listener !== undefined) for (const each of [listener, ...processTree(listener)]) signal(each, 'SIGTERM');
  };
  process.once('exit', onExit);

  try {
    await start();
  } catch (error) {
    process.removeListener('exit', onExit);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const port = Number(values.get('SSHD_PORT'));
  return {
    dir,
    home: join(dir, 'home'),
    port,
    hostAlias: values.get('SSH_HOST_ALIAS') ?? 'opsdeck-sshd',
    sshConfig: values.get('SSH_CONFIG') ?? join(dir, 'ssh_config'),
    url: `ssh://root@127.0.0.1:${port}`,
    hostKeyFingerprint: () => values.get('HOST_KEY_FINGERPRINT') ?? '',
    pid,
    stop,
    start,
    async replaceHostKey() {
      await stop();
      await rm(join(dir, 'host_ed25519'), { force: true });
      await rm(join(dir, 'host_ed25519.pub'), { force: true });
      await start();
    },
    async writeSshConfig(name, knownHostsLines) {
      const knownHosts = join(dir, `${name}.known_hosts`);
      await writeFile(knownHosts, knownHostsLines.map((line) => `${line}\n`).join(''));
      const base = readFileSync(join(dir, 'ssh_config'), 'utf8');
      const file = join(dir, `${name}.ssh_config`);
      await writeFile(file, base.replace(/^(\s*UserKnownHostsFile\s+).*$/m, `$1${knownHosts}`));
      return file;
    },
    async dispose() {
      await stop();
      process.removeListener('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Docker adapter for the engine behind this sshd (not started), writing to `store`; quick reconnects for tests. */
export function sshEngineAdapter(sshd: Pick<PrivateSshd, 'url' | 'sshConfig'>, store: OpsdeckStore, options: { engineId: string; sshConfig?: string }): DockerEngineAdapter {
  return new DockerEngineAdapter({
    engineId: options.engineId,
    label: options.engineId,
    host: sshd.url,
    sshConfig: options.sshConfig ?? sshd.sshConfig,
    readOnly: false,
    sink: store.getState(),
    logs: { backfillMs: 3_600_000, maxLineBytes: 4096 },
    reconnect: { initialMs: 200, maxMs: 1000 },
  });
}
