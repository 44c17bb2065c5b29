// kubectl get events --sort-by=.lastTimestamp for one object: a pod's own events; a
// workload's, its ReplicaSets' and its pods'. One paginated list of the namespace's events,
// kept when they are about one of those objects, newest last.

import type { EventSummary } from '../../domain/engine-action';
import type { ResourceRef } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import type { OperationOptions } from '../capabilities';
import { namespaceOf, resourcePath, withQuery } from './kube-calls';
import { eventTimes } from './event-mapping';
import { isControlledBy, selectorString, type EventObject, type PodObject, type ReplicaSetObject } from './kube-objects';
import { listAll, signalOption, type OperationContext } from './operation-context';
import { readWorkload } from './rollout-operations';

const KIND_NAMES = { deployment: 'Deployment', statefulset: 'StatefulSet', pod: 'Pod', container: 'Pod', 'compose-service': 'Deployment', alert: 'Event' } as const;

/** "Kind/name" of every object whose events belong to the target. */
async function objectsOf(context: OperationContext, target: ResourceRef, options: OperationOptions): Promise<Set<string>> {
  const objects = new Set([`${KIND_NAMES[target.kind]}/${target.name}`]);
  if (target.kind !== 'deployment' && target.kind !== 'statefulset') return objects;
  const namespace = namespaceOf(target);
  const signal = signalOption(options);
  const workload = await readWorkload(context, { ...target, kind: target.kind }, options);
  const labelSelector = selectorString(workload.spec?.selector);
  const owners = new Set([workload.metadata?.uid]);
  if (target.kind === 'deployment') {
    const replicaSets = await listAll<ReplicaSetObject>(context, {
      path: withQuery(resourcePath('replicaset', namespace), { labelSelector }),
      access: { verb: 'list', group: 'apps', resource: 'replicasets', namespace },
      ...signal,
    });
    for (const replicaSet of replicaSets) {
      if (!isControlledBy(replicaSet, workload.metadata?.uid)) continue;
      objects.add(`ReplicaSet/${replicaSet.metadata?.name ?? ''}`);
      owners.add(replicaSet.metadata?.uid);
    }
  }
  const pods = await listAll<PodObject>(context, {
    path: withQuery(resourcePath('pod', namespace), { labelSelector }),
    access: { verb: 'list', group: '', resource: 'pods', namespace },
    ...signal,
  });
  for (const pod of pods) if ([...owners].some((uid) => isControlledBy(pod, uid))) objects.add(`Pod/${pod.metadata?.name ?? ''}`);
  return objects;
}

export function eventSummaryOf(event: EventObject): EventSummary {
  return {
    type: event.type === 'Warning' ? 'Warning' : 'Normal',
    reason: toDisplayText(event.reason ?? ''),
    message: toDisplayText(event.message ?? ''),
    count: event.series?.count ?? event.count ?? 1,
    lastSeen: eventTimes(event).lastSeen,
    object: toDisplayText(`${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`),
  };
}

export async function readEvents(context: OperationContext, target: ResourceRef, limit: number | undefined, options: OperationOptions = {}): Promise<EventSummary[]> {
  const namespace = namespaceOf(target);
  const objects = await objectsOf(context, target, options);
  const events = await listAll<EventObject>(context, {
    path: resourcePath('event', namespace),
    access: { verb: 'list', group: '', resource: 'events', namespace },
    ...signalOption(options),
  });
  const kept = events
    .filter((event) => objects.has(`${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`))
    .map(eventSummaryOf)
    .sort((left, right) => left.lastSeen - right.lastSeen);
  return limit !== undefined && limit >= 0 ? kept.slice(Math.max(0, kept.length - limit)) : kept;
}
