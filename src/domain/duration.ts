// Durations as people write them in opsdeck.yaml and playbooks: "500ms", "30s", "5m", "1h",
// "2h30m", "1d". Playbooks also accept plain milliseconds (a YAML number, or digits rendered by
// a template from a duration input); the config file does not (a bare number has no unit there).

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
const PLAIN_MILLISECONDS = /^\d+(?:\.\d+)?$/;
const HOW_TO_WRITE = 'use a number and a unit (ms, s, m, h, d), e.g. 30m, 1h or 2h30m';

/** Milliseconds in text with units ("2h30m"); undefined for anything else, including a bare number. */
function parseWithUnits(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  let position = 0;
  while (position < trimmed.length) {
    DURATION_PART.lastIndex = position;
    const match = DURATION_PART.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
    position = DURATION_PART.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}

/** Milliseconds in a playbook duration (units, or plain milliseconds); undefined for anything else or a negative number. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const trimmed = value.trim();
  if (PLAIN_MILLISECONDS.test(trimmed)) return Number(trimmed);
  return parseWithUnits(trimmed);
}

/** The same, throwing an Error whose message says how to write one (schemas and input forms). */
export function parseDurationValue(value: string | number): number {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) {
    throw new Error(`invalid duration ${value}: milliseconds must be a whole number of at least 0`);
  }
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined) throw new Error(`invalid duration ${JSON.stringify(value)}: ${HOW_TO_WRITE}`);
  return milliseconds;
}

/** A config-file duration: a unit is required. Throws an Error. */
export function parseDurationWithUnit(text: string): number {
  const milliseconds = parseWithUnits(text);
  if (milliseconds === undefined) throw new Error(`invalid duration ${JSON.stringify(text)}: ${HOW_TO_WRITE}`);
  return milliseconds;
}

/** The short form people read: 450ms, 12s, 1m30s, 2h5m, 3d4h (the two largest units). */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return `${milliseconds}ms`;
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(milliseconds / 1000);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0')).join('') || '0s';
}

/** Time gone by, in whole seconds at least (an incident declared just now is "0s" old, not "450ms"). */
export function formatElapsed(milliseconds: number): string {
  return milliseconds < 1000 ? '0s' : formatDuration(milliseconds);
}
