// Help shows every description whole on a 120-column screen, and the `:` commands too.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { availableCommands } from '../../views/commands/command-registry';
import { KEY_TABLE } from '../../views/keys/key-table';
import { screenById } from '../../views/screens/screen-stack';
import { createViewStore, feedIncident, KEYS } from './fixtures';
import { renderApp } from './render-app';

afterEach(() => cleanup());

async function openHelp(width: number, height: number, before: string[] = []) {
  const store = createViewStore();
  feedIncident(store);
  const app = await renderApp(store, { width, height });
  await app.press(...before, '?');
  const frame = await app.waitFor((current) => current.includes('Help: keys'));
  return { app, frame };
}

describe('help overlay', () => {
  it('shows every key description of the main screen whole at 120x40, and the : commands', async () => {
    const { frame } = await openHelp(120, 40);
    const scopes = screenById('main').helpScopes ?? [];
    for (const binding of KEY_TABLE.filter((candidate) => scopes.includes(candidate.scope) && candidate.help !== false)) expect(frame, binding.label).toContain(binding.label);
    // Without a Kubernetes context, its commands (:ctx, :ns) are not offered (kubernetes-scope.test.tsx shows them).
    for (const command of availableCommands({ readOnly: false, kubernetes: false })) expect(frame, command.name).toContain(command.description);
    expect(frame).toContain(':restart <target>');
    expect(frame).toContain(':quit/:q');
    expect(frame).not.toContain('more keys');
    // Nothing in the help is cut.
    expect(frame.split('\n').slice(1, -1).join('\n')).not.toContain('…');
  });

  it('shows the log view keys whole when opened from the log view', async () => {
    const { frame } = await openHelp(120, 40, ['j', KEYS.enter]);
    for (const binding of KEY_TABLE.filter((candidate) => candidate.scope === 'log' || candidate.scope === 'search')) {
      expect(frame, binding.label).toContain(binding.label);
    }
    expect(frame).not.toContain(':restart');
  });

  it('still fits at 80x24, saying what did not fit', async () => {
    const { frame } = await openHelp(80, 24);
    expect(frame.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(frame).toContain('next panel');
    expect(frame).toMatch(/more keys: enlarge the terminal/);
  });
});
