// The services tree's grouping, before any filter: engine -> project (namespace) -> service
// (Deployment, StatefulSet) -> instance keys, each level sorted. Built once per inventory change
// that moves something in the tree (a pod added, removed or renamed); a pod whose status changed
// keeps its place, so the structure is kept and only the filter and the rows are redone.

import { STANDALONE_PROJECT, groupOf } from '../../domain/types';
import type { EngineStatus, Instance, RefKey, Workload } from '../../domain/types';
import { engineGroupKey, projectKeyOf } from '../slices/group-counts';
import { changedKeysSince, type RecordChanges } from '../slices/inventory-slice';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

export { projectKeyOf };

export interface ServiceNode {
  workloadKey: RefKey;
  name: string;
  /** A compose service of one container is drawn as that container; a Deployment always has its own row. */
  grouped: boolean;
  /** Its instances in name order; none: a workload without instances (still a row). */
  instanceKeys: RefKey[];
}

export interface ProjectNode {
  projectKey: string;
  engineId: string;
  project: string;
  /** In name order. */
  services: ServiceNode[];
}

export interface TreeStructure {
  /** In engine order, then by name (standalone containers last). */
  projects: ProjectNode[];
  /** Instances in scope. */
  containerCount: number;
}

export interface StructureInput {
  workloads: Readonly<Record<RefKey, Workload>>;
  instances: Readonly<Record<RefKey, Instance>>;
  engines: Readonly<Record<string, EngineStatus>>;
  engineOrder: readonly string[];
  scope: ViewScope;
  /** The store's last inventory changes: with them a structure is followed instead of rebuilt. */
  workloadChanges?: RecordChanges<Workload>;
  instanceChanges?: RecordChanges<Instance>;
}

export function engineRowKey(engineId: string): string {
  return engineGroupKey(engineId);
}

/** localeCompare's order (the default locale), at a fraction of its cost per comparison. */
const collator = new Intl.Collator();

function compareNames(left: string, right: string): number {
  // Containers without a compose project go last.
  if (left === STANDALONE_PROJECT && right !== STANDALONE_PROJECT) return 1;
  if (right === STANDALONE_PROJECT && left !== STANDALONE_PROJECT) return -1;
  return collator.compare(left, right);
}

/** Every instance and workload of the scope, grouped and sorted. */
export function buildTreeStructure(input: StructureInput): TreeStructure {
  const { workloads, instances, engines, engineOrder, scope } = input;
  const scoped = !isUnscoped(scope);
  const engineRank = new Map(engineOrder.map((engineId, index) => [engineId, index]));
  const projects = new Map<string, ProjectNode>();
  const services = new Map<RefKey, ServiceNode>();
  const serviceOf = (workload: Pick<Workload, 'ref' | 'key'>): ServiceNode => {
    const known = services.get(workload.key);
    if (known) return known;
    const projectKey = projectKeyOf(workload);
    let project = projects.get(projectKey);
    if (!project) {
      project = { projectKey, engineId: workload.ref.engineId, project: groupOf(workload), services: [] };
      projects.set(projectKey, project);
    }
    const service: ServiceNode = { workloadKey: workload.key, name: workload.ref.name, grouped: workload.ref.kind !== 'compose-service', instanceKeys: [] };
    services.set(workload.key, service);
    project.services.push(service);
    return service;
  };
  const names = new Map<RefKey, string>();
  let containerCount = 0;
  for (const key in instances) {
    const instance = instances[key];
    if (!instance) continue;
    if (scoped && !inScope(scope, engines, instance.ref.engineId, instance.workload.namespace)) continue;
    containerCount += 1;
    serviceOf(workloads[instance.workloadKey] ?? { ref: instance.workload, key: instance.workloadKey }).instanceKeys.push(instance.key);
    names.set(instance.key, instance.ref.name);
  }
  // A workload with no instance still has a row (a Deployment scaled to zero, a service whose
  // containers are all gone until the engine says the service is gone too).
  for (const key in workloads) {
    const workload = workloads[key];
    if (!workload || services.has(workload.key)) continue;
    if (scoped && !inScope(scope, engines, workload.ref.engineId, workload.ref.namespace)) continue;
    serviceOf(workload);
  }
  const ordered = [...projects.values()].sort(
    (left, right) =>
      (engineRank.get(left.engineId) ?? Number.MAX_SAFE_INTEGER) - (engineRank.get(right.engineId) ?? Number.MAX_SAFE_INTEGER) ||
      compareNames(left.project, right.project),
  );
  for (const project of ordered) {
    project.services.sort((left, right) => collator.compare(left.name, right.name));
    for (const service of project.services) {
      if (service.instanceKeys.length > 1) service.instanceKeys.sort((left, right) => collator.compare(names.get(left) ?? '', names.get(right) ?? ''));
    }
  }
  return { projects: ordered, containerCount };
}

/** Whether an instance changed from `before` to `after` and stays where it was in the tree. */
function keepsItsPlace(before: Instance | undefined, after: Instance | undefined): boolean {
  return (
    before !== undefined &&
    after !== undefined &&
    before.workloadKey === after.workloadKey &&
    before.ref.name === after.ref.name &&
    before.ref.engineId === after.ref.engineId &&
    before.workload.namespace === after.workload.namespace
  );
}

/** The records a structure was made from (not their changes: each holds the records before it). */
type Basis = Omit<StructureInput, 'workloadChanges' | 'instanceChanges'>;

interface Built {
  input: Basis;
  structure: TreeStructure;
}

/** The structure built for an instances record (a new record looks up the one its changes came from). */
const builtFor = new WeakMap<object, Built>();

/**
 * The structure of `input`: the one of the previous inventory when the changes between them
 * moved nothing (pods whose status changed, Deployments whose replicas did), else a new one.
 */
export function treeStructureOf(input: StructureInput): TreeStructure {
  const same = builtFor.get(input.instances);
  if (same && sameFrame(same.input, input) && same.input.workloads === input.workloads) return same.structure;
  const candidates = [same, input.instanceChanges ? builtFor.get(input.instanceChanges.from) : undefined];
  const structure = candidates.find((built) => built && followable(built.input, input))?.structure ?? buildTreeStructure(input);
  const { workloads, instances, engines, engineOrder, scope } = input;
  builtFor.set(instances, { input: { workloads, instances, engines, engineOrder, scope }, structure });
  return structure;
}

function sameFrame(left: Basis, right: Basis): boolean {
  const scoped = !isUnscoped(right.scope);
  return left.scope === right.scope && left.engineOrder === right.engineOrder && (!scoped || left.engines === right.engines);
}

/** Whether the changes from `before` to `after` leave every instance and workload where it was. */
function followable(before: Basis, after: StructureInput): boolean {
  if (!sameFrame(before, after) || !after.instanceChanges || !after.workloadChanges) return false;
  // Records listed again come in another order, which decides between services of the same name.
  if (after.instances !== before.instances && !after.instanceChanges.sameKeys) return false;
  if (after.workloads !== before.workloads && !after.workloadChanges.sameKeys) return false;
  const instanceKeys = changedKeysSince(after.instanceChanges, before.instances, after.instances);
  const workloadKeys = changedKeysSince(after.workloadChanges, before.workloads, after.workloads);
  if (!instanceKeys || !workloadKeys) return false;
  for (const key of instanceKeys) if (!keepsItsPlace(before.instances[key], after.instances[key])) return false;
  // A workload's key is made of its engine, kind, namespace and name: a changed one stays put.
  for (const key of workloadKeys) if (!before.workloads[key] || !after.workloads[key]) return false;
  return true;
}
