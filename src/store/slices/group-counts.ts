// Instance counts per engine, project (namespace) and workload, kept by the inventory slice and
// moved by each flush's changed keys: a pod that restarted changes its three groups' counts, not
// a recount of 10,000 pods (the services panel's group rows show them).

import { groupKeyOf } from '../../domain/resource-ref';
import { groupOf } from '../../domain/types';
import type { Instance, RefKey, Workload } from '../../domain/types';

export interface GroupCount {
  containers: number;
  running: number;
  unhealthy: number;
  restarts: number;
  /** The groups above a workload's (the same for all its instances). */
  engineKey: string;
  projectKey: string;
}

export interface GroupCounts {
  /** The records counted. */
  of: Readonly<Record<RefKey, Instance>>;
  /** By `engine:<id>`. */
  engines: ReadonlyMap<string, GroupCount>;
  /** By project key (projectKeyOf). */
  projects: ReadonlyMap<string, GroupCount>;
  /** By workload key. */
  workloads: ReadonlyMap<RefKey, GroupCount>;
}

/** The counts of records no counts followed (a state put together by hand): counted once. */
const counted = new WeakMap<object, GroupCounts>();

export function countGroups(instances: Readonly<Record<RefKey, Instance>>): GroupCounts {
  let counts = counted.get(instances);
  if (!counts) {
    counts = followGroupCounts({ of: {}, engines: new Map(), projects: new Map(), workloads: new Map() }, {}, instances, Object.keys(instances));
    counted.set(instances, counts);
  }
  return counts;
}

export function engineGroupKey(engineId: string): string {
  return `engine:${engineId}`;
}

/** Project keys by workload ref object: a tree build asks for each row's, every time. */
const projectKeys = new WeakMap<object, string>();

/** Engine + compose project (or namespace) of an instance or a workload. */
export function projectKeyOf(item: Pick<Instance, 'workload'> | Pick<Workload, 'ref'>): string {
  const ref = 'workload' in item ? item.workload : item.ref;
  let key = projectKeys.get(ref);
  if (key === undefined) {
    key = groupKeyOf({ engineId: ref.engineId, namespace: groupOf(item) });
    projectKeys.set(ref, key);
  }
  return key;
}

type WritableCounts = { [Level in Exclude<keyof GroupCounts, 'of'>]: Map<string, GroupCount> };

/** Adds (sign 1) or takes away (sign -1) one instance from one of its groups. */
function move(map: Map<string, GroupCount>, key: string, instance: Instance, sign: 1 | -1, writable: (count: GroupCount) => GroupCount, engineKey: string, projectKey: string): void {
  const known = map.get(key);
  const count = known ? writable(known) : { containers: 0, running: 0, unhealthy: 0, restarts: 0, engineKey, projectKey };
  if (count !== known) map.set(key, count);
  count.containers += sign;
  if (instance.phase === 'running') count.running += sign;
  if (instance.health === 'unhealthy') count.unhealthy += sign;
  count.restarts += sign * instance.restartCount;
  if (count.containers === 0) map.delete(key);
}

/**
 * The counts after `keys` changed from `before` to `after` (the groups they touch are new
 * objects; the others are shared with `previous`).
 */
export function followGroupCounts(
  previous: GroupCounts,
  before: Readonly<Record<RefKey, Instance>>,
  after: Readonly<Record<RefKey, Instance>>,
  keys: Iterable<RefKey>,
): GroupCounts {
  const next: WritableCounts & Pick<GroupCounts, 'of'> = { of: after, engines: new Map(previous.engines), projects: new Map(previous.projects), workloads: new Map(previous.workloads) };
  const copies = new Set<GroupCount>();
  const writable = (known: GroupCount): GroupCount => {
    if (copies.has(known)) return known;
    const copy = { ...known };
    copies.add(copy);
    return copy;
  };
  // The pods of one workload share its ref and come one after another in a list: their group
  // keys are made once (10,000 pods: no 10,000 'engine:' strings hashed again on the first list).
  let lastWorkload: Instance['workload'] | undefined;
  let lastEngineId = '';
  let engineKey = '';
  let projectKey = '';
  const count = (instance: Instance, sign: 1 | -1): void => {
    if (instance.workload !== lastWorkload || instance.ref.engineId !== lastEngineId) {
      lastWorkload = instance.workload;
      lastEngineId = instance.ref.engineId;
      engineKey = engineGroupKey(lastEngineId);
      projectKey = projectKeyOf(instance);
    }
    move(next.engines, engineKey, instance, sign, writable, engineKey, projectKey);
    move(next.projects, projectKey, instance, sign, writable, engineKey, projectKey);
    move(next.workloads, instance.workloadKey, instance, sign, writable, engineKey, projectKey);
  };
  for (const key of keys) {
    const was = before[key];
    const is = after[key];
    if (was) count(was, -1);
    if (is) count(is, 1);
  }
  return next;
}
