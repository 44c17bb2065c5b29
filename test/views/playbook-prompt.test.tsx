// `:run` from the prompt (with completion of playbook ids and name=value inputs), `:approve`,
// and the notice of a run that never ended, resumed with R.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRunArguments } from '../../views/commands/playbook-commands';
import { createViewStore, feedIncident, KEYS, NOW } from './fixtures';
import { DISK_PLAYBOOK, RESTART_PLAYBOOK, ScriptedPlaybooks } from './playbook-fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

async function promptApp() {
  const store = createViewStore();
  feedIncident(store);
  const playbooks = new ScriptedPlaybooks(store, [RESTART_PLAYBOOK, DISK_PLAYBOOK]);
  const app = await renderApp(store, { playbooks });
  return { app, playbooks, store };
}

describe(':run', () => {
  it('completes playbook ids and starts the playbook with the inputs given as name=value', async () => {
    const { app, playbooks } = await promptApp();
    await app.press(':', 'r', 'u', 'n', ' ', 'r', 'e', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':run restart-service▏'));
    await app.press(...' container=janusgraph-demo-vault-1', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Playbook run'));
    expect(playbooks.started).toEqual([{ playbookId: 'restart-service', options: { inputs: { container: 'janusgraph-demo-vault-1' } } }]);
  });

  it('without a name opens the picker; an unknown playbook or a stray word is one status line', async () => {
    const { app, playbooks } = await promptApp();
    await app.press(':', 'r', 'u', 'n', KEYS.enter);
    await app.waitFor((frame) => frame.includes('Playbooks (2)'));
    await app.press(KEYS.escape, ':', ...'run nope', KEYS.enter);
    await app.waitFor((frame) => hintLine(frame).includes(':run: no playbook "nope"'));
    await app.press(':', ...'run disk-space now', KEYS.enter);
    await app.waitFor((frame) => hintLine(frame).includes(':run: expected name=value, got "now"'));
    expect(playbooks.started).toEqual([]);
  });

  it('parses quoted values', () => {
    expect(parseRunArguments(`backup container=db note="before the upgrade" tag='a b'`)).toEqual({
      playbookId: 'backup',
      inputs: { container: 'db', note: 'before the upgrade', tag: 'a b' },
    });
  });
});

describe(':approve', () => {
  it("completes the runs waiting for a second operator and asks the service to approve; the service's refusal is shown", async () => {
    const { app, playbooks, store } = await promptApp();
    const waiting = { stepId: 'restart', question: 'Restart vault?', calls: [], requestedAt: NOW, host: 'bastion' };
    store.getState().approvalsChanged([
      { ...waiting, runId: 'run-bob', requestedBy: 'bob' },
      { ...waiting, runId: 'own-run', requestedBy: 'alice' },
    ]);
    await app.press(':', ...'approve run', KEYS.tab);
    await app.waitFor((frame) => hintLine(frame).includes(':approve run-bob▏'));
    await app.press(KEYS.enter);
    await app.waitFor((frame) => hintLine(frame).includes('approved the waiting step of run run-bob'));
    await app.press(':', ...'approve own-run', KEYS.enter);
    await app.waitFor((frame) => hintLine(frame).includes(':approve: the same operator cannot approve their own step'));
    expect(playbooks.approved).toEqual([
      { runId: 'run-bob', stepId: undefined },
      { runId: 'own-run', stepId: undefined },
    ]);
  });
});

describe('unfinished runs', () => {
  it('are offered on one line at start; R resumes the run and shows what the runner observed', async () => {
    const { app, playbooks, store } = await promptApp();
    store.getState().unfinishedRunsFound([
      { runId: '20250101T101010Z-ab12', path: '/state/runs/x.jsonl', playbookId: 'restart-service', title: 'Restart a service gracefully', operator: 'bob', startedAt: NOW - 120_000, unfinished: true, running: false },
      // Another live process still runs this one: not offered.
      { runId: 'live-run', path: '/state/runs/y.jsonl', playbookId: 'disk-space', title: 'Free disk space', operator: 'carol', startedAt: NOW, unfinished: true, running: true },
    ]);
    const frame = await app.waitFor((current) => current.includes('unfinished run'));
    const notice = frame.split('\n')[1] ?? '';
    expect(notice).toContain('Restart a service gracefully (20250101T101010Z-ab12) by bob');
    expect(notice).toContain('R resume');
    expect(frame).not.toContain('live-run');
    expect(hintLine(frame)).toContain('R resume run');
    await app.press('R');
    const resumed = await app.waitFor((current) => current.includes('Resumed at Inspect the container: it happened'));
    expect(resumed).toContain('StartedAt is after the intent');
    expect(playbooks.resumed).toEqual(['20250101T101010Z-ab12']);
    // Back on the panels, the run resumed here is no longer offered.
    await app.press(KEYS.escape);
    await app.waitFor((current) => current.includes('Services (8)'));
    expect(app.frame()).not.toContain('unfinished run');
  });
});
