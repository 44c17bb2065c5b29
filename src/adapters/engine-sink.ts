// The adapter-to-store contract: what every engine adapter writes, in engine-neutral,
// ref-keyed domain objects. No engine payload shape passes this boundary.

import type { ContainerStatsSample, EngineStatus, Instance, LogLine, RefKey, Workload } from '../domain/types';

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
}
