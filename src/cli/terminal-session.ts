// Owns the terminal while the cockpit runs: alternate screen and bracketed paste in, and
// always out again — on normal exit, crash, SIGINT, SIGTERM and SIGHUP. Ink 6.8 has no
// alternateScreen option. Bracketed paste makes the terminal wrap pasted text in
// ESC[200~ … ESC[201~, so the cockpit can tell a paste from typed keys (views/keys/paste-reader.ts).
//
// Raw mode comes first, before the first byte of the cockpit: Ink turns it on only in an effect
// after its first frame is on the screen, and until then the terminal's line discipline echoed
// what the operator typed ahead at the cursor. Its Enter echoed as a newline below the frame's
// last line, which scrolled the alternate screen up one row under the cell writer; every later
// frame, drawn relative to the cursor, then landed one row off the cells it diffed against
// (a "Services (0)" title left over rows that were listed, "no containe2/17)" on one line).

import { terminalClipboard, type Clipboard } from '../support/osc52';

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const RESET_ATTRIBUTES = '\u001b[0m';
export const ENABLE_BRACKETED_PASTE = '\u001b[?2004h';
export const DISABLE_BRACKETED_PASTE = '\u001b[?2004l';

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export interface TerminalSession {
  /** Leaves the alternate screen, turns bracketed paste off, restores the cursor and input mode; safe to call twice. */
  restore(): void;
  /** The operator's clipboard: OSC 52 written to this terminal (works over SSH; tmux: see src/support/osc52.ts). */
  clipboard: Clipboard;
}

export interface TerminalSessionOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Called before the terminal is restored on a signal or crash (unmount, stop adapters). */
  onAbort?(reason: string): void;
}

export function enterTerminalSession(options: TerminalSessionOptions): TerminalSession {
  const { stdout, stdin } = options;
  let restored = false;

  const restore = (): void => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // stdin may already be closed
    }
    stdout.write(RESET_ATTRIBUTES + SHOW_CURSOR + DISABLE_BRACKETED_PASTE + LEAVE_ALTERNATE_SCREEN);
    process.off('exit', restore);
    for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    options.onAbort?.(signal);
    restore();
    process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
  };

  const onCrash = (error: unknown): void => {
    options.onAbort?.('crash');
    restore();
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`opsdeck crashed: ${message}\n`);
    process.exit(70);
  };

  // Raw from here on (no echo, Enter read as \r): Ink's own setRawMode(true) finds it so.
  if (stdin.isTTY) stdin.setRawMode(true);
  stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR + ENABLE_BRACKETED_PASTE);
  process.on('exit', restore);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return { restore, clipboard: terminalClipboard((data) => stdout.write(data)) };
}
