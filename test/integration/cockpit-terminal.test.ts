// The bundled cockpit in a real 120x40 pseudo-terminal against the shared private dockerd:
// it draws live frames incrementally, never taller than the screen, and always gives the
// terminal back (quit key, SIGTERM, SIGHUP), bracketed paste turned off again. Keys typed
// while it starts are never echoed onto its screen.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ensureCommand } from '../support/debian-tools';
import { lastFrameRows, runInPseudoTerminal, visibleText } from '../support/pty';

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

  it('types ahead while it starts without a key echoed onto its screen: the screen is the frame it drew last', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-type-ahead-'));
    const frameLog = path.join(directory, 'frames.jsonl');
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost], { env: { OPSDECK_FRAME_LOG: frameLog } });
    try {
      // Ctrl-A (harmless outside a text field; a terminal still in line mode echoes it as ^A)
      // every few milliseconds from the start, then the filter typed ahead with its Enter
      // (echoed, it was a newline below the last row: the screen scrolled under the cockpit).
      const typing = setInterval(() => terminal.write('\u0001'), 4);
      const firstFrame = await terminal.waitForOutput((output) => output.includes('Services ('), 45_000);
      expect(firstFrame).toContain(ENTER_ALTERNATE_SCREEN);
      terminal.write('/shop\r');
      await new Promise((resolve) => setTimeout(resolve, 300));
      clearInterval(typing);
      await terminal.waitForOutput((output) => /Services \(\d+\/\d+\).* \/shop /.test(visibleText(output)), 45_000);
      const afterAlternateScreen = terminal.output().slice(terminal.output().lastIndexOf(ENTER_ALTERNATE_SCREEN));
      expect(afterAlternateScreen).not.toContain('^A');
      // Every row as the cockpit's last frame has it (checked until the bytes of that frame are in).
      let rows: string[] = [];
      await terminal
        .waitForOutput((output) => {
          rows = lastFrameRows(frameLog);
          return rows.length === 39 && visibleText(output).split('\n').slice(0, rows.length).join('\n') === rows.join('\n');
        }, 20_000)
        .catch(() => {
          expect(visibleText(terminal.output()).split('\n').slice(0, rows.length)).toEqual(rows);
        });
      terminal.write('q');
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.child.kill();
      rmSync(directory, { recursive: true, force: true });
    }
  });

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
