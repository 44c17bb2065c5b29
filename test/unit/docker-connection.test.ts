import { describe, expect, it } from 'vitest';
import { resolveDockerEndpoint } from '../../src/adapters/docker/docker-connection';

describe('resolveDockerEndpoint', () => {
  it('uses an explicit host before DOCKER_HOST, and the default socket last', () => {
    expect(resolveDockerEndpoint('unix:///run/a.sock', { DOCKER_HOST: 'unix:///run/b.sock' }).options).toEqual({ socketPath: '/run/a.sock' });
    expect(resolveDockerEndpoint(undefined, { DOCKER_HOST: 'unix:///run/b.sock' }).url).toBe('unix:///run/b.sock');
    const fallback = resolveDockerEndpoint(undefined, {});
    expect(fallback).toMatchObject({ url: 'unix:///var/run/docker.sock', local: true });
  });

  it('reads tcp:// hosts, plain host:port, and TLS on 2376', () => {
    expect(resolveDockerEndpoint('tcp://10.1.2.3:2375', {})).toMatchObject({
      url: 'tcp://10.1.2.3:2375',
      local: false,
      options: { host: '10.1.2.3', port: 2375, protocol: 'http' },
    });
    expect(resolveDockerEndpoint('localhost:2375', {})).toMatchObject({ local: true, options: { protocol: 'http' } });
    expect(resolveDockerEndpoint('tcp://docker.internal:2376', {}).options).toMatchObject({ protocol: 'https', port: 2376 });
  });

  it('reads ssh:// as a target for the system ssh, not for dockerode\'s ssh2 (which checks no host key)', () => {
    const endpoint = resolveDockerEndpoint('ssh://ops@bastion.example:2222', {}, { sshConfig: '/etc/opsdeck/ssh_config' });
    expect(endpoint).toMatchObject({ url: 'ssh://ops@bastion.example:2222', local: false });
    expect(endpoint.options.protocol).toBe('http');
    // ssh's ConnectTimeout (5 s), then authentication and the remote docker CLI.
    expect(endpoint.pingTimeoutMs).toBe(15_000);
    expect(endpoint.ssh).toEqual({ host: 'bastion.example', user: 'ops', port: 2222, configFile: '/etc/opsdeck/ssh_config', connectTimeoutSeconds: 5 });
    // No port in the URL: the ssh configuration decides (Host aliases, Port).
    expect(resolveDockerEndpoint('ssh://edge', {}).ssh).toEqual({ host: 'edge', connectTimeoutSeconds: 5 });
  });

  it('names the bad host in its error', () => {
    expect(() => resolveDockerEndpoint('ftp://example', {})).toThrow(/invalid Docker host "ftp:\/\/example": unsupported scheme ftp/);
  });
});
