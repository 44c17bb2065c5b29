// One line of an Ink frame as terminal cells: the character and the SGR style of each column,
// placed the way Ink's Output places them (one grapheme per cell, max(1, string-width) columns,
// a wide character followed by a continuation cell). The cell writer (cell-log-update.ts)
// compares these to send only the cells that changed.
import stringWidth from 'string-width';

/** A style as the canonical list of SGR parameters ("1;31;48;5;17"); '' is the terminal's default. */
export type StyleKey = string;

/** A line as cells; `chars[x]` is '' for the right half of a wide character. */
export interface CellRow {
  chars: string[];
  styles: StyleKey[];
  /**
   * False when the line holds something whose columns the terminal may count otherwise than
   * string-width (emoji, combining marks, joined graphemes) or an escape other than SGR (a link):
   * such a line is rewritten whole when it changes, as a full redraw writes it.
   */
  exact: boolean;
}

interface StyleParts {
  /** Bit per attribute, in ATTRIBUTES order. */
  flags: number;
  foreground: string;
  background: string;
  underlineColor: string;
}

/** On and off codes of the attributes, in the order of their bits (22 turns both bold and dim off). */
const ATTRIBUTES: ReadonlyArray<{ on: string; off: string }> = [
  { on: '1', off: '22' },
  { on: '2', off: '22' },
  { on: '3', off: '23' },
  { on: '4', off: '24' },
  { on: '5', off: '25' },
  { on: '7', off: '27' },
  { on: '8', off: '28' },
  { on: '9', off: '29' },
  { on: '53', off: '55' },
];
const ATTRIBUTE_BY_CODE = new Map<number, { bit: number; on: boolean }>();
ATTRIBUTES.forEach((attribute, index) => {
  ATTRIBUTE_BY_CODE.set(Number(attribute.on), { bit: 1 << index, on: true });
});
const OFF_MASKS = new Map<number, number>([
  [22, 0b11],
  [23, 1 << 2],
  [24, 1 << 3],
  [25, 1 << 4],
  [27, 1 << 5],
  [28, 1 << 6],
  [29, 1 << 7],
  [55, 1 << 8],
]);
const INTENSITY = 0b11;

const DEFAULT_PARTS: StyleParts = { flags: 0, foreground: '', background: '', underlineColor: '' };

function keyOf(parts: StyleParts): StyleKey {
  const codes: string[] = [];
  ATTRIBUTES.forEach((attribute, index) => {
    if (parts.flags & (1 << index)) codes.push(attribute.on);
  });
  if (parts.foreground) codes.push(parts.foreground);
  if (parts.background) codes.push(parts.background);
  if (parts.underlineColor) codes.push(parts.underlineColor);
  return codes.join(';');
}

const partsByKey = new Map<StyleKey, StyleParts>([['', DEFAULT_PARTS]]);

function remember(parts: StyleParts): StyleKey {
  const key = keyOf(parts);
  if (!partsByKey.has(key)) {
    if (partsByKey.size > 5000) partsByKey.clear();
    partsByKey.set(key, parts);
  }
  return key;
}

function partsOf(key: StyleKey): StyleParts {
  let parts = partsByKey.get(key);
  if (!parts) {
    parts = applySgr(DEFAULT_PARTS, key) ?? DEFAULT_PARTS;
    partsByKey.set(key, parts);
  }
  return parts;
}

/** A colour's parameters starting at `index` (30-37, 90-97, 38;5;n, 38;2;r;g;b ...), or undefined when malformed. */
function colorAt(codes: number[], index: number, base: number): { text: string; length: number } | undefined {
  const code = codes[index];
  if (code === base + 8) {
    const mode = codes[index + 1];
    if (mode === 5 && codes.length > index + 2 && (codes[index + 2] ?? -1) <= 255) return { text: `${code};5;${codes[index + 2]}`, length: 3 };
    if (mode === 2 && codes.length > index + 4 && [2, 3, 4].every((offset) => (codes[index + offset] ?? -1) <= 255)) {
      return { text: `${code};2;${codes[index + 2]};${codes[index + 3]};${codes[index + 4]}`, length: 5 };
    }
    return undefined;
  }
  return { text: String(code), length: 1 };
}

/** The style after one SGR sequence's parameters, or undefined for one the model does not know. */
export function applySgr(from: StyleParts, parameters: string): StyleParts | undefined {
  if (parameters.includes(':')) return undefined;
  const codes = parameters === '' ? [0] : parameters.split(';').map((part) => (part === '' ? 0 : Number(part)));
  const parts = { ...from };
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] ?? 0;
    if (!Number.isInteger(code)) return undefined;
    if (code === 0) {
      Object.assign(parts, DEFAULT_PARTS);
      continue;
    }
    const attribute = ATTRIBUTE_BY_CODE.get(code);
    if (attribute) {
      parts.flags |= attribute.bit;
      continue;
    }
    const off = OFF_MASKS.get(code);
    if (off !== undefined) {
      parts.flags &= ~off;
      continue;
    }
    if (code === 39) parts.foreground = '';
    else if (code === 49) parts.background = '';
    else if (code === 59) parts.underlineColor = '';
    else if ((code >= 30 && code <= 38) || (code >= 90 && code <= 97)) {
      const color = colorAt(codes, index, 30);
      if (!color) return undefined;
      parts.foreground = color.text;
      index += color.length - 1;
    } else if ((code >= 40 && code <= 48) || (code >= 100 && code <= 107)) {
      const color = colorAt(codes, index, 40);
      if (!color) return undefined;
      parts.background = color.text;
      index += color.length - 1;
    } else if (code === 58) {
      const color = colorAt(codes, index, 50);
      if (!color) return undefined;
      parts.underlineColor = color.text;
      index += color.length - 1;
    } else return undefined;
  }
  return parts;
}

/** The shortest SGR sequence taking the terminal from one style to another ('' when they are the same). */
export function styleTransition(from: StyleKey, to: StyleKey): string {
  if (from === to) return '';
  if (to === '') return '\u001b[0m';
  const reset = `\u001b[0;${to}m`;
  const before = partsOf(from);
  const after = partsOf(to);
  const codes: string[] = [];
  let flagsOn = after.flags & ~before.flags;
  const removed = before.flags & ~after.flags;
  if (removed & INTENSITY) {
    // 22 turns bold and dim off together: the one that stays is turned on again.
    codes.push('22');
    flagsOn |= after.flags & INTENSITY;
  }
  ATTRIBUTES.forEach((attribute, index) => {
    const bit = 1 << index;
    if (bit & INTENSITY) return;
    if (removed & bit) codes.push(attribute.off);
  });
  ATTRIBUTES.forEach((attribute, index) => {
    if (flagsOn & (1 << index)) codes.push(attribute.on);
  });
  if (before.foreground !== after.foreground) codes.push(after.foreground || '39');
  if (before.background !== after.background) codes.push(after.background || '49');
  if (before.underlineColor !== after.underlineColor) codes.push(after.underlineColor || '59');
  const incremental = `\u001b[${codes.join(';')}m`;
  return incremental.length < reset.length ? incremental : reset;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** CJK ideographs, Hangul and fullwidth forms: two columns on every terminal, as string-width says. */
function isWideEverywhere(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/**
 * True when terminals agree with string-width on this grapheme's columns: one code point that is
 * narrow text below the emoji blocks (Latin, Greek, Cyrillic, punctuation, arrows, box drawing,
 * blocks, shapes), a narrow dingbat (✓ ✗), or a CJK wide character. `width` is string-width's
 * (a zero-width mark, which Ink still gives a cell, is not agreed on).
 */
export function hasAgreedWidth(grapheme: string, width: number): boolean {
  const codePoint = grapheme.codePointAt(0) ?? 0;
  if (grapheme.length !== (codePoint > 0xffff ? 2 : 1)) return false;
  if (width === 2) return isWideEverywhere(codePoint);
  if (width !== 1) return false;
  if (codePoint < 0xa0) return codePoint >= 0x20 && codePoint < 0x7f;
  return codePoint < 0x2600 || (codePoint >= 0x2700 && codePoint <= 0x27bf);
}

/** The cells of one run of text: its graphemes, a '' after each wide one, and whether all are exact. */
interface RunCells {
  chars: readonly string[];
  exact: boolean;
}

function runCells(text: string): RunCells {
  const chars: string[] = [];
  let exact = true;
  for (const { segment } of graphemes.segment(text)) {
    const measured = stringWidth(segment);
    // Ink gives every grapheme at least one cell (output.js: Math.max(1, stringWidth(character))).
    const width = Math.max(1, measured);
    if (!hasAgreedWidth(segment, measured)) exact = false;
    chars.push(segment);
    for (let column = 1; column < width; column++) chars.push('');
  }
  return { chars, exact };
}

/**
 * Runs of non-ASCII text seen lately (borders, markers, sparklines, the rows around them), in
 * two generations of RUN_GENERATION: a changed line is mostly runs of earlier frames, which are
 * then not segmented into graphemes again.
 */
const RUN_GENERATION = 2000;
let knownRuns = new Map<string, RunCells>();
let olderRuns = new Map<string, RunCells>();

function cachedRunCells(text: string): RunCells {
  let cells = knownRuns.get(text);
  if (cells !== undefined) return cells;
  cells = olderRuns.get(text) ?? runCells(text);
  if (knownRuns.size >= RUN_GENERATION) {
    olderRuns = knownRuns;
    knownRuns = new Map();
  }
  knownRuns.set(text, cells);
  return cells;
}

function pushText(row: CellRow, text: string, style: StyleKey): void {
  let ascii = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let index = 0; index < text.length; index++) {
      row.chars.push(text[index] as string);
      row.styles.push(style);
    }
    return;
  }
  const cells = cachedRunCells(text);
  if (!cells.exact) row.exact = false;
  for (const char of cells.chars) {
    row.chars.push(char);
    row.styles.push(style);
  }
}

/** The style after an SGR sequence, kept per style and parameters (a frame has few of either). */
const sgrSteps = new Map<StyleKey, Map<string, { parts: StyleParts; style: StyleKey } | undefined>>();

function sgrStep(from: StyleKey, parts: StyleParts, parameters: string): { parts: StyleParts; style: StyleKey } | undefined {
  let byParameters = sgrSteps.get(from);
  if (byParameters === undefined) {
    if (sgrSteps.size > 5000) sgrSteps.clear();
    byParameters = new Map();
    sgrSteps.set(from, byParameters);
  }
  if (byParameters.has(parameters)) return byParameters.get(parameters);
  const next = applySgr(parts, parameters);
  const step = next === undefined ? undefined : { parts: next, style: remember(next) };
  if (byParameters.size > 500) byParameters.clear();
  byParameters.set(parameters, step);
  return step;
}

/** Parses one line of a frame (text and SGR sequences, as Ink's styledCharsToString writes it). */
export function parseLine(line: string): CellRow {
  const row: CellRow = { chars: [], styles: [], exact: true };
  let parts = DEFAULT_PARTS;
  let style: StyleKey = '';
  let textStart = 0;
  let index = 0;
  while (index < line.length) {
    if (line.charCodeAt(index) !== 0x1b) {
      index++;
      continue;
    }
    if (index > textStart) pushText(row, line.slice(textStart, index), style);
    if (line[index + 1] !== '[') {
      // OSC (links) and other escapes: not modelled; the line is written as it is.
      row.exact = false;
      return row;
    }
    let end = index + 2;
    while (end < line.length && /[0-9;:]/.test(line[end] as string)) end++;
    const next = line[end] === 'm' ? sgrStep(style, parts, line.slice(index + 2, end)) : undefined;
    if (!next) {
      row.exact = false;
      return row;
    }
    parts = next.parts;
    style = next.style;
    index = end + 1;
    textStart = index;
  }
  if (index > textStart) pushText(row, line.slice(textStart, index), style);
  return row;
}
