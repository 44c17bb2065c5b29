// Where an ssh:// engine is and the argv of the system `ssh` that reaches it, as the docker CLI
// builds it: `ssh [-l user] [-p port] [-F configfile] -o ... -- host docker system dial-stdio`.
// Host aliases, User, Port, IdentityFile, ProxyJump, known_hosts and the agent all come from the
// ssh configuration; the options here only make it non-interactive and strict about host keys.
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface SshTarget {
  /** The host as written: an address, a DNS name or a Host alias of the ssh configuration. */
  host: string;
  user?: string;
  /** Only when the URL names one; otherwise the ssh configuration decides (default 22). */
  port?: number;
  /** An ssh client configuration file (`ssh -F`), instead of ~/.ssh/config. */
  configFile?: string;
  /** ssh's ConnectTimeout, in seconds. */
  connectTimeoutSeconds: number;
}

export const DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS = 5;

/** The command the remote side runs: the Docker API on its stdin and stdout. */
export const DIAL_STDIO_COMMAND: readonly string[] = ['docker', 'system', 'dial-stdio'];
/** The master's own session: ends when opsdeck's end of its stdin closes. */
export const MASTER_COMMAND: readonly string[] = ['cat'];

// Anything ssh could read as an option, or a shell on the remote side as more than a name.
const SAFE_NAME = /^[A-Za-z0-9_.%:@[\]-]+$/;

/** Parses ssh://[user@]host[:port]; throws an Error naming the URL for anything else. */
export function parseSshUrl(raw: string, options: { configFile?: string; connectTimeoutSeconds?: number } = {}): SshTarget {
  const problem = (detail: string): Error => new Error(`invalid Docker host "${raw}": ${detail}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw problem('expected ssh://[user@]host[:port]');
  }
  if (url.protocol !== 'ssh:') throw problem('expected ssh://[user@]host[:port]');
  if (url.password) throw problem('passwords in the URL are not supported: use a key (agent or IdentityFile)');
  if (url.pathname !== '' && url.pathname !== '/') throw problem(`unexpected path ${JSON.stringify(url.pathname)}`);
  if (url.search || url.hash) throw problem('unexpected query or fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  if (!host || host.startsWith('-') || !SAFE_NAME.test(host)) throw problem('bad host name');
  if (user !== undefined && (user.startsWith('-') || !SAFE_NAME.test(user))) throw problem('bad user name');
  return {
    host,
    ...(user !== undefined ? { user } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    connectTimeoutSeconds: options.connectTimeoutSeconds ?? DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS,
  };
}

/** For the config loader: why an ssh:// host cannot be used, or undefined. */
export function sshUrlProblem(raw: string): string | undefined {
  try {
    parseSshUrl(raw);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** For the config loader: why an engine's `sshConfig` cannot be used, or undefined. */
export function sshConfigFileProblem(host: string, file: string): string | undefined {
  if (!/^ssh:\/\//i.test(host)) return 'only applies to an ssh:// host';
  if (!path.isAbsolute(file)) return `expected an absolute path, got ${JSON.stringify(file)}`;
  if (!existsSync(file)) return `ssh config file not found: ${file}`;
  return undefined;
}

/** The URL shown to the operator: ssh://user@host:port, as much as the URL said. */
export function sshTargetUrl(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `ssh://${target.user ? `${target.user}@` : ''}${host}${target.port !== undefined ? `:${target.port}` : ''}`;
}

/** Options before the host: who, where, which configuration, and never a prompt or an unchecked key. */
export function sshOptionArguments(target: SshTarget): string[] {
  return [
    ...(target.user !== undefined ? ['-l', target.user] : []),
    ...(target.port !== undefined ? ['-p', String(target.port)] : []),
    ...(target.configFile ? ['-F', target.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `ConnectTimeout=${target.connectTimeoutSeconds}`,
  ];
}

/**
 * A multiplexing master: authenticates once and verifies the host key, then carries the
 * sessions of the clients that name the same control socket. Its own session is `cat` reading
 * the master's stdin, a pipe from opsdeck: should opsdeck be killed, the pipe closes, `cat`
 * ends and the master exits with it (an `ssh -N` master would live on as an orphan).
 */
export function sshMasterArguments(target: SshTarget, controlPath: string): string[] {
  return [
    ...sshOptionArguments(target),
    '-o', 'ControlMaster=yes',
    '-o', `ControlPath=${controlPath}`,
    '-o', 'ControlPersist=no',
    // A peer that vanishes without closing the connection is noticed within 30 s.
    '-o', 'ServerAliveInterval=10',
    '-o', 'ServerAliveCountMax=3',
    '-T',
    '--', target.host, ...MASTER_COMMAND,
  ];
}

/** One Docker API connection: `docker system dial-stdio` on the remote side, through the master when there is one. */
export function sshDialArguments(target: SshTarget, controlPath?: string): string[] {
  return [
    ...sshOptionArguments(target),
    ...(controlPath ? ['-o', 'ControlMaster=no', '-o', `ControlPath=${controlPath}`] : []),
    '-T',
    '--', target.host, ...DIAL_STDIO_COMMAND,
  ];
}

/** `ssh -G`: the configuration ssh would use for this target (HostName, Port, ProxyJump...). */
export function sshResolveArguments(target: SshTarget): string[] {
  return [...sshOptionArguments(target), '-G', '--', target.host];
}
