// The runtime's playbooks, incident mode and gate checks load after the cockpit's first frame
// (createRuntime's servicesAfter). Until then their stand-ins take every call: an incident
// declared, a gate refreshed or checked waits for the service and then happens (nothing is
// lost); the catalog is empty, a run cannot start (it says why) and an approval is refused with
// the reason, as the service itself answers before its first read. Real parts: the runtime, its
// incident journal in a temporary state directory, a loopback TCP listener as the gate's target.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfigText, type OpsdeckConfig } from '../../src/config/load-config';
import { listIncidents, readIncidentRecords } from '../../src/incident/incident-journal';
import { incidentsDirectory } from '../../src/journal/state-directory';
import { createRuntime, type Runtime } from '../../src/runtime/runtime';
import { temporaryDirectory } from '../support/journal-fixtures';
import { waitFor } from '../support/wait-for';

let listener: Server;
let connections = 0;
let runtimes: Runtime[] = [];

beforeAll(async () => {
  listener = createServer((socket) => {
    connections += 1;
    socket.end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
afterEach(async () => {
  for (const runtime of runtimes) await runtime.stop();
  runtimes = [];
});

// The real host is sampled too: its alerts are out of reach, so they cannot enter the journal.
const OUT_OF_REACH = { warning: 1000, critical: 1001 };

async function configWithGate(): Promise<OpsdeckConfig> {
  const port = (listener.address() as AddressInfo).port;
  const parsed = await parseConfigText(`gates:\n  - { id: api, title: API port, check: { type: tcp, host: 127.0.0.1, port: ${port} } }\n`, { fileName: 'opsdeck.yaml' });
  return { ...DEFAULT_CONFIG, gates: parsed.gates, engines: [], thresholds: { cpu: OUT_OF_REACH, memory: OUT_OF_REACH, disk: OUT_OF_REACH } };
}

function startHeldRuntime(config: OpsdeckConfig, env: NodeJS.ProcessEnv): { runtime: Runtime; release: () => void } {
  let release: () => void = () => undefined;
  const servicesAfter = new Promise<void>((resolve) => (release = resolve));
  const runtime = createRuntime({ config, readOnly: false, flushIntervalMs: 0, hostIntervalMs: 60_000, env, servicesAfter });
  runtimes.push(runtime);
  runtime.start();
  return { runtime, release };
}

const settle = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('runtime services loaded after the first frame', () => {
  it('holds an incident declared and a gate check asked for before the services load, and carries both out once they are', async () => {
    const state = temporaryDirectory('deferred-services');
    const env = { ...process.env, XDG_STATE_HOME: state, USER: 'alice', SUDO_USER: '' };
    const { runtime, release } = startHeldRuntime(await configWithGate(), env);
    // The configured gate is listed at once (the panel shows it from the first frame), not yet checked.
    expect(runtime.store.getState().gateSpecs.map((spec) => spec.id)).toEqual(['api']);

    const declared = runtime.incidents.declare({ severity: 'P1', title: 'checkout down', services: [{ label: 'local/shop/api' }] });
    const checked = runtime.gates.runOnce({ gateIds: ['api'] });
    await settle(300);
    expect(await Promise.race([runtime.servicesReady.then(() => 'loaded'), settle(0).then(() => 'held')])).toBe('held');
    expect(listIncidents(incidentsDirectory(env))).toEqual([]);
    expect(connections).toBe(0);
    expect(runtime.incidents.texts()).toBeUndefined();

    release();
    const incident = await declared;
    expect(incident).toMatchObject({ severity: 'P1', title: 'checkout down', declaredBy: 'alice' });
    const file = listIncidents(incidentsDirectory(env))[0]!.path;
    expect(readIncidentRecords(file).records.map((record) => record.type)).toEqual(['declared']);
    expect(runtime.store.getState().incident).toMatchObject({ id: incident.id, severity: 'P1' });
    expect((await checked).map((result) => [result.id, result.status])).toEqual([['api', 'pass']]);
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(runtime.incidents.texts()?.detected).toContain('checkout down');
  });

  it("runs a gate's refresh pressed before the services load once they are (no timer of its own: the runtime is not started)", async () => {
    const state = temporaryDirectory('deferred-refresh');
    let release: () => void = () => undefined;
    const servicesAfter = new Promise<void>((resolve) => (release = resolve));
    const runtime = createRuntime({ config: await configWithGate(), readOnly: false, flushIntervalMs: 0, env: { ...process.env, XDG_STATE_HOME: state }, servicesAfter });
    runtimes.push(runtime);
    const before = connections;
    runtime.gates.runNow('api');
    await settle(300);
    expect(connections).toBe(before);
    release();
    await runtime.servicesReady;
    await waitFor('the refreshed gate checked', () => runtime.store.getState().configuredGateResults['api']?.status === 'pass');
    expect(connections).toBe(before + 1);
  });

  it('answers as a service that has read nothing yet: no catalog, no run, an approval refused with the reason; then the catalog comes', async () => {
    const state = temporaryDirectory('deferred-playbooks');
    const env = { ...process.env, XDG_STATE_HOME: state, USER: 'alice', SUDO_USER: '' };
    const { runtime, release } = startHeldRuntime({ ...DEFAULT_CONFIG, engines: [] }, env);
    expect(runtime.playbooks.catalog().playbooks).toEqual([]);
    expect(runtime.playbooks.pendingApprovals()).toEqual([]);
    expect(runtime.playbooks.control('20261201-000000-aaaa')).toBeUndefined();
    expect(() => runtime.playbooks.start('restart-service-gracefully')).toThrow(/still loading/);
    expect(runtime.playbooks.approve('20261201-000000-aaaa', 'restart')).toEqual({ accepted: false, reason: expect.stringMatching(/still loading/) });

    release();
    await runtime.servicesReady;
    // Engines answered (none configured): the catalog is read, the shipped library among it.
    await runtime.playbooks.refresh();
    expect(runtime.playbooks.catalog().playbooks.map((playbook) => playbook.id)).toContain('restart-service-gracefully');
    expect(runtime.store.getState().catalog.playbooks.length).toBe(runtime.playbooks.catalog().playbooks.length);
  });

  it('loads the services at once when nothing holds them (the headless commands)', async () => {
    const state = temporaryDirectory('deferred-headless');
    const runtime = createRuntime({ config: { ...DEFAULT_CONFIG, engines: [] }, readOnly: true, flushIntervalMs: 0, env: { ...process.env, XDG_STATE_HOME: state } });
    runtimes.push(runtime);
    await runtime.servicesReady;
    expect(await runtime.gates.runOnce()).toEqual([]);
  });
});
