// Bytes, percentages and durations as short, fixed-ish width text.

// Bytes are formatted in the domain (gate evidence uses the same text); re-exported for the views.
export { formatBytes } from '../../src/domain/byte-size';

/** 48.6 -> "49%"; values under 10 keep one decimal ("4.2%") so small usage is not shown as 0. */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '-';
  if (percent > 0 && percent < 10) return `${(Math.round(percent * 10) / 10).toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Compact duration with its largest unit: "0s", "42s", "5m", "3h", "12d". */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return '?';
  const duration = Math.max(0, milliseconds);
  if (duration < MINUTE) return `${Math.floor(duration / SECOND)}s`;
  if (duration < HOUR) return `${Math.floor(duration / MINUTE)}m`;
  if (duration < DAY) return `${Math.floor(duration / HOUR)}h`;
  return `${Math.floor(duration / DAY)}d`;
}

/** "5m ago"; "just now" under a second; "in 3s" for a time in the future. */
export function formatAgo(epochMs: number | undefined, now: number): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return '-';
  const elapsed = now - epochMs;
  if (elapsed < 0) return `in ${formatDuration(-elapsed)}`;
  if (elapsed < SECOND) return 'just now';
  return `${formatDuration(elapsed)} ago`;
}

/** Whole seconds until `epochMs`, at least 0 ("retry in 4s"). */
export function secondsUntil(epochMs: number, now: number): number {
  return Math.max(0, Math.ceil((epochMs - now) / SECOND));
}

/** "14:03:27" in local time, for log lines. */
export function formatClock(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '--:--:--';
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Load average with two decimals. */
export function formatLoad(load: number): string {
  return Number.isFinite(load) ? load.toFixed(2) : '?';
}
