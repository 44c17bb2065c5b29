import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEWPORT, type CommandContext } from '../../views/keys/command-context';
import { COMMAND_HANDLERS, dispatchKey } from '../../views/keys/dispatch';
import { displayKeyName, toKeyPress, toKeyPresses, type InkKey, type KeyPress } from '../../views/keys/key-press';
import { KEY_TABLE, keyTableFor } from '../../views/keys/key-table';
import { activeBindings, hintEntries, resolveScope } from '../../views/keys/scopes';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { waitFor } from '../support/wait-for';
import { container, createViewStore, feedIncident, instanceKeyOf, recordingExecutor, workloadKeyOf, type RecordingAdapter } from './fixtures';

const NO_KEY: InkKey = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
};

interface Engine {
  executor: ReturnType<typeof recordingExecutor>['executor'];
  adapter: RecordingAdapter;
}

function press(store: OpsdeckStore, engine: Engine, name: string, text = name.length === 1 ? name : '', extra: Partial<KeyPress> = {}) {
  let exited = false;
  const context: CommandContext = { store, executor: engine.executor, exit: () => (exited = true), viewport: DEFAULT_VIEWPORT, press: { name, text, ...extra } };
  const command = dispatchKey(context);
  return { command, exited };
}

describe('key presses', () => {
  it('turns Ink input into key names', () => {
    expect(toKeyPress('j', NO_KEY)).toEqual({ name: 'j', text: 'j' });
    expect(toKeyPress('G', { ...NO_KEY, shift: true })).toEqual({ name: 'G', text: 'G' });
    expect(toKeyPress('', { ...NO_KEY, tab: true, shift: true }).name).toBe('shift+tab');
    expect(toKeyPress('', { ...NO_KEY, return: true }).name).toBe('enter');
    expect(toKeyPress('', { ...NO_KEY, escape: true, meta: true }).name).toBe('escape');
    expect(toKeyPress('c', { ...NO_KEY, ctrl: true }).name).toBe('ctrl+c');
    expect(toKeyPress('', { ...NO_KEY, delete: true }).name).toBe('backspace');
    expect(toKeyPress(' ', NO_KEY)).toEqual({ name: 'space', text: ' ' });
    expect(toKeyPress('pasted', NO_KEY)).toEqual({ name: '', text: 'pasted' });
  });

  it('splits a run of characters read at once into key presses', () => {
    const names = (input: string) => toKeyPresses(input, NO_KEY).map((press) => press.name);
    expect(names('jj')).toEqual(['j', 'j']);
    expect(names('\t\t')).toEqual(['tab', 'tab']);
    expect(names('vault\r')).toEqual(['v', 'a', 'u', 'l', 't', 'enter']);
    expect(names('a b\u007F\u0003')).toEqual(['a', 'space', 'b', 'backspace', 'ctrl+c']);
    expect(names('')).toEqual(['']);
    expect(toKeyPresses('', { ...NO_KEY, upArrow: true })).toEqual([{ name: 'up', text: '' }]);
  });

  it('writes key names for people', () => {
    expect(displayKeyName('escape', false)).toBe('esc');
    expect(displayKeyName('up', false)).toBe('↑');
    expect(displayKeyName('up', true)).toBe('up');
    expect(displayKeyName('ctrl+c', true)).toBe('ctrl-c');
  });
});

describe('key table', () => {
  it('has a handler for every command it names', () => {
    for (const binding of KEY_TABLE) expect(COMMAND_HANDLERS[binding.command], binding.command).toBeTypeOf('function');
  });

  it('never binds one key twice in a scope for the same panel', () => {
    for (const binding of KEY_TABLE) {
      for (const other of KEY_TABLE) {
        if (other === binding || other.scope !== binding.scope) continue;
        const samePanels = !binding.panels || !other.panels || binding.panels.some((panel) => other.panels?.includes(panel));
        const shared = binding.keys.filter((key) => other.keys.includes(key));
        if (samePanels && !binding.when && !other.when) expect(shared, `${binding.command} / ${other.command}`).toEqual([]);
      }
    }
  });

  it('offers no destructive action in read-only mode: no hint, and help says it is refused', () => {
    const destructive = keyTableFor(true).filter((binding) => binding.destructive);
    expect(destructive.map((binding) => binding.command)).toEqual([
      'workload.rolloutRestart',
      'workload.scale',
      'workload.undo',
      'pod.delete',
      'run.rollback',
      'run.takeOver',
      'alert.acknowledge',
      'container.restart',
      'container.stop',
      'container.start',
    ]);
    for (const binding of destructive) {
      expect(binding.hint).toBeUndefined();
      expect(binding.label).toMatch(/refused: read-only/);
    }
    expect(keyTableFor(false).find((binding) => binding.command === 'container.restart')?.hint).toBe('restart');
  });
});

describe('scopes', () => {
  it('picks confirm > text input > help > error sample > log view > main', () => {
    const store = createViewStore();
    feedIncident(store);
    const state = () => store.getState();
    expect(resolveScope(state())).toBe('main');
    state().openLogView('local/janusgraph-demo/vault');
    expect(resolveScope(state())).toBe('log');
    state().openErrorDetail('x');
    expect(resolveScope(state())).toBe('detail');
    state().setHelpOpen(true);
    expect(resolveScope(state())).toBe('help');
    state().updateLogView({ searchEditing: true });
    expect(resolveScope(state())).toBe('search');
    state().askConfirmation({ action: { verb: 'stop', target: container('vault').ref }, targetLabel: 'vault' });
    expect(resolveScope(state())).toBe('confirm');
  });

  it('merges hints with the same text and shows panel-specific ones only on their panel', () => {
    const store = createViewStore();
    feedIncident(store);
    const hints = () => hintEntries(store.getState()).map((entry) => `${entry.keys.join('/')} ${entry.hint}`);
    // A project row is selected: no container action is offered.
    expect(hints()).toEqual(['tab panel', 'j/k move', 'enter logs', '/ filter', ': command', 'p playbooks', 'i incident', '? help', 'q quit']);
    // A running container: restart and stop, not start.
    store.getState().selectRow('services', `container:${instanceKeyOf('pulsar')}`);
    expect(hints()).toEqual(['tab panel', 'j/k move', 'enter logs', '/ filter', ': command', 'r restart', 's stop', 'p playbooks', 'i incident', '? help', 'q quit']);
    // A stopped one: restart and start.
    store.getState().instanceUpserted(container('pulsar', { state: 'exited', exitCode: 0 }));
    store.getState().flush();
    expect(hints()).toEqual(['tab panel', 'j/k move', 'enter logs', '/ filter', ': command', 'r restart', 'S start', 'p playbooks', 'i incident', '? help', 'q quit']);
    store.getState().focusPanel('errors');
    expect(hints()).toEqual(['tab panel', 'j/k move', 'enter sample', '/ filter', ': command', 'p playbooks', 'i incident', '? help', 'q quit']);
    store.getState().startFilter('errors');
    store.getState().setFilterEditing(false);
    expect(hints()).toContain('escape clear filter');
  });

  it('does not offer keys that an earlier scope in the chain takes', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().setHelpOpen(true);
    expect(hintEntries(store.getState()).map((entry) => `${entry.keys.join('/')} ${entry.hint}`)).toEqual(['escape close', 'q quit']);
  });

  it('hides n/N until there is a search', () => {
    const store = createViewStore();
    feedIncident(store);
    store.getState().openLogView(workloadKeyOf('analytics-api'));
    expect(activeBindings(store.getState()).map((binding) => binding.command)).not.toContain('log.nextMatch');
    store.getState().updateLogView({ search: 'error' });
    expect(activeBindings(store.getState()).map((binding) => binding.command)).toContain('log.nextMatch');
  });
});

describe('dispatcher', () => {
  it('runs the command of the active scope and reports unbound keys', () => {
    const store = createViewStore();
    feedIncident(store);
    const commands = recordingExecutor(store);
    expect(press(store, commands, 'tab').command).toBe('panel.next');
    expect(store.getState().ui.focusedPanel).toBe('resources');
    expect(press(store, commands, 'x').command).toBeUndefined();
  });

  it('types into the filter, including keys that are commands elsewhere', () => {
    const store = createViewStore();
    feedIncident(store);
    const commands = recordingExecutor(store);
    press(store, commands, '/');
    for (const key of ['q', 'j', '?']) press(store, commands, key);
    expect(store.getState().ui.filter).toBe('qj?');
    expect(store.getState().ui.quitRequested).toBe(false);
    press(store, commands, 'backspace');
    expect(store.getState().ui.filter).toBe('qj');
    press(store, commands, 'escape');
    expect(store.getState().ui).toMatchObject({ filter: '', filterEditing: false, filterPanel: undefined });
  });

  it('cancels a confirmation on any other key and quits on ctrl-c from anywhere', () => {
    const store = createViewStore();
    feedIncident(store);
    const commands = recordingExecutor(store);
    store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
    press(store, commands, 'r');
    expect(store.getState().ui.confirmation).toMatchObject({ action: { verb: 'restart', target: { name: 'janusgraph-demo-vault-1', uid: 'vault-id' } } });
    expect(press(store, commands, 'x').command).toBe('confirm.cancel');
    expect(store.getState().ui.confirmation).toBeUndefined();
    expect(commands.adapter.runs).toEqual([]);
    press(store, commands, 's');
    const quit = press(store, commands, 'ctrl+c');
    expect(quit).toEqual({ command: 'app.quit', exited: true });
    expect(store.getState().ui.quitRequested).toBe(true);
  });

  it('answers a confirmation only with a key from a later terminal read', async () => {
    const store = createViewStore();
    feedIncident(store);
    const commands = recordingExecutor(store);
    store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
    press(store, commands, 'r', 'r', { terminalRead: 7 });
    expect(press(store, commands, 'y', 'y', { terminalRead: 7 }).command).toBeUndefined();
    expect(store.getState().ui.confirmation).toMatchObject({ action: { verb: 'restart' }, askedInRead: 7 });
    expect(commands.adapter.runs).toEqual([]);
    expect(press(store, commands, 'y', 'y', { terminalRead: 8 }).command).toBe('confirm.accept');
    // The executor authorizes before it sends (asynchronously, an access review on Kubernetes).
    await waitFor('the restart to reach the adapter', () => commands.adapter.runs.length > 0, { intervalMs: 5 });
    expect(commands.adapter.runs).toEqual([{ verb: 'restart', target: 'janusgraph-demo-vault-1' }]);
  });

  it('gives a paste to text inputs only', () => {
    const store = createViewStore();
    feedIncident(store);
    const commands = recordingExecutor(store);
    store.getState().selectRow('services', `container:${instanceKeyOf('vault')}`);
    expect(press(store, commands, '', 'retry q', { paste: true }).command).toBeUndefined();
    expect(store.getState().ui).toMatchObject({ confirmation: undefined, quitRequested: false });
    press(store, commands, '/');
    expect(press(store, commands, '', 'retry q', { paste: true }).command).toBe('input.type');
    expect(store.getState().ui.filter).toBe('retry q');
  });

  it('refuses to run an action in read-only mode even if a confirmation is pending', async () => {
    const store = createViewStore({ readOnly: true });
    feedIncident(store);
    const commands = recordingExecutor(store);
    store.getState().askConfirmation({ action: { verb: 'stop', target: container('vault').ref }, targetLabel: 'vault' });
    press(store, commands, 'y');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commands.adapter.runs).toEqual([]);
    expect(store.getState().ui.statusMessage?.text).toMatch(/read-only/);
  });
});
