import { describe, expect, it } from 'vitest';
import { resolveScope } from '../../views/keys/scopes';
import { bodyOf, helpScreenOf, screenStack, SCREENS, topScreen } from '../../views/screens/screen-stack';
import { KEY_TABLE } from '../../views/keys/key-table';
import { container, createViewStore, feedIncident } from './fixtures';

describe('screen stack', () => {
  it('stacks the open screens top first and derives body, key scope and help from it', () => {
    const store = createViewStore();
    feedIncident(store);
    const state = () => store.getState();
    const ids = () => screenStack(state()).map((screen) => screen.id);
    expect(ids()).toEqual(['main']);
    expect(bodyOf(state())).toBe('panels');

    state().openLogView('local/janusgraph-demo/vault');
    state().setHelpOpen(true);
    expect(ids()).toEqual(['help', 'log', 'main']);
    expect(resolveScope(state())).toBe('help');
    expect(bodyOf(state())).toBe('help');
    // Help explains the screen it was opened over.
    expect(helpScreenOf(state()).id).toBe('log');

    state().setHelpOpen(false);
    state().updateLogView({ searchEditing: true });
    expect(ids()).toEqual(['search', 'log', 'main']);
    // A text input draws no body: the log view stays under it.
    expect(bodyOf(state())).toBe('log');
    expect(topScreen(state()).textInput?.label).toBe('search: /');

    state().askConfirmation({ action: { verb: 'stop', target: container('vault').ref }, targetLabel: 'vault' });
    expect(topScreen(state()).id).toBe('confirm');
    expect(topScreen(state()).overlay).toBe('confirm');
  });

  it('ends with the main screen, always open, and gives every screen keys of its own scope', () => {
    expect(SCREENS.at(-1)?.id).toBe('main');
    expect(SCREENS.at(-1)?.isOpen(createViewStore().getState())).toBe(true);
    for (const screen of SCREENS) {
      expect(screen.keyScopes[0], screen.id).toBe(screen.id);
      expect(KEY_TABLE.some((binding) => binding.scope === screen.id), screen.id).toBe(true);
      // Text input screens type what no binding takes; a screen draws a body or sits over one.
      if (screen.textInput) expect(screen.fallback, screen.id).toBeDefined();
      expect(screen.body !== undefined && screen.overlay !== undefined, screen.id).toBe(false);
    }
  });
});
