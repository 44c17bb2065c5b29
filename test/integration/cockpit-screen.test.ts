// What the operator's terminal really shows: the bundled cockpit inside tmux (a real terminal
// emulator), read back with capture-pane after live updates and keystrokes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureCommand } from '../support/debian-tools';
import { BUNDLE, interactiveEnvironment } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const SESSION = `opsdeck-screen-${process.pid}`;
const EXIT_FILE = path.join(os.tmpdir(), `${SESSION}.exit`);

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8', env: interactiveEnvironment() });
}

function screen(): string[] {
  return tmux('capture-pane', '-p', '-t', SESSION).split('\n');
}

describe('cockpit on a real terminal (tmux)', () => {
  beforeAll(() => {
    ensureCommand('tmux');
    rmSync(EXIT_FILE, { force: true });
    // The shell records the exit code; the pane stays open so the screen can be read after.
    const command = `${process.execPath} ${BUNDLE} --docker-host ${dockerHost}; echo $? > ${EXIT_FILE}; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', command);
  });

  afterAll(() => {
    rmSync(EXIT_FILE, { force: true });
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
  });

  it('draws one consistent frame that live updates keep in place', async () => {
    await waitFor('connected header and the shop stack', () => {
      const text = screen().join('\n');
      return text.includes('connected') && text.includes('burner') && text.includes('Recent errors');
    });
    // Let several coalesced updates redraw parts of the screen.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const lines = screen();
    expect(lines[0]).toMatch(/^ opsdeck/);
    expect(lines.filter((line) => /^ opsdeck/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('Services ('))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('Recent errors'))).toHaveLength(1);
    expect(lines.filter((line) => line.trim() !== '').at(-1)).toMatch(/q quit/);
    expect(lines.every((line) => line.length <= 120)).toBe(true);
  });

  it('opens the log view of the selected service with enter and returns with esc', async () => {
    tmux('send-keys', '-t', SESSION, '/', 'a', 'p', 'i', 'Enter');
    await waitFor('filter narrowed to api', () => {
      const lines = screen();
      return lines.some((line) => line.includes('Services (1/')) && lines.some((line) => /\bapi\s+running/.test(line));
    });
    // The selection starts on the project row: move down to the service, then open its logs.
    tmux('send-keys', '-t', SESSION, 'j');
    await waitFor('api selected', () => screen().some((line) => /›\s*!?\s*api\s+running/.test(line)));
    tmux('send-keys', '-t', SESSION, 'Enter');
    await waitFor('api log lines', () => screen().filter((line) => /Connection refused|slow query/.test(line)).length >= 3);
    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitFor('panels back', () => screen().some((line) => line.includes('Services (')));
  });

  it('quits on q and gives the terminal back', async () => {
    tmux('send-keys', '-t', SESSION, 'q');
    await waitFor('opsdeck exited', () => existsSync(EXIT_FILE) && readFileSync(EXIT_FILE, 'utf8').trim() !== '');
    expect(readFileSync(EXIT_FILE, 'utf8').trim()).toBe('0');
    // Back on the normal screen: nothing of the cockpit is left there.
    expect(screen().some((line) => line.includes('Services ('))).toBe(false);
  });
});
