import { describe, expect, it } from 'vitest';
import { renderBar, renderSparkline } from '../../views/format/charts';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../views/format/glyphs';
import { formatAgo, formatBytes, formatClock, formatDuration, formatLoad, formatPercent, secondsUntil } from '../../views/format/numbers';
import { fitText, textWidth, truncateText, wrapText } from '../../views/format/text';

describe('formatBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12 * 1024 ** 2)).toBe('12 MiB');
    expect(formatBytes(16 * 1024 ** 3)).toBe('16 GiB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3 PiB');
  });

  it('says ? for nonsense', () => {
    expect(formatBytes(-1)).toBe('?');
    expect(formatBytes(Number.NaN)).toBe('?');
  });
});

describe('formatPercent', () => {
  it('rounds, keeping a decimal under 10 % so small usage is not 0', () => {
    expect(formatPercent(48.6)).toBe('49%');
    expect(formatPercent(4.24)).toBe('4.2%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(250)).toBe('250%');
    expect(formatPercent(undefined)).toBe('-');
    expect(formatPercent(Number.NaN)).toBe('-');
  });
});

describe('durations', () => {
  it('shows the largest unit', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(5 * 60_000 + 59_000)).toBe('5m');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(12 * 86_400_000)).toBe('12d');
    expect(formatDuration(-5)).toBe('0s');
  });

  it('says how long ago, or in how long', () => {
    expect(formatAgo(1_000, 1_500)).toBe('just now');
    expect(formatAgo(0, 120_000)).toBe('2m ago');
    expect(formatAgo(10_000, 7_000)).toBe('in 3s');
    expect(formatAgo(undefined, 0)).toBe('-');
  });

  it('counts whole seconds until a retry, never negative', () => {
    expect(secondsUntil(5_000, 1_000)).toBe(4);
    expect(secondsUntil(5_000, 4_200)).toBe(1);
    expect(secondsUntil(5_000, 9_000)).toBe(0);
  });

  it('prints clock times and load averages', () => {
    expect(formatClock(new Date(2026, 0, 28, 9, 5, 7).getTime())).toBe('09:05:07');
    expect(formatLoad(1.916)).toBe('1.92');
  });
});

describe('text', () => {
  it('cuts with an ellipsis to the exact width', () => {
    expect(truncateText('Connection refused', 10)).toBe('Connectio…');
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('Connection refused', 10, '...')).toBe('Connect...');
    expect(truncateText('abc', 0)).toBe('');
    expect(truncateText('abcdef', 1)).toBe('a');
  });

  it('pads or cuts to a fixed cell', () => {
    expect(fitText('ab', 5)).toBe('ab   ');
    expect(fitText('ab', 5, 'right')).toBe('   ab');
    expect(fitText('abcdefgh', 5)).toBe('abcd…');
  });

  it('counts wide characters as two columns', () => {
    expect(textWidth('日本')).toBe(4);
    expect(truncateText('日本語のログ', 5)).toBe('日本…');
    expect(textWidth('e\u0301')).toBe(1);
  });

  it('hard-wraps to a width', () => {
    expect(wrapText('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapText('', 3)).toEqual(['']);
  });
});

describe('charts', () => {
  it('fills bars in proportion, clamped to 0-100', () => {
    expect(renderBar(48, 10, UNICODE_GLYPHS)).toBe('▇▇▇▇▇▁▁▁▁▁');
    expect(renderBar(150, 4, UNICODE_GLYPHS)).toBe('▇▇▇▇');
    expect(renderBar(-3, 4, ASCII_GLYPHS)).toBe('....');
    expect(renderBar(50, 4, ASCII_GLYPHS)).toBe('##..');
  });

  it('draws the newest values as a sparkline, padded on the left', () => {
    expect(renderSparkline([0, 50, 100], 5, UNICODE_GLYPHS)).toBe('▁▁▁▅█');
    expect(renderSparkline([0, 100, 0, 100], 2, UNICODE_GLYPHS)).toBe('▁█');
    expect(renderSparkline([100], 3, ASCII_GLYPHS)).toBe('__#');
  });

  it('scales to the largest value above 100 % (several cores)', () => {
    expect(renderSparkline([100, 200], 2, UNICODE_GLYPHS)).toBe('▅█');
  });

  it('ascii glyphs are plain ASCII', () => {
    const characters = JSON.stringify(ASCII_GLYPHS);
    expect(characters).toMatch(/^[\x20-\x7e]*$/);
  });
});
