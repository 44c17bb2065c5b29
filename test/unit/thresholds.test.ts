import { describe, it, expect } from 'vitest';
import type { Alert, EngineStatus, HostSample, Instance } from '../../src/domain/types';
import {
  DEFAULT_THRESHOLDS,
  RESTART_WINDOW_MS,
  evaluateAlerts,
  recentRestartsOf,
  updateRestartHistory,
  type AlertInput,
  type RestartHistory,
} from '../../src/domain/thresholds';
import { container, FIXED_NOW, stats, statsByInstance } from '../support/domain-fixtures';

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
  return { instances: [], statsByInstance: {}, engines: [connectedEngine], thresholds: DEFAULT_THRESHOLDS, ...overrides };
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
    expect(evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 20)), host: host() }), [], NOW)).toEqual([]);
  });

  it('raises service CPU alerts on its busiest running container, as docker stats shows it', () => {
    const a = container('a', { service: 'api' });
    const b = container('b', { service: 'api' });
    const c = container('c', { service: 'api', state: 'exited' });
    const byInstance = statsByInstance(
      stats(a, 40),
      stats(b, 75),
      stats(c, 90), // exited: ignored
    );
    const alerts = evaluateAlerts(input({ instances: [a, b, c], statsByInstance: byInstance }), [], NOW);
    expect(alerts).toHaveLength(1);
    expect(a.workloadKey).toBe(b.workloadKey);
    expect(alerts[0]).toMatchObject({ id: `cpu:${a.workloadKey}`, kind: 'cpu', severity: 'warning', target: a.workloadKey, message: 'cpu 75% ≥ 70%' });
    expect(alerts[0]?.value).toBeCloseTo(75);
  });

  it('does not alert on replicas that are each under the threshold', () => {
    const replicas = [container('a', { service: 'api' }), container('b', { service: 'api' }), container('c', { service: 'api' })];
    const byInstance = statsByInstance(...replicas.map((replica) => stats(replica, 50)));
    expect(evaluateAlerts(input({ instances: replicas, statsByInstance: byInstance }), [], NOW)).toEqual([]);
  });

  it('raises service memory alerts on the fullest container and marks critical levels', () => {
    const a = container('a', { service: 'db' });
    const b = container('b', { service: 'db' });
    const byInstance = statsByInstance(stats(a, 1, 50), stats(b, 1, 93.7));
    const [alert] = evaluateAlerts(input({ instances: [a, b], statsByInstance: byInstance }), [], NOW);
    expect(alert).toMatchObject({ id: `memory:${a.workloadKey}`, severity: 'critical', message: 'memory 93% ≥ 90%' });
  });

  it('treats a value equal to the threshold as reached, and never rounds a value up across it', () => {
    const api = container('api');
    const at = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 80)) }), [], NOW);
    expect(at[0]).toMatchObject({ severity: 'critical', message: 'cpu 80% ≥ 80%' });
    const below = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 79.96)) }), [], NOW);
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
    const api = container('api', { state: 'restarting', restartCount: 7 });
    const db = container('db', { health: 'unhealthy' });
    const instances = [api, db, container('old', { state: 'exited', health: 'unhealthy' })];
    const engines: EngineStatus[] = [
      connectedEngine,
      { id: 'remote', kind: 'docker', label: 'edge', endpoint: 'ssh://ops@edge', state: 'disconnected', error: 'connect ECONNREFUSED' },
    ];
    const alerts = evaluateAlerts(input({ instances, engines }), [], NOW);
    expect(alerts.map((alert) => [alert.id, alert.severity, alert.message])).toEqual([
      ['engine:remote', 'critical', 'engine edge disconnected: connect ECONNREFUSED'],
      // Two engines are watched: names say which engine they are on.
      [`restarting:${api.key}`, 'critical', 'local/shop-api-1 restarting (7 restarts)'],
      [`unhealthy:${db.key}`, 'critical', 'local/shop-db-1 unhealthy'],
    ]);
    const alone = evaluateAlerts(input({ instances, engines: [connectedEngine] }), [], NOW);
    expect(alone.map((alert) => alert.message)).toEqual(['shop-api-1 restarting (7 restarts)', 'shop-db-1 unhealthy']);
  });

  it('keeps `since` from the previous alert with the same id, even when the severity changed', () => {
    const api = container('api');
    const first = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 75)) }), [], NOW);
    expect(first[0]).toMatchObject({ severity: 'warning', since: NOW });
    const second = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 99)) }), first, NOW + 60_000);
    expect(second[0]).toMatchObject({ severity: 'critical', since: NOW });
  });

  it('starts a new `since` once the condition cleared and came back', () => {
    const api = container('api');
    const hot = input({ instances: [api], statsByInstance: statsByInstance(stats(api, 99)) });
    const first = evaluateAlerts(hot, [], NOW);
    const cleared = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 5)) }), first, NOW + 1000);
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
    const alerts = evaluateAlerts(input({ instances: [api], statsByInstance: statsByInstance(stats(api, 25)), thresholds }), [], NOW);
    expect(alerts[0]).toMatchObject({ severity: 'warning', message: 'cpu 25% ≥ 20%' });
  });
});

describe('restart history (crash loops)', () => {
  it('does not report restarts that happened before the first observation', () => {
    const api = container('api', { restartCount: 12 });
    const history = updateRestartHistory(new Map(), [api], NOW);
    expect(recentRestartsOf(history, api.key, NOW)).toBe(0);
    expect(evaluateAlerts(input({ instances: [api], restartHistory: history }), [], NOW)).toEqual([]);
  });

  it('reports a growing restart count as a warning until the window has passed', () => {
    let history: RestartHistory = updateRestartHistory(new Map(), [container('api', { restartCount: 3 })], NOW);
    const restarted = container('api', { restartCount: 5 });
    history = updateRestartHistory(history, [restarted], NOW + 10_000);
    const alerts = evaluateAlerts(input({ instances: [restarted], restartHistory: history }), [], NOW + 10_000);
    expect(alerts).toEqual([
      {
        id: `restarting:${restarted.key}`,
        kind: 'restarting',
        severity: 'warning',
        target: restarted.key,
        message: 'shop-api-1 restarted 2× in 10m (5 restarts)',
        value: 5,
        since: NOW + 10_000,
      },
    ]);
    // Still there a minute later without a new restart (the count does not move between polls).
    history = updateRestartHistory(history, [restarted], NOW + 70_000);
    expect(evaluateAlerts(input({ instances: [restarted], restartHistory: history }), alerts, NOW + 70_000)[0]?.since).toBe(NOW + 10_000);
    // Gone once the window has passed.
    const later = NOW + 10_000 + RESTART_WINDOW_MS;
    history = updateRestartHistory(history, [restarted], later);
    expect(evaluateAlerts(input({ instances: [restarted], restartHistory: history }), alerts, later)).toEqual([]);
  });

  it('takes no baseline from a container whose details are not in yet: its real count arriving is not an increase', () => {
    const listed: Instance = { ...container('api', { restartCount: 0 }), detailsPending: true };
    const first = updateRestartHistory(new Map(), [listed], NOW);
    expect(first.has(listed.key)).toBe(false);
    // Still pending at the next flush: the same map, no record.
    expect(updateRestartHistory(first, [listed], NOW + 500)).toBe(first);
    const inspected = container('api', { restartCount: 7 });
    const history = updateRestartHistory(first, [inspected], NOW + 1000);
    expect(history.get(inspected.key)).toEqual({ restartCount: 7, recentIncreases: [] });
    expect(evaluateAlerts(input({ instances: [inspected], restartHistory: history }), [], NOW + 1000)).toEqual([]);
  });

  it('names no restart count in the alert of a restarting container listed before its inspect', () => {
    const listed: Instance = { ...container('worker', { state: 'restarting' }), detailsPending: true };
    const alerts = evaluateAlerts(input({ instances: [listed] }), [], NOW);
    expect(alerts.map((alert) => [alert.severity, alert.message])).toEqual([['critical', 'shop-worker-1 restarting']]);
  });

  it('returns the same map when nothing changed, and drops removed containers', () => {
    const api = container('api');
    const history = updateRestartHistory(new Map(), [api], NOW);
    expect(updateRestartHistory(history, [api], NOW + 1000)).toBe(history);
    expect(updateRestartHistory(history, [], NOW + 1000).size).toBe(0);
  });
});
