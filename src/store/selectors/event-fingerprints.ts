// Kubernetes Warning events as error fingerprints: grouped by reason and normalised message
// (the log lines' normalisation, with the involved object's name as a placeholder, so the
// BackOff of every pod of a Deployment is one row), counts summed from the events' own counts.

import { normaliseLogMessage } from '../../domain/fingerprint';
import type { ErrorFingerprint, RefKey, WarningEvent } from '../../domain/types';
import { memoizeLast } from './memoize';

const EVENT_KEY_PREFIX = 'event:';

/** Row key of an event fingerprint; never equal to a log fingerprint's (those are normalised text). */
export function eventFingerprintKey(reason: string, normalisedMessage: string): string {
  return `${EVENT_KEY_PREFIX}${reason}:${normalisedMessage}`;
}

/** The normalised message of a fingerprint row: an event's without its key prefix. */
export function eventMessageOf(entry: Pick<ErrorFingerprint, 'fingerprint' | 'eventReason'>): string | undefined {
  if (entry.eventReason === undefined) return undefined;
  return entry.fingerprint.slice(EVENT_KEY_PREFIX.length + entry.eventReason.length + 1);
}

/** Normalised messages by event object: an event that did not change is not normalised again. */
const normalisedByEvent = new WeakMap<WarningEvent, string>();

function normalisedMessageOf(event: WarningEvent): string {
  let normalised = normalisedByEvent.get(event);
  if (normalised === undefined) {
    const name = event.involved.name;
    const placeholder = `<${event.involved.kind.toLowerCase()}>`;
    const generic = name === '' ? event.message : event.message.split(name).join(placeholder);
    normalised = normaliseLogMessage(generic);
    normalisedByEvent.set(event, normalised);
  }
  return normalised;
}

interface EventGroup {
  entry: ErrorFingerprint;
  workloads: Set<RefKey>;
  engineIds: Set<string>;
  namespaces: Set<string>;
}

export interface EventFingerprints {
  entries: ErrorFingerprint[];
  /** Where each entry's events come from, for the `:ctx` / `:ns` scope. */
  originOf: ReadonlyMap<string, { engineIds: ReadonlySet<string>; namespaces: ReadonlySet<string> }>;
}

export function fingerprintEvents(events: Iterable<WarningEvent>): EventFingerprints {
  const groups = new Map<string, EventGroup>();
  for (const event of events) {
    const key = eventFingerprintKey(event.reason, normalisedMessageOf(event));
    let group = groups.get(key);
    if (!group) {
      group = {
        entry: {
          fingerprint: key,
          count: 0,
          workloadKeys: [],
          firstSeen: event.firstSeen,
          lastSeen: event.lastSeen,
          sampleLine: event.message,
          sampleWorkloadKey: event.workloadKey ?? '',
          eventReason: event.reason,
        },
        workloads: new Set(),
        engineIds: new Set(),
        namespaces: new Set(),
      };
      groups.set(key, group);
    }
    const { entry } = group;
    entry.count += Math.max(1, event.count);
    if (event.firstSeen < entry.firstSeen) entry.firstSeen = event.firstSeen;
    if (event.lastSeen >= entry.lastSeen) {
      entry.lastSeen = event.lastSeen;
      entry.sampleLine = event.message;
      if (event.workloadKey !== undefined) entry.sampleWorkloadKey = event.workloadKey;
    }
    // A pod whose owner could not be told stands for itself; a node's event names no workload.
    const about = event.workloadKey ?? event.instanceKey;
    if (about !== undefined) group.workloads.add(about);
    group.engineIds.add(event.engineId);
    group.namespaces.add(event.namespace);
  }
  const entries: ErrorFingerprint[] = [];
  const originOf = new Map<string, { engineIds: ReadonlySet<string>; namespaces: ReadonlySet<string> }>();
  for (const group of groups.values()) {
    group.entry.workloadKeys = [...group.workloads].sort();
    if (group.entry.sampleWorkloadKey === '' && group.entry.workloadKeys[0] !== undefined) group.entry.sampleWorkloadKey = group.entry.workloadKeys[0];
    entries.push(group.entry);
    originOf.set(group.entry.fingerprint, { engineIds: group.engineIds, namespaces: group.namespaces });
  }
  return { entries, originOf };
}

/** The event fingerprints of the store's Warning events; same object while the events are unchanged. */
export const selectEventFingerprints = memoizeLast((events: Record<string, WarningEvent>): EventFingerprints => fingerprintEvents(Object.values(events)));
