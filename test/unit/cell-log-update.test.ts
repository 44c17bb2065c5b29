// The cell writer against Ink's full redraw: the same frames written both ways and replayed
// through a real terminal emulator (tmux) leave the same screen, cell for cell with styles,
// while the cell writer sends a fraction of the bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCellLogUpdate, eraseLines, incrementalRenderingFor } from '../../src/terminal/cell-log-update';
import { applySgr, parseLine, styleTransition } from '../../src/terminal/frame-cells';
import { fullAndCellStreams, RecordingStream, type FrameStep } from '../support/frame-streams';
import { Screen } from '../bench/lib/vt.mjs';
import { randomFrames, randomShapedFrames, randomSource, randomStyle } from '../support/random-frames';
import { captureCells, captureText, TerminalReplay } from '../support/terminal-replay';

const SIZE = { columns: 80, rows: 24 };
let replay: TerminalReplay;
beforeAll(() => {
  replay = new TerminalReplay();
});
afterAll(() => replay.close());

/** Replays both streams of each prefix of the steps that ends at a checkpoint; the screens must be equal. */
async function expectSameScreens(steps: readonly FrameStep[], checkpoints: readonly number[], size = SIZE): Promise<{ full: number; cells: number }> {
  const streams = await Promise.all(checkpoints.map((end) => fullAndCellStreams(steps.slice(0, end), size.columns, size.rows)));
  const screens = await replay.screens(streams.flatMap(({ full, cells }) => [full, cells]), size);
  checkpoints.forEach((end, index) => {
    const full = captureCells(screens[index * 2] as string);
    const cells = captureCells(screens[index * 2 + 1] as string);
    expect(cells, `screen after ${end} steps`).toBe(full);
  });
  const last = streams.at(-1) ?? { full: '', cells: '' };
  return { full: last.full.length, cells: last.cells.length };
}

describe('cell writer replayed through a terminal', () => {
  // 36 tmux panes: a minute is not always enough on a loaded machine.
  it('leaves the screen a full redraw leaves, after random frames with colours, wide characters, emoji and links', { timeout: 180_000 }, async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const frames = randomFrames(seed, 60, SIZE.columns, SIZE.rows - 1);
      await expectSameScreens(frames, [1, 2, 5, 15, 30, 60]);
    }
  });

  it('checks itself: a frame the screens differ on is told apart', async () => {
    const [full, other] = await replay.screens(['\u001b[31mred\u001b[39m\n', '\u001b[32mred\u001b[39m\n'], SIZE);
    expect(captureText(full as string)).toBe(captureText(other as string));
    expect(captureCells(full as string)).not.toBe(captureCells(other as string));
    expect(captureCells(full as string)).toBe('{fg=31}red');
  });

  it('turns one changed figure into a few bytes, and a cleared output or a new shape into a whole frame', async () => {
    const row = (cpu: string) => `\u001b[36m svc-001 \u001b[39m cpu \u001b[1m${cpu}\u001b[22m ▁▂▃ mem 12%`;
    const frame = (cpu: string, extra = '') => `${Array.from({ length: 10 }, (_, index) => (index === 4 ? row(cpu) : `line ${index} │ ok`)).join('\n')}${extra}\n`;
    const steps: FrameStep[] = [frame('12%'), frame('13%'), frame('13%'), frame('9.5%'), { clear: true }, frame('14%'), frame('14%', '\nmore'), frame('15%')];
    await expectSameScreens(steps, [2, 4, 5, 6, 7, 8]);
    const stream = new RecordingStream(80, 24);
    const log = createCellLogUpdate(stream);
    log(frame('12%'));
    const before = stream.written.length;
    log(frame('13%'));
    const change = stream.written.slice(before);
    // Up to the row, over to the figure, one bold digit, back down: no line rewritten.
    expect(change).not.toContain('svc-001');
    expect(change.length).toBeLessThan(24);
    expect(log(frame('13%'))).toBe(false);
    // After Ink cleared its output (console output, a narrower terminal) the frame comes whole.
    log.clear();
    const cleared = stream.written.length;
    log(frame('13%'));
    expect(stream.written.slice(cleared)).toBe(frame('13%'));
  });

  it('draws a frame whole after a resize, as the full redraw does', () => {
    const stream = new RecordingStream(80, 24);
    const log = createCellLogUpdate(stream);
    log('a\nb\n');
    stream.columns = 100;
    const before = stream.written.length;
    log('a\nc\n');
    expect(stream.written.slice(before)).toBe(`${eraseLines(3)}a\nc\n`);
  });
});

/** The text of a frame as the screen shows it: SGR taken out, trailing blanks trimmed, the rows below it blank. */
function frameScreen(frame: string, rows: number): string[] {
  // eslint-disable-next-line no-control-regex
  const lines = frame.replace(/\u001b\[[0-9;]*m/g, '').split('\n').slice(0, -1).map((line) => line.trimEnd());
  return [...lines, ...new Array<string>(rows - lines.length).fill('')];
}

describe('cell writer replayed through the small emulator of the screen tests (vt.mjs)', () => {
  it('leaves each frame on the screen, whole, while frames shrink and grow and their lines get shorter, replayed in random pieces', () => {
    const size = { columns: 60, rows: 16 };
    for (let seed = 1; seed <= 16; seed++) {
      const frames = randomShapedFrames(seed, 60, size.columns, size.rows - 1);
      const stream = new RecordingStream(size.columns, size.rows);
      const log = createCellLogUpdate(stream);
      const screen = new Screen(size.columns, size.rows);
      const random = randomSource(seed);
      let heights = new Set<number>();
      frames.forEach((frame, index) => {
        const before = stream.written.length;
        if (random() < 0.05) log.clear();
        log(frame);
        // The bytes arrive as the terminal's pty hands them on (a newline is CR LF: onlcr), cut
        // anywhere (inside an escape sequence too).
        const bytes = stream.written.slice(before).replaceAll('\n', '\r\n');
        for (let start = 0; start < bytes.length; ) {
          const end = start + 1 + Math.floor(random() * 40);
          screen.write(bytes.slice(start, end));
          start = end;
        }
        heights = heights.add(frame.split('\n').length - 1);
        expect(screen.text().split('\n').slice(0, size.rows - 1), `seed ${seed}, frame ${index}`).toEqual(frameScreen(frame, size.rows - 1));
      });
      expect(heights.size).toBeGreaterThan(3);
    }
  });

  it('agrees with tmux, cell for cell with styles, on frames that shrink and grow', async () => {
    for (const seed of [11, 12, 13]) {
      await expectSameScreens(randomShapedFrames(seed, 40, SIZE.columns, SIZE.rows - 1), [3, 10, 25, 40]);
    }
  });
});

describe('frame cells', () => {
  it('places characters as Ink does: wide ones take two cells, emoji and joined graphemes make the line inexact', () => {
    expect(parseLine('ab\u001b[31m漢\u001b[39mc')).toEqual({ chars: ['a', 'b', '漢', '', 'c'], styles: ['', '', '31', '31', ''], exact: true });
    expect(parseLine('✓ ok │ ▁▂ … ›').exact).toBe(true);
    expect(parseLine('🚀 go').exact).toBe(false);
    expect(parseLine('cafe\u0301').exact).toBe(false);
    expect(parseLine('\u0301 alone').exact).toBe(false);
    expect(parseLine('zero\u200bwidth').exact).toBe(false);
    expect(parseLine('tab\there').exact).toBe(false);
    expect(parseLine('\u001b]8;;https://127.0.0.1\u0007x\u001b]8;;\u0007').exact).toBe(false);
  });

  it('moves between any two styles with the shortest sequence that reaches exactly the second', () => {
    const random = randomSource(7);
    for (let index = 0; index < 2000; index++) {
      const from = randomStyle(random).open.join(';');
      const to = randomStyle(random).open.join(';');
      const fromKey = parseLine(`\u001b[${from}mx`).styles[0] as string;
      const toKey = parseLine(`\u001b[${to}mx`).styles[0] as string;
      const transition = styleTransition(fromKey, toKey);
      const reached = parseLine(`\u001b[${from}m${transition}x`).styles[0];
      expect(reached, `${from} -> ${to} by ${JSON.stringify(transition)}`).toBe(toKey);
      expect(transition.length).toBeLessThanOrEqual(`\u001b[0;${toKey}m`.length);
    }
    expect(applySgr({ flags: 0, foreground: '', background: '', underlineColor: '' }, '4:3')).toBeUndefined();
  });

  it('is the default mode; the benchmark baselines are one variable away', () => {
    expect(incrementalRenderingFor({})).toBe('cells');
    expect(incrementalRenderingFor({ OPSDECK_LINE_REDRAW: '1' })).toBe(true);
    expect(incrementalRenderingFor({ OPSDECK_FULL_REDRAW: '1' })).toBe(false);
  });
});
