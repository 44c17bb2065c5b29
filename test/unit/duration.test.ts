import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationValue } from '../../src/domain/duration';

describe('parseDurationValue', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2h30m', 9_000_000],
    ['1500', 1500],
    [1500, 1500],
    [0, 0],
  ] as const)('%j is %d ms', (value, milliseconds) => {
    expect(parseDurationValue(value)).toBe(milliseconds);
  });

  it.each(['30 seconds', 'soon', '', '-5s'])('refuses %j', (value) => {
    expect(() => parseDurationValue(value)).toThrow(/invalid duration/);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %d milliseconds', (value) => {
    expect(() => parseDurationValue(value)).toThrow('milliseconds must be a whole number');
  });
});

describe('formatDuration', () => {
  it.each([
    [450, '450ms'],
    [12_000, '12s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_600_000 + 5 * 60_000 + 7000, '1h5m'],
    [26 * 3_600_000, '1d2h'],
    [0, '0ms'],
  ])('%d ms reads %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });
});
