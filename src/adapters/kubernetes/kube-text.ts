// Small helpers for the raw objects' text and times: every string from the API server is
// untrusted (sanitised once, here), and the strings thousands of records share (namespaces,
// images, node and container names, reasons) are kept once.

import { toDisplayText } from '../../domain/untrusted-text';

/** Kept strings by their raw form; bounded so a cluster of unique strings cannot grow it forever. */
const pool = new Map<string, string>();
const POOL_LIMIT = 50_000;

/** The display form of an untrusted string, one shared copy of it. */
export function sharedText(raw: string): string {
  const kept = pool.get(raw);
  if (kept !== undefined) return kept;
  if (pool.size >= POOL_LIMIT) pool.clear();
  const clean = toDisplayText(raw);
  pool.set(raw, clean);
  return clean;
}

/** `sharedText` for optional fields (and anything that is not a string). */
export function sharedTextOrUndefined(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw !== '' ? sharedText(raw) : undefined;
}

/** Epoch ms of an RFC 3339 time (a number is epoch ms already: the protobuf reader's), undefined when absent or unreadable. */
export function timeOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A count that the server may omit (0). */
export function countOf(raw: unknown): number {
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : 0;
}
