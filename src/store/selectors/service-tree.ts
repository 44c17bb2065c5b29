// Services panel view model: engine -> project (namespace) -> service (Deployment, StatefulSet)
// -> container (pod) rows, flattened for a list.
// Structure only (keys, labels, depth); each row reads its live data by id, so one
// container's change re-renders one row.

import { groupKeyOf } from '../../domain/resource-ref';
import { STANDALONE_PROJECT, groupOf } from '../../domain/types';
import type { Alert, EngineStatus, Instance, RefKey, Severity, Workload } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { selectAlertSeverityByTarget, worseSeverity } from './alert-selectors';
import { filterFor, filterNeedle, matchesNeedle } from './filter';
import { memoizeLast } from './memoize';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

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

/** Project keys by workload ref object: a tree build asks for each row's, every time. */
const projectKeys = new WeakMap<object, string>();

export function projectKeyOf(item: Pick<Instance, 'workload'> | Pick<Workload, 'ref'>): string {
  const ref = 'workload' in item ? item.workload : item.ref;
  let key = projectKeys.get(ref);
  if (key === undefined) {
    key = groupKeyOf({ engineId: ref.engineId, namespace: groupOf(item) });
    projectKeys.set(ref, key);
  }
  return key;
}

export function projectRowKey(projectKey: string): string {
  return `project:${projectKey}`;
}

export function engineRowKey(engineId: string): string {
  return `engine:${engineId}`;
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
}

const NO_SCOPE: ViewScope = {};

function compareNames(left: string, right: string): number {
  // Containers without a compose project go last.
  if (left === STANDALONE_PROJECT && right !== STANDALONE_PROJECT) return 1;
  if (right === STANDALONE_PROJECT && left !== STANDALONE_PROJECT) return -1;
  return left.localeCompare(right);
}

interface ProjectGroup {
  engineId: string;
  project: string;
  /** Workload key -> its workload and instances. */
  services: Map<RefKey, ServiceGroup>;
}

interface ServiceGroup {
  name: string;
  /** A compose service of one container is drawn as that container; a Deployment always has its own row. */
  grouped: boolean;
  instances: Instance[];
}

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
  const { workloads, instances, engines, engineOrder, collapsedProjects, filter } = input;
  const scope = input.scope ?? NO_SCOPE;
  const scoped = !isUnscoped(scope);
  const needle = filterNeedle(filter);
  const filtering = needle !== '';
  const showEngines = showsEngineRows(engines, engineOrder, scope);
  const engineRank = new Map(engineOrder.map((engineId, index) => [engineId, index]));

  const projects = new Map<string, ProjectGroup>();
  const serviceOf = (workload: Workload): ServiceGroup => {
    const projectKey = projectKeyOf(workload);
    let project = projects.get(projectKey);
    if (!project) {
      project = { engineId: workload.ref.engineId, project: groupOf(workload), services: new Map() };
      projects.set(projectKey, project);
    }
    let service = project.services.get(workload.key);
    if (!service) {
      service = { name: workload.ref.name, grouped: workload.ref.kind !== 'compose-service', instances: [] };
      project.services.set(workload.key, service);
    }
    return service;
  };
  let containerCount = 0;
  let visibleContainerCount = 0;
  /** Workloads that have instances: their rows come from the instances (filtered with them). */
  const populated = new Set<RefKey>();
  for (const instance of Object.values(instances)) {
    if (scoped && !inScope(scope, engines, instance.ref.engineId, instance.workload.namespace)) continue;
    containerCount += 1;
    populated.add(instance.workloadKey);
    const workload = workloads[instance.workloadKey] ?? { ref: instance.workload, key: instance.workloadKey };
    if (filtering && !matchesNeedle(needle, [groupOf(instance), workload.ref.name, instance.ref.name, instance.image, instance.reason])) continue;
    visibleContainerCount += 1;
    serviceOf(workload).instances.push(instance);
  }
  // A workload with no instance still has a row (a Deployment scaled to zero, a service whose
  // containers are all gone until the engine says the service is gone too).
  for (const workload of Object.values(workloads)) {
    if (populated.has(workload.key)) continue;
    if (scoped && !inScope(scope, engines, workload.ref.engineId, workload.ref.namespace)) continue;
    if (filtering && !matchesNeedle(needle, [groupOf(workload), workload.ref.name])) continue;
    serviceOf(workload);
  }

  const orderedProjects = [...projects.entries()].sort(
    ([, left], [, right]) =>
      (engineRank.get(left.engineId) ?? Number.MAX_SAFE_INTEGER) - (engineRank.get(right.engineId) ?? Number.MAX_SAFE_INTEGER) ||
      compareNames(left.project, right.project),
  );

  const rows: ServiceTreeRow[] = [];
  let currentEngine: string | undefined;
  let engineCollapsed = false;
  const base = showEngines ? 1 : 0;
  for (const [projectKey, project] of orderedProjects) {
    if (showEngines && project.engineId !== currentEngine) {
      currentEngine = project.engineId;
      engineCollapsed = !filtering && collapsedProjects[engineRowKey(project.engineId)] === true;
      rows.push({
        key: engineRowKey(project.engineId),
        kind: 'engine',
        depth: 0,
        label: engines[project.engineId]?.label ?? project.engineId,
        engineId: project.engineId,
        projectKey: engineRowKey(project.engineId),
        collapsed: engineCollapsed,
      });
    }
    if (showEngines && engineCollapsed) continue;
    const collapsed = !filtering && collapsedProjects[projectKey] === true;
    rows.push({ key: projectRowKey(projectKey), kind: 'project', depth: base, label: project.project, engineId: project.engineId, projectKey, collapsed });
    if (collapsed) continue;
    const services = [...project.services.entries()].sort(([, left], [, right]) => left.name.localeCompare(right.name));
    for (const [workloadKey, service] of services) {
      // Rows are written out field by field: an object spread here cost ~7 µs a row (V8's
      // slow clone path), which made each rebuild of a 500-container tree 7x slower.
      const only = !service.grouped && service.instances.length === 1 ? service.instances[0] : undefined;
      if (only) {
        rows.push(containerRow(project.engineId, projectKey, workloadKey, only.key, service.name, base + 1));
        continue;
      }
      rows.push({ key: serviceRowKey(workloadKey), kind: 'service', depth: base + 1, label: service.name, engineId: project.engineId, projectKey, workloadKey });
      for (const replica of [...service.instances].sort((left, right) => left.ref.name.localeCompare(right.ref.name))) {
        rows.push(containerRow(project.engineId, projectKey, workloadKey, replica.key, replica.ref.name, base + 2));
      }
    }
  }
  return { rows, containerCount, visibleContainerCount };
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

const buildServiceTreeMemo = memoizeLast(
  (
    workloads: Record<RefKey, Workload>,
    instances: Record<RefKey, Instance>,
    engines: Record<string, EngineStatus>,
    engineOrder: readonly string[],
    collapsedProjects: Record<string, true>,
    filter: string,
    scope: ViewScope,
  ): ServiceTree => buildServiceTree({ workloads, instances, engines, engineOrder, collapsedProjects, filter, scope }),
);

/** The services tree with the active filter; same object while its inputs are unchanged. */
export function selectServiceTree(state: OpsdeckState): ServiceTree {
  return buildServiceTreeMemo(
    state.workloads,
    state.instances,
    state.engines,
    state.engineOrder,
    state.ui.collapsedProjects,
    filterFor(state.ui, 'services'),
    state.ui.cluster.scope,
  );
}

export function selectServiceRow(state: OpsdeckState, key: string): ServiceTreeRow | undefined {
  return selectServiceRowIndex(state).get(key);
}

const indexRows = memoizeLast((tree: ServiceTree) => new Map(tree.rows.map((row) => [row.key, row])));

function selectServiceRowIndex(state: OpsdeckState): ReadonlyMap<string, ServiceTreeRow> {
  return indexRows(selectServiceTree(state));
}

/** Counts shown on project and service rows. */
export interface GroupSummary {
  containers: number;
  running: number;
  unhealthy: number;
  restarts: number;
  severity: Severity | undefined;
}

interface GroupSummaries {
  engines: ReadonlyMap<string, GroupSummary>;
  projects: ReadonlyMap<string, GroupSummary>;
  services: ReadonlyMap<RefKey, GroupSummary>;
}

const summarizeGroups = memoizeLast((instances: Record<RefKey, Instance>, alerts: readonly Alert[]): GroupSummaries => {
  const severityByTarget = selectAlertSeverityByTarget(alerts);
  const engines = new Map<string, GroupSummary>();
  const projects = new Map<string, GroupSummary>();
  const services = new Map<RefKey, GroupSummary>();
  const add = (groups: Map<string, GroupSummary>, key: string, instance: Instance, severity: Severity | undefined): void => {
    const summary = groups.get(key) ?? { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };
    summary.containers += 1;
    if (instance.phase === 'running') summary.running += 1;
    if (instance.health === 'unhealthy') summary.unhealthy += 1;
    summary.restarts += instance.restartCount;
    summary.severity = worseSeverity(summary.severity, severity);
    groups.set(key, summary);
  };
  for (const instance of Object.values(instances)) {
    const severity = worseSeverity(severityByTarget.get(instance.key), severityByTarget.get(instance.workloadKey));
    add(engines, engineRowKey(instance.ref.engineId), instance, severity);
    add(projects, projectKeyOf(instance), instance, severity);
    add(services, instance.workloadKey, instance, severity);
  }
  return { engines, projects, services };
});

const EMPTY_SUMMARY: GroupSummary = { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };

/** Summary of a project row (by project key) or an engine row (by its `engine:` key). */
export function selectProjectSummary(state: Pick<OpsdeckState, 'instances' | 'alerts'>, projectKey: string): GroupSummary {
  const summaries = summarizeGroups(state.instances, state.alerts);
  return summaries.projects.get(projectKey) ?? summaries.engines.get(projectKey) ?? EMPTY_SUMMARY;
}

export function selectServiceSummary(state: Pick<OpsdeckState, 'instances' | 'alerts'>, workloadKey: RefKey): GroupSummary {
  return summarizeGroups(state.instances, state.alerts).services.get(workloadKey) ?? EMPTY_SUMMARY;
}
