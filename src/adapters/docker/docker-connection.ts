import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DockerOptions } from 'dockerode';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerEndpoint {
  /** Canonical URL shown to the operator, e.g. unix:///var/run/docker.sock. */
  url: string;
  /** True when the engine runs on this host (its data root can be measured). */
  local: boolean;
  options: DockerOptions;
}

/**
 * Resolves where the Docker engine is: an explicit host (--docker-host or config),
 * else DOCKER_HOST, else the default socket. unix://, tcp:// (TLS with DOCKER_TLS_VERIFY /
 * DOCKER_CERT_PATH) and ssh:// are supported.
 */
export function resolveDockerEndpoint(host: string | undefined, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const raw = host ?? env.DOCKER_HOST ?? `unix://${DEFAULT_DOCKER_SOCKET}`;
  const withScheme = raw.includes('://') ? raw : raw.startsWith('/') ? `unix://${raw}` : `tcp://${raw}`;
  if (withScheme.startsWith('unix://')) {
    const socketPath = withScheme.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET;
    return { url: `unix://${socketPath}`, local: true, options: { socketPath } };
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`invalid Docker host "${raw}": expected unix:///path, tcp://host:port or ssh://user@host`);
  }
  if (url.protocol === 'ssh:') {
    return {
      url: withScheme,
      local: false,
      options: {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
        username: url.username || undefined,
        sshOptions: { agent: env.SSH_AUTH_SOCK },
      } as DockerOptions,
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
  return { url: `tcp://${url.hostname}:${port}`, local, options };
}
