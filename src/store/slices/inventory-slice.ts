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

/** Upserts and removals of one kind of record, waiting for the next flush. */
interface RecordWrites<Item> {
  upserts: Map<RefKey, Item>;
  removals: Set<RefKey>;
}

interface InventoryPending {
  replaced: Map<string, EngineInventory>;
  workloads: RecordWrites<Workload>;
  instances: RecordWrites<Instance>;
}

const recordWrites = <Item>(): RecordWrites<Item> => ({ upserts: new Map(), removals: new Set() });

function queueUpsert<Item extends { key: RefKey }>(writes: RecordWrites<Item>, item: Item): void {
  writes.upserts.set(item.key, item);
  writes.removals.delete(item.key);
}

function queueRemoval(writes: RecordWrites<unknown>, key: RefKey): void {
  writes.upserts.delete(key);
  writes.removals.add(key);
}

/** A full list is newer than anything queued for its engine before it. */
function dropEngineWrites(writes: RecordWrites<unknown>, engineId: string): void {
  const ofEngine = (key: RefKey): boolean => parseRefKey(key)?.engineId === engineId;
  for (const key of [...writes.upserts.keys()]) if (ofEngine(key)) writes.upserts.delete(key);
  for (const key of [...writes.removals]) if (ofEngine(key)) writes.removals.delete(key);
}

export const inventorySlice: SliceModule<InventorySlice, InventoryPending> = {
  name: 'inventory',
  createPending: () => ({ replaced: new Map(), workloads: recordWrites(), instances: recordWrites() }),
  create: ({ pending, requestFlush }) => {
    const queue = (write: (writes: InventoryPending) => void): void => {
      write(pending());
      requestFlush();
    };
    return {
      workloads: {},
      instances: {},
      inventoryReplaced: (engineId, inventory) =>
        queue((writes) => {
          writes.replaced.set(engineId, inventory);
          dropEngineWrites(writes.workloads, engineId);
          dropEngineWrites(writes.instances, engineId);
        }),
      workloadUpserted: (workload) => queue((writes) => queueUpsert(writes.workloads, workload)),
      workloadRemoved: (workloadKey) => queue((writes) => queueRemoval(writes.workloads, workloadKey)),
      instanceUpserted: (instance) => queue((writes) => queueUpsert(writes.instances, instance)),
      instanceRemoved: (instanceKey) => queue((writes) => queueRemoval(writes.instances, instanceKey)),
    };
  },
  apply: ({ next, pending }) => {
    const partial: Partial<InventorySlice> = {};
    const workloads = applyRecords(next.workloads, pending.replaced, (inventory) => inventory.workloads, pending.workloads);
    if (workloads) partial.workloads = workloads;
    const instances = applyRecords(next.instances, pending.replaced, (inventory) => inventory.instances, pending.instances);
    if (instances) partial.instances = instances;
    return Object.keys(partial).length > 0 ? partial : undefined;
  },
};

function applyRecords<Item extends { key: RefKey; ref: { engineId: string } }>(
  current: Record<RefKey, Item>,
  replaced: Map<string, EngineInventory>,
  listOf: (inventory: EngineInventory) => Item[],
  writes: RecordWrites<Item>,
): Record<RefKey, Item> | undefined {
  if (replaced.size === 0 && writes.upserts.size === 0 && writes.removals.size === 0) return undefined;
  const records: Record<RefKey, Item> = { ...current };
  for (const [engineId, inventory] of replaced) {
    for (const [key, item] of Object.entries(records)) if (item.ref.engineId === engineId) delete records[key];
    for (const item of listOf(inventory)) records[item.key] = keepIdentityWhenEqual(current[item.key], item);
  }
  for (const item of writes.upserts.values()) records[item.key] = keepIdentityWhenEqual(current[item.key], item);
  for (const key of writes.removals) delete records[key];
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
