import { describe, it, expect } from 'vitest';
import type { Alert, EngineStatus, HostSample } from '../../src/domain/types';
import {
  DEFAULT_THRESHOLDS,
  RESTART_WINDOW_MS,
  evaluateAlerts,
  recentRestartsOf,
  updateRestartHistory,
  type AlertInput,
  type RestartHistory,
} from '../../src/domain/thresholds';
import { container, FIXED_NOW, stats } from '../support/domain-fixtures';

const NOW = FIXED_NOW;

function host(overrides: Partial<HostSample> = {}): HostSample {
  return {
    cpuPercent: 10,
    cpuCount: 4,
    load1: 0.5,
    load5: 0.5,
    load15: 0.5,
    memoryTotalBytes: 100,
    memoryAvailableBytes: 60,
    memoryUsedPercent: 40,
    disks: [{ path: '/', role: 'root', totalBytes: 100, usedBytes: 50, usedPercent: 50 }],
    sampledAt: NOW,
    ...overrides,
  };
}

const connectedEngine: EngineStatus = { id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected' };

function input(overrides: Partial<AlertInput> = {}): AlertInput {
  return { containers: [], statsByContainer: {}, engines: [connectedEngine], thresholds: DEFAULT_THRESHOLDS, ...overrides };
}

describe('DEFAULT_THRESHOLDS', () => {
  it('uses the runbook levels', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      cpu: { warning: 70, critical: 80 },
      memory: { warning: 80, critical: 90 },
      disk: { warning: 85, critical: 95 },
    });
  });
});

describe('evaluateAlerts', () => {
  it('raises nothing when everything is within limits', () => {
    const api = container('api');
    expect(evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 20)]]), host: host() }), [], NOW)).toEqual([]);
  });

  it('raises service CPU alerts on its busiest running container, as docker stats shows it', () => {
    const replicas = [container('a', { service: 'api' }), container('b', { service: 'api' }), container('c', { service: 'api', state: 'exited' })];
    const statsByContainer = Object.fromEntries([
      ['a', stats('a', 40)],
      ['b', stats('b', 75)],
      ['c', stats('c', 90)], // exited: ignored
    ]);
    const alerts = evaluateAlerts(input({ containers: replicas, statsByContainer }), [], NOW);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: 'cpu:local/shop/api', kind: 'cpu', severity: 'warning', target: 'local/shop/api', message: 'cpu 75% ≥ 70%' });
    expect(alerts[0]?.value).toBeCloseTo(75);
  });

  it('does not alert on replicas that are each under the threshold', () => {
    const replicas = [container('a', { service: 'api' }), container('b', { service: 'api' }), container('c', { service: 'api' })];
    const statsByContainer = Object.fromEntries([
      ['a', stats('a', 50)],
      ['b', stats('b', 50)],
      ['c', stats('c', 50)],
    ]);
    expect(evaluateAlerts(input({ containers: replicas, statsByContainer }), [], NOW)).toEqual([]);
  });

  it('raises service memory alerts on the fullest container and marks critical levels', () => {
    const replicas = [container('a', { service: 'db' }), container('b', { service: 'db' })];
    const statsByContainer = Object.fromEntries([
      ['a', stats('a', 1, 50)],
      ['b', stats('b', 1, 93.7)],
    ]);
    const [alert] = evaluateAlerts(input({ containers: replicas, statsByContainer }), [], NOW);
    expect(alert).toMatchObject({ id: 'memory:local/shop/db', severity: 'critical', message: 'memory 93% ≥ 90%' });
  });

  it('treats a value equal to the threshold as reached, and never rounds a value up across it', () => {
    const api = container('api');
    const at = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 80)]]) }), [], NOW);
    expect(at[0]).toMatchObject({ severity: 'critical', message: 'cpu 80% ≥ 80%' });
    const below = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 79.96)]]) }), [], NOW);
    expect(below[0]).toMatchObject({ severity: 'warning', message: 'cpu 79% ≥ 70%' });
  });

  it('raises host CPU, host memory and per-disk alerts', () => {
    const sample = host({
      cpuPercent: 97.2,
      memoryUsedPercent: 85,
      disks: [
        { path: '/', role: 'root', totalBytes: 100, usedBytes: 96, usedPercent: 96 },
        { path: '/backups', role: 'configured', totalBytes: 100, usedBytes: 86, usedPercent: 86 },
        { path: '/mnt/nfs', role: 'configured', totalBytes: 0, usedBytes: 0, usedPercent: 0, error: 'not responding' },
      ],
    });
    const alerts = evaluateAlerts(input({ host: sample }), [], NOW);
    const byId = Object.fromEntries(alerts.map((alert) => [alert.id, alert]));
    expect(byId['host-cpu:host']).toMatchObject({ severity: 'critical', message: 'host cpu 97% ≥ 80%' });
    expect(byId['host-memory:host']).toMatchObject({ severity: 'warning', message: 'host memory 85% ≥ 80%' });
    expect(byId['disk:/']).toMatchObject({ severity: 'critical', message: 'disk / 96% ≥ 95%' });
    expect(byId['disk:/backups']).toMatchObject({ severity: 'warning', message: 'disk /backups 86% ≥ 85%' });
    expect(byId['disk:/mnt/nfs']).toBeUndefined();
  });

  it('raises critical alerts for restarting and unhealthy containers and disconnected engines', () => {
    const containers = [
      container('api', { state: 'restarting', restartCount: 7 }),
      container('db', { health: 'unhealthy' }),
      container('old', { state: 'exited', health: 'unhealthy' }),
    ];
    const engines: EngineStatus[] = [
      connectedEngine,
      { id: 'remote', kind: 'docker', label: 'edge', endpoint: 'ssh://ops@edge', state: 'disconnected', error: 'connect ECONNREFUSED' },
    ];
    const alerts = evaluateAlerts(input({ containers, engines }), [], NOW);
    expect(alerts.map((alert) => [alert.id, alert.severity, alert.message])).toEqual([
      ['engine:remote', 'critical', 'engine edge disconnected: connect ECONNREFUSED'],
      ['restarting:api', 'critical', 'shop-api-1 restarting (7 restarts)'],
      ['unhealthy:db', 'critical', 'shop-db-1 unhealthy'],
    ]);
  });

  it('keeps `since` from the previous alert with the same id, even when the severity changed', () => {
    const api = container('api');
    const first = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 75)]]) }), [], NOW);
    expect(first[0]).toMatchObject({ severity: 'warning', since: NOW });
    const second = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 99)]]) }), first, NOW + 60_000);
    expect(second[0]).toMatchObject({ severity: 'critical', since: NOW });
  });

  it('starts a new `since` once the condition cleared and came back', () => {
    const api = container('api');
    const hot = input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 99)]]) });
    const first = evaluateAlerts(hot, [], NOW);
    const cleared = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 5)]]) }), first, NOW + 1000);
    expect(cleared).toEqual([]);
    expect(evaluateAlerts(hot, cleared, NOW + 2000)[0]?.since).toBe(NOW + 2000);
  });

  it('sorts critical alerts first, then the oldest first', () => {
    const previous: Alert[] = [
      { id: 'disk:/', kind: 'disk', severity: 'warning', target: '/', message: '', since: NOW - 5000 },
      { id: 'host-cpu:host', kind: 'host-cpu', severity: 'critical', target: 'host', message: '', since: NOW - 1000 },
    ];
    const sample = host({
      cpuPercent: 99,
      memoryUsedPercent: 95,
      disks: [{ path: '/', role: 'root', totalBytes: 1, usedBytes: 1, usedPercent: 88 }],
    });
    const alerts = evaluateAlerts(input({ host: sample }), previous, NOW);
    expect(alerts.map((alert) => alert.id)).toEqual(['host-cpu:host', 'host-memory:host', 'disk:/']);
  });

  it('honours custom thresholds', () => {
    const api = container('api');
    const thresholds = { ...DEFAULT_THRESHOLDS, cpu: { warning: 20, critical: 30 } };
    const alerts = evaluateAlerts(input({ containers: [api], statsByContainer: Object.fromEntries([['api', stats('api', 25)]]), thresholds }), [], NOW);
    expect(alerts[0]).toMatchObject({ severity: 'warning', message: 'cpu 25% ≥ 20%' });
  });
});

describe('restart history (crash loops)', () => {
  it('does not report restarts that happened before the first observation', () => {
    const api = container('api', { restartCount: 12 });
    const history = updateRestartHistory(new Map(), [api], NOW);
    expect(recentRestartsOf(history, 'api', NOW)).toBe(0);
    expect(evaluateAlerts(input({ containers: [api], restartHistory: history }), [], NOW)).toEqual([]);
  });

  it('reports a growing restart count as a warning until the window has passed', () => {
    let history: RestartHistory = updateRestartHistory(new Map(), [container('api', { restartCount: 3 })], NOW);
    const restarted = container('api', { restartCount: 5 });
    history = updateRestartHistory(history, [restarted], NOW + 10_000);
    const alerts = evaluateAlerts(input({ containers: [restarted], restartHistory: history }), [], NOW + 10_000);
    expect(alerts).toEqual([
      {
        id: 'restarting:api',
        kind: 'restarting',
        severity: 'warning',
        target: 'api',
        message: 'shop-api-1 restarted 2× in 10m (5 restarts)',
        value: 5,
        since: NOW + 10_000,
      },
    ]);
    // Still there a minute later without a new restart (the count does not move between polls).
    history = updateRestartHistory(history, [restarted], NOW + 70_000);
    expect(evaluateAlerts(input({ containers: [restarted], restartHistory: history }), alerts, NOW + 70_000)[0]?.since).toBe(NOW + 10_000);
    // Gone once the window has passed.
    const later = NOW + 10_000 + RESTART_WINDOW_MS;
    history = updateRestartHistory(history, [restarted], later);
    expect(evaluateAlerts(input({ containers: [restarted], restartHistory: history }), alerts, later)).toEqual([]);
  });

  it('returns the same map when nothing changed, and drops removed containers', () => {
    const api = container('api');
    const history = updateRestartHistory(new Map(), [api], NOW);
    expect(updateRestartHistory(history, [api], NOW + 1000)).toBe(history);
    expect(updateRestartHistory(history, [], NOW + 1000).size).toBe(0);
  });
});
