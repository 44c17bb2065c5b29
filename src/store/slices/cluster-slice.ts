// Kubernetes-only live state: Warning events (the errors panel fingerprints them beside log
// lines), nodes' usage from metrics.k8s.io, and the answers of access reviews (which actions
// the hints offer and which are refused before the operator is asked to confirm).

import type { AccessDecision } from '../../adapters/capabilities';
import type { NodeUsage, WarningEvent } from '../../domain/types';
import type { SliceModule } from '../slice-module';

export interface ClusterSlice {
  /** By event key (`engineId/uid`). */
  warningEvents: Record<string, WarningEvent>;
  /** Latest usage of each engine's nodes. */
  nodeUsageByEngine: Record<string, NodeUsage[]>;
  /** By accessKeyOf(action), oldest first, at most MAX_ACCESS_DECISIONS. */
  accessDecisions: Record<string, AccessDecision>;
  warningEventsUpserted(events: WarningEvent[]): void;
  warningEventsRemoved(eventKeys: string[]): void;
  warningEventsReplaced(engineId: string, events: WarningEvent[]): void;
  nodeUsageReceived(engineId: string, nodes: NodeUsage[]): void;
  /** Written by the runtime when an access review answers. */
  accessReviewed(accessKey: string, decision: AccessDecision): void;
}

/** Access answers the store keeps (the most recent ones). */
export const MAX_ACCESS_DECISIONS = 500;

interface ClusterPending {
  /** Engines whose events are replaced, in order, before the upserts and removals. */
  replaced: Map<string, WarningEvent[]>;
  upserted: Map<string, WarningEvent>;
  removed: Set<string>;
  nodeUsage: Map<string, NodeUsage[]>;
}

export const clusterSlice: SliceModule<ClusterSlice, ClusterPending> = {
  name: 'cluster',
  createPending: () => ({ replaced: new Map(), upserted: new Map(), removed: new Set(), nodeUsage: new Map() }),
  create: ({ pending, requestFlush, set, get }) => ({
    warningEvents: {},
    nodeUsageByEngine: {},
    accessDecisions: {},
    warningEventsUpserted: (events) => {
      const writes = pending();
      for (const event of events) {
        writes.upserted.set(event.key, event);
        writes.removed.delete(event.key);
      }
      requestFlush();
    },
    warningEventsRemoved: (eventKeys) => {
      const writes = pending();
      for (const key of eventKeys) {
        writes.upserted.delete(key);
        writes.removed.add(key);
      }
      requestFlush();
    },
    warningEventsReplaced: (engineId, events) => {
      const writes = pending();
      for (const key of [...writes.upserted.keys()]) if (writes.upserted.get(key)?.engineId === engineId) writes.upserted.delete(key);
      writes.replaced.set(engineId, events);
      requestFlush();
    },
    nodeUsageReceived: (engineId, nodes) => {
      pending().nodeUsage.set(engineId, nodes);
      requestFlush();
    },
    accessReviewed: (accessKey, decision) => {
      const previous = get().accessDecisions[accessKey];
      if (previous && previous.allowed === decision.allowed && (previous.allowed || previous.reason === (decision as { reason: string }).reason)) return;
      const decisions = { ...get().accessDecisions };
      delete decisions[accessKey];
      decisions[accessKey] = decision;
      // One answer per object selected: the oldest go once there are many (asked again when selected again).
      const keys = Object.keys(decisions);
      for (const oldest of keys.slice(0, Math.max(0, keys.length - MAX_ACCESS_DECISIONS))) delete decisions[oldest];
      set({ accessDecisions: decisions });
    },
  }),
  apply: ({ next, pending }) => {
    const partial: Partial<ClusterSlice> = {};
    if (pending.replaced.size > 0 || pending.upserted.size > 0 || pending.removed.size > 0) {
      const events: Record<string, WarningEvent> = {};
      for (const [key, event] of Object.entries(next.warningEvents)) if (!pending.replaced.has(event.engineId)) events[key] = event;
      for (const list of pending.replaced.values()) for (const event of list) events[event.key] = event;
      for (const [key, event] of pending.upserted) events[key] = event;
      for (const key of pending.removed) delete events[key];
      partial.warningEvents = events;
    }
    if (pending.nodeUsage.size > 0) {
      const nodeUsageByEngine = { ...next.nodeUsageByEngine };
      for (const [engineId, nodes] of pending.nodeUsage) nodeUsageByEngine[engineId] = nodes;
      partial.nodeUsageByEngine = nodeUsageByEngine;
    }
    return Object.keys(partial).length > 0 ? partial : undefined;
  },
};
