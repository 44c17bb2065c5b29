// Raw Warning events (core/v1, listed with fieldSelector=type=Warning) -> WarningEvents: the
// reason, message and count the errors panel fingerprints, the times, and what they are about.
// Which workload and pod they belong to is resolved by the watch, which knows the pods and
// ReplicaSets. Untrusted text is cleaned here, once.

import { refKey, type RefKey } from '../../domain/resource-ref';
import type { WarningEvent } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';
import type { EventObject } from './kube-objects';
import { sharedText, sharedTextOrUndefined, timeOf } from './kube-text';

/** An Event as the API server sends it (the fields read here; the operations' reads share the shape). */
export type RawEvent = EventObject;

/** A Warning event as kept, before its workload and pod are resolved. */
export interface EventRecord {
  event: WarningEvent;
  /** The involved object's uid (pods and ReplicaSets are found by it). */
  involvedUid?: string;
}

/** What the watch knows to put an event under its workload and pod. */
export interface EventResolver {
  /** The workload of a pod, by the pod's uid. */
  workloadOfPod(uid: string): RefKey | undefined;
  /** The workload of a ReplicaSet, by its uid (a Deployment's). */
  workloadOfReplicaSet(uid: string): RefKey | undefined;
}

/** When an event was first and last seen (epoch ms): core/v1 timestamps, or an events.k8s.io series. */
export function eventTimes(raw: RawEvent): { firstSeen: number; lastSeen: number } {
  const firstSeen = timeOf(raw.firstTimestamp) ?? timeOf(raw.eventTime) ?? timeOf(raw.metadata?.creationTimestamp) ?? 0;
  const lastSeen = timeOf(raw.series?.lastObservedTime) ?? timeOf(raw.lastTimestamp) ?? timeOf(raw.eventTime) ?? firstSeen;
  return { firstSeen, lastSeen };
}

export function eventRecordOf(engineId: string, raw: RawEvent): EventRecord | undefined {
  const uid = raw.metadata?.uid;
  if (!uid || (raw.type !== undefined && raw.type !== 'Warning')) return undefined;
  const involved = raw.involvedObject ?? {};
  const { firstSeen, lastSeen } = eventTimes(raw);
  const namespace = sharedText(raw.metadata?.namespace ?? involved.namespace ?? 'default');
  const involvedNamespace = sharedTextOrUndefined(involved.namespace);
  const event: WarningEvent = {
    key: `${engineId}/${uid}`,
    engineId,
    namespace,
    reason: sharedText(raw.reason ?? ''),
    message: toDisplayText(raw.message ?? ''),
    count: raw.series?.count ?? raw.count ?? 1,
    firstSeen,
    lastSeen,
    involved: {
      kind: sharedText(involved.kind ?? ''),
      name: toDisplayText(involved.name ?? ''),
      ...(involvedNamespace !== undefined ? { namespace: involvedNamespace } : {}),
    },
  };
  const record: EventRecord = { event };
  if (involved.uid) record.involvedUid = involved.uid;
  return record;
}

/** The event with its workload and pod, as far as they can be told now. */
export function resolveEvent(record: EventRecord, resolver: EventResolver): WarningEvent {
  const { event, involvedUid } = record;
  const { kind, name } = event.involved;
  const namespace = event.involved.namespace ?? event.namespace;
  const engineId = event.engineId;
  let workloadKey: RefKey | undefined;
  let instanceKey: RefKey | undefined;
  switch (kind) {
    case 'Pod':
      instanceKey = refKey({ engineId, kind: 'pod', namespace, name });
      workloadKey = involvedUid !== undefined ? resolver.workloadOfPod(involvedUid) : undefined;
      break;
    case 'ReplicaSet':
      workloadKey = involvedUid !== undefined ? resolver.workloadOfReplicaSet(involvedUid) : undefined;
      break;
    case 'Deployment':
      workloadKey = refKey({ engineId, kind: 'deployment', namespace, name });
      break;
    case 'StatefulSet':
      workloadKey = refKey({ engineId, kind: 'statefulset', namespace, name });
      break;
  }
  if (workloadKey === undefined && instanceKey === undefined) return event;
  return { ...event, ...(workloadKey !== undefined ? { workloadKey } : {}), ...(instanceKey !== undefined ? { instanceKey } : {}) };
}
