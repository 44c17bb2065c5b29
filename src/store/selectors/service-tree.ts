// Services panel view model: engine -> project (namespace) -> service (Deployment, StatefulSet)
// -> container (pod) rows, flattened for a list.
// Structure only (keys, labels, depth); each row reads its live data by id, so one
// container's change re-renders one row. The grouping and sorting are kept from one inventory
// to the next while nothing moves (service-tree-structure.ts); the filter and the rows are
// made from them, so a filter keystroke costs a pass over the instances, not a regrouping.

import { groupOf } from '../../domain/types';
import type { EngineStatus, Instance, RefKey, Workload } from '../../domain/types';
import { changedKeysSince, type RecordChanges } from '../slices/inventory-slice';
import type { OpsdeckState } from '../store-types';
import { filterFor, filterNeedle, matchesNeedle } from './filter';
import { memoizeLast } from './memoize';
import { engineRowKey, treeStructureOf, type TreeStructure } from './service-tree-structure';
import type { ViewScope } from './view-scope';

export { projectKeyOf, engineRowKey } from './service-tree-structure';
export { selectProjectSummary, selectServiceSummary, type GroupSummary } from './group-summaries';

export type ServiceRowKind = 'engine' | 'project' | 'service' | 'container';

export interface ServiceTreeRow {
  /** Stable selection key: `engine:<id>`, `project:<groupKey>`, `service:<workloadKey>`, `container:<instanceKey>`. */
  key: string;
  kind: ServiceRowKind;
  /** Nesting level: engine (when several), project, service (or the instance of a one-instance service), replica. */
  depth: number;
  label: string;
  engineId: string;
  /** Engine + compose project (or namespace), see groupKeyOf. */
  projectKey: string;
  /** Set on service and container rows. */
  workloadKey?: RefKey;
  /** Set on container rows. */
  instanceKey?: RefKey;
  /** Engine and project rows: whether what is under them is hidden. */
  collapsed?: boolean;
}

export interface ServiceTree {
  rows: ServiceTreeRow[];
  /** All instances, before filtering. */
  containerCount: number;
  /** Instances that pass the filter. */
  visibleContainerCount: number;
}

export function projectRowKey(projectKey: string): string {
  return `project:${projectKey}`;
}

export function serviceRowKey(workloadKey: RefKey): string {
  return `service:${workloadKey}`;
}

export function containerRowKey(instanceKey: RefKey): string {
  return `container:${instanceKey}`;
}

interface TreeInput {
  workloads: Record<RefKey, Workload>;
  instances: Record<RefKey, Instance>;
  engines: Record<string, EngineStatus>;
  engineOrder: readonly string[];
  collapsedProjects: Record<string, true>;
  filter: string;
  /** `:ctx` / `:ns`: records outside it are left out (not counted either). */
  scope?: ViewScope;
  /** The store's last inventory changes: the grouping is then followed rather than made again. */
  workloadChanges?: RecordChanges<Workload>;
  instanceChanges?: RecordChanges<Instance>;
}

const NO_SCOPE: ViewScope = {};

/** Engine rows are drawn when several engines are shown, or a Kubernetes context (context -> namespace -> workload -> pods). */
function showsEngineRows(engines: Record<string, EngineStatus>, engineOrder: readonly string[], scope: ViewScope): boolean {
  const shown = scope.engineId === undefined ? engineOrder : engineOrder.filter((engineId) => engineId === scope.engineId);
  return shown.length > 1 || shown.some((engineId) => engines[engineId]?.kind === 'kubernetes');
}

/**
 * engine (when several, or Kubernetes) -> project or namespace -> service or Deployment/StatefulSet
 * -> instances, from the workloads, so a workload with no instances still has a row.
 */
export function buildServiceTree(input: TreeInput): ServiceTree {
  const scope = input.scope ?? NO_SCOPE;
  const structure = treeStructureOf({
    workloads: input.workloads,
    instances: input.instances,
    engines: input.engines,
    engineOrder: input.engineOrder,
    scope,
    ...(input.workloadChanges ? { workloadChanges: input.workloadChanges } : {}),
    ...(input.instanceChanges ? { instanceChanges: input.instanceChanges } : {}),
  });
  return treeRows(structure, input.instances, input.engines, input.engineOrder, input.collapsedProjects, filterNeedle(input.filter), scope);
}

/** The rows of a structure: narrowed by the filter's needle, collapsed projects folded. */
function treeRows(
  structure: TreeStructure,
  instances: Readonly<Record<RefKey, Instance>>,
  engines: Record<string, EngineStatus>,
  engineOrder: readonly string[],
  collapsedProjects: Record<string, true>,
  needle: string,
  scope: ViewScope,
): ServiceTree {
  const filtering = needle !== '';
  const showEngines = showsEngineRows(engines, engineOrder, scope);
  const rows: ServiceTreeRow[] = [];
  let visibleContainerCount = 0;
  let currentEngine: string | undefined;
  let engineCollapsed = false;
  const base = showEngines ? 1 : 0;
  const shown: Instance[] = [];
  for (const project of structure.projects) {
    const { projectKey, engineId } = project;
    let headed = false;
    let folded = false;
    const projectMatches = filtering && matchesNeedle(needle, [project.project]);
    for (const service of project.services) {
      shown.length = 0;
      // The filter matches the namespace, the workload's name, or the instance's name, image or reason.
      const serviceMatches = !filtering || projectMatches || matchesNeedle(needle, [service.name]);
      for (const key of service.instanceKeys) {
        const instance = instances[key];
        if (!instance) continue;
        if (!serviceMatches && !instanceMatches(needle, instance, project.project)) continue;
        shown.push(instance);
      }
      visibleContainerCount += shown.length;
      // A workload with instances is shown when one of them passes; one without, when its own names do.
      if (shown.length === 0 && (service.instanceKeys.length > 0 || !serviceMatches)) continue;
      if (!headed) {
        // The engine's and the project's rows, before the project's first shown service.
        headed = true;
        if (showEngines && engineId !== currentEngine) {
          currentEngine = engineId;
          engineCollapsed = !filtering && collapsedProjects[engineRowKey(engineId)] === true;
          rows.push(groupRow({ key: engineRowKey(engineId), kind: 'engine', depth: 0, label: engines[engineId]?.label ?? engineId, engineId, projectKey: engineRowKey(engineId), collapsed: engineCollapsed }));
        }
        const collapsed = !filtering && collapsedProjects[projectKey] === true;
        folded = showEngines && engineCollapsed;
        if (!folded) rows.push(groupRow({ key: projectRowKey(projectKey), kind: 'project', depth: base, label: project.project, engineId, projectKey, collapsed }));
        folded ||= collapsed;
      }
      if (folded) continue;
      // Rows are written out field by field: an object spread here cost ~7 µs a row (V8's
      // slow clone path), which made each rebuild of a 500-container tree 7x slower.
      const only = !service.grouped && shown.length === 1 ? shown[0] : undefined;
      if (only) {
        rows.push(containerRow(engineId, projectKey, service.workloadKey, only.key, service.name, base + 1));
        continue;
      }
      rows.push(groupRow({ key: serviceRowKey(service.workloadKey), kind: 'service', depth: base + 1, label: service.name, engineId, projectKey, workloadKey: service.workloadKey }));
      for (const replica of shown) rows.push(containerRow(engineId, projectKey, service.workloadKey, replica.key, replica.ref.name, base + 2));
    }
  }
  return { rows, containerCount: structure.containerCount, visibleContainerCount };
}

/** Each instance's own texts lower-cased, once per instance object (the filter runs through 10,000 pods on every key). */
const loweredTexts = new WeakMap<Instance, readonly [group: string, name: string, image: string, reason: string]>();

function loweredTextsOf(instance: Instance): readonly [string, string, string, string] {
  let texts = loweredTexts.get(instance);
  if (!texts) {
    texts = [groupOf(instance).toLowerCase(), instance.ref.name.toLowerCase(), instance.image.toLowerCase(), instance.reason?.toLowerCase() ?? ''];
    loweredTexts.set(instance, texts);
  }
  return texts;
}

/**
 * Whether every instance changed from `before` to `after` (the store's last changes) keeps the
 * texts the filter reads; false when the changes do not lead from one to the other.
 */
function sameFilterTexts(before: Readonly<Record<RefKey, Instance>>, after: Readonly<Record<RefKey, Instance>>, changes: RecordChanges<Instance>): boolean {
  const keys = changedKeysSince(changes, before, after);
  if (!keys) return false;
  for (const key of keys) {
    const previous = before[key];
    const next = after[key];
    if (!previous || !next) return false;
    const [group, name, image, reason] = loweredTextsOf(previous);
    const nextTexts = loweredTextsOf(next);
    if (group !== nextTexts[0] || name !== nextTexts[1] || image !== nextTexts[2] || reason !== nextTexts[3] || (previous.reason === undefined) !== (next.reason === undefined)) return false;
  }
  return true;
}

/** The filter's needle in one of the instance's own texts (its namespace is its project's, as a rule). */
function instanceMatches(needle: string, instance: Instance, projectName: string): boolean {
  const [group, name, image, reason] = loweredTextsOf(instance);
  return (
    (groupOf(instance) !== projectName && group.includes(needle)) ||
    name.includes(needle) ||
    image.includes(needle) ||
    (instance.reason !== undefined && reason.includes(needle))
  );
}

/**
 * A container's row, the same object from one tree to the next while the row is the same (10,000
 * pods: no 10,000 new rows and keys, whose strings are hashed again by the row index, each time
 * one pod changes or the filter does).
 */
const containerRows = new Map<RefKey, ServiceTreeRow>();

function containerRow(engineId: string, projectKey: string, workloadKey: RefKey, instanceKey: RefKey, label: string, depth: number): ServiceTreeRow {
  const kept = containerRows.get(instanceKey);
  if (kept && kept.depth === depth && kept.label === label && kept.projectKey === projectKey && kept.workloadKey === workloadKey && kept.engineId === engineId) return kept;
  if (containerRows.size > 50_000) containerRows.clear();
  const row: ServiceTreeRow = { key: containerRowKey(instanceKey), kind: 'container', depth, label, engineId, projectKey, workloadKey, instanceKey };
  containerRows.set(instanceKey, row);
  return row;
}

/** Engine, project and service rows, kept like container rows: a tree with the same rows is the same tree. */
const groupRows = new Map<string, ServiceTreeRow>();

function groupRow(row: ServiceTreeRow): ServiceTreeRow {
  const kept = groupRows.get(row.key);
  if (
    kept &&
    kept.kind === row.kind &&
    kept.depth === row.depth &&
    kept.label === row.label &&
    kept.engineId === row.engineId &&
    kept.projectKey === row.projectKey &&
    kept.workloadKey === row.workloadKey &&
    kept.collapsed === row.collapsed
  ) {
    return kept;
  }
  if (groupRows.size > 50_000) groupRows.clear();
  groupRows.set(row.key, row);
  return row;
}

/** Whether two trees show the same rows (the same objects) and counts. */
function sameTree(left: ServiceTree, right: ServiceTree): boolean {
  if (left.rows.length !== right.rows.length || left.containerCount !== right.containerCount || left.visibleContainerCount !== right.visibleContainerCount) return false;
  for (let index = 0; index < left.rows.length; index++) if (left.rows[index] !== right.rows[index]) return false;
  return true;
}

interface RowsEntry {
  engines: Record<string, EngineStatus>;
  engineOrder: readonly string[];
  collapsedProjects: Record<string, true>;
  needle: string;
  scope: ViewScope;
  /** Only while filtering: a pod's status (its reason) can make it pass or not. */
  instances: Readonly<Record<RefKey, Instance>> | undefined;
  tree: ServiceTree;
}

/** The last rows of each structure: a pod whose status changed (same structure, no filter) keeps the tree. */
const rowsFor = new WeakMap<TreeStructure, RowsEntry>();

/** The services tree with the active filter; same object while its inputs are unchanged. */
export function selectServiceTree(state: OpsdeckState): ServiceTree {
  const scope = state.ui.cluster.scope;
  const structure = selectTreeStructure(state);
  const needle = filterNeedle(filterFor(state.ui, 'services'));
  const instances = needle === '' ? undefined : state.instances;
  const known = rowsFor.get(structure);
  if (
    known &&
    known.engines === state.engines &&
    known.engineOrder === state.engineOrder &&
    known.collapsedProjects === state.ui.collapsedProjects &&
    known.needle === needle &&
    known.scope === scope
  ) {
    if (known.instances === instances) return known.tree;
    // While filtering, pods whose status changed (a crash loop's restarts) pass or fail the filter
    // as before when their texts are the same: the rows are too (the structure kept their places).
    if (known.instances !== undefined && instances !== undefined && sameFilterTexts(known.instances, instances, state.instanceChanges)) {
      known.instances = instances;
      return known.tree;
    }
  }
  const made = treeRows(structure, state.instances, state.engines, state.engineOrder, state.ui.collapsedProjects, needle, scope);
  // Typing a filter that every row still passes ("s", "sv", "svc") keeps the tree, its keys and its index.
  const tree = known && sameTree(known.tree, made) ? known.tree : made;
  rowsFor.set(structure, { engines: state.engines, engineOrder: state.engineOrder, collapsedProjects: state.ui.collapsedProjects, needle, scope, instances, tree });
  return tree;
}

/** The structure the services tree is made from (the same object while nothing moves in the tree). */
function selectTreeStructure(state: OpsdeckState): TreeStructure {
  return treeStructureOf({
    workloads: state.workloads,
    instances: state.instances,
    engines: state.engines,
    engineOrder: state.engineOrder,
    scope: state.ui.cluster.scope,
    workloadChanges: state.workloadChanges,
    instanceChanges: state.instanceChanges,
  });
}

const servicesByWorkload = new WeakMap<TreeStructure, Map<RefKey, readonly RefKey[]>>();

/**
 * The instances of one workload in the services tree's scope, in the tree's order (a
 * Deployment row's pods), looked up in the tree's grouping instead of a walk over every instance.
 */
export function selectWorkloadInstanceKeys(state: OpsdeckState, workloadKey: RefKey): readonly RefKey[] {
  const structure = selectTreeStructure(state);
  let byWorkload = servicesByWorkload.get(structure);
  if (!byWorkload) {
    byWorkload = new Map();
    for (const project of structure.projects) for (const service of project.services) byWorkload.set(service.workloadKey, service.instanceKeys);
    servicesByWorkload.set(structure, byWorkload);
  }
  return byWorkload.get(workloadKey) ?? [];
}

export function selectServiceRow(state: OpsdeckState, key: string): ServiceTreeRow | undefined {
  return selectServiceRowIndex(state).get(key);
}

const indexRows = memoizeLast((tree: ServiceTree) => {
  const index = new Map<string, ServiceTreeRow>();
  for (const row of tree.rows) index.set(row.key, row);
  return index;
});

function selectServiceRowIndex(state: OpsdeckState): ReadonlyMap<string, ServiceTreeRow> {
  return indexRows(selectServiceTree(state));
}
