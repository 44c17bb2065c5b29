// Random Ink-like frames for the cell writer's tests: lines of chalk-styled segments (colours,
// 256 and true colours, bold, dim, italic, underline, inverse, strikethrough, now and then a link)
// with box drawing, wide CJK, emoji and combining marks, placed and encoded by the tokenizer and
// encoder Ink's Output uses, changing from frame to frame as counters, colours and texts do.
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed from its seed. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  'cpu 12.3%', 'mem 45%', '▁▂▃▅▇█▇▅', '────────', '│', ' ✓ healthy', ' ✗ exited (1)', '…', '› ', 'svc-001', 'api-7d9f8-b',
  '漢字テスト', 'résumé', 'cafe\u0301', '🚀 deploy', '⚠ warn', 'Connection refused to 10.0.0.4:5432', '   ', 'x', '12', '999',
];
const FOREGROUNDS = ['31', '32', '33', '34', '35', '36', '37', '90', '91', '96', '38;5;208', '38;2;10;200;30'];
const BACKGROUNDS = ['41', '42', '44', '47', '100', '48;5;17', '48;2;60;0;90'];
const MODIFIERS: Array<[string, string]> = [['1', '22'], ['2', '22'], ['3', '23'], ['4', '24'], ['7', '27'], ['9', '29']];

interface Segment {
  text: string;
  open: string[];
  close: string[];
}

export function randomStyle(random: () => number): Pick<Segment, 'open' | 'close'> {
  const open: string[] = [];
  const close: string[] = [];
  if (random() < 0.6) open.push(FOREGROUNDS[Math.floor(random() * FOREGROUNDS.length)] as string), close.push('39');
  if (random() < 0.2) open.push(BACKGROUNDS[Math.floor(random() * BACKGROUNDS.length)] as string), close.push('49');
  for (const [on, off] of MODIFIERS) if (random() < 0.12) open.push(on), close.push(off);
  return { open, close };
}

function randomSegment(random: () => number): Segment {
  return { text: TEXTS[Math.floor(random() * TEXTS.length)] as string, ...randomStyle(random) };
}

/** A line as chalk writes styled text, placed and encoded as Ink's Output does (the same tokenizer and encoder). */
function encodeLine(segments: readonly Segment[], columns: number, random: () => number): string {
  let text = '';
  let width = 0;
  for (const segment of segments) {
    const segmentWidth = stringWidth(segment.text);
    if (width + segmentWidth > columns) break;
    width += segmentWidth;
    const link = random() < 0.01;
    const body = link ? `\u001b]8;;https://127.0.0.1/x\u0007${segment.text}\u001b]8;;\u0007` : segment.text;
    text += segment.open.map((code) => `\u001b[${code}m`).join('') + body + segment.close.map((code) => `\u001b[${code}m`).join('');
  }
  return styledCharsToString(styledCharsFromTokens(tokenize(text))).trimEnd();
}

/** What changes between frames: digits of a counter, a colour, a segment's text, segments added or removed, a new line. */
function mutate(line: Segment[], random: () => number): Segment[] {
  const next = line.map((segment) => ({ ...segment }));
  const roll = random();
  const index = Math.floor(random() * Math.max(1, next.length));
  const target = next[index];
  if (roll < 0.35 && target) target.text = target.text.replace(/\d/g, () => String(Math.floor(random() * 10)));
  else if (roll < 0.5 && target) Object.assign(target, randomStyle(random));
  else if (roll < 0.65 && target) target.text = (TEXTS[Math.floor(random() * TEXTS.length)] as string);
  else if (roll < 0.8) next.push(randomSegment(random));
  else if (roll < 0.9) next.splice(index, 1);
  else return Array.from({ length: 1 + Math.floor(random() * 8) }, () => randomSegment(random));
  return next;
}

export function randomFrames(seed: number, count: number, columns: number, height: number): string[] {
  const random = randomSource(seed);
  let lines = Array.from({ length: height }, () => Array.from({ length: Math.floor(random() * 8) }, () => randomSegment(random)));
  const frames: string[] = [];
  for (let frame = 0; frame < count; frame++) {
    frames.push(`${lines.map((line) => encodeLine(line, columns, randomSource(seed * 1000 + frame))).join('\n')}\n`);
    lines = lines.map((line) => (random() < 0.25 ? mutate(line, random) : line));
  }
  return frames;
}


/** Glyphs whose columns every terminal and string-width agree on (the cockpit's: box drawing, › ● … ✓, CJK). */
const AGREED_TEXTS = ['cpu 12.3%', '▁▂▃▅▇█', '━━━━', '┃', '│', ' ✓ ok', '● connected', '…', '› ', 'svc-001', '漢字', 'résumé', '(2/17)', '   ', 'x', '999'];

/**
 * Frames of changing heights (each one line to `maxHeight` lines, shrinking and growing), whose
 * lines get longer, shorter, restyled and emptied, from the glyphs of AGREED_TEXTS only, so a
 * small emulator counts their columns as Ink does. Each ends with a newline, as Ink's frames do.
 */
export function randomShapedFrames(seed: number, count: number, columns: number, maxHeight: number): string[] {
  const random = randomSource(seed);
  const segment = (): Segment => ({ text: AGREED_TEXTS[Math.floor(random() * AGREED_TEXTS.length)] as string, ...randomStyle(random) });
  let lines = Array.from({ length: maxHeight }, () => Array.from({ length: Math.floor(random() * 10) }, segment));
  let height = 1 + Math.floor(random() * maxHeight);
  const frames: string[] = [];
  for (let frame = 0; frame < count; frame++) {
    frames.push(`${lines.slice(0, height).map((line) => encodeLine(line, columns, () => 1)).join('\n')}\n`);
    if (random() < 0.3) height = 1 + Math.floor(random() * maxHeight);
    lines = lines.map((line) => {
      const roll = random();
      if (roll < 0.1) return line.slice(0, Math.floor(random() * line.length));
      if (roll < 0.2) return [...line, segment()];
      if (roll < 0.3) return line.map((part) => (random() < 0.3 ? { ...part, ...randomStyle(random) } : part));
      if (roll < 0.35) return [];
      return line;
    });
  }
  return frames;
}
