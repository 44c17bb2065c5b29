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
