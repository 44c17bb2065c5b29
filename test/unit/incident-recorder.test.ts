// The incident recorder: while an incident is open, alerts raised and cleared, gate flips and
// playbook runs started and finished go into the incident's records, each once; between
// incidents, and for what happened before the declaration, nothing does.
import { afterEach, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/domain/types';
import type { IncidentRecord } from '../../src/incident/incident-types';
import type { RunView } from '../../src/playbooks/run-types';
import { startIncidentRecorder } from '../../src/runtime/incident-recorder';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { container, createViewStore, engine, feedIncident, host, instanceKeyOf, workloadKeyOf } from '../views/fixtures';
import { inventoryOf } from '../support/domain-fixtures';

const DECLARED_AT = Date.now();
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** An incident journal in memory: what the recorder was handed, in order. */
function journalTarget(options: { open: boolean }) {
  const records: IncidentRecord[] = [];
  let open = options.open;
  return {
    records,
    declare: () => (open = true),
    target: {
      open: () => (open ? { declaredAt: DECLARED_AT, records } : undefined),
      record: (added: IncidentRecord[]) => records.push(...added),
      now: () => DECLARED_AT + 5_000,
    },
  };
}

function run(runId: string, startedAt: number, change: Partial<RunView> = {}): RunView {
  return {
    runId,
    playbookId: 'restart-service',
    title: 'Restart a service gracefully',
    status: 'running',
    dryRun: false,
    readOnly: false,
    startedAt,
    operator: 'alice',
    inputs: {},
    steps: [],
    rollbackSteps: [],
    refusedSteps: [],
    journalPath: `/state/opsdeck/runs/${runId}.jsonl`,
    ...change,
  } as RunView;
}

function gate(status: GateResult['status'], checkedAt: number): GateResult {
  return { id: 'G3', title: 'Vault unsealed', status, detail: status === 'pass' ? 'unsealed' : 'sealed', checkedAt, origin: 'configured' };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

async function flushed(store: OpsdeckStore): Promise<void> {
  store.getState().flush();
  await settle();
}

describe('incident recorder', () => {
  it('records nothing while no incident is open', async () => {
    const store = createViewStore();
    const journal = journalTarget({ open: false });
    stops.push(startIncidentRecorder(store, journal.target));
    feedIncident(store);
    store.getState().runChanged(run('run-1', DECLARED_AT + 1_000));
    await flushed(store);
    expect(store.getState().alerts.length).toBeGreaterThan(0);
    expect(journal.records).toEqual([]);
  });

  it('records a run started after the declaration once, then its verdict once; a run from before is left out', async () => {
    const store = createViewStore();
    const journal = journalTarget({ open: true });
    stops.push(startIncidentRecorder(store, journal.target));
    store.getState().runChanged(run('before', DECLARED_AT - 60_000));
    store.getState().runChanged(run('during', DECLARED_AT + 1_000));
    await flushed(store);
    expect(journal.records).toEqual([{ type: 'run-started', at: DECLARED_AT + 1_000, runId: 'during', playbook: 'restart-service' }]);
    // Other changes of the same run (a step moving on) add nothing.
    store.getState().runChanged(run('during', DECLARED_AT + 1_000, { status: 'running', inputs: { service: 'vault' } }));
    await flushed(store);
    expect(journal.records).toHaveLength(1);
    store.getState().runChanged(run('during', DECLARED_AT + 1_000, { status: 'passed', verdict: 'passed', endedAt: DECLARED_AT + 4_000 }));
    store.getState().runChanged(run('before', DECLARED_AT - 60_000, { status: 'passed', verdict: 'failed', endedAt: DECLARED_AT + 2_000 }));
    await flushed(store);
    store.getState().runChanged(run('during', DECLARED_AT + 1_000, { status: 'passed', verdict: 'passed', endedAt: DECLARED_AT + 4_000, inputs: { again: 'yes' } }));
    await flushed(store);
    expect(journal.records.slice(1)).toEqual([{ type: 'run-finished', at: DECLARED_AT + 4_000, runId: 'during', playbook: 'restart-service', verdict: 'passed' }]);
  });

  it('records alerts appearing and clearing, and gate flips after the declaration but not a first answer', async () => {
    // Started with the incident open and the live state arriving, as after a restart of the cockpit.
    const store = createViewStore();
    const journal = journalTarget({ open: true });
    stops.push(startIncidentRecorder(store, journal.target));
    feedIncident(store);
    await flushed(store);
    const raised = journal.records.filter((record) => record.type === 'alert-raised');
    expect(raised.length).toBe(store.getState().alerts.length);
    const firstAlert = store.getState().alerts[0];
    expect(firstAlert).toBeDefined();
    // The built-in gates' first answers (unknown while nothing was known) are not changes of health.
    expect(journal.records.filter((record) => record.type === 'gate-flip')).toEqual([]);
    // The engine going away and coming back is: pass -> fail -> unknown (connecting) -> pass.
    for (const state of ['disconnected', 'connecting', 'connected'] as const) {
      store.getState().engineStateChanged('local', { state, ...(state === 'disconnected' ? { error: 'connect ECONNREFUSED' } : {}) });
      await flushed(store);
    }
    expect(journal.records.flatMap((record) => (record.type === 'gate-flip' && record.gateId === 'engine-reachable' ? [`${record.gateId} ${record.from}->${record.to}`] : []))).toEqual([
      'engine-reachable pass->fail',
      'engine-reachable fail->unknown',
      'engine-reachable unknown->pass',
    ]);
    // A configured gate's first answer (pending -> fail) is not a change either; fail -> pass is.
    store.getState().gateSpecsLoaded([{ id: 'G3', title: 'Vault unsealed', severity: 'critical', intervalMs: 30_000, timeoutMs: 5_000, origin: { file: 'opsdeck.yaml', line: 3 }, check: { type: 'tcp', host: '127.0.0.1', port: 8200 } }], []);
    store.getState().gateChecked(gate('fail', DECLARED_AT + 1_000));
    await flushed(store);
    expect(journal.records.filter((record) => record.type === 'gate-flip' && record.gateId === 'G3')).toEqual([]);
    store.getState().gateChecked(gate('pass', DECLARED_AT + 2_000));
    await flushed(store);
    expect(journal.records.filter((record) => record.type === 'gate-flip' && record.gateId === 'G3')).toMatchObject([{ type: 'gate-flip', gateId: 'G3', from: 'fail', to: 'pass' }]);
    // Every container healthy again: each journaled alert is cleared once.
    for (const instance of Object.values(store.getState().instances)) store.getState().instanceRemoved(instance.key);
    await flushed(store);
    const cleared = journal.records.filter((record) => record.type === 'alert-cleared');
    const raisedSoFar = journal.records.filter((record) => record.type === 'alert-raised');
    expect(raisedSoFar.length).toBeGreaterThan(raised.length);
    expect(cleared.map((record) => record.type === 'alert-cleared' && record.alertId).sort()).toEqual(raisedSoFar.map((record) => record.type === 'alert-raised' && record.alertId).sort());
    await flushed(store);
    expect(journal.records.filter((record) => record.type === 'alert-cleared')).toHaveLength(cleared.length);
  });
});

describe('alerts journaled open before a restart of the cockpit', () => {
  function restartedJournal(open: IncidentRecord[]) {
    const records: IncidentRecord[] = [...open];
    let now = DECLARED_AT + 60_000;
    return {
      records,
      advance: (ms: number) => (now += ms),
      target: { open: () => ({ declaredAt: DECLARED_AT, records }), record: (added: IncidentRecord[]) => records.push(...added), now: () => now },
    };
  }
  const raised = (alertId: string, message: string): IncidentRecord => ({ type: 'alert-raised', at: DECLARED_AT, alertId, severity: 'critical', message });
  const cleared = (journal: { records: IncidentRecord[] }) => journal.records.filter((record) => record.type === 'alert-cleared').map((record) => (record.type === 'alert-cleared' ? record.alertId : ''));

  it('clears each once the live state can tell, and keeps those still raised or not yet judged', async () => {
    const store = createViewStore();
    store.getState().engineRegistered(engine({ state: 'connecting' }));
    const journal = restartedJournal([
      raised(`unhealthy:${instanceKeyOf('jupyter')}`, 'jupyter unhealthy'),
      raised(`unhealthy:${instanceKeyOf('analytics-api')}`, 'analytics-api unhealthy'),
      raised(`cpu:${workloadKeyOf('pulsar')}`, 'pulsar cpu 97%'),
      raised(`cpu:${workloadKeyOf('hcd-server')}`, 'hcd-server cpu 95%'),
      raised(`restarting:${instanceKeyOf('analytics-api')}`, 'analytics-api restarted 6x in 10m'),
      raised(`unhealthy:${instanceKeyOf('gone')}`, 'gone unhealthy'),
      raised('host-memory:host', 'host memory 97%'),
      raised('engine:remote', 'engine remote disconnected'),
    ]);
    stops.push(startIncidentRecorder(store, journal.target));
    await flushed(store);
    // Nothing is known yet: the engine is still connecting, no host sample, the remote engine not configured yet.
    store.getState().engineRegistered(engine({ id: 'remote', label: 'remote', state: 'connecting' }));
    await flushed(store);
    expect(cleared(journal)).toEqual([]);
    // The live state comes in (the local engine connected, its containers, usage, the host sample).
    feedIncident(store);
    await flushed(store);
    expect(store.getState().alerts.map((alert) => alert.id)).toEqual(expect.arrayContaining([`unhealthy:${instanceKeyOf('jupyter')}`, `cpu:${workloadKeyOf('pulsar')}`]));
    expect(cleared(journal).sort()).toEqual([`cpu:${workloadKeyOf('hcd-server')}`, `unhealthy:${instanceKeyOf('analytics-api')}`, `unhealthy:${instanceKeyOf('gone')}`, 'host-memory:host'].sort());
    const hcd = journal.records.find((record) => record.type === 'alert-cleared' && record.alertId === `cpu:${workloadKeyOf('hcd-server')}`);
    expect(hcd).toEqual({ type: 'alert-cleared', at: DECLARED_AT + 60_000, alertId: `cpu:${workloadKeyOf('hcd-server')}`, message: 'hcd-server cpu 95% (cleared while the cockpit was not running)' });
    // The remote engine is connected now: its alert is judged cleared.
    store.getState().engineRegistered(engine({ id: 'remote', label: 'remote', state: 'connected', connectedAt: DECLARED_AT + 60_000 }));
    await flushed(store);
    expect(cleared(journal)).toContain('engine:remote');
    // A restart count is judged only after a whole restart window watched.
    expect(cleared(journal)).not.toContain(`restarting:${instanceKeyOf('analytics-api')}`);
    journal.advance(10 * 60_000);
    store.getState().hostSampled(host({ cpuPercent: 3 }));
    await flushed(store);
    expect(cleared(journal)).toContain(`restarting:${instanceKeyOf('analytics-api')}`);
    // Each once; the ones still raised never.
    expect(new Set(cleared(journal)).size).toBe(cleared(journal).length);
    expect(cleared(journal)).not.toContain(`unhealthy:${instanceKeyOf('jupyter')}`);
    expect(cleared(journal)).not.toContain(`cpu:${workloadKeyOf('pulsar')}`);
  });

  it('waits for a container still being inspected, and for an unanswered gate', async () => {
    const store = createViewStore();
    const journal = restartedJournal([raised(`unhealthy:${instanceKeyOf('jupyter')}`, 'jupyter unhealthy'), raised('gate:G3', 'gate G3 Vault unsealed failed')]);
    stops.push(startIncidentRecorder(store, journal.target));
    store.getState().gateSpecsLoaded([{ id: 'G3', title: 'Vault unsealed', severity: 'critical', intervalMs: 30_000, timeoutMs: 5_000, origin: { file: 'opsdeck.yaml', line: 3 }, check: { type: 'tcp', host: '127.0.0.1', port: 8200 } }], []);
    store.getState().engineRegistered(engine());
    store.getState().inventoryReplaced('local', inventoryOf([{ ...container('jupyter'), detailsPending: true }]));
    await flushed(store);
    expect(cleared(journal)).toEqual([]);
    store.getState().inventoryReplaced('local', inventoryOf([container('jupyter', { health: 'healthy' })]));
    await flushed(store);
    expect(cleared(journal)).toEqual([`unhealthy:${instanceKeyOf('jupyter')}`]);
    // The gate answers: passing, so its alert is cleared.
    store.getState().gateChecked({ ...gate('pass', DECLARED_AT + 61_000), severity: 'critical' });
    await flushed(store);
    expect(cleared(journal)).toEqual([`unhealthy:${instanceKeyOf('jupyter')}`, 'gate:G3']);
  });
});
