// Workloads and instances of every engine, keyed by ref key.

import type { EngineInventory } from '../../adapters/engine-sink';
import { parseRefKey } from '../../domain/resource-ref';
import type { Instance, RefKey, Workload } from '../../domain/types';
import type { SliceModule } from '../slice-module';

export interface InventorySlice {
  workloads: Record<RefKey, Workload>;
  instances: Record<RefKey, Instance>;
  inventoryReplaced(engineId: string, inventory: EngineInventory): void;
  workloadUpserted(workload: Workload): void;
  workloadRemoved(workloadKey: RefKey): void;
  instanceUpserted(instance: Instance): void;
  instanceRemoved(instanceKey: RefKey): void;
}

interface InventoryPending {
  replaced: Map<string, EngineInventory>;
  workloadUpserts: Map<RefKey, Workload>;
  workloadRemovals: Set<RefKey>;
  instanceUpserts: Map<RefKey, Instance>;
  instanceRemovals: Set<RefKey>;
}

export const inventorySlice: SliceModule<InventorySlice, InventoryPending> = {
  name: 'inventory',
  createPending: () => ({
    replaced: new Map(),
    workloadUpserts: new Map(),
    workloadRemovals: new Set(),
    instanceUpserts: new Map(),
    instanceRemovals: new Set(),
  }),
  create: ({ pending, requestFlush }) => ({
    workloads: {},
    instances: {},
    inventoryReplaced: (engineId, inventory) => {
      // The full list is newer than anything queued for that engine before it.
      const writes = pending();
      writes.replaced.set(engineId, inventory);
      const ofEngine = (key: RefKey): boolean => parseRefKey(key)?.engineId === engineId;
      for (const key of [...writes.workloadUpserts.keys()]) if (ofEngine(key)) writes.workloadUpserts.delete(key);
      for (const key of [...writes.instanceUpserts.keys()]) if (ofEngine(key)) writes.instanceUpserts.delete(key);
      for (const key of [...writes.workloadRemovals]) if (ofEngine(key)) writes.workloadRemovals.delete(key);
      for (const key of [...writes.instanceRemovals]) if (ofEngine(key)) writes.instanceRemovals.delete(key);
      requestFlush();
    },
    workloadUpserted: (workload) => {
      pending().workloadUpserts.set(workload.key, workload);
      pending().workloadRemovals.delete(workload.key);
      requestFlush();
    },
    workloadRemoved: (workloadKey) => {
      pending().workloadUpserts.delete(workloadKey);
      pending().workloadRemovals.add(workloadKey);
      requestFlush();
    },
    instanceUpserted: (instance) => {
      pending().instanceUpserts.set(instance.key, instance);
      pending().instanceRemovals.delete(instance.key);
      requestFlush();
    },
    instanceRemoved: (instanceKey) => {
      pending().instanceUpserts.delete(instanceKey);
      pending().instanceRemovals.add(instanceKey);
      requestFlush();
    },
  }),
  apply: ({ next, pending }) => {
    const partial: Partial<InventorySlice> = {};
    const workloads = applyRecords(
      next.workloads,
      pending.replaced,
      (inventory) => inventory.workloads,
      (workload) => workload.ref.engineId,
      pending.workloadUpserts,
      pending.workloadRemovals,
    );
    if (workloads) partial.workloads = workloads;
    const instances = applyRecords(
      next.instances,
      pending.replaced,
      (inventory) => inventory.instances,
      (instance) => instance.ref.engineId,
      pending.instanceUpserts,
      pending.instanceRemovals,
    );
    if (instances) partial.instances = instances;
    return Object.keys(partial).length > 0 ? partial : undefined;
  },
};

function applyRecords<Item extends { key: RefKey }>(
  current: Record<RefKey, Item>,
  replaced: Map<string, EngineInventory>,
  listOf: (inventory: EngineInventory) => Item[],
  engineOf: (item: Item) => string,
  upserts: Map<RefKey, Item>,
  removals: Set<RefKey>,
): Record<RefKey, Item> | undefined {
  if (replaced.size === 0 && upserts.size === 0 && removals.size === 0) return undefined;
  const records: Record<RefKey, Item> = { ...current };
  for (const [engineId, inventory] of replaced) {
    for (const [key, item] of Object.entries(records)) if (engineOf(item) === engineId) delete records[key];
    for (const item of listOf(inventory)) records[item.key] = keepIdentityWhenEqual(current[item.key], item);
  }
  for (const item of upserts.values()) records[item.key] = keepIdentityWhenEqual(current[item.key], item);
  for (const key of removals) delete records[key];
  return records;
}

/** Rows select records by key: an unchanged record keeps its object so its row does not re-render. */
export function keepIdentityWhenEqual<Item extends object>(previous: Item | undefined, next: Item): Item {
  if (!previous) return next;
  return shallowEqualDeep(previous, next) ? previous : next;
}

/** Equal own values, comparing nested plain objects (refs) one level down. */
function shallowEqualDeep(left: object, right: object): boolean {
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(rightRecord);
  if (keys.length !== Object.keys(leftRecord).length) return false;
  return keys.every((key) => {
    const a = leftRecord[key];
    const b = rightRecord[key];
    if (a === b) return true;
    if (a && b && typeof a === 'object' && typeof b === 'object') return shallowEqualDeep(a, b);
    return false;
  });
}
