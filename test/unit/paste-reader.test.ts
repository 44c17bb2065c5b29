import { describe, expect, it } from 'vitest';
import { createPasteReader, MAX_PASTE_CHARACTERS, PASTE_IDLE_LIMIT_MS, pastedText } from '../../views/keys/paste-reader';
import type { InkKey } from '../../views/keys/key-press';

const NO_KEY: InkKey = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false,
  escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
};

// The markers as Ink 6.8's useInput hands them over: ESC stripped, no key flag set.
const START = '[200~';
const END = '[201~';

describe('paste reader', () => {
  it('collects the text between the markers, over several reads, as one line', () => {
    const reader = createPasteReader();
    expect(reader.read(START, NO_KEY, 0)).toEqual({ kind: 'pending' });
    expect(reader.read('please ', NO_KEY, 1)).toEqual({ kind: 'pending' });
    expect(reader.read('', { ...NO_KEY, return: true }, 2)).toEqual({ kind: 'pending' });
    expect(reader.read('', { ...NO_KEY, upArrow: true }, 3)).toEqual({ kind: 'pending' });
    expect(reader.read('retry later', NO_KEY, 4)).toEqual({ kind: 'pending' });
    expect(reader.read(END, NO_KEY, 5)).toEqual({ kind: 'paste', text: 'please  retry later' });
    expect(reader.read('j', NO_KEY, 6)).toEqual({ kind: 'keys' });
  });

  it('leaves keys alone outside a paste, a stray end marker included', () => {
    const reader = createPasteReader();
    expect(reader.read('r', NO_KEY, 0)).toEqual({ kind: 'keys' });
    expect(reader.read(END, NO_KEY, 1)).toEqual({ kind: 'keys' });
    // "[200~" with a modifier is no marker.
    expect(reader.read(START, { ...NO_KEY, meta: true }, 2)).toEqual({ kind: 'keys' });
  });

  it('drops a paste whose end marker never came, so the keyboard works again', () => {
    const reader = createPasteReader();
    reader.read(START, NO_KEY, 0);
    reader.read('retry', NO_KEY, 10);
    expect(reader.inPaste()).toBe(true);
    expect(reader.read('j', NO_KEY, 10 + PASTE_IDLE_LIMIT_MS + 1)).toEqual({ kind: 'keys' });
    expect(reader.inPaste()).toBe(false);
  });

  it('keeps pasted text printable and bounded', () => {
    // The same cleaning as engine text: a whole escape sequence goes, not just its ESC.
    expect(pastedText('a\r\nb\tc\u0007\u001b[31md\u009b')).toBe('a b cd');
    expect([...pastedText('x'.repeat(MAX_PASTE_CHARACTERS + 10))]).toHaveLength(MAX_PASTE_CHARACTERS);
  });
});
