// Recent errors panel view model: fingerprints of log lines and of Kubernetes Warning events,
// most frequent first (as in the screen sketch).
// The store keeps them most recently seen first, which reorders rows on every flush while
// several errors repeat; counts change order far less often, so the selection stays put.

import { parseRefKey } from '../../domain/resource-ref';
import type { EngineStatus, ErrorFingerprint, RefKey } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { eventMessageOf, selectEventFingerprints, type EventFingerprints } from './event-fingerprints';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';
import { selectExternalAlertRowKeys } from './source-rows';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

/** Log-line fingerprints and Warning-event fingerprints, one list. */
const mergeEntries = memoizeLast((fingerprints: readonly ErrorFingerprint[], events: EventFingerprints): readonly ErrorFingerprint[] =>
  events.entries.length === 0 ? fingerprints : [...fingerprints, ...events.entries],
);

export function selectErrorEntries(state: Pick<OpsdeckState, 'fingerprints' | 'warningEvents'>): readonly ErrorFingerprint[] {
  return mergeEntries(state.fingerprints, selectEventFingerprints(state.warningEvents));
}

const indexFingerprints = memoizeLast(
  (fingerprints: readonly ErrorFingerprint[]) => new Map(fingerprints.map((entry) => [entry.fingerprint, entry])),
);

/** A log-line or Warning-event fingerprint by its row key. */
export function selectFingerprint(state: Pick<OpsdeckState, 'fingerprints' | 'warningEvents'>, fingerprint: string): ErrorFingerprint | undefined {
  return indexFingerprints(selectErrorEntries(state)).get(fingerprint);
}

/** Most frequent first, then most recently seen. */
export function compareFingerprints(left: ErrorFingerprint, right: ErrorFingerprint): number {
  return right.count - left.count || right.lastSeen - left.lastSeen;
}

/** Whether a fingerprint concerns the `:ctx` / `:ns` scope: one of its workloads (or its events) is in it. */
function entryInScope(entry: ErrorFingerprint, events: EventFingerprints, scope: ViewScope, engines: Record<string, EngineStatus>): boolean {
  const origin = events.originOf.get(entry.fingerprint);
  if (origin) {
    for (const engineId of origin.engineIds) for (const namespace of origin.namespaces) if (inScope(scope, engines, engineId, namespace)) return true;
    return false;
  }
  return entry.workloadKeys.some((workloadKey) => {
    const ref = parseRefKey(workloadKey);
    return ref !== undefined && inScope(scope, engines, ref.engineId, ref.namespace);
  });
}

const filterFingerprints = memoizeList(
  (
    entries: readonly ErrorFingerprint[],
    events: EventFingerprints,
    filter: string,
    scope: ViewScope,
    engines: Record<string, EngineStatus>,
  ): string[] =>
    entries
      .filter(
        (entry) =>
          (isUnscoped(scope) || entryInScope(entry, events, scope, engines)) &&
          matchesFilter(filter, entry.fingerprint, entry.sampleLine, entry.eventReason, ...entry.workloadKeys.map(workloadNameOf)),
      )
      .sort(compareFingerprints)
      .map((entry) => entry.fingerprint),
);

const joinAlertRows = memoizeLast((alerts: string[], errors: string[]): string[] => (alerts.length === 0 ? errors : [...alerts, ...errors]));

/** Alertmanager's alerts (source-rows.ts) first, then error fingerprints most frequent first. */
export function selectErrorRowKeys(state: OpsdeckState): string[] {
  return joinAlertRows(selectExternalAlertRowKeys(state), selectFingerprintRowKeys(state));
}

function selectFingerprintRowKeys(state: OpsdeckState): string[] {
  const scope = state.ui.cluster.scope;
  // The engines matter only for `:ns` (which engines are Kubernetes); unscoped, their changes do not refilter.
  return filterFingerprints(
    selectErrorEntries(state),
    selectEventFingerprints(state.warningEvents),
    filterFor(state.ui, 'errors'),
    scope,
    isUnscoped(scope) ? NO_ENGINES : state.engines,
  );
}

const NO_ENGINES: Record<string, EngineStatus> = {};

/** The message a row shows: an event's normalised message, or a log fingerprint without its leading timestamp. */
export function fingerprintMessageOf(entry: Pick<ErrorFingerprint, 'fingerprint' | 'eventReason'>): string {
  return eventMessageOf(entry) ?? errorMessageOf(entry.fingerprint);
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
