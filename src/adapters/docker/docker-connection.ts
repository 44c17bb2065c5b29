import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DockerOptions } from 'dockerode';
import { parseSshUrl, sshTargetUrl, type SshTarget } from '../ssh/ssh-target';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerEndpoint {
  /** Canonical URL shown to the operator, e.g. unix:///var/run/docker.sock. */
  url: string;
  /** True when the engine runs on this host (its data root can be measured). */
  local: boolean;
  options: DockerOptions;
  /** ssh:// engines: the system `ssh` carries each connection (docker-client.ts gives dockerode its agent). */
  ssh?: SshTarget;
  /** Time allowed for the first answer (for ssh: connection, authentication and the remote docker CLI). */
  pingTimeoutMs: number;
}

const PING_TIMEOUT_MS = 5000;
/** On top of ssh's own ConnectTimeout. */
const SSH_SESSION_ALLOWANCE_MS = 10_000;

export interface DockerEndpointSettings {
  /** ssh:// only: an ssh client configuration file (`ssh -F`) instead of ~/.ssh/config. */
  sshConfig?: string;
}

/**
 * Resolves where the Docker engine is: an explicit host (--docker-host or config),
 * else DOCKER_HOST, else the default socket. unix://, tcp:// (TLS with DOCKER_TLS_VERIFY /
 * DOCKER_CERT_PATH) and ssh:// are supported.
 */
export function resolveDockerEndpoint(
  host: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  settings: DockerEndpointSettings = {},
): DockerEndpoint {
  const raw = host ?? env.DOCKER_HOST ?? `unix://${DEFAULT_DOCKER_SOCKET}`;
  const withScheme = raw.includes('://') ? raw : raw.startsWith('/') ? `unix://${raw}` : `tcp://${raw}`;
  if (withScheme.startsWith('unix://')) {
    const socketPath = withScheme.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET;
    return { url: `unix://${socketPath}`, local: true, options: { socketPath }, pingTimeoutMs: PING_TIMEOUT_MS };
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`invalid Docker host "${raw}": expected unix:///path, tcp://host:port or ssh://user@host`);
  }
  if (url.protocol === 'ssh:') {
    // Not dockerode's ssh2 transport: it accepts any host key. Plain HTTP over the system ssh.
    const ssh = parseSshUrl(withScheme, { configFile: settings.sshConfig });
    return {
      url: sshTargetUrl(ssh),
      local: false,
      options: { protocol: 'http', host: 'docker.ssh', port: 80 },
      ssh,
      pingTimeoutMs: ssh.connectTimeoutSeconds * 1000 + SSH_SESSION_ALLOWANCE_MS,
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`invalid Docker host "${raw}": unsupported scheme ${url.protocol.replace(':', '')}`);
  }
  const port = url.port ? Number(url.port) : 2375;
  const tls = env.DOCKER_TLS_VERIFY === '1' || port === 2376 || url.protocol === 'https:';
  const options: DockerOptions = { host: url.hostname, port, protocol: tls ? 'https' : 'http' };
  if (tls && env.DOCKER_CERT_PATH) {
    options.ca = readFileSync(path.join(env.DOCKER_CERT_PATH, 'ca.pem'));
    options.cert = readFileSync(path.join(env.DOCKER_CERT_PATH, 'cert.pem'));
    options.key = readFileSync(path.join(env.DOCKER_CERT_PATH, 'key.pem'));
  }
  const local = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(url.hostname);
  return { url: `tcp://${url.hostname}:${port}`, local, options, pingTimeoutMs: PING_TIMEOUT_MS };
}
