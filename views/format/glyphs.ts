// Characters the screen draws with. `ascii` swaps box drawing, bars, sparklines and
// symbols for plain characters (serial consoles, bad fonts, screen readers' braille).

export interface BorderCharacters {
  topLeft: string;
  top: string;
  topRight: string;
  left: string;
  right: string;
  bottomLeft: string;
  bottom: string;
  bottomRight: string;
}

export interface Glyphs {
  ascii: boolean;
  /** Marks the selected row. */
  selected: string;
  /** Marks a row with an alert. */
  alert: string;
  expanded: string;
  collapsed: string;
  ellipsis: string;
  /** "30×" in the errors panel. */
  times: string;
  barFilled: string;
  barEmpty: string;
  /** Sparkline levels, lowest first. */
  sparkLevels: readonly string[];
  connected: string;
  connecting: string;
  disconnected: string;
  gatePass: string;
  gateFail: string;
  gateUnknown: string;
  gateWarn: string;
  /** Configured, not checked yet. */
  gatePending: string;
  /** Not run: an earlier pipeline stage fails. */
  gateBlocked: string;
  /** Separates segments in header, hint bar and titles. */
  separator: string;
  /** Marks the current search match in the log view. */
  currentMatch: string;
  stderr: string;
  border: BorderCharacters;
  focusedBorder: BorderCharacters;
}

export const UNICODE_GLYPHS: Glyphs = {
  ascii: false,
  selected: '›',
  alert: '!',
  expanded: '▾',
  collapsed: '▸',
  ellipsis: '…',
  times: '×',
  barFilled: '▇',
  barEmpty: '▁',
  sparkLevels: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  connected: '●',
  connecting: '◌',
  disconnected: '○',
  gatePass: '✓',
  gateFail: '✗',
  gateUnknown: '?',
  gateWarn: '!',
  gatePending: '○',
  gateBlocked: '⊘',
  separator: '│',
  currentMatch: '▶',
  stderr: '▌',
  border: {
    topLeft: '┌',
    top: '─',
    topRight: '┐',
    left: '│',
    right: '│',
    bottomLeft: '└',
    bottom: '─',
    bottomRight: '┘',
  },
  focusedBorder: {
    topLeft: '┏',
    top: '━',
    topRight: '┓',
    left: '┃',
    right: '┃',
    bottomLeft: '┗',
    bottom: '━',
    bottomRight: '┛',
  },
};

export const ASCII_GLYPHS: Glyphs = {
  ascii: true,
  selected: '>',
  alert: '!',
  expanded: '-',
  collapsed: '+',
  ellipsis: '...',
  times: 'x',
  barFilled: '#',
  barEmpty: '.',
  sparkLevels: ['_', '.', '-', '=', '+', '*', '#'],
  connected: '*',
  connecting: '~',
  disconnected: 'o',
  gatePass: '+',
  gateFail: 'x',
  gateUnknown: '?',
  gateWarn: '!',
  gatePending: '.',
  gateBlocked: '-',
  separator: '|',
  currentMatch: '>',
  stderr: '|',
  border: {
    topLeft: '+',
    top: '-',
    topRight: '+',
    left: '|',
    right: '|',
    bottomLeft: '+',
    bottom: '-',
    bottomRight: '+',
  },
  focusedBorder: {
    topLeft: '#',
    top: '=',
    topRight: '#',
    left: '#',
    right: '#',
    bottomLeft: '#',
    bottom: '=',
    bottomRight: '#',
  },
};

/** A gate status's glyph (the panel, the detail and `opsdeck status` draw the same). */
export function gateGlyph(status: 'pass' | 'fail' | 'warn' | 'unknown' | 'pending' | 'blocked', glyphs: Glyphs): string {
  switch (status) {
    case 'pass':
      return glyphs.gatePass;
    case 'fail':
      return glyphs.gateFail;
    case 'warn':
      return glyphs.gateWarn;
    case 'unknown':
      return glyphs.gateUnknown;
    case 'pending':
      return glyphs.gatePending;
    case 'blocked':
      return glyphs.gateBlocked;
  }
}

export function glyphsFor(ascii: boolean): Glyphs {
  return ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
}
