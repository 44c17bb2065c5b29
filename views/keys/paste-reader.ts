// Tells pasted text from typed keys. The terminal session turns bracketed paste on
// (src/cli/terminal-session.ts), so the terminal wraps a paste in ESC[200~ … ESC[201~.
//
// How Ink 6.8 hands these bytes over (node_modules/ink/build/input-parser.js and
// hooks/use-input.js): its input parser cuts every escape sequence out as an event of its
// own, so the markers never share an event with the text, and a marker split across two
// reads is held back until it is complete. useInput then strips the leading ESC and, as the
// markers are no key it knows, passes them with no key flag set: input "[200~" and "[201~".
// The text between them comes as one or more events (a paste may span several reads),
// line breaks as `return`, tabs as `tab`, embedded escape sequences as their own events.

import type { InkKey } from './key-press';
import { toDisplayText } from '../../src/domain/untrusted-text';

const PASTE_START = '[200~';
const PASTE_END = '[201~';
/** A paste longer than this is cut: a text input never needs more, memory stays bounded. */
export const MAX_PASTE_CHARACTERS = 4096;
/**
 * A paste whose end marker has not come after this long is dropped (never typed), so a
 * terminal that lost the marker cannot leave the keyboard dead. A terminal writes a paste
 * in one go; its reads arrive milliseconds apart.
 */
export const PASTE_IDLE_LIMIT_MS = 2000;

export type PasteReading =
  /** Not part of a paste: handle it as keys. */
  | { kind: 'keys' }
  /** A marker or part of a paste still arriving: nothing to do yet. */
  | { kind: 'pending' }
  /** A whole paste, as one line of text (see pastedText). */
  | { kind: 'paste'; text: string };

function hasKeyFlag(key: InkKey): boolean {
  return (
    key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp || key.home === true ||
    key.end === true || key.return || key.escape || key.ctrl || key.tab || key.backspace || key.delete || key.meta
  );
}

/**
 * Pasted text for a one-line text input: the same cleaning as engine text (line breaks and tabs
 * become spaces, escape sequences and other controls are dropped), the length bounded.
 */
export function pastedText(raw: string): string {
  return [...toDisplayText(raw)].slice(0, MAX_PASTE_CHARACTERS).join('');
}

export interface PasteReader {
  /** Feeds one Ink input event, read at `now` (ms). */
  read(input: string, key: InkKey, now?: number): PasteReading;
  /** True between the start and end markers. */
  inPaste(): boolean;
}

export function createPasteReader(): PasteReader {
  let buffer: string | undefined;
  let lastReadAt = 0;
  return {
    inPaste: () => buffer !== undefined,
    read(input, key, now = Date.now()) {
      if (buffer !== undefined && now - lastReadAt > PASTE_IDLE_LIMIT_MS) buffer = undefined;
      lastReadAt = now;
      const marker = hasKeyFlag(key) ? undefined : input;
      if (marker === PASTE_START) {
        buffer = '';
        return { kind: 'pending' };
      }
      if (buffer === undefined) return { kind: 'keys' };
      if (marker === PASTE_END) {
        const text = pastedText(buffer);
        buffer = undefined;
        return { kind: 'paste', text };
      }
      // Inside the paste: keep the text, line breaks and tabs as spaces; other keys are dropped.
      if (buffer.length < MAX_PASTE_CHARACTERS * 2) {
        if (key.return || key.tab) buffer += ' ';
        else if (!hasKeyFlag(key)) buffer += input;
      }
      return { kind: 'pending' };
    },
  };
}
