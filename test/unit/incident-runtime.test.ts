// Incident mode in the runtime: declared, alerts raised and cleared as the store sees them,
// a note, an escalation due on a moved clock and answered, resolved; every step journaled
// before the store shows it, and a restarted runtime shows the open incident again.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type OpsdeckConfig } from '../../src/config/load-config';
import type { EngineStatus } from '../../src/domain/types';
import { listIncidents, readIncidentRecords } from '../../src/incident/incident-journal';
import { incidentsDirectory } from '../../src/journal/state-directory';
import { createRuntime, type Runtime } from '../../src/runtime/runtime';
import { container, inventoryOf } from '../support/domain-fixtures';
import { temporaryDirectory } from '../support/journal-fixtures';
import { waitFor } from '../support/wait-for';

const MINUTE = 60_000;
// The real host is sampled too (a shared machine, often busy): its alerts are out of reach here,
// so the journal holds the containers' alerts only, whenever the first host sample lands.
const OUT_OF_REACH = { warning: 1000, critical: 1001 };
const config: OpsdeckConfig = { ...DEFAULT_CONFIG, engines: [], thresholds: { cpu: OUT_OF_REACH, memory: OUT_OF_REACH, disk: OUT_OF_REACH } };
const ENGINE: EngineStatus = { id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected', connectedAt: Date.now() };

let runtimes: Runtime[] = [];
afterEach(async () => {
  for (const runtime of runtimes) await runtime.stop();
  runtimes = [];
});

function startRuntime(env: NodeJS.ProcessEnv, clock: { now: number }): Runtime {
  const runtime = createRuntime({ config, readOnly: false, flushIntervalMs: 0, hostIntervalMs: 60_000, env, now: () => clock.now });
  runtimes.push(runtime);
  runtime.start();
  return runtime;
}

/** The containers as an adapter would publish them, applied at once. */
function publish(runtime: Runtime, health: Record<string, 'healthy' | 'unhealthy'>): void {
  const state = runtime.store.getState();
  state.inventoryReplaced('local', inventoryOf(Object.entries(health).map(([id, value]) => container(id, { health: value }))));
  state.flush();
}

const types = (file: string) => readIncidentRecords(file).records.map((record) => (record.type === 'alert-raised' || record.type === 'alert-cleared' ? `${record.type} ${record.alertId}` : record.type));

describe('incident service in the runtime', () => {
  it('journals the declaration, alerts, a note, an escalation and the resolution; a restart shows the open incident', async () => {
    const state = temporaryDirectory('incident-runtime');
    const env = { ...process.env, XDG_STATE_HOME: state, USER: 'alice', SUDO_USER: '' };
    const clock = { now: Date.UTC(2026, 11, 1, 11, 0, 0) };
    const runtime = startRuntime(env, clock);
    runtime.store.getState().engineRegistered(ENGINE);
    publish(runtime, { api: 'unhealthy', db: 'healthy' });
    expect(runtime.store.getState().alerts.map((alert) => alert.message)).toEqual(['shop-api-1 unhealthy']);

    // The incident's clock is the real one at its declaration (gate flips carry real times), moved on by hand later.
    clock.now = Date.now() + 1;
    const incident = await runtime.incidents.declare({ severity: 'P1', title: 'checkout down', services: [{ label: 'local/shop/api' }] });
    const file = listIncidents(incidentsDirectory(env))[0]!.path;
    expect(runtime.store.getState().incident).toMatchObject({ id: incident.id, severity: 'P1', declaredBy: 'alice' });
    // The alert open at the declaration is its detection.
    expect(types(file)).toEqual(['declared', 'alert-raised unhealthy:local/container/shop/shop-api-1']);

    // db turns unhealthy, then api recovers: the recorder journals both.
    publish(runtime, { api: 'unhealthy', db: 'unhealthy' });
    await waitFor('db raised', () => types(file).includes('alert-raised unhealthy:local/container/shop/shop-db-1'), { intervalMs: 10 });
    publish(runtime, { api: 'healthy', db: 'unhealthy' });
    await waitFor('api cleared', () => types(file).includes('alert-cleared unhealthy:local/container/shop/shop-api-1'), { intervalMs: 10 });

    // Everything healthy again: the alert clears and the built-in gate flips back to pass.
    publish(runtime, { api: 'healthy', db: 'healthy' });
    await waitFor('gate flip', () => readIncidentRecords(file).records.find((record) => record.type === 'gate-flip'), { intervalMs: 10 });
    expect(readIncidentRecords(file).records.filter((record) => record.type === 'gate-flip').map((record) => record.type === 'gate-flip' && `${record.gateId} ${record.from} -> ${record.to}`)).toEqual([
      'no-unhealthy fail -> pass',
    ]);
    await runtime.incidents.note('pool exhausted after the 2.3 deploy');
    // L1 is due at once; 30 minutes on, the timer's check marks L2 due.
    expect(runtime.store.getState().incident?.escalations.map((status) => `${status.level} ${status.state}`)).toEqual(['L1 due']);
    await runtime.incidents.answerEscalation('L1', { action: 'acknowledged' });
    clock.now += 30 * MINUTE;
    runtime.incidents.checkEscalations();
    expect(runtime.store.getState().incident?.escalations.map((status) => `${status.level} ${status.state}`)).toEqual(['L1 acknowledged', 'L2 due']);
    await runtime.incidents.answerEscalation('L2', { action: 'escalated', contacted: 'bob (team lead)' });
    expect(runtime.store.getState().incident?.escalations.find((status) => status.level === 'L2')).toMatchObject({ state: 'escalated', contacted: 'bob (team lead)' });
    // Every record the store shows is in the journal, in the same order.
    expect(runtime.store.getState().incidentRecords.map((record) => record.type)).toEqual(readIncidentRecords(file).records.map((record) => record.type));

    // The cockpit restarts: the open incident, its records and its answers come back from the journal.
    await runtime.stop();
    runtimes = [];
    clock.now += 5 * MINUTE;
    const restarted = startRuntime(env, clock);
    // Read back once incident mode is loaded (in the cockpit: right after its first frame).
    await waitFor('the open incident read back', () => restarted.store.getState().incident, { intervalMs: 5 });
    expect(restarted.store.getState().incident).toMatchObject({ id: incident.id, severity: 'P1', title: 'checkout down' });
    expect(restarted.store.getState().incident?.escalations.map((status) => `${status.level} ${status.state}`)).toEqual(['L1 acknowledged', 'L2 escalated']);
    expect(restarted.store.getState().incidentRecords).toHaveLength(readIncidentRecords(file).records.length);

    await restarted.incidents.resolve({ rootCause: 'pool too small', resolution: 'pool raised to 50', prevention: 'load test before deploys' });
    expect(types(file).slice(-8)).toEqual([
      'alert-raised unhealthy:local/container/shop/shop-db-1',
      'alert-cleared unhealthy:local/container/shop/shop-api-1',
      'alert-cleared unhealthy:local/container/shop/shop-db-1',
      'gate-flip',
      'note',
      'escalation',
      'escalation',
      'resolved',
    ]);
    expect(listIncidents(incidentsDirectory(env))[0]?.resolvedAt).toBe(clock.now);
    const texts = restarted.incidents.texts()!;
    expect(texts.resolved).toContain('Duration: 35m');
    expect(texts.report).toContain('note by alice: pool exhausted after the 2.3 deploy');
    await expect(restarted.incidents.note('too late')).rejects.toThrow('no incident is open');
  });

  it('refuses a second incident while one is open, and an unknown severity', async () => {
    const env = { ...process.env, XDG_STATE_HOME: temporaryDirectory('incident-runtime'), USER: 'alice', SUDO_USER: '' };
    const runtime = startRuntime(env, { now: Date.now() });
    await expect(runtime.incidents.declare({ severity: 'SEV1', title: 'x', services: [] })).rejects.toThrow('unknown severity "SEV1" (P0, P1, P2, P3)');
    const first = await runtime.incidents.declare({ severity: 'P2', title: 'slow search', services: [] });
    await expect(runtime.incidents.declare({ severity: 'P1', title: 'again', services: [] })).rejects.toThrow(`incident ${first.id} is open`);
  });
});
