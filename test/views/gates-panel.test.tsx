// The gates panel and a gate's detail, driven with keystrokes: configured gates in pipeline
// order with their stage, status, since and detail, later stages blocked behind a failing one,
// invalid `gates:` entries as rows with their file:line message; enter shows the evidence, the
// recovery inputs and the flips; `!` opens the gate's own recovery playbook with its input
// bound; `r` re-runs the selected gate through the scheduler.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/domain/types';
import type { GateScheduler, GateSpec, InvalidGate } from '../../src/gates/gate-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { createViewStore, feedIncident, KEYS, lineWith, NOW } from './fixtures';
import { input, ScriptedPlaybooks, type ScriptedPlaybook } from './playbook-fixtures';
import { renderApp } from './render-app';
import { textWidth } from '../../views/format/text';

afterEach(() => cleanup());

const MINUTE = 60_000;
const CONFIG = '/etc/opsdeck/opsdeck.yaml';
const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

function spec(id: string, change: Partial<GateSpec> & Pick<GateSpec, 'check'>): GateSpec {
  return { id, title: `${id} gate`, severity: 'critical', intervalMs: 30_000, timeoutMs: 5_000, origin: { file: CONFIG, line: 10 }, ...change };
}

const SPECS: GateSpec[] = [
  // Written out of order: the panel shows them by stage.
  spec('G5', { title: 'Notebooks run', stage: 5, failureCode: 'G5_NOTEBOOKS', check: { type: 'file', path: '/srv/exports/deterministic-status.json' } }),
  spec('G0', { title: 'Preflight', stage: 0, failureCode: 'G0_PREFLIGHT', check: { type: 'tcp', host: '127.0.0.1', port: 8200 } }),
  spec('G3', {
    title: 'Vault unsealed',
    stage: 3,
    failureCode: 'G3_VAULT_SEALED',
    origin: { file: CONFIG, line: 27 },
    recovery: { playbook: 'unseal-vault', inputs: { service: 'vault' } },
    check: { type: 'command', argv: ['vault', 'status', '-format=json'], exec: { target: 'vault' } },
  }),
  spec('tls-cert', { title: 'TLS certificate', severity: 'warning', check: { type: 'certificate', file: '/srv/tls/server.pem', warningDays: 14, criticalDays: 3 } }),
];

const INVALID: InvalidGate[] = [{ id: 'gates[4]', file: CONFIG, line: 41, message: 'opsdeck.yaml:41:9: gates[4].check.url: expected a URL, got "x"' }];

function checked(id: string, status: GateResult['status'], detail: string, change: Partial<GateResult> = {}): GateResult {
  return { id, title: id, status, detail, checkedAt: NOW - MINUTE, origin: 'configured', durationMs: 340, ...change };
}

/** The configured pipeline: G0 passes, G3 fails (vault sealed), G5 is not run behind it, the certificate warns. */
function loadGates(store: OpsdeckStore): void {
  const state = store.getState();
  state.gateSpecsLoaded(SPECS, INVALID);
  state.gateChecked(checked('G0', 'pass', '127.0.0.1:8200 open', { since: NOW - 30 * MINUTE }));
  state.gateChecked(checked('G3', 'pass', 'vault unsealed', { checkedAt: NOW - 20 * MINUTE }));
  state.flush();
  state.gateChecked(
    checked('G3', 'fail', '.sealed == false: true', {
      since: NOW - 5 * MINUTE,
      evidence: { exitCode: 2, outputExcerpt: '{\n  "sealed": true,\n  "t": 3\n}', value: 'true', comparison: '.sealed == false' },
    }),
  );
  state.gateChecked(checked('tls-cert', 'warn', '5 days left', { since: NOW - 2 * MINUTE, evidence: { daysLeft: 5, notAfter: 'Jun  6 12:00:00 2031 GMT', file: '/srv/tls/server.pem' } }));
  state.flush();
}

const UNSEAL_PLAYBOOK: ScriptedPlaybook = {
  id: 'unseal-vault',
  title: 'Unseal the vault',
  inputs: [input('service', 'string')],
  steps: [{ id: 'unseal', title: 'Unseal with the key shares', action: 'shell.run' }],
};

/** Suggested for G3 by its own rule, and first in the catalog: the gate's own recovery still comes first. */
const RESTART_FOR_G3: ScriptedPlaybook = {
  id: 'restart-anything',
  title: 'Restart a service',
  suggest: [{ gate: 'G3', bind: {} }],
  steps: [{ id: 'restart', title: 'Restart', action: 'container.restart' }],
};

/** A scheduler that records what it was asked to run. */
class RecordingScheduler implements Pick<GateScheduler, 'runNow'> {
  readonly ran: string[] = [];
  runNow(gateId: string): void {
    this.ran.push(gateId);
  }
}

async function gatesApp(options: { gates?: RecordingScheduler; width?: number; height?: number; ascii?: boolean; select?: string } = {}) {
  const store = createViewStore();
  feedIncident(store);
  loadGates(store);
  const playbooks = new ScriptedPlaybooks(store, [RESTART_FOR_G3, UNSEAL_PLAYBOOK]);
  const app = await renderApp(store, {
    playbooks,
    width: options.width ?? 120,
    height: options.height ?? 50,
    ...(options.gates ? { gates: options.gates } : {}),
    ...(options.ascii ? { ascii: true } : {}),
  });
  store.getState().focusPanel('gates');
  if (options.select) store.getState().selectRow('gates', options.select);
  await app.waitFor((frame) => frame.includes('Gates ('));
  return { app, store, playbooks };
}

/** Every line within the terminal (Ink keeps the last line of the terminal free). */
function expectFitsIn(frame: string, width: number, height: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height - 1);
  for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(width);
}

/** The row of a gate: the line holding its stage label or title. */
function rowOf(frame: string, text: string): string {
  const line = lineWith(frame, text);
  if (line === undefined) throw new Error(`no row with ${text} in\n${frame}`);
  return line;
}

describe('gates panel', () => {
  it('lists the configured gates in stage order, later stages blocked behind the failing one, and the invalid entry with its file:line', async () => {
    const { app } = await gatesApp();
    const frame = await app.waitFor((current) => current.includes('G5'));
    const lines = frame.split('\n');
    const index = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(index('Preflight')).toBeLessThan(index('Vault unsealed'));
    expect(index('Vault unsealed')).toBeLessThan(index('Notebooks run'));
    expect(rowOf(frame, 'Preflight')).toMatch(/✓ +G0 +pass +Preflight +30m ago +127\.0\.0\.1:8200 open/);
    expect(rowOf(frame, 'Vault unsealed')).toMatch(/✗ +G3 +fail +Vault unsealed +5m ago +\.sealed == false: true/);
    // The status column says blocked; the detail starts with what blocks it.
    expect(rowOf(frame, 'Notebooks run')).toMatch(/⊘ +G5 +blocked +Notebooks run +5m ago +G3 Vault unsealed failed \(G3_VAULT_SEALED\)/);
    expect(rowOf(frame, 'TLS certificate')).toMatch(/! +warn +TLS certificate +2m ago +5 days left/);
    // The invalid entry comes after the gates, named, with its one-line message.
    expect(index('gates[4]')).toBeGreaterThan(index('Host memory'));
    expect(rowOf(frame, 'gates[4]')).toMatch(/✗ +invalid +gates\[4\] .*opsdeck\.yaml:41:9: gates\[4\]\.check\.url: expected a URL, got "x"/);
    expect(frame).toMatch(/Gates \(3 failing, 1 warning, 1 blocked, 1 invalid\)/);
  });

  it('counts warn, blocked and pending in the folded summary of a small screen', async () => {
    const store = createViewStore();
    feedIncident(store);
    loadGates(store);
    // A fifth gate never checked: pending (it has no stage, so nothing blocks it).
    store.getState().gateSpecsLoaded([...SPECS, spec('backup', { title: 'Nightly backup', check: { type: 'backup', glob: '/srv/backups/*.gz', maxAgeMs: 86_400_000 } })], INVALID);
    store.getState().flush();
    const app = await renderApp(store, { width: 80, height: 24 });
    const summary = rowOf(await app.waitFor((frame) => frame.includes('blocked')), 'Gates');
    expect(summary).toMatch(/\d+ pass +3 fail +1 warn +1 blocked +1 pending/);
    expect(summary).toContain('1 invalid');
    expectFitsIn(app.frame(), 80, 24);
  });

  it('names a gate that could not be checked in the focused title, as the folded summary counts it', async () => {
    const { app, store } = await gatesApp();
    store.getState().gateChecked(checked('tls-cert', 'unknown', 'openssl: cannot read /srv/tls/server.pem'));
    store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('1 unknown'));
    expect(frame).toMatch(/Gates \(3 failing, 1 blocked, 1 unknown, 1 invalid\)/);
  });

  it('draws the statuses in ascii with plain characters', async () => {
    const { app } = await gatesApp({ ascii: true });
    const frame = await app.waitFor((current) => current.includes('G5'));
    expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
    expect(rowOf(frame, 'Preflight')).toMatch(/\+ +G0 +pass/);
    expect(rowOf(frame, 'Vault unsealed')).toMatch(/x +G3 +fail/);
    expect(rowOf(frame, 'Notebooks run')).toMatch(/- +G5 +blocked/);
    expect(rowOf(frame, 'TLS certificate')).toMatch(/! +warn/);
  });
});

describe('gate detail', () => {
  it('enter shows the failure code, status and since, the evidence, the recovery inputs and the flips; esc goes back', async () => {
    const { app } = await gatesApp({ select: 'G3' });
    expect(hintLine(app.frame())).toContain('enter evidence');
    await app.press(KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('Gate G3'));
    expect(frame).toMatch(/G3 +Vault unsealed/);
    expect(rowOf(frame, ' id ')).toContain(`G3  (command check, ${CONFIG}:27)`);
    expect(rowOf(frame, ' code ')).toContain('G3_VAULT_SEALED');
    expect(rowOf(frame, ' severity ')).toContain('critical');
    expect(rowOf(frame, ' status ')).toMatch(/fail +since 5m ago/);
    expect(rowOf(frame, ' checked ')).toContain('1m ago, took 340ms, every 30s, timeout 5s');
    expect(rowOf(frame, ' exit ')).toContain('2');
    expect(frame).toContain('"sealed": true,');
    expect(rowOf(frame, ' value ')).toContain('true   compared: .sealed == false');
    expect(rowOf(frame, ' playbook ')).toContain('unseal-vault');
    expect(rowOf(frame, ' inputs ')).toContain('service=vault');
    expect(frame).toMatch(/pass -> fail +\.sealed == false: true/);
    expect(hintLine(frame)).toContain('esc back');
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('Gates (') && !current.includes('Gate G3'));
  });

  it('a check that said the same again moves the detail\'s checked time, not the row', async () => {
    const { app, store } = await gatesApp({ select: 'G0' });
    const row = store.getState().configuredGateResults['G0'];
    await app.press(KEYS.enter);
    let frame = await app.waitFor((current) => current.includes('Gate G0'));
    expect(rowOf(frame, ' checked ')).toContain('1m ago, took 340ms');
    store.getState().gateChecked(checked('G0', 'pass', '127.0.0.1:8200 open', { checkedAt: NOW - 10_000, durationMs: 25 }));
    store.getState().flush();
    // Seconds ago now, not a minute (the view's clock has moved on from NOW since the test began).
    frame = await app.waitFor((current) => /\b\d+s ago, took 25ms/.test(rowOf(current, ' checked ')));
    expect(rowOf(frame, ' status ')).toMatch(/pass +since 30m ago/);
    // The panel's gate is the same object: its row has nothing to draw again.
    expect(store.getState().configuredGateResults['G0']).toBe(row);
  });

  it('shows a certificate gate\'s days left and notAfter, and says it has no recovery playbook', async () => {
    const { app } = await gatesApp({ select: 'tls-cert' });
    await app.press(KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('Gate tls-cert'));
    expect(rowOf(frame, ' expires ')).toContain('5 days left, notAfter Jun  6 12:00:00 2031 GMT');
    expect(rowOf(frame, ' file ')).toContain('/srv/tls/server.pem');
    expect(rowOf(frame, ' stage ')).toContain('independent');
    expect(rowOf(frame, ' playbook ')).toContain('none: this gate has no recovery playbook');
  });

  it('scrolls with j and k when it is taller than the screen', async () => {
    const { app } = await gatesApp({ select: 'G3', width: 80, height: 24 });
    await app.press(KEYS.enter);
    let frame = await app.waitFor((current) => current.includes('Gate G3 (lines 1-'));
    expect(frame).toMatch(/more lines/);
    expectFitsIn(frame, 80, 24);
    await app.press('j', 'j');
    frame = await app.waitFor((current) => current.includes('Gate G3 (lines 3-'));
    expect(frame).not.toMatch(/ G3 +Vault unsealed/);
    await app.press('k', 'k', 'k');
    await app.waitFor((current) => current.includes('Gate G3 (lines 1-'));
    // Paging down stops at the last line: the flips are then in view.
    await app.press(' ', ' ', ' ', ' ');
    frame = await app.waitFor((current) => current.includes('pass -> fail'));
    expect(frame).not.toMatch(/more lines/);
  });
});

describe('recovery and re-run keys', () => {
  it("! on a failing gate opens the gate's own recovery playbook with its input bound, before a playbook whose rule names the gate", async () => {
    const { app, playbooks } = await gatesApp({ select: 'G3' });
    expect(hintLine(app.frame())).toContain('! fix');
    await app.press('!');
    await app.waitFor((frame) => frame.includes('Unseal the vault'));
    expect(playbooks.started.map((start) => start.playbookId)).toEqual(['unseal-vault']);
    expect(playbooks.started[0]?.options?.inputs).toEqual({ service: 'vault' });
  });

  it('! opens the recovery from the gate detail too, and p lists it first marked with the gate', async () => {
    const { app, playbooks } = await gatesApp({ select: 'G3' });
    await app.press('p');
    const picker = await app.waitFor((frame) => frame.includes('suggested for the selected row'));
    const rows = picker.split('\n').filter((line) => /unseal-vault|restart-anything/.test(line));
    expect(rows[0]).toContain('unseal-vault');
    expect(rows[0]).toContain('gate G3: .sealed == false: true');
    await app.press(KEYS.escape, KEYS.enter);
    await app.waitFor((frame) => frame.includes('Gate G3'));
    expect(hintLine(app.frame())).toContain('! recover');
    await app.press('!');
    await app.waitFor((frame) => frame.includes('Unseal the vault'));
    expect(playbooks.started[0]?.options?.inputs).toEqual({ service: 'vault' });
  });

  it("! on a configured entry that places a built-in gate opens a playbook whose rule names the built-in gate", async () => {
    const store = createViewStore();
    feedIncident(store);
    // G1 is the built-in no-restarting gate placed in the pipeline under the entry's own id.
    store.getState().gateSpecsLoaded([spec('G1', { title: 'Nothing restarting', stage: 1, check: { type: 'built-in', gate: 'no-restarting' } })], []);
    store.getState().flush();
    const restartLoop: ScriptedPlaybook = { id: 'restart-loop', title: 'Stop a restart loop', suggest: [{ gate: 'no-restarting', bind: {} }], steps: [{ id: 'look', title: 'Look', action: 'note' }] };
    const playbooks = new ScriptedPlaybooks(store, [restartLoop]);
    const app = await renderApp(store, { playbooks, width: 120, height: 50 });
    store.getState().focusPanel('gates');
    store.getState().selectRow('gates', 'G1');
    await app.waitFor((frame) => /G1\s.*fail/.test(frame) || /fail\s+Nothing restarting/.test(frame));
    await app.waitFor((frame) => hintLine(frame).includes('! fix'));
    await app.press('!');
    await app.waitFor((frame) => frame.includes('Stop a restart loop'));
    expect(playbooks.started.map((start) => start.playbookId)).toEqual(['restart-loop']);
  });

  it('on a failing gate without a recovery playbook the hint bar and the notice say so', async () => {
    const { app, playbooks } = await gatesApp({ select: 'tls-cert' });
    const frame = await app.waitFor((current) => hintLine(current).includes('! no recovery'));
    expect(hintLine(frame)).not.toContain('! fix');
    await app.press('!');
    await app.waitFor((current) => current.includes('gate tls-cert has no recovery playbook'));
    expect(playbooks.started).toEqual([]);
  });

  it('r re-runs the selected gate through the scheduler, in the panel and in the detail', async () => {
    const gates = new RecordingScheduler();
    const { app } = await gatesApp({ gates, select: 'G3' });
    expect(hintLine(app.frame())).toContain('r re-check');
    await app.press('r');
    await app.waitFor((frame) => frame.includes('re-checking gate G3'));
    await app.press('j', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Gate G5'));
    await app.press('r');
    expect(gates.ran).toEqual(['G3', 'G5']);
  });

  it('without a scheduler r is not offered, and says why when pressed', async () => {
    const { app } = await gatesApp({ select: 'G3' });
    expect(hintLine(app.frame())).not.toContain('re-check');
    await app.press('r');
    await app.waitFor((frame) => frame.includes('gate checks are not scheduled in this session'));
  });
});
