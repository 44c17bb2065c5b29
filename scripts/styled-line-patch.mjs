// A patch to Ink 6.8's Output, applied while bundling (bundle-patches.mjs inserts it): the styled
// characters of a line made without a grapheme segmenter and without new objects per character,
// and the frame's rows taken as they are unless a write left holes in them. Measured on keys with
// 500 containers: the tokenizer (Intl.Segmenter over every character, one token, one cell and one
// styles-array copy per character) and the young-generation collections after it were the largest
// cost of a filter key that brings new rows on screen.

/**
 * Characters string-width 8 measures as one column each (with ambiguous characters narrow, its
 * default) and that never join a neighbour into one grapheme: Latin-1 and Latin Extended, general
 * punctuation (… › •), arrows, box drawing, blocks and shapes, dingbats (✓ ✗), minus the
 * emoji-presentation ones it measures as two. Every code point is checked against string-width in
 * test/unit/bundle-patches.test.ts.
 */
export const NARROW_CHARACTER_CLASS =
  '\\u0020-\\u007E\\u00A1-\\u00AC\\u00AE-\\u02FF\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u21FF\\u2500-\\u25FC\\u25FF' +
  '\\u2700-\\u2704\\u2706-\\u2709\\u270C-\\u2727\\u2729-\\u274B\\u274D\\u274F-\\u2752\\u2756\\u2758-\\u2794\\u2798-\\u27AF\\u27B1-\\u27BE';

export const FAST_STYLED_LINE = `
// opsdeck: styledCharsFromTokens(tokenize(line)) for a line of narrow characters (each its own
// grapheme and one column: NARROW_CHARACTER_CLASS in scripts/styled-line-patch.mjs) and SGR
// sequences, without the grapheme segmenter. Each distinct style is one shared styles array
// (what the released reducer makes of the same sequences: tokenize and reduceAnsiCodesIncremental
// run once per style and sequence), and each character in a style one shared cell; cells and
// their styles are only ever read (Output.get places them, the row encoder reads them), so
// sharing them changes no output. A line with anything else (a wide character, an emoji, a
// link, another escape) returns undefined and goes the released way.
const OPSDECK_NARROW_UNITS = new Uint8Array(0x2800);
{
  const narrow = /^[${NARROW_CHARACTER_CLASS}]$/;
  for (let unit = 0; unit < OPSDECK_NARROW_UNITS.length; unit++) OPSDECK_NARROW_UNITS[unit] = narrow.test(String.fromCharCode(unit)) ? 1 : 0;
}
let opsdeckStyles = new Map();
let opsdeckStyleCells = 0;
function opsdeckStyle(codes) {
  let key = '';
  for (const code of codes) key += code.code;
  let style = opsdeckStyles.get(key);
  if (style === undefined) {
    style = { codes, cells: new Map(), next: new Map() };
    opsdeckStyles.set(key, style);
  }
  return style;
}
let opsdeckPlainStyle = opsdeckStyle([]);
function opsdeckFastStyledLine(line) {
  // Bounded: a few dozen styles and a few hundred characters are what a cockpit draws.
  if (opsdeckStyles.size > 1000 || opsdeckStyleCells > 50000) {
    opsdeckStyles = new Map();
    opsdeckStyleCells = 0;
    opsdeckPlainStyle = opsdeckStyle([]);
  }
  let style = opsdeckPlainStyle;
  const cells = [];
  const length = line.length;
  for (let index = 0; index < length; index++) {
    const unit = line.charCodeAt(index);
    if (unit === 0x1b) {
      // An SGR sequence as the tokenizer reads one: ESC [ digits and semicolons m.
      if (line.charCodeAt(index + 1) !== 0x5b) return undefined;
      let end = index + 2;
      for (; end < length; end++) {
        const code = line.charCodeAt(end);
        if (code === 0x6d) break;
        if (code !== 0x3b && (code < 0x30 || code > 0x39)) return undefined;
      }
      if (end >= length) return undefined;
      const sequence = line.slice(index, end + 1);
      let next = style.next.get(sequence);
      if (next === undefined) {
        next = opsdeckStyle(reduceAnsiCodesIncremental(style.codes, tokenize(sequence)));
        style.next.set(sequence, next);
      }
      style = next;
      index = end;
      continue;
    }
    if (unit >= 0x2800 || OPSDECK_NARROW_UNITS[unit] === 0) return undefined;
    const value = line[index];
    let cell = style.cells.get(value);
    if (cell === undefined) {
      cell = { type: 'char', value, fullWidth: false, styles: style.codes };
      style.cells.set(value, cell);
      opsdeckStyleCells++;
    }
    cells.push(cell);
  }
  return cells;
}
// opsdeck: a row of the grid as the row encoder reads it; the released code copied every row to
// drop holes, which only a write beyond the row's end can leave.
function opsdeckWithoutHoles(line) {
  for (let index = 0; index < line.length; index++) {
    if (line[index] === undefined) return line.filter(item => item !== undefined);
  }
  return line;
}
`;
