// The adapter-to-store contract: what every engine adapter writes, in engine-neutral,
// ref-keyed domain objects. No engine payload shape passes this boundary.

import type { ContainerStatsSample, EngineStatus, Instance, LogLine, NodeUsage, RefKey, WarningEvent, Workload } from '../domain/types';

export interface EngineInventory {
  workloads: Workload[];
  instances: Instance[];
}

export interface EngineSink {
  engineRegistered(engine: EngineStatus): void;
  engineStateChanged(engineId: string, change: Partial<Omit<EngineStatus, 'id' | 'kind'>>): void;
  /** Full list for one engine (initial load, resync): replaces what the engine had. */
  inventoryReplaced(engineId: string, inventory: EngineInventory): void;
  workloadUpserted(workload: Workload): void;
  workloadRemoved(workloadKey: RefKey): void;
  instanceUpserted(instance: Instance): void;
  instanceRemoved(instanceKey: RefKey): void;
  statsReceived(sample: ContainerStatsSample): void;
  statsEnded(instanceKey: RefKey): void;
  logLinesReceived(lines: LogLine[]): void;
  /** Kubernetes Warning events, new or with a new count. */
  warningEventsUpserted(events: WarningEvent[]): void;
  warningEventsRemoved(eventKeys: string[]): void;
  /** Full list for one engine (initial list, re-list after 410 Gone). */
  warningEventsReplaced(engineId: string, events: WarningEvent[]): void;
  /** Nodes' usage from metrics.k8s.io, all nodes of one engine at once. */
  nodeUsageReceived(engineId: string, nodes: NodeUsage[]): void;
}
