// Source patches applied to dependencies while bundling (the bundle is what operators run):
// fixes and caches for Ink 6.8's renderer here; a key's frame drawn at once (key-frame-patches.mjs);
// styled lines without a segmenter (styled-line-patch.mjs); squashed texts kept (text-squash-patches.mjs);
// dockerode without its ssh2 and BuildKit code, zod in English only, Yoga's wasm without fetch
// (library-patches.mjs). Each patch names
// what it is for; the build fails when a patch no longer applies, so an upgrade cannot
// silently drop one.
import { fileURLToPath } from 'node:url';
import { KEY_FRAME_PATCHES } from './key-frame-patches.mjs';
import { LIBRARY_PATCHES } from './library-patches.mjs';
import { TEXT_SQUASH_PATCHES } from './text-squash-patches.mjs';
import { FAST_STYLED_LINE, NARROW_CHARACTER_CLASS } from './styled-line-patch.mjs';

const SHARED_OUTPUT_CACHES = `
// opsdeck: one set of caches for every frame (Ink makes a new Output, and new caches, per
// frame, so unchanged rows were re-tokenized and re-measured on every update). Bounded: a
// styled line is an array of one object per character (~10 KB at 120 columns), so only a few
// frames' worth of lines are kept, in two generations: when the current one is full it becomes
// the previous one, whose entries move to the new one as frames use them. What is on screen
// stays cached (a frame uses a few hundred entries), with the very cells it had, so a full
// cache costs no frame a re-tokenizing of every line (it did when the whole cache was dropped).
let opsdeckSharedCaches;
function opsdeckOutputCaches() {
  const current = opsdeckSharedCaches;
  if (!current || current.styledChars.size + current.slices.size > 500 || current.widths.size + current.blockWidths.size > 2500) {
    const next = new OutputCaches();
    next.previous = current;
    if (current) current.previous = undefined;
    opsdeckSharedCaches = next;
  }
  return opsdeckSharedCaches;
}
// opsdeck: the styled characters of lines whose every character is one column wide (nearly
// all): Output.get places them without measuring each character again.
const opsdeckNarrowLines = new WeakSet();
function opsdeckStyledLine(caches, line) {
  const previous = caches.previous?.styledChars.get(line);
  if (previous !== undefined) return previous;
  const fast = opsdeckFastStyledLine(line);
  if (fast !== undefined) {
    opsdeckNarrowLines.add(fast);
    return fast;
  }
  const characters = styledCharsFromTokens(tokenize(line));
  let narrow = true;
  for (const character of characters) {
    if (caches.getStringWidth(character.value) > 1) {
      narrow = false;
      break;
    }
  }
  if (narrow) opsdeckNarrowLines.add(characters);
  return characters;
}
`;

const UNCHANGED_ROWS = `
// opsdeck: a row whose cells are the very cells of the previous frame's row (the shared caches
// above hand out the same styled characters for an unchanged line, and blank cells are one
// shared object) is the same text: reuse it instead of re-encoding 120 cells. Cells are never
// mutated (styledCharsToString only reads them), so identity means equal output.
const OPSDECK_BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
const opsdeckPreviousRows = [];
function opsdeckRowText(y, cells) {
  const previous = opsdeckPreviousRows[y];
  if (previous !== undefined && previous.cells.length === cells.length) {
    let same = true;
    for (let index = 0; index < cells.length; index++) {
      if (previous.cells[index] !== cells[index]) {
        same = false;
        break;
      }
    }
    if (same) return previous.text;
  }
  const text = opsdeckStyledCharsToString(cells).trimEnd();
  opsdeckPreviousRows[y] = { cells, text };
  return text;
}
// opsdeck: styledCharsToString (@alcalzone/ansi-tokenize) without the style difference between
// neighbours that carry the same codes (the characters of one styled run of a line share their
// code objects): that difference is empty, and computing it made three Sets per character.
function opsdeckSameCodes(left, right) {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}
// The difference between two cells' codes, kept per pair of code arrays (a cached line's cells
// keep theirs from frame to frame): a row that moved (the list scrolled) is encoded from known
// transitions. Weak: the entries go with the cells.
const OPSDECK_NO_CODES = Object.freeze([]);
const opsdeckTransitions = new WeakMap();
function opsdeckTransition(from, to) {
  let byTarget = opsdeckTransitions.get(from);
  if (byTarget === undefined) {
    byTarget = new WeakMap();
    opsdeckTransitions.set(from, byTarget);
  }
  let text = byTarget.get(to);
  if (text === undefined) {
    text = ansiCodesToString(diffAnsiCodes(from, to));
    byTarget.set(to, text);
  }
  return text;
}
function opsdeckStyledCharsToString(chars) {
  let text = '';
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index];
    if (index === 0) text += ansiCodesToString(char.styles);
    else if (!opsdeckSameCodes(chars[index - 1].styles, char.styles)) text += opsdeckTransition(chars[index - 1].styles, char.styles);
    text += char.value;
    if (index === chars.length - 1 && char.styles.length > 0) text += opsdeckTransition(char.styles, OPSDECK_NO_CODES);
  }
  return text;
}
`;

export { NARROW_CHARACTER_CLASS };

const CACHED_WIDEST_LINE = `
// opsdeck: text widths cached across frames (bounded), like Ink's own measure-text cache.
const opsdeckWidths = new Map();
function opsdeckWidestLine(text) {
  let width = opsdeckWidths.get(text);
  if (width === undefined) {
    if (opsdeckWidths.size > 20000) opsdeckWidths.clear();
    width = widestLine(text);
    opsdeckWidths.set(text, width);
  }
  return width;
}
`;

/** The cell writer Ink's log-update hands frames to for `incrementalRendering: 'cells'`. */
const CELL_LOG_UPDATE = fileURLToPath(new URL('../src/terminal/cell-log-update.ts', import.meta.url));

export const BUNDLE_PATCHES = [
  {
    file: /ink[\\/]build[\\/]log-update\.js$/,
    why:
      'incremental rendering moved the cursor up one line too few when the previous frame ended with a newline ' +
      '(every frame shorter than the terminal does): each update was drawn one row lower, leaving stale lines',
    find: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
    replace: "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
  },
  {
    file: /ink[\\/]build[\\/]log-update\.js$/,
    why:
      "only the changed cells of a changed line sent (src/terminal/cell-log-update.ts) for incrementalRendering: 'cells'; " +
      'Ink rewrote each changed line whole',
    find: 'const create = (stream, { showCursor = false, incremental = false } = {}) => {\n    if (incremental) {',
    replace:
      'const create = (stream, { showCursor = false, incremental = false } = {}) => {\n' +
      "    if (incremental === 'cells') {\n        return createCellLogUpdate(stream, { showCursor });\n    }\n    if (incremental) {",
  },
  {
    file: /ink[\\/]build[\\/]log-update\.js$/,
    why: 'import the cell writer',
    find: "import cliCursor from 'cli-cursor';\n",
    replace: `import cliCursor from 'cli-cursor';\nimport { createCellLogUpdate } from ${JSON.stringify(CELL_LOG_UPDATE)};\n`,
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'frame caches shared across frames (measured: ~70 ms of CPU per frame at 120x40 without them)',
    find: '    caches = new OutputCaches();',
    replace: '    caches = opsdeckOutputCaches();',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'clipped lines (every line inside an overflow-hidden box) cached like the other measurements',
    find: '    styledChars = new Map();\n',
    replace:
      '    styledChars = new Map();\n' +
      '    slices = new Map();\n' +
      '    getSlice(line, from, to) {\n' +
      '        // opsdeck: a line that fits its clip is not cut: sliceAnsi re-tokenized it to return the same characters.\n' +
      '        if (from === 0 && to === this.getStringWidth(line)) {\n' +
      '            return line;\n' +
      '        }\n' +
      '        const key = `${from}:${to}:${line}`;\n' +
      '        let cached = this.slices.get(key);\n' +
      '        if (cached === undefined) {\n' +
      '            cached = this.previous?.slices.get(key) ?? sliceAnsi(line, from, to);\n' +
      '            this.slices.set(key, cached);\n' +
      '        }\n' +
      '        return cached;\n' +
      '    }\n',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'use the clipped-line cache',
    find: '                            return sliceAnsi(line, from, to);',
    replace: '                            return this.caches.getSlice(line, from, to);',
  },
  {
    file: /ink[\\/]build[\\/]render-node-to-output\.js$/,
    why: 'text widths measured once per distinct text, not once per frame',
    find: '                const currentWidth = widestLine(text);',
    replace: '                const currentWidth = opsdeckWidestLine(text);',
  },
  {
    file: /ink[\\/]build[\\/]render-node-to-output\.js$/,
    why: 'define the width cache',
    find: "import widestLine from 'widest-line';\n",
    replace: `import widestLine from 'widest-line';\n${CACHED_WIDEST_LINE}`,
  },
  {
    file: /ink[\\/]build[\\/]measure-text\.js$/,
    why: 'bounded: Ink kept the size of every distinct text ever rendered (counts and ages change every frame)',
    find: '    cache.set(text, dimensions);',
    replace: '    if (cache.size > 20000) cache.clear();\n    cache.set(text, dimensions);',
  },
  {
    file: /ink[\\/]build[\\/]wrap-text\.js$/,
    why: 'bounded: Ink kept every distinct wrapped or truncated text ever rendered',
    find: '    cache[cacheKey] = wrappedText;',
    replace:
      '    if (++wrapCacheSize > 20000) {\n' +
      '        for (const key of Object.keys(cache)) delete cache[key];\n' +
      '        wrapCacheSize = 0;\n' +
      '    }\n' +
      '    cache[cacheKey] = wrappedText;',
  },
  {
    file: /ink[\\/]build[\\/]wrap-text\.js$/,
    why: 'count the wrapped-text cache entries',
    find: 'const cache = {};',
    replace: 'const cache = {};\nlet wrapCacheSize = 0;',
  },
  {
    file: /string-width[\\/]index\.js$/,
    // wrap-ansi's own older copy (7.x, used only for wrap="wrap" text) is left as it is.
    skip: /wrap-ansi[\\/]node_modules[\\/]/,
    why:
      'a fast path for the narrow symbols the cockpit draws on every row (borders, ellipsis, glyphs): only printable ASCII ' +
      'had one, and any other character sent the whole line through Intl.Segmenter and three regexes per grapheme ' +
      '(measured: the largest single cost of a frame while a step streams output cut with an ellipsis)',
    find: '\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n',
    replace:
      '\tif (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n' +
      `\t// opsdeck: one column per UTF-16 unit for these (see NARROW_CHARACTER_CLASS in scripts/styled-line-patch.mjs).\n\tif (ambiguousIsNarrow && /^[${NARROW_CHARACTER_CLASS}]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n`,
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why:
      'one shared blank cell instead of width x height new objects per frame (garbage collected a few times a second), ' +
      'each row made filled at once instead of a push per cell',
    find:
      '            const row = [];\n            for (let x = 0; x < this.width; x++) {\n' +
      "                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });\n" +
      '            }\n            output.push(row);\n',
    replace: '            output.push(new Array(this.width).fill(OPSDECK_BLANK_CELL));\n',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'rows unchanged since the previous frame are not re-encoded (every row was, on every frame)',
    find: '            .map(line => {\n            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return styledCharsToString(lineWithoutEmptyItems).trimEnd();\n        })\n',
    replace:
      '            .map((line, y) => {\n            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n            return opsdeckRowText(y, opsdeckWithoutHoles(line));\n        })\n',
  },
  {
    file: /ink[\\/]build[\\/]ink\.js$/,
    why: 'the Yoga pass timed for the OPSDECK_FRAME_TIMING debug log (src/terminal/frame-timing.ts); one optional call when it is off',
    find: '    calculateLayout = () => {\n        const terminalWidth = this.getTerminalWidth();\n        this.rootNode.yogaNode.setWidth(terminalWidth);\n        this.rootNode.yogaNode.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);\n    };',
    replace:
      '    calculateLayout = () => {\n        const opsdeckTiming = globalThis.__opsdeckFrameTiming;\n        const opsdeckStart = opsdeckTiming === undefined ? 0 : performance.now();\n' +
      '        const terminalWidth = this.getTerminalWidth();\n        this.rootNode.yogaNode.setWidth(terminalWidth);\n        this.rootNode.yogaNode.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);\n' +
      "        opsdeckTiming?.('layout', opsdeckStart);\n    };",
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'styled lines looked up in the previous cache generation, and marked when every character is narrow',
    find: '            cached = styledCharsFromTokens(tokenize(line));',
    replace: '            cached = opsdeckStyledLine(this, line);',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'text widths looked up in the previous cache generation',
    find: '            cached = stringWidth(text);',
    replace: '            cached = this.previous?.widths.get(text) ?? stringWidth(text);',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'block widths looked up in the previous cache generation',
    find: '        let cached = this.blockWidths.get(text);\n',
    replace: '        let cached = this.blockWidths.get(text);\n        if (cached === undefined && this.previous !== undefined) {\n            cached = this.previous.blockWidths.get(text);\n            if (cached !== undefined) this.blockWidths.set(text, cached);\n        }\n',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'a line of narrow characters placed without measuring each character (Output.get did a width lookup per cell)',
    find: '                    const characters = this.caches.getStyledChars(line);\n                    let offsetX = x;\n',
    replace:
      '                    const characters = this.caches.getStyledChars(line);\n                    let offsetX = x;\n' +
      '                    if (opsdeckNarrowLines.has(characters)) {\n' +
      '                        for (const character of characters) currentLine[offsetX++] = character;\n' +
      '                        offsetY++;\n' +
      '                        continue;\n' +
      '                    }\n',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'import what the row encoder needs from the tokenizer',
    find: "import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
    replace: "import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';",
  },
  {
    file: /ink[\\/]build[\\/]sanitize-ansi\.js$/,
    why: 'the uncached sanitizer, wrapped below',
    find: 'const sanitizeAnsi = (text) => {',
    replace: 'const opsdeckSanitizeUncached = (text) => {',
  },
  {
    file: /ink[\\/]build[\\/]sanitize-ansi\.js$/,
    why: 'every Text node\'s text (each level of nested Text) was re-tokenized on every frame to strip control sequences: the result is kept per text',
    find: 'export default sanitizeAnsi;',
    replace:
      '// opsdeck: the sanitized text kept per text, in two generations of 2,000 (what the screen shows stays).\n' +
      'let opsdeckSanitized = new Map();\n' +
      'let opsdeckSanitizedBefore = new Map();\n' +
      'const sanitizeAnsi = (text) => {\n' +
      '    let sanitized = opsdeckSanitized.get(text);\n' +
      '    if (sanitized !== undefined) return sanitized;\n' +
      '    sanitized = opsdeckSanitizedBefore.get(text) ?? opsdeckSanitizeUncached(text);\n' +
      '    if (opsdeckSanitized.size >= 2000) {\n' +
      '        opsdeckSanitizedBefore = opsdeckSanitized;\n' +
      '        opsdeckSanitized = new Map();\n' +
      '    }\n' +
      '    opsdeckSanitized.set(text, sanitized);\n' +
      '    return sanitized;\n' +
      '};\n' +
      'export default sanitizeAnsi;',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'define the shared caches after the class',
    find: 'export default class Output {',
    replace: `${FAST_STYLED_LINE}${SHARED_OUTPUT_CACHES}${UNCHANGED_ROWS}export default class Output {`,
  },
  {
    file: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
    why:
      'each styled character written as a literal: made with an object spread ({...token, styles}), every character of ' +
      'every re-drawn line got a hidden class of its own on Node 20, allocated in the old generation (~200 bytes each), ' +
      'and the heap grew by tens of MB a minute while a log flood changed rows on every frame',
    find: '            ret.push({\n                ...token,\n                styles: [...codes],\n            });',
    replace: '            ret.push({\n                type: token.type,\n                value: token.value,\n                fullWidth: token.fullWidth,\n                styles: [...codes],\n            });',
  },
  ...TEXT_SQUASH_PATCHES,
  ...KEY_FRAME_PATCHES,
  ...LIBRARY_PATCHES,
];

/**
 * The releases the patches were written against: `package.json` pins them exactly, and the
 * build stops when the installed one differs, so an upgrade is a deliberate step.
 */
export const PATCHED_PACKAGES = { ink: '6.8.0' };

/** Throws, naming the package, when an installed version is not the one the patches were written for. */
export async function assertPatchedVersions(readFile, resolvePackageJson) {
  for (const [name, version] of Object.entries(PATCHED_PACKAGES)) {
    const installed = JSON.parse(await readFile(resolvePackageJson(name), 'utf8')).version;
    if (installed !== version) {
      throw new Error(`${name} ${installed} is installed, but the bundle patches in scripts/bundle-patches.mjs were written for ${version}`);
    }
  }
}

function occurrences(source, text) {
  let count = 0;
  for (let index = source.indexOf(text); index >= 0; index = source.indexOf(text, index + text.length)) count += 1;
  return count;
}

/** The patches for one dependency file, applied; each anchor must occur exactly once. */
export function applyBundlePatches(path, source) {
  let patched = source;
  for (const patch of BUNDLE_PATCHES.filter((candidate) => candidate.file.test(path) && !candidate.skip?.test(path))) {
    const count = occurrences(patched, patch.find);
    if (count !== 1) {
      throw new Error(`${path}: the bundle patch "${patch.why}" expects its anchor once, found it ${count} times; check the new release`);
    }
    patched = patched.replace(patch.find, patch.replace);
  }
  return patched;
}

/** esbuild plugin applying BUNDLE_PATCHES. */
export function bundlePatchesPlugin(readFile) {
  return {
    name: 'opsdeck-bundle-patches',
    setup(pluginBuild) {
      const files = [...new Set(BUNDLE_PATCHES.map((patch) => patch.file.source))].map((source) => new RegExp(source));
      for (const filter of files) {
        pluginBuild.onLoad({ filter }, async (args) => ({ contents: applyBundlePatches(args.path, await readFile(args.path, 'utf8')), loader: 'js' }));
      }
    },
  };
}
