// The bundled cockpit in a real 120x40 pseudo-terminal against the shared private dockerd:
// it draws live frames incrementally, never taller than the screen, and always gives the
// terminal back (quit key, SIGTERM, SIGHUP), bracketed paste turned off again.
import { describe, expect, inject, it } from 'vitest';
import { ensureCommand } from '../support/debian-tools';
import { runInPseudoTerminal, visibleText } from '../support/pty';

const dockerHost = inject('dockerHost');
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const CLEAR_SCREEN = '\u001b[2J';
const ENABLE_BRACKETED_PASTE = '\u001b[?2004h';
const DISABLE_BRACKETED_PASTE = '\u001b[?2004l';

describe('cockpit in a pseudo-terminal', () => {
  it('opens on the alternate screen, shows the live stack, and restores the terminal on q', async () => {
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
    await terminal.waitForOutput((output) => visibleText(output).includes('shop') && /connected/.test(visibleText(output)));
    await terminal.waitForOutput((output) => /burner/.test(visibleText(output)) && /unhealthy/.test(visibleText(output)));
    const output = terminal.output();
    expect(output.startsWith(ENTER_ALTERNATE_SCREEN) || output.includes(ENTER_ALTERNATE_SCREEN)).toBe(true);
    // Let a few live updates arrive, then check they were drawn incrementally.
    const before = terminal.output().length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const updates = terminal.output().slice(before);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.includes(CLEAR_SCREEN)).toBe(false);
    terminal.write('q');
    expect(await terminal.exited).toBe(0);
    expect(terminal.output().lastIndexOf(LEAVE_ALTERNATE_SCREEN)).toBeGreaterThan(terminal.output().lastIndexOf(ENTER_ALTERNATE_SCREEN));
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`leaves the alternate screen on ${signal}`, async () => {
      ensureCommand('pgrep', 'procps');
      const terminal = runInPseudoTerminal(['--docker-host', dockerHost]);
      await terminal.waitForOutput((output) => visibleText(output).includes('shop'));
      const { execFileSync } = await import('node:child_process');
      // The node process is the child of script's shell (exec replaced the shell).
      const pid = Number(execFileSync('pgrep', ['-P', String(terminal.child.pid)]).toString().trim().split('\n')[0]);
      process.kill(pid, signal);
      await terminal.exited;
      expect(terminal.output().lastIndexOf(LEAVE_ALTERNATE_SCREEN)).toBeGreaterThan(terminal.output().lastIndexOf(ENTER_ALTERNATE_SCREEN));
      // Bracketed paste is off again too (a shell would otherwise see pastes wrapped in markers).
      expect(terminal.output().lastIndexOf(DISABLE_BRACKETED_PASTE)).toBeGreaterThan(terminal.output().lastIndexOf(ENABLE_BRACKETED_PASTE));
    });
  }

  it('keeps every frame within the terminal at 80x24', async () => {
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost], { columns: 80, rows: 24 });
    await terminal.waitForOutput((output) => visibleText(output).includes('shop'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const output = terminal.output();
    // Ink falls back to clear-screen redraws when a frame is as tall as the terminal.
    expect(output.includes(CLEAR_SCREEN)).toBe(false);
    terminal.write('q');
    await terminal.exited;
  });
});
