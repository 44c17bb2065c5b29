// An inspect payload as a playbook and an evidence file see it: the fields read the same way the
// cockpit reads them, the raw payload sanitised with env values and secret-looking labels redacted.
import type { ContainerInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { instanceDetailsOf } from '../../src/adapters/docker/instance-details';

const payload = {
  Id: 'c0ffee',
  Name: '/shop-api-1',
  Created: '2026-01-02T03:04:05.000000000Z',
  RestartCount: 4,
  Image: 'sha256:abc',
  State: { Status: 'exited', Running: false, ExitCode: 137, OOMKilled: true, StartedAt: '2026-01-02T03:04:06.123456789Z', FinishedAt: '2026-01-02T03:05:00.5Z', Health: { Status: 'unhealthy' } },
  Config: {
    Image: 'localhost/shop/api:1.2',
    Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2', 'NOTE=x=y'],
    Labels: {
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'api',
      'vault.token': 's.abc',
      'org.opencontainers.image.authors': 'ops team',
      'evil\u001b[2J': 'title\u001b]0;pwned\u0007 here',
    },
  },
  HostConfig: { Memory: 268435456 },
} as unknown as ContainerInspectInfo;

describe('instance details', () => {
  it('reads the fields a step checks, times exactly as the engine wrote them', () => {
    const details = instanceDetailsOf('local', payload, 'podman');
    expect({ ...details, raw: undefined }).toEqual({
      name: 'shop-api-1',
      state: 'exited',
      status: 'exited',
      health: 'unhealthy',
      startedAt: '2026-01-02T03:04:06.123456789Z',
      finishedAt: '2026-01-02T03:05:00.5Z',
      restartCount: 4,
      exitCode: 137,
      oomKilled: true,
      image: 'shop/api:1.2',
      memoryLimitBytes: 268435456,
      raw: undefined,
    });
  });

  it('redacts every env value and the secret-looking labels, and strips escape sequences, in the raw payload', () => {
    const raw = instanceDetailsOf('local', payload, 'docker').raw as { Config: { Env: string[]; Labels: Record<string, string> } };
    expect(raw.Config.Env).toEqual(['PATH=<redacted>', 'DB_PASSWORD=<redacted>', 'NOTE=<redacted>']);
    expect(raw.Config.Labels).toEqual({
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'api',
      'vault.token': '<redacted>',
      'org.opencontainers.image.authors': 'ops team',
      evil: 'title here',
    });
    expect(JSON.stringify(raw)).not.toMatch(/hunter2|s\.abc|\\u001b/);
  });

  it('leaves out what never happened: a zero FinishedAt, no memory limit', () => {
    const running = { ...payload, State: { ...payload.State, Status: 'running', FinishedAt: '0001-01-01T00:00:00Z' }, HostConfig: { Memory: 0 } } as ContainerInspectInfo;
    const details = instanceDetailsOf('local', running, 'docker');
    expect(details.finishedAt).toBeUndefined();
    expect(details.memoryLimitBytes).toBeUndefined();
    expect(details.state).toBe('running');
  });
});
