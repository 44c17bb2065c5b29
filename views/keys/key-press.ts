// Ink's (input, key) pair as one key name the key table can match: "j", "G", "?",
// "enter", "escape", "tab", "shift+tab", "up", "pagedown", "backspace", "space", "ctrl+c".

export interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageDown: boolean;
  pageUp: boolean;
  home?: boolean;
  end?: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

export interface KeyPress {
  /** Key name matched against the key table; '' for pasted text and unknown keys. */
  name: string;
  /** Printable text the key produced (for filter and search input); '' for special keys. */
  text: string;
  /** A bracketed paste: `text` holds it, and only text inputs take it. */
  paste?: boolean;
  /**
   * Which read of the terminal this press came in (KeyController numbers them): every key of
   * one chunk shares it, so a confirmation asked by one key is not answered by the next one
   * of the same chunk. Undefined when not known (each press then counts as its own input).
   */
  terminalRead?: number;
}

export function toKeyPress(input: string, key: InkKey): KeyPress {
  const special = (name: string): KeyPress => ({ name, text: '' });
  if (key.upArrow) return special('up');
  if (key.downArrow) return special('down');
  if (key.leftArrow) return special('left');
  if (key.rightArrow) return special('right');
  if (key.pageUp) return special('pageup');
  if (key.pageDown) return special('pagedown');
  if (key.home) return special('home');
  if (key.end) return special('end');
  if (key.return) return special('enter');
  if (key.tab) return special(key.shift ? 'shift+tab' : 'tab');
  if (key.backspace || key.delete) return special('backspace');
  if (key.escape) return special('escape');
  if (key.ctrl) return special(input.length === 1 ? `ctrl+${input.toLowerCase()}` : '');
  if (key.meta) return special('');
  if (input === ' ') return { name: 'space', text: ' ' };
  // One character is a key; more is pasted text (only text inputs take it).
  return { name: [...input].length === 1 ? input : '', text: input };
}

/** The key press of one character arriving inside a longer chunk of input. */
export function characterKeyPress(character: string): KeyPress {
  if (character === '\t') return { name: 'tab', text: '' };
  if (character === '\r' || character === '\n') return { name: 'enter', text: '' };
  if (character === '\u007F' || character === '\b') return { name: 'backspace', text: '' };
  if (character === '\u001B') return { name: 'escape', text: '' };
  if (character === ' ') return { name: 'space', text: ' ' };
  const code = character.codePointAt(0) ?? 0;
  if (code > 0 && code <= 0x1a) return { name: `ctrl+${String.fromCharCode(code + 96)}`, text: '' };
  if (code < 0x20) return { name: '', text: '' };
  return { name: character, text: character };
}

/**
 * The key presses in one input event. Ink hands over a run of plain characters as one
 * input ("jj", "\t\t", or "vault\r" pasted): on a slow SSH link fast typing arrives that
 * way, so each character is dispatched as its own key press.
 */
export function toKeyPresses(input: string, key: InkKey): KeyPress[] {
  const characters = [...input];
  const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end;
  if (characters.length <= 1 || special || key.ctrl || key.meta) return [toKeyPress(input, key)];
  return characters.map(characterKeyPress);
}

const DISPLAY_NAMES: Record<string, { unicode: string; ascii: string }> = {
  up: { unicode: '↑', ascii: 'up' },
  down: { unicode: '↓', ascii: 'down' },
  left: { unicode: '←', ascii: 'left' },
  right: { unicode: '→', ascii: 'right' },
  pageup: { unicode: 'pgup', ascii: 'pgup' },
  pagedown: { unicode: 'pgdn', ascii: 'pgdn' },
  escape: { unicode: 'esc', ascii: 'esc' },
  'shift+tab': { unicode: 'shift-tab', ascii: 'shift-tab' },
};

/** How a key name is written in the hint bar and help. */
export function displayKeyName(name: string, ascii: boolean): string {
  const display = DISPLAY_NAMES[name];
  if (display) return ascii ? display.ascii : display.unicode;
  return name.replace(/^ctrl\+/, 'ctrl-');
}
