import { describe, expect, it } from 'vitest';
import { resolveGates } from '../../src/config/gates-config';
import { parseYamlSource } from '../../src/config/located-problems';
import type { GateResult } from '../../src/domain/types';
import { selectGateDetail } from '../../src/store/selectors/gate-panel';
import { selectGatePipeline, selectShownGates } from '../../src/store/selectors/gate-rows';
import { container, inventoryOf } from '../support/domain-fixtures';
import { createTestStore } from '../support/test-store';

function specsOf(text: string) {
  const source = parseYamlSource(text, 'opsdeck.yaml');
  return resolveGates((source.data as { gates: unknown[] }).gates, source, '/srv');
}

const PIPELINE = `gates:
  - id: G2
    title: Podman connection
    stage: 2
    failureCode: G2_CONNECTION
    check: { type: built-in, gate: engine-reachable }
  - id: G5
    title: Deploy vault
    stage: 5
    failureCode: G5_DEPLOY_VAULT
    recovery: { playbook: vault-seal-status, inputs: { container: '{{ gate.workload }}', reason: 'gate {{ gate.id }}' } }
    check: { type: tcp, host: 127.0.0.1, port: 8200 }
  - id: G6
    title: Runtime contract
    stage: 6
    failureCode: G6_RUNTIME_CONTRACT
    check: { type: http, url: 'http://127.0.0.1:8000/health' }
  - id: backup
    title: Backup fresh
    severity: warning
    check: { type: backup, glob: 'b/*.gz', maxAge: 26h }
  - id: notes
    title: Notes
    severity: info
    check: { type: file, path: notes.txt }
  - { id: broken, title: Broken, check: { type: tcp, host: 127.0.0.1 } }
`;

function checked(id: string, status: GateResult['status'], checkedAt: number, extra: Partial<GateResult> = {}): GateResult {
  return { id, title: id, status, detail: `${id} says ${status}`, checkedAt, origin: 'configured', durationMs: 3, ...extra };
}

function storeWithPipeline() {
  const store = createTestStore();
  const { specs, invalid } = specsOf(PIPELINE);
  store.getState().gateSpecsLoaded(specs, invalid);
  store.getState().engineRegistered({ id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///test.sock', state: 'connected' });
  store.getState().inventoryReplaced('local', inventoryOf([container('web')]));
  store.getState().flush();
  return store;
}

const row = (gates: readonly GateResult[]) => gates.map((gate) => `${gate.id}:${gate.status}`);

describe('gate slice and the shown gates', () => {
  it('lists the built-in gates beside the configured ones in pipeline order, pending before their first check, a built-in entry in its place', () => {
    const store = storeWithPipeline();
    const shown = selectShownGates(store.getState());
    expect(row(shown)).toEqual(['G2:pass', 'G5:pending', 'G6:pending', 'no-restarting:pass', 'no-unhealthy:pass', 'host-disk:unknown', 'host-memory:unknown', 'backup:pending', 'notes:pending']);
    expect(shown[0]).toMatchObject({ id: 'G2', title: 'Podman connection', stage: 2, failureCode: 'G2_CONNECTION', detail: 'local connected', origin: 'built-in' });
    expect(shown.some((gate) => gate.id === 'engine-reachable')).toBe(false);
    expect(store.getState().invalidGates.map((gate) => gate.id)).toEqual(['broken']);
    // The same list while nothing changed (rows do not re-render).
    expect(selectShownGates(store.getState())).toBe(shown);
    store.getState().dispose();
  });

  it('applies the buffered results on the flush, keeps since while the status holds, and binds the recovery inputs', () => {
    const store = storeWithPipeline();
    store.getState().gateChecked(checked('G5', 'pass', 1000, { workloadKey: 'local/demo/vault' }));
    expect(store.getState().configuredGateResults['G5']).toBeUndefined();
    store.getState().flush();
    expect(store.getState().configuredGateResults['G5']).toMatchObject({ status: 'pass', since: 1000 });
    store.getState().gateChecked(checked('G5', 'pass', 2000, { workloadKey: 'local/demo/vault', detail: 'G5 answered in 4ms' }));
    store.getState().flush();
    const g5 = selectShownGates(store.getState()).find((gate) => gate.id === 'G5');
    expect(g5).toMatchObject({ status: 'pass', since: 1000, checkedAt: 2000, detail: 'G5 answered in 4ms', playbook: 'vault-seal-status', playbookInputs: { container: 'local/demo/vault', reason: 'gate G5' } });
    store.getState().gateChecked(checked('G5', 'fail', 3000));
    store.getState().flush();
    expect(store.getState().configuredGateResults['G5']).toMatchObject({ status: 'fail', since: 3000 });
    store.getState().dispose();
  });

  it('flushes at once for a result that changes a gate\'s status, not for one that holds it', async () => {
    const store = storeWithPipeline();
    let updates = 0;
    store.subscribe(() => (updates += 1));
    store.getState().gateChecked(checked('G5', 'pass', 1000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(updates).toBe(1);
    expect(store.getState().configuredGateResults['G5']?.checkedAt).toBe(1000);
    store.getState().gateChecked(checked('G5', 'pass', 2000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(updates).toBe(1);
    expect(store.getState().configuredGateResults['G5']?.checkedAt).toBe(1000);
    store.getState().gateChecked(checked('G5', 'fail', 3000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(updates).toBe(2);
    expect(store.getState().configuredGateResults['G5']).toMatchObject({ status: 'fail', checkedAt: 3000 });
    store.getState().dispose();
  });

  it('leaves the store as it is for a result that says the same as the shown one: only the time of the check is kept, for the detail screen', async () => {
    const store = storeWithPipeline();
    const evidence = { statusCode: 200, bodyExcerpt: '{"ok":true}', items: ['a', 'b'] };
    store.getState().gateChecked(checked('G6', 'pass', 1000, { evidence }));
    store.getState().flush();
    const shown = selectShownGates(store.getState());
    const results = store.getState().configuredGateResults;
    let updates = 0;
    store.subscribe(() => (updates += 1));
    // The same answer 5 s later, took longer: nothing the panel shows moved.
    store.getState().gateChecked(checked('G6', 'pass', 6000, { evidence: { ...evidence, items: ['a', 'b'] }, durationMs: 40 }));
    store.getState().flush();
    expect(store.getState().configuredGateResults).toBe(results);
    expect(selectShownGates(store.getState())).toBe(shown);
    expect(store.getState().gateCheckTimes['G6']).toEqual({ checkedAt: 6000, durationMs: 40 });
    expect(updates).toBe(1);
    store.getState().openGateDetail('G6');
    expect(selectGateDetail(store.getState())?.gate).toMatchObject({ id: 'G6', status: 'pass', since: 1000, checkedAt: 6000, durationMs: 40 });
    // The same answer again with nothing else pending: it asks for no flush (no store change, no frame).
    updates = 0;
    store.getState().gateChecked(checked('G6', 'pass', 11000, { evidence, durationMs: 40 }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(updates).toBe(0);
    store.getState().flush();
    expect(store.getState().configuredGateResults).toBe(results);
    expect(selectGateDetail(store.getState())?.gate.checkedAt).toBe(11000);
    // Its evidence changed (another body): that is a change of the shown gate, since kept.
    store.getState().gateChecked(checked('G6', 'pass', 16000, { evidence: { ...evidence, bodyExcerpt: '{"ok":1}' } }));
    store.getState().flush();
    expect(store.getState().configuredGateResults['G6']).toMatchObject({ checkedAt: 16000, since: 1000, evidence: { bodyExcerpt: '{"ok":1}' } });
    expect(store.getState().gateCheckTimes['G6']).toBeUndefined();
    expect(selectGateDetail(store.getState())?.gate).toMatchObject({ checkedAt: 16000 });
    store.getState().dispose();
  });

  it('keeps every other gate\'s shown object when one gate is checked, so only its row changes', () => {
    const store = storeWithPipeline();
    store.getState().gateChecked(checked('G5', 'fail', 1000));
    store.getState().gateChecked(checked('backup', 'pass', 1000));
    store.getState().flush();
    const before = selectShownGates(store.getState());
    store.getState().gateChecked(checked('backup', 'fail', 2000));
    store.getState().flush();
    const after = selectShownGates(store.getState());
    expect(after).not.toBe(before);
    const changed = after.filter((gate, index) => gate !== before[index]).map((gate) => gate.id);
    expect(changed).toEqual(['backup']);
    store.getState().dispose();
  });

  it('blocks later stages while an earlier one fails, and lets the scheduler run only what the pipeline allows', () => {
    const store = storeWithPipeline();
    expect([...selectGatePipeline(store.getState()).runnable].sort()).toEqual(['G2', 'G5', 'backup', 'host-disk', 'host-memory', 'no-restarting', 'no-unhealthy', 'notes']);
    store.getState().gateChecked(checked('G5', 'fail', 1000));
    store.getState().gateChecked(checked('G6', 'pass', 1000));
    store.getState().flush();
    const g6 = selectShownGates(store.getState()).find((gate) => gate.id === 'G6');
    expect(g6).toMatchObject({ status: 'blocked', detail: 'blocked: G5 Deploy vault failed (G5_DEPLOY_VAULT)' });
    expect(selectGatePipeline(store.getState()).runnable.has('G6')).toBe(false);
    store.getState().dispose();
  });

  it('records the flips of every gate, a built-in one included, and of a gate the pipeline blocks', () => {
    const store = storeWithPipeline();
    store.getState().gateChecked(checked('G5', 'pass', 1000));
    store.getState().gateChecked(checked('G6', 'pass', 1000));
    store.getState().flush();
    store.getState().inventoryReplaced('local', inventoryOf([container('web', { health: 'unhealthy' })]));
    store.getState().gateChecked(checked('G5', 'fail', 2000));
    store.getState().flush();
    const flips = store.getState().gateFlips.map((flip) => `${flip.gateId}:${flip.from}>${flip.to}`);
    expect(flips).toEqual(expect.arrayContaining(['G5:pending>pass', 'G6:pending>pass', 'no-unhealthy:pass>fail', 'G5:pass>fail', 'G6:pass>blocked']));
    expect(flips).not.toContain('no-restarting:pass>fail');
    store.getState().dispose();
  });

  it('makes a failing configured gate an alert with its severity, none for an info gate, and clears it when the gate passes', () => {
    const store = storeWithPipeline();
    store.getState().gateChecked(checked('G5', 'fail', 1000, { detail: 'connect ECONNREFUSED 127.0.0.1:8200' }));
    store.getState().gateChecked(checked('backup', 'fail', 1000, { detail: 'newest backup is 30h old' }));
    store.getState().gateChecked(checked('notes', 'fail', 1000));
    store.getState().flush();
    const gateAlerts = () => store.getState().alerts.filter((alert) => alert.kind === 'gate');
    expect(gateAlerts().map((alert) => [alert.id, alert.severity, alert.message])).toEqual([
      ['gate:G5', 'critical', 'gate G5 Deploy vault failed (G5_DEPLOY_VAULT): connect ECONNREFUSED 127.0.0.1:8200'],
      ['gate:backup', 'warning', 'gate backup Backup fresh failed: newest backup is 30h old'],
    ]);
    // The health slice derives its alerts again (an unhealthy container): the gate alerts stay, with their since.
    const before = gateAlerts();
    store.getState().inventoryReplaced('local', inventoryOf([container('web', { health: 'unhealthy' })]));
    store.getState().flush();
    expect(store.getState().alerts.map((alert) => alert.kind)).toEqual(expect.arrayContaining(['unhealthy', 'gate', 'gate']));
    expect(gateAlerts()).toEqual(before);
    store.getState().gateChecked(checked('G5', 'pass', 2000));
    store.getState().flush();
    expect(gateAlerts().map((alert) => alert.id)).toEqual(['gate:backup']);
    store.getState().dispose();
  });
});
