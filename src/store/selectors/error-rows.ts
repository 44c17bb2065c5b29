// Recent errors panel view model: fingerprints, most frequent first (as in the screen sketch).
// The store keeps them most recently seen first, which reorders rows on every flush while
// several errors repeat; counts change order far less often, so the selection stays put.

import { parseRefKey } from '../../domain/resource-ref';
import type { ErrorFingerprint, RefKey } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';

const indexFingerprints = memoizeLast(
  (fingerprints: readonly ErrorFingerprint[]) => new Map(fingerprints.map((entry) => [entry.fingerprint, entry])),
);

export function selectFingerprint(state: Pick<OpsdeckState, 'fingerprints'>, fingerprint: string): ErrorFingerprint | undefined {
  return indexFingerprints(state.fingerprints).get(fingerprint);
}

/** Most frequent first, then most recently seen. */
export function compareFingerprints(left: ErrorFingerprint, right: ErrorFingerprint): number {
  return right.count - left.count || right.lastSeen - left.lastSeen;
}

const filterFingerprints = memoizeList((fingerprints: readonly ErrorFingerprint[], filter: string): string[] =>
  fingerprints
    .filter((entry) => matchesFilter(filter, entry.fingerprint, entry.sampleLine, ...entry.workloadKeys.map(workloadNameOf)))
    .sort(compareFingerprints)
    .map((entry) => entry.fingerprint),
);

export function selectErrorRowKeys(state: OpsdeckState): string[] {
  return filterFingerprints(state.fingerprints, filterFor(state.ui, 'errors'));
}

/** Name of the workload a key stands for (engine/kind/project/service -> service). */
export function workloadNameOf(workloadKey: RefKey): string {
  return parseRefKey(workloadKey)?.name ?? workloadKey;
}

/** project/service of a workload key, without the engine. */
export function workloadLabelOf(workloadKey: RefKey): string {
  const ref = parseRefKey(workloadKey);
  if (!ref) return workloadKey;
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** Timestamps at the start of a message, as normalised: `<ts>`, `[<ts>]`, `<ts> |`. */
const LEADING_TIMESTAMPS = /^(?:[[(]?<ts>[\])]?[\s,|:-]*)+/;

/**
 * The message of a fingerprint as a list shows it: a leading timestamp placeholder says
 * nothing (the list has its own "last seen") and would take the first columns.
 */
export function errorMessageOf(fingerprint: string): string {
  return fingerprint.replace(LEADING_TIMESTAMPS, '') || fingerprint;
}
