// Podman's answers through the Docker-compatible API (recorded from podman 4.3.1 on this machine's
// kind), read by the Docker adapter's mapping functions with the `podman` dialect.
import { describe, expect, it } from 'vitest';
import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { containerFromInspect, containerFromListItem } from '../../src/adapters/docker/container-mapping';
import { containerEventEffect, type DockerEvent } from '../../src/adapters/docker/docker-events';
import { computeCpuPercent, hasPreviousReading, type DockerStatsPayload } from '../../src/adapters/docker/stats-payload';

const ID = 'b7b86b2523add464b4916fa7c5a59fb360cdd3620af4e9d41faf6a2180509459';

function event(action: string): DockerEvent {
  return { status: action, id: ID, Type: 'container', Action: action, Actor: { ID, Attributes: { name: 'p-web-1', containerExitCode: '0' } } };
}

describe('podman events', () => {
  it('refreshes on the events that change what is shown, ignores its extra ones, forgets on remove', () => {
    for (const action of ['create', 'start', 'die', 'restart', 'health_status', 'stop', 'kill', 'pause', 'unpause']) {
      expect(containerEventEffect(event(action), 'podman'), action).toEqual({ containerId: ID, effect: 'changed' });
    }
    for (const action of ['init', 'cleanup', 'attach', 'exec', 'exec_died']) {
      expect(containerEventEffect(event(action), 'podman'), action).toBeUndefined();
    }
    expect(containerEventEffect(event('remove'), 'podman')).toEqual({ containerId: ID, effect: 'removed' });
    expect(containerEventEffect({ ...event('pull'), Type: 'image' }, 'podman')).toBeUndefined();
  });

  it('keeps Docker as it was: destroy forgets, exec_* and health_status with a suffix', () => {
    expect(containerEventEffect(event('destroy'), 'docker')).toEqual({ containerId: ID, effect: 'removed' });
    expect(containerEventEffect(event('exec_start: sh -c true'), 'docker')).toBeUndefined();
    expect(containerEventEffect(event('health_status: healthy'), 'docker')).toEqual({ containerId: ID, effect: 'changed' });
  });
});

describe('podman containers', () => {
  const listItem = {
    Id: ID,
    Names: ['/pods-web-1'],
    Image: 'localhost/local/busybox:latest',
    ImageID: 'sha256:f11e603d62c8b2fa3007f5e28bbde08881973cb704b24fdd9968630bdc5d14b2',
    Command: 'sh -c sleep 1000',
    Created: 1796115254,
    Ports: [],
    Labels: { 'io.podman.compose.project': 'pods', 'com.docker.compose.project': 'pods', 'com.docker.compose.service': 'web' },
    State: 'running',
    Status: 'Up 4 seconds',
    NetworkSettings: { Networks: null },
    Mounts: [],
  } as unknown as DockerListItem;

  it('keeps the health inspect reported, since the list status never carries it', () => {
    const first = containerFromListItem('pods', listItem, undefined, 'podman');
    expect(first.instance).toMatchObject({
      ref: { engineId: 'pods', kind: 'container', namespace: 'pods', name: 'pods-web-1', uid: ID },
      workload: { kind: 'compose-service', namespace: 'pods', name: 'web' },
      image: 'local/busybox:latest',
      health: 'none',
    });
    const later = containerFromListItem('pods', listItem, { ...first, instance: { ...first.instance, health: 'unhealthy' } }, 'podman');
    expect(later.instance.health).toBe('unhealthy');
  });

  it('reads inspect: health, restart count, no healthcheck as none, the image without localhost/', () => {
    const inspect = {
      Id: ID,
      Name: '/pods-worker-1',
      Created: '2026-12-01T08:54:15.1Z',
      Image: 'sha256:f11e603d62c8',
      RestartCount: 28,
      Config: { Image: 'localhost/local/busybox:latest', Labels: { 'io.podman.compose.project': 'pods', 'io.podman.compose.service': 'worker' }, Tty: false },
      State: {
        Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 12897, ExitCode: 0,
        Error: '', StartedAt: '2026-12-01T08:54:52.860631018Z', FinishedAt: '2026-12-01T08:54:52.482897375Z',
        Health: { Status: '', FailingStreak: 0, Log: null },
      },
    } as unknown as ContainerInspectInfo;
    expect(containerFromInspect('pods', inspect, 'podman').instance).toMatchObject({
      ref: { namespace: 'pods', name: 'pods-worker-1' }, workload: { name: 'worker' },
      image: 'local/busybox:latest', health: 'none', restartCount: 28, state: 'running', phase: 'running',
      startedAt: Date.parse('2026-12-01T08:54:52.860Z'),
    });
  });
});

describe('podman stats', () => {
  const cpu = (total: number, system: number) => ({ cpu_usage: { total_usage: total, percpu_usage: [total / 2, total / 2] }, system_cpu_usage: system, online_cpus: 2 });

  it('skips the first sample of a stream, whose previous reading is the current one', () => {
    const first: DockerStatsPayload = { cpu_stats: cpu(5818240741, 161243092216), precpu_stats: cpu(5818240741, 161243092216), memory_stats: { usage: 331776, limit: 25324732416 } };
    expect(hasPreviousReading(first)).toBe(false);
    const second: DockerStatsPayload = { cpu_stats: cpu(8197963043, 169189863675), precpu_stats: cpu(5818240741, 161243092216), memory_stats: { usage: 331776, limit: 25324732416 } };
    expect(hasPreviousReading(second)).toBe(true);
    // The docker CLI formula over the 5 s between two readings: 2.38 s of CPU / 7.95 s of system time x 2 cores.
    expect(computeCpuPercent(second)).toBeCloseTo(59.9, 0);
  });
});
