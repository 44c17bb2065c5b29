// Kubernetes objects as opsdeck writes them down for people (inspect evidence, the before/after
// of a change): every string sanitised, managedFields and kubectl's last-applied copy dropped,
// every env value and every secret-looking label or annotation redacted.

import { looksSecret, REDACTED } from '../../domain/secret-names';
import { toDisplayText } from '../../domain/untrusted-text';

const DROPPED_KEYS = new Set(['managedFields']);
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A deep copy with every string (keys too) sanitised. */
export function sanitisedValue(value: unknown): unknown {
  if (typeof value === 'string') return toDisplayText(value);
  if (Array.isArray(value)) return value.map(sanitisedValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, entry]) => [toDisplayText(key), sanitisedValue(entry)]));
}

/** A pod (or any object) safe for an evidence file. */
export function redactedObject(value: unknown): Record<string, unknown> {
  return redacted(value, '') as Record<string, unknown>;
}

function redacted(value: unknown, parentKey: string): unknown {
  if (typeof value === 'string') return toDisplayText(value);
  if (Array.isArray(value)) return value.map((entry) => (parentKey === 'env' ? redactedEnvEntry(entry) : redacted(entry, parentKey)));
  if (value === null || typeof value !== 'object') return value;
  const keyed = parentKey === 'labels' || parentKey === 'annotations';
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (DROPPED_KEYS.has(key) || (keyed && key === LAST_APPLIED)) continue;
    copy[toDisplayText(key)] = keyed && looksSecret(key) ? REDACTED : redacted(entry, key);
  }
  return copy;
}

/** Env entries keep their name and where they come from; a literal value goes (a password rarely says so). */
function redactedEnvEntry(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object') return redacted(entry, '');
  const { value, ...rest } = entry as Record<string, unknown>;
  return { ...(redacted(rest, '') as Record<string, unknown>), ...(value !== undefined ? { value: REDACTED } : {}) };
}
