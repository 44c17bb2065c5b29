// Bars and sparklines as plain strings, drawn with the active glyph set.

import type { Glyphs } from './glyphs';

/** A bar `width` cells wide filled in proportion to `percent` (0-100, clamped). */
export function renderBar(percent: number, width: number, glyphs: Pick<Glyphs, 'barFilled' | 'barEmpty'>): string {
  if (width <= 0) return '';
  const clamped = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  const filled = Math.round((clamped / 100) * width);
  return glyphs.barFilled.repeat(filled) + glyphs.barEmpty.repeat(width - filled);
}

/**
 * The newest `width` values as a sparkline, scaled from 0 to `maximum` (100 by default,
 * or the largest value when it is higher: a container using 3 cores shows 300 %).
 * Left-padded with the lowest level when there is less history than width.
 */
export function renderSparkline(
  values: readonly number[],
  width: number,
  glyphs: Pick<Glyphs, 'sparkLevels'>,
  maximum = 100,
): string {
  if (width <= 0) return '';
  const levels = glyphs.sparkLevels;
  const lowest = levels[0] ?? ' ';
  const recent = values.slice(-width);
  let scale = maximum;
  for (const value of recent) if (Number.isFinite(value) && value > scale) scale = value;
  let line = lowest.repeat(width - recent.length);
  for (const value of recent) {
    const ratio = Number.isFinite(value) && scale > 0 ? Math.min(1, Math.max(0, value / scale)) : 0;
    const index = Math.min(levels.length - 1, Math.round(ratio * (levels.length - 1)));
    line += levels[index] ?? lowest;
  }
  return line;
}
