import { describe, it, expect } from 'vitest';
import type { EngineStatus, HostSample, Instance } from '../../src/domain/types';
import { BUILT_IN_GATES, evaluateGates, type GateDefinition, type GateInput } from '../../src/domain/gates';
import { DEFAULT_THRESHOLDS, updateRestartHistory } from '../../src/domain/thresholds';
import { buildInstance, type InstanceSpec } from '../support/domain-fixtures';
import { deployment, kubeEngine, pod } from '../views/kubernetes-fixtures';

const NOW = 1_800_000_000_000;

const connected: EngineStatus = { id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected' };

function container(name: string, overrides: InstanceSpec = {}): Instance {
  return buildInstance({ id: `id-${name}`, image: 'img', health: 'healthy', createdAt: NOW, ...overrides, name, project: 'shop', service: name });
}

function host(overrides: Partial<HostSample> = {}): HostSample {
  return {
    cpuPercent: 5,
    cpuCount: 2,
    load1: 0,
    load5: 0,
    load15: 0,
    memoryTotalBytes: 100,
    memoryAvailableBytes: 60,
    memoryUsedPercent: 40,
    disks: [
      { path: '/', role: 'root', totalBytes: 100, usedBytes: 42, usedPercent: 42.4 },
      { path: '/var/lib/docker', role: 'docker-data', totalBytes: 100, usedBytes: 60, usedPercent: 60 },
    ],
    sampledAt: NOW,
    ...overrides,
  };
}

function input(overrides: Partial<GateInput> = {}): GateInput {
  return { engines: [connected], instances: [container('api'), container('db')], host: host(), thresholds: DEFAULT_THRESHOLDS, ...overrides };
}

function gate(results: ReturnType<typeof evaluateGates>, id: string) {
  const result = results.find((entry) => entry.id === id);
  if (!result) throw new Error(`no gate ${id}`);
  return result;
}

describe('evaluateGates', () => {
  it('passes every built-in gate on a healthy host, in a fixed order', () => {
    const results = evaluateGates(input(), NOW);
    expect(results.map((result) => result.id)).toEqual(['engine-reachable', 'no-restarting', 'no-unhealthy', 'host-disk', 'host-memory']);
    expect(results.every((result) => result.status === 'pass')).toBe(true);
    expect(results.every((result) => result.checkedAt === NOW)).toBe(true);
    expect(gate(results, 'host-disk').detail).toBe('/ 42%, /var/lib/docker 60%');
    expect(gate(results, 'host-memory').detail).toBe('memory 40%');
  });

  it('fails engine-reachable and names the disconnected engine with its error', () => {
    const engines: EngineStatus[] = [
      connected,
      { id: 'edge', kind: 'docker', label: 'edge', endpoint: 'ssh://ops@edge', state: 'disconnected', error: 'ssh: connect to host edge port 22: Connection refused' },
    ];
    const result = gate(evaluateGates(input({ engines }), NOW), 'engine-reachable');
    expect(result.status).toBe('fail');
    expect(result.detail).toBe('edge disconnected: ssh: connect to host edge port 22: Connection refused');
  });

  it('is unknown while an engine is still connecting', () => {
    const engines: EngineStatus[] = [{ ...connected, state: 'connecting' }];
    const results = evaluateGates(input({ engines, instances: [] }), NOW);
    expect(gate(results, 'engine-reachable')).toMatchObject({ status: 'unknown', detail: 'local connecting' });
    // Without a connected engine the container list is not known either.
    expect(gate(results, 'no-restarting')).toMatchObject({ status: 'unknown', detail: 'no engine connected' });
    expect(gate(results, 'no-unhealthy').status).toBe('unknown');
  });

  it('fails no-restarting for a restarting container, with its restart count', () => {
    const instances = [container('api', { state: 'restarting', restartCount: 7 }), container('db')];
    const result = gate(evaluateGates(input({ instances }), NOW), 'no-restarting');
    expect(result).toMatchObject({ status: 'fail', detail: 'api restarting (7 restarts)' });
  });

  it('fails no-restarting for an instance in the crash-loop phase, named with the engine\'s own state word', () => {
    const pod = { ...container('worker', { phase: 'crash-loop', restartCount: 4 }), state: 'CrashLoopBackOff' };
    const result = gate(evaluateGates(input({ instances: [pod, container('db')] }), NOW), 'no-restarting');
    expect(result).toMatchObject({ status: 'fail', detail: 'worker CrashLoopBackOff (4 restarts)' });
  });

  it('does not count an unhealthy instance that is not running', () => {
    const instances = [container('api', { state: 'exited', health: 'unhealthy' }), container('db')];
    expect(gate(evaluateGates(input({ instances }), NOW), 'no-unhealthy').status).toBe('pass');
  });

  it('fails no-restarting for a crash loop seen through the restart history', () => {
    const before = [container('worker', { restartCount: 1 })];
    const after = [container('worker', { restartCount: 3, state: 'running' })];
    const history = updateRestartHistory(updateRestartHistory(new Map(), before, NOW - 60_000), after, NOW);
    const result = gate(evaluateGates(input({ instances: after, restartHistory: history }), NOW), 'no-restarting');
    expect(result).toMatchObject({ status: 'fail', detail: 'worker restarted 2× in 10m (3 restarts)' });
  });

  it('fails no-unhealthy and names the unhealthy containers', () => {
    const instances = [container('api', { health: 'unhealthy' }), container('db', { health: 'unhealthy' }), container('web')];
    const result = gate(evaluateGates(input({ instances }), NOW), 'no-unhealthy');
    expect(result).toMatchObject({ status: 'fail', detail: 'api unhealthy, db unhealthy' });
  });

  it('summarises long lists of offenders', () => {
    const instances = ['a', 'b', 'c', 'd', 'e'].map((name) => container(name, { health: 'unhealthy' }));
    expect(gate(evaluateGates(input({ instances }), NOW), 'no-unhealthy').detail).toBe('a unhealthy, b unhealthy, c unhealthy (+2 more)');
  });

  it('fails host-disk when a watched disk reaches the warning threshold', () => {
    const sample = host({
      disks: [
        { path: '/', role: 'root', totalBytes: 100, usedBytes: 83, usedPercent: 85.6 },
        { path: '/backups', role: 'configured', totalBytes: 100, usedBytes: 10, usedPercent: 10 },
      ],
    });
    expect(gate(evaluateGates(input({ host: sample }), NOW), 'host-disk')).toMatchObject({ status: 'fail', detail: '/ 85%' });
  });

  it('reports host-disk unknown when a disk cannot be measured and none is full', () => {
    const sample = host({
      disks: [
        { path: '/', role: 'root', totalBytes: 100, usedBytes: 10, usedPercent: 10 },
        { path: '/mnt/nfs', role: 'configured', totalBytes: 0, usedBytes: 0, usedPercent: 0, error: 'not responding' },
      ],
    });
    expect(gate(evaluateGates(input({ host: sample }), NOW), 'host-disk')).toMatchObject({ status: 'unknown', detail: '/mnt/nfs: not responding' });
  });

  it('fails host-memory at the warning threshold', () => {
    const result = gate(evaluateGates(input({ host: host({ memoryUsedPercent: 81.9 }) }), NOW), 'host-memory');
    expect(result).toMatchObject({ status: 'fail', detail: 'memory 81% ≥ 80%' });
  });

  it('reports host gates unknown before the first host sample', () => {
    const results = evaluateGates(input({ host: undefined }), NOW);
    expect(gate(results, 'host-disk')).toMatchObject({ status: 'unknown', detail: 'no host sample yet' });
    expect(gate(results, 'host-memory')).toMatchObject({ status: 'unknown', detail: 'no host sample yet' });
  });

  it('accepts extra data-driven gates and turns a throwing gate into unknown', () => {
    const custom: GateDefinition[] = [
      ...BUILT_IN_GATES,
      { id: 'always', title: 'Always', playbook: 'restart-api', evaluate: () => ({ status: 'pass', detail: 'ok' }) },
      {
        id: 'broken',
        title: 'Broken',
        evaluate: () => {
          throw new Error('boom');
        },
      },
    ];
    const results = evaluateGates(input(), NOW, custom);
    expect(results.slice(-2)).toEqual([
      { id: 'always', title: 'Always', status: 'pass', detail: 'ok', checkedAt: NOW, playbook: 'restart-api' },
      { id: 'broken', title: 'Broken', status: 'unknown', detail: 'gate failed to evaluate: boom', checkedAt: NOW },
    ]);
  });
});

describe('container gates beside Kubernetes contexts', () => {
  it('count containers only: a crash-looping pod fails the pod gate, not "No restarting containers"', () => {
    const api = deployment('prod', 'shop', 'api', { replicas: 1 });
    const looping = pod(api, 'a', { phase: 'crash-loop', state: 'CrashLoopBackOff', restartCount: 4, ready: false });
    const results = evaluateGates(input({ engines: [connected, kubeEngine('prod')], instances: [container('api'), looping], workloads: [api] }), NOW);
    expect(gate(results, 'no-restarting').status).toBe('pass');
    expect(gate(results, 'no-pod-crash-loop').status).toBe('fail');
  });

  it('are not shown when only Kubernetes contexts are watched', () => {
    const results = evaluateGates(input({ engines: [kubeEngine('prod')], instances: [], workloads: [] }), NOW);
    expect(results.map((result) => result.id)).not.toContain('no-restarting');
    expect(results.map((result) => result.id)).not.toContain('no-unhealthy');
    expect(results.map((result) => result.id)).toContain('no-pod-crash-loop');
  });
});
