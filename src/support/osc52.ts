// The operator's own clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64> BEL`)
// asks the terminal emulator to set its clipboard, and it travels wherever the terminal's bytes
// go, so it works over SSH. Only text opsdeck wrote goes this way, and it is cleaned line by
// line first (no control characters: nothing pasted later can carry an escape sequence).
// Under tmux the sequence reaches the outer terminal with `set -g set-clipboard on` (tmux
// 2.6+ forwards OSC 52), or, with `set -g allow-passthrough on` (tmux 3.3+), wrapped in tmux's
// DCS passthrough, which OPSDECK_OSC52_PASSTHROUGH=1 turns on.

import { toDisplayText } from '../domain/untrusted-text';

/** Most terminals take at least 74,994 bytes of base64 (xterm's default); longer text is cut at a line. */
export const MAX_CLIPBOARD_BYTES = 56 * 1024;

export interface Clipboard {
  /** Puts the text on the operator's clipboard; returns the bytes sent (after cleaning and bounding). */
  copy(text: string): number;
}

/** The text as copied: each line cleaned of control characters, bounded at a line. */
export function clipboardText(text: string): string {
  const lines = text.split('\n').map((line) => toDisplayText(line));
  let bytes = 0;
  const kept: string[] = [];
  for (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > MAX_CLIPBOARD_BYTES) break;
    kept.push(line);
  }
  return kept.join('\n');
}

export function osc52Sequence(text: string, options: { tmuxPassthrough?: boolean } = {}): string {
  const sequence = `\u001b]52;c;${Buffer.from(clipboardText(text), 'utf8').toString('base64')}\u0007`;
  // tmux's passthrough: DCS tmux; <sequence with each ESC doubled> ST.
  return options.tmuxPassthrough ? `\u001bPtmux;${sequence.replace(/\u001b/g, '\u001b\u001b')}\u001b\\` : sequence;
}

/** A clipboard that writes OSC 52 to the terminal (the cockpit's stdout). */
export function terminalClipboard(write: (data: string) => void, env: NodeJS.ProcessEnv = process.env): Clipboard {
  const tmuxPassthrough = env.TMUX !== undefined && env.OPSDECK_OSC52_PASSTHROUGH === '1';
  return {
    copy(text) {
      const sequence = osc52Sequence(text, { tmuxPassthrough });
      write(sequence);
      return Buffer.byteLength(clipboardText(text));
    },
  };
}
