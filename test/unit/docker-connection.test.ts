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

  it('reads ssh:// with user and port, using the ssh agent', () => {
    const endpoint = resolveDockerEndpoint('ssh://ops@bastion.example:2222', { SSH_AUTH_SOCK: '/tmp/agent.sock' });
    expect(endpoint.local).toBe(false);
    expect(endpoint.options).toMatchObject({ protocol: 'ssh', host: 'bastion.example', port: 2222, username: 'ops', sshOptions: { agent: '/tmp/agent.sock' } });
  });

  it('names the bad host in its error', () => {
    expect(() => resolveDockerEndpoint('ftp://example', {})).toThrow(/invalid Docker host "ftp:\/\/example": unsupported scheme ftp/);
  });
});
