// Durations as people write them in opsdeck.yaml and playbooks: "500ms", "30s", "5m", "1h",
// "2h30m", "1d". Playbooks also accept a plain number of milliseconds.

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Milliseconds in a duration such as "500ms", "30s", "30m", "1h", "2h30m" or
 * "1d". Throws an Error for anything else (a bare number has no unit).
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  let total = 0;
  let position = 0;
  while (position < trimmed.length) {
    DURATION_PART.lastIndex = position;
    const match = DURATION_PART.exec(trimmed);
    if (!match) break;
    total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
    position = DURATION_PART.lastIndex;
  }
  if (trimmed === '' || position !== trimmed.length || !Number.isFinite(total)) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: use a number and a unit (ms, s, m, h, d), e.g. 30m, 1h or 2h30m`);
  }
  return total;
}

/** A duration given as text with a unit, or as a whole number of milliseconds (YAML `timeout: 1500`). Throws an Error. */
export function parseDurationValue(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new Error(`invalid duration ${value}: milliseconds must be a whole number of at least 0`);
    return value;
  }
  // "1500" typed into a form or --input: milliseconds, like the YAML number.
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  return parseDuration(value);
}

/** The short form people read: 450ms, 12s, 1m30s, 2h5m, 3d4h (the two largest units). */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.round(milliseconds));
  if (total < 1000) return `${total}ms`;
  const units: Array<[string, number]> = [
    ['d', DURATION_UNITS['d'] as number],
    ['h', DURATION_UNITS['h'] as number],
    ['m', DURATION_UNITS['m'] as number],
    ['s', DURATION_UNITS['s'] as number],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0')).join('') || '0s';
}
