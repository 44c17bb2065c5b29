// The run screen driven with keystrokes: what each key sends to the run's controls, and that
// the hint bar offers exactly the keys that work in the run's current state.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, instanceKeyOf, KEYS, lineWith } from './fixtures';
import { RESTART_PLAYBOOK, ScriptedPlaybooks } from './playbook-fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';
const VAULT = 'janusgraph-demo-vault-1';

async function startedRun(options: { readOnly?: boolean } = {}) {
  const store = createViewStore({ readOnly: options.readOnly ?? false });
  feedIncident(store);
  const playbooks = new ScriptedPlaybooks(store, [RESTART_PLAYBOOK]);
  const app = await renderApp(store, { playbooks });
  store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
  await app.press('!');
  await app.waitFor((frame) => frame.includes('Playbook run') && hintLine(frame).includes('run step'));
  return { app, store, control: playbooks.last };
}

describe('run screen', () => {
  it('shows the steps, the header with badges and the next step; enter and a send their intents', async () => {
    const { app, control } = await startedRun();
    const frame = app.frame();
    expect(frame).toContain('Restart a service gracefully');
    expect(lineWith(frame, 'Inspect the container')).toBeDefined();
    expect(lineWith(frame, 'Restart the container')).toBeDefined();
    expect(frame).toMatch(/alice\s+elapsed \d/);
    const hints = hintLine(frame);
    for (const hint of ['enter run step', 'a run on', 's skip', 'x abort', 'd dry-run', 'esc back']) expect(hints).toContain(hint);
    expect(hints).not.toContain('retry');
    expect(hints).not.toContain('yes');
    await app.press(KEYS.enter, 'a', 's');
    expect(control.intents).toEqual(['runNext', 'runToNextStop', 'skip']);
    await app.press('d');
    await app.waitFor((current) => current.includes(' DRY-RUN '));
    expect(control.intents.at(-1)).toBe('toggleDryRun');
  });

  it('offers r retry only after a failure, and b roll back only when there is a rollback', async () => {
    const { app, control } = await startedRun();
    await app.press('r');
    expect(control.intents).toEqual([]);
    control.set({ status: 'paused', awaiting: { kind: 'failure', stepId: 'restart', error: 'engine answered 500', canRollback: true } });
    const frame = await app.waitFor((current) => hintLine(current).includes('r retry'));
    expect(frame).toContain('Failed: Restart the container: engine answered 500');
    expect(hintLine(frame)).toContain('b roll back');
    expect(hintLine(frame)).not.toContain('run step');
    await app.press('r');
    expect(control.intents).toEqual(['retry']);
    control.set({ awaiting: { kind: 'next-step', stepId: 'verify' } });
    await app.waitFor((current) => !hintLine(current).includes('retry'));
  });

  it('in read-only offers no destructive key, and the key still answers with the reason', async () => {
    const { app, control } = await startedRun({ readOnly: true });
    control.set({ awaiting: { kind: 'failure', stepId: 'restart', error: 'refused: read-only', canRollback: true } });
    let frame = await app.waitFor((current) => hintLine(current).includes('r retry'));
    expect(hintLine(frame)).not.toContain('roll back');
    expect(frame).toContain(' READ-ONLY ');
    control.set({ awaiting: { kind: 'lock-held', stepId: 'restart', target: VAULT, holder: { operator: 'bob', runId: 'run-9', stepId: 'restart' } } });
    frame = await app.waitFor((current) => current.includes('is locked by bob (run run-9, step restart)'));
    expect(hintLine(frame)).not.toContain('take over');
    await app.press('t');
    await app.waitFor((current) => hintLine(current).includes('take over refused: read-only'));
    expect(control.intents).toEqual([]);
    // The summary says which steps read-only kept from running.
    control.set({ status: 'passed', verdict: 'passed', awaiting: undefined, endedAt: Date.now(), refusedSteps: ['restart'] });
    frame = await app.waitFor((current) => current.includes('Run passed'));
    expect(frame).toContain('Not run (read-only): Restart the container');
  });

  it('answers a yes/no confirmation with y or n', async () => {
    const { app, control } = await startedRun();
    control.set({ awaiting: { kind: 'confirm', stepId: 'restart', mode: 'yes-no', question: `Restart ${VAULT}?`, calls: ['POST /containers/vault-id/restart?t=10'] } });
    const frame = await app.waitFor((current) => hintLine(current).includes('y yes'));
    expect(frame).toContain(`Restart ${VAULT}? [y/N]`);
    expect(frame).toContain('POST /containers/vault-id/restart?t=10');
    await app.press('n', 'y');
    expect(control.intents).toEqual(['confirm:false', 'confirm:true']);
  });

  it('refuses a wrongly typed name for a type-target confirmation, and sends the right one', async () => {
    const { app, control } = await startedRun();
    control.set({ awaiting: { kind: 'confirm', stepId: 'restart', mode: 'type-target', question: `Restart ${VAULT}?`, calls: [], expected: VAULT } });
    const asked = await app.waitFor((current) => hintLine(current).includes('type the name:'));
    expect(hintLine(asked)).toContain(`type ${VAULT} to run the step`);
    await app.press(...'vault', KEYS.enter);
    await app.waitFor((current) => hintLine(current).includes('"vault" is not the name; type'));
    expect(control.intents).toEqual([]);
    await app.press(...VAULT, KEYS.enter);
    await app.waitFor(() => control.intents.length > 0);
    expect(control.intents).toEqual([`confirm:${VAULT}`]);
  });

  it('x asks first, then offers the rollback', async () => {
    const { app, control } = await startedRun();
    await app.press('x');
    let frame = await app.waitFor((current) => current.includes('Abort the run of Restart a service gracefully? [y/N]'));
    expect(hintLine(frame)).toContain('y yes');
    await app.press('n');
    await app.waitFor((current) => !current.includes('Abort the run'));
    expect(control.intents).toEqual([]);
    await app.press('x');
    await app.waitFor((current) => current.includes('Abort the run'));
    await app.press('y');
    frame = await app.waitFor((current) => current.includes('Roll back? [y/N]'));
    expect(frame).toContain('Start the container');
    expect(control.intents).toEqual(['abort']);
    await app.press('y');
    frame = await app.waitFor((current) => !current.includes('Roll back?'));
    expect(control.intents).toEqual(['abort', 'rollback']);
    // The end of the run: its verdict and where the journal is; no run keys are left but back.
    expect(frame).toContain('Run rolled-back');
    expect(frame).toContain('journal: /state/opsdeck/runs/run-1.jsonl');
    expect(hintLine(frame)).not.toContain('abort');
  });

  it('no to the rollback offered after x ends the run aborted', async () => {
    const { app, control } = await startedRun();
    await app.press('x');
    await app.waitFor((current) => current.includes('Abort the run'));
    await app.press('y');
    await app.waitFor((current) => current.includes('Aborted. Roll back? [y/N]'));
    await app.press('n');
    const frame = await app.waitFor((current) => current.includes('Run aborted'));
    expect(control.intents).toEqual(['abort', 'abort']);
    expect(frame).not.toContain('Roll back?');
  });

  it('picks a decision option by number and ticks a checklist before acknowledging it', async () => {
    const { app, control } = await startedRun();
    control.set({ awaiting: { kind: 'decision', stepId: 'verify', question: 'Still down?', options: [{ id: 'escalate', label: 'Escalate' }, { id: 'wait', label: 'Wait 5 minutes' }] } });
    await app.waitFor((current) => hintLine(current).includes('1-2 choose'));
    await app.press('2');
    expect(control.intents).toEqual(['choose:wait']);
    control.set({ awaiting: { kind: 'checklist', stepId: 'verify', instructions: 'Before the window', items: ['announce', 'snapshot'], ticked: [false, false] } });
    await app.waitFor((current) => hintLine(current).includes('1-2 tick'));
    await app.press('1', KEYS.enter);
    expect(control.intents).toEqual(['choose:wait', 'tick:0']);
    await app.waitFor((current) => hintLine(current).includes('tick every item first (2 left)'));
    control.set({ awaiting: { kind: 'checklist', stepId: 'verify', instructions: 'Before the window', items: ['announce', 'snapshot'], ticked: [true, true] } });
    await app.waitFor((current) => current.includes('[x] snapshot'));
    await app.press(KEYS.enter);
    expect(control.intents.at(-1)).toBe('acknowledge');
  });

  it('escape goes back to the panels with the run kept, w returns to it, ? lists the run keys', async () => {
    const { app, control } = await startedRun();
    await app.press(KEYS.escape);
    let frame = await app.waitFor((current) => current.includes('Services (8)'));
    expect(hintLine(frame)).toContain('w run');
    await app.press('w');
    await app.waitFor((current) => current.includes('Playbook run'));
    await app.press('?');
    frame = await app.waitFor((current) => current.includes('Help: keys'));
    for (const label of ['run the step', 'retry the failed step', 'abort the run', 'submit the inputs', 'confirm with the typed name']) expect(frame).toContain(label);
    expect(control.intents).toEqual([]);
  });

  it('renders only the visible window of a step with 10,000 output lines', async () => {
    const { app, store } = await startedRun();
    const lines = Array.from({ length: 10_000 }, (_, index) => `output line ${index + 1}`);
    store.getState().runOutput('run-1', 'inspect', 'main', lines);
    store.getState().flush();
    const frame = await app.waitFor((current) => current.includes('output: 10000 lines (last 2000 kept)'));
    expect(frame).toContain('output line 10000');
    expect(frame).not.toContain('output line 8000');
    const shown = frame.split('\n').filter((line) => /output line \d+/.test(line));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(40);
    // pgup scrolls back through the kept lines; the tail count says how many are below.
    await app.press('\u001B[5~');
    await app.waitFor((current) => /, \d+ below/.test(current) && !current.includes('output line 10000'));
  });

  it('cuts output lines longer than the detail pane with an ellipsis at its edge, one row each', async () => {
    const { app, store } = await startedRun();
    const long = (label: string) => `${label} ${'x'.repeat(300)}`;
    store.getState().runOutput('run-1', 'inspect', 'main', [long('first long line'), '', 'short line', long('second long line')]);
    store.getState().flush();
    const frame = (await app.waitFor((current) => current.includes('output: 4 lines'))).replace(/\u001B\[[0-9;]*m/g, '');
    const rows = frame.split('\n');
    const first = rows.findIndex((row) => row.includes('first long line'));
    expect(first).toBeGreaterThan(0);
    // Each long line keeps to its row, cut at the pane's right edge (just inside the panel border) with the ellipsis.
    for (const index of [first, first + 3]) {
      expect(rows[index]).toHaveLength(120);
      expect(rows[index]).toMatch(/x….$/);
    }
    expect(rows[first + 3]).toContain('second long line');
    // The empty line keeps its row, and a short line is shown whole.
    expect(rows[first + 1]?.slice(46, 118).trim()).toBe('');
    expect(rows[first + 2]).toContain('short line');
  });
});
