// Durations as people write them in config and playbooks: "500ms", "30s", "5m", "1h", "2h30m",
// "1d"; playbooks also give plain milliseconds (a number, or digits rendered by a template
// from a duration input, which is validated into milliseconds).

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
const PLAIN_MILLISECONDS = /^\d+(?:\.\d+)?$/;

/** Milliseconds in `text` (units, or plain milliseconds); undefined for anything else or a negative number. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (PLAIN_MILLISECONDS.test(trimmed)) return Number(trimmed);
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

/** "850ms", "12s", "1m30s", "2h5m", "3d4h": the two largest units, for messages and progress. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0')).join('') || '0s';
}
