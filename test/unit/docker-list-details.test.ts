// The first frame comes from `GET /containers/json`; the inspect of each container follows. What
// the list alone gives, what waits for inspect, and what the store makes of a listed container
// whose details arrive later (no restart alert, no gate failure from an unknown count).
import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { containerFromInspect, containerFromListItem, exitCodeFromStatus } from '../../src/adapters/docker/container-mapping';
import { createViewStore, engine } from '../views/fixtures';

const ID = '4f1c1d7e0b6a4c2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f';

function listItem(state: string, status: string): DockerListItem {
  return {
    Id: ID,
    Names: ['/shop-worker-1'],
    Image: 'shop/worker:1',
    ImageID: 'sha256:0',
    Command: 'sh',
    Created: 1_700_000_000,
    Ports: [],
    Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'worker' },
    State: state,
    Status: status,
    HostConfig: { NetworkMode: 'none' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

function inspected(restartCount: number): ContainerInspectInfo {
  return {
    Id: ID,
    Name: '/shop-worker-1',
    Created: '2023-11-14T22:13:20.000000000Z',
    RestartCount: restartCount,
    Image: 'sha256:0',
    Config: { Image: 'shop/worker:1', Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'worker' }, Tty: false },
    State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 1, ExitCode: 0, Error: '', StartedAt: '2023-11-14T22:13:21.000000000Z', FinishedAt: '0001-01-01T00:00:00Z' },
  } as unknown as ContainerInspectInfo;
}

describe('a container from the list alone', () => {
  it('has its state, health and exit code from the list, and says its restart count and times are not known yet', () => {
    const running = containerFromListItem('local', listItem('running', 'Up 3 minutes (unhealthy)')).instance;
    expect(running).toMatchObject({ phase: 'running', health: 'unhealthy', detailsPending: true });
    expect(running.startedAt).toBeUndefined();
    const failed = containerFromListItem('local', listItem('exited', 'Exited (137) 5 minutes ago')).instance;
    expect(failed).toMatchObject({ phase: 'failed', state: 'exited', exitCode: 137, detailsPending: true });
    expect(containerFromListItem('local', listItem('exited', 'Exited (0) 1 second ago')).instance.phase).toBe('exited');
    expect(exitCodeFromStatus('Up 2 hours')).toBeUndefined();
  });

  it('keeps what inspect said once it said it (a resync list is not pending again)', () => {
    const known = containerFromInspect('local', inspected(4));
    const relisted = containerFromListItem('local', listItem('running', 'Up 3 minutes'), known).instance;
    expect(relisted.detailsPending).toBeUndefined();
    expect(relisted.restartCount).toBe(4);
    expect(relisted.startedAt).toBe(Date.parse('2023-11-14T22:13:21Z'));
  });
});

describe('the store with details arriving after the list', () => {
  it('raises no restart alert and fails no restart gate for restarts that happened before opsdeck started', () => {
    let now = 1_700_000_100_000;
    const store = createViewStore({ now: () => now });
    store.getState().engineRegistered(engine());
    const listed = containerFromListItem('local', listItem('running', 'Up 3 minutes'));
    store.getState().inventoryReplaced('local', { workloads: [{ ref: listed.instance.workload, key: listed.instance.workloadKey }], instances: [listed.instance] });
    store.getState().flush();
    expect(store.getState().restartHistory.has(listed.instance.key)).toBe(false);
    now += 800;
    store.getState().instanceUpserted(containerFromInspect('local', inspected(9)).instance);
    store.getState().flush();
    expect(store.getState().restartHistory.get(listed.instance.key)).toEqual({ restartCount: 9, recentIncreases: [] });
    expect(store.getState().alerts.filter((alert) => alert.kind === 'restarting')).toEqual([]);
    // A restart seen after that is one.
    now += 5_000;
    store.getState().instanceUpserted(containerFromInspect('local', inspected(10)).instance);
    store.getState().flush();
    expect(store.getState().alerts.filter((alert) => alert.kind === 'restarting').map((alert) => alert.message)).toEqual(['shop-worker-1 restarted 1× in 10m (10 restarts)']);
  });
});
