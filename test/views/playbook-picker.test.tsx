// The playbook picker and `!`: suggested playbooks first for the selected row, fuzzy filter,
// invalid files greyed with their error, and what the keys ask the playbook service to start.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, instanceKeyOf, KEYS, lineWith } from './fixtures';
import { DISK_PLAYBOOK, MORNING_PLAYBOOK, RESTART_PLAYBOOK, ScriptedPlaybooks } from './playbook-fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';
const vaultKey = instanceKeyOf('vault');

async function pickerApp() {
  const store = createViewStore();
  feedIncident(store);
  // Catalog order: morning check, disk, restart; the restart is the one suggested for vault.
  const playbooks = new ScriptedPlaybooks(store, [MORNING_PLAYBOOK, DISK_PLAYBOOK, RESTART_PLAYBOOK]);
  store.getState().catalogLoaded({
    playbooks: store.getState().catalog.playbooks,
    invalid: [{ file: '/playbooks/broken.yaml', id: 'broken', error: '/playbooks/broken.yaml:4:3: steps[0].acton: unknown key' }],
  });
  const app = await renderApp(store, { playbooks });
  return { app, playbooks, store };
}

/** The picker's rows, top to bottom, as the lines that hold a playbook id. */
function pickerRows(frame: string): string[] {
  return frame.split('\n').filter((line) => /restart-service|disk-space|morning-check|broken/.test(line));
}

describe('playbook picker', () => {
  it('lists the playbooks suggested for the selected row first, marked with the alert, and invalid files greyed with their error', async () => {
    const { app, store } = await pickerApp();
    store.getState().selectRow('services', `container:${vaultKey}`);
    await app.press('p');
    const frame = await app.waitFor((current) => current.includes('Playbooks (4)'));
    const rows = pickerRows(frame);
    expect(rows[0]).toContain('restart-service');
    expect(rows[0]).toContain('*');
    expect(rows[0]).toContain('janusgraph-demo-vault-1 restarting');
    expect(rows[1]).toContain('morning-check');
    expect(rows[2]).toContain('disk-space');
    expect(rows[3]).toContain('invalid: /playbooks/broken.yaml:4:3: steps[0].acton: unknown key');
    expect(frame).toContain('1 suggested for the selected row');
    expect(hintLine(frame)).toContain('playbook:');
    expect(hintLine(frame)).toContain('enter open');
  });

  it('keeps the catalog order when the row suggests nothing', async () => {
    const { app, store } = await pickerApp();
    store.getState().selectRow('services', `container:${instanceKeyOf('pulsar')}`);
    await app.press('p');
    const rows = pickerRows(await app.waitFor((current) => current.includes('Playbooks (4)')));
    expect(rows.map((row) => row.match(/restart-service|disk-space|morning-check|broken/)?.[0])).toEqual(['morning-check', 'disk-space', 'restart-service', 'broken']);
    expect(rows.some((row) => row.includes('*'))).toBe(false);
  });

  it('filters fuzzily as you type, and enter starts the chosen playbook', async () => {
    const { app, playbooks, store } = await pickerApp();
    store.getState().selectRow('services', `container:${vaultKey}`);
    await app.press('p', 'd', 's', 'k');
    const frame = await app.waitFor((current) => current.includes('Playbooks (1)'));
    expect(pickerRows(frame)).toHaveLength(1);
    expect(pickerRows(frame)[0]).toContain('disk-space');
    await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, 'r', 's', 't');
    await app.waitFor((current) => pickerRows(current)[0]?.includes('restart-service') === true && !current.includes('disk-space'));
    await app.press(KEYS.enter);
    await app.waitFor((current) => current.includes('Playbook run'));
    // The suggestion's binding goes with it: the alert's target.
    expect(playbooks.started).toEqual([{ playbookId: 'restart-service', options: { inputs: { container: vaultKey } } }]);
  });

  it('says why an invalid playbook does not open, and escape closes the picker', async () => {
    const { app, playbooks } = await pickerApp();
    await app.press('p', 'b', 'r', 'o', 'k');
    await app.waitFor((current) => hintLine(current).includes('cannot open: /playbooks/broken.yaml:4:3'));
    await app.press(KEYS.enter);
    expect(playbooks.started).toEqual([]);
    expect(app.frame()).toContain('Playbooks (1)');
    await app.press(KEYS.escape);
    const frame = await app.waitFor((current) => !current.includes('Playbooks ('));
    expect(frame).toContain('Services');
  });
});

describe('! on a row with an alert', () => {
  it('is offered only on a row a playbook is suggested for, and starts it with the target bound', async () => {
    const { app, playbooks, store } = await pickerApp();
    store.getState().selectRow('services', `container:${instanceKeyOf('pulsar')}`);
    await app.press(KEYS.down, KEYS.up);
    expect(hintLine(app.frame())).not.toContain('! fix');
    store.getState().selectRow('services', `container:${vaultKey}`);
    await app.waitFor((current) => hintLine(current).includes('! fix'));
    await app.press('!');
    const frame = await app.waitFor((current) => current.includes('Playbook run'));
    expect(playbooks.started).toEqual([{ playbookId: 'restart-service', options: { inputs: { container: vaultKey } } }]);
    // Every input was bound: the run starts at its first step.
    expect(lineWith(frame, 'Next:')).toContain('Inspect the container');
    expect(hintLine(frame)).toContain('enter run step');
  });

  it('on a row nothing is suggested for, says so', async () => {
    const { app, playbooks, store } = await pickerApp();
    store.getState().selectRow('services', `container:${instanceKeyOf('pulsar')}`);
    await app.press('!');
    await app.waitFor((current) => hintLine(current).includes('no playbook is suggested for this row'));
    expect(playbooks.started).toEqual([]);
    // The message belongs to the panels: the run opened next does not carry it.
    store.getState().selectRow('services', `container:${vaultKey}`);
    await app.press('!');
    const frame = await app.waitFor((current) => current.includes('Playbook run'));
    expect(hintLine(frame)).not.toContain('no playbook is suggested');
  });
});
