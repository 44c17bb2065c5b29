// The input form of a run: one field per input with its type and default, choices from the
// allowed values and from live state, the runner's errors beside the field, enter submits.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createViewStore, feedIncident, KEYS, lineWith } from './fixtures';
import { input, ScriptedPlaybooks, type ScriptedPlaybook } from './playbook-fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';

const BACKUP: ScriptedPlaybook = {
  id: 'backup-data',
  title: 'Back up a data path',
  inputs: [
    input('container', 'container', { description: 'The container whose data is archived' }),
    input('mode', 'choice', { allowed: ['online', 'stopped'], default: 'online' }),
    input('keep', 'number'),
  ],
  steps: [{ id: 'archive', title: 'Archive the path', action: 'container.archive' }],
};

async function formApp() {
  const store = createViewStore();
  feedIncident(store);
  const playbooks = new ScriptedPlaybooks(store, [BACKUP]);
  const app = await renderApp(store, { playbooks });
  await app.press('p', KEYS.enter);
  await app.waitFor((frame) => hintLine(frame).includes('enter submit'));
  return { app, playbooks };
}

describe('input form', () => {
  it('shows one field per input with its type, default and allowed values', async () => {
    const { app } = await formApp();
    const frame = app.frame();
    expect(lineWith(frame, /› container\s+\(empty\)\s+container/)).toBeDefined();
    expect(lineWith(frame, /mode\s+online\s+choice, default online, optional/)).toBeDefined();
    expect(lineWith(frame, /keep\s+\(empty\)\s+number/)).toBeDefined();
    expect(frame).toContain('The container whose data is archived');
    // A live input offers the containers of the live state.
    expect(lineWith(frame, 'tab:')).toContain('janusgraph-demo-analytics-api-1');
    // Typing narrows them.
    await app.press('w', 'o', 'r');
    const narrowed = await app.waitFor((current) => (lineWith(current, 'tab:') ?? '').includes('1 of 8'));
    expect(lineWith(narrowed, 'tab:')).toContain('jivs-worker-1');
  });

  it('shows the errors the runner gives beside their fields, and submits what was typed', async () => {
    const { app, playbooks } = await formApp();
    await app.press(KEYS.down, KEYS.down, 'x', 'y', KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('not a number: "xy"'));
    expect(lineWith(frame, 'not a number')).toMatch(/keep\s+xy/);
    expect(lineWith(frame, /container\s+\(empty\)/)).toContain('required');
    expect(playbooks.last.intents).toEqual([`submitInputs:${JSON.stringify({ container: '', mode: 'online', keep: 'xy' })}`]);
  });

  it('cycles allowed values and live objects with tab, filtered by what is typed, then starts the run', async () => {
    const { app, playbooks } = await formApp();
    // "vau" + tab: the first live container matching it.
    await app.press('v', 'a', 'u', KEYS.tab);
    await app.waitFor((current) => /› container\s+janusgraph-demo-vault-1/.test(current));
    await app.press(KEYS.down, KEYS.tab);
    await app.waitFor((current) => /› mode\s+stopped/.test(current));
    await app.press(KEYS.tab);
    await app.waitFor((current) => /› mode\s+online/.test(current));
    await app.press(KEYS.down, '3', KEYS.enter);
    const frame = await app.waitFor((current) => current.includes('Next: Archive the path'));
    expect(playbooks.last.intents).toEqual([`submitInputs:${JSON.stringify({ container: 'janusgraph-demo-vault-1', mode: 'online', keep: '3' })}`]);
    expect(hintLine(frame)).toContain('enter run step');
  });

  it('keeps the typed values when the operator leaves and comes back', async () => {
    const { app } = await formApp();
    await app.press(KEYS.down, KEYS.down, '7', KEYS.escape);
    await app.waitFor((current) => current.includes('Services (8)'));
    await app.press('w');
    const frame = await app.waitFor((current) => hintLine(current).includes('enter submit'));
    expect(lineWith(frame, /keep\s+7/)).toBeDefined();
  });
});
