// Services panel view model: project -> service -> container rows, flattened for a list.
// Structure only (keys, labels, depth); each row reads its live data by id, so one
// container's change re-renders one row.

import { STANDALONE_PROJECT, serviceKeyOf } from '../../domain/types';
import type { Alert, ContainerInfo, EngineStatus, ServiceKey, Severity } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { selectAlertSeverityByTarget, worseSeverity } from './alert-selectors';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast } from './memoize';

export type ServiceRowKind = 'project' | 'service' | 'container';

export interface ServiceTreeRow {
  /** Stable selection key: `project:<engine>/<project>`, `service:<serviceKey>`, `container:<id>`. */
  key: string;
  kind: ServiceRowKind;
  /** 0 project, 1 service (or the container of a one-container service), 2 replica container. */
  depth: number;
  label: string;
  engineId: string;
  /** engineId/project */
  projectKey: string;
  /** Set on service and container rows. */
  serviceKey?: ServiceKey;
  /** Set on container rows. */
  containerId?: string;
  /** Project rows: whether its services are hidden. */
  collapsed?: boolean;
}

export interface ServiceTree {
  rows: ServiceTreeRow[];
  /** All containers, before filtering. */
  containerCount: number;
  /** Containers that pass the filter. */
  visibleContainerCount: number;
}

export function projectKeyOf(container: Pick<ContainerInfo, 'engineId' | 'project'>): string {
  return `${container.engineId}/${container.project}`;
}

export function projectRowKey(projectKey: string): string {
  return `project:${projectKey}`;
}

export function serviceRowKey(serviceKey: ServiceKey): string {
  return `service:${serviceKey}`;
}

export function containerRowKey(containerId: string): string {
  return `container:${containerId}`;
}

interface TreeInput {
  containers: Record<string, ContainerInfo>;
  engines: Record<string, EngineStatus>;
  engineOrder: readonly string[];
  collapsedProjects: Record<string, true>;
  filter: string;
}

function compareNames(left: string, right: string): number {
  // Containers without a compose project go last.
  if (left === STANDALONE_PROJECT && right !== STANDALONE_PROJECT) return 1;
  if (right === STANDALONE_PROJECT && left !== STANDALONE_PROJECT) return -1;
  return left.localeCompare(right);
}

export function buildServiceTree(input: TreeInput): ServiceTree {
  const { containers, engines, engineOrder, collapsedProjects, filter } = input;
  const filtering = filter.trim() !== '';
  const showEngine = engineOrder.length > 1;
  const engineRank = new Map(engineOrder.map((engineId, index) => [engineId, index]));

  // engine/project -> service -> containers
  const projects = new Map<string, { engineId: string; project: string; services: Map<string, ContainerInfo[]> }>();
  let containerCount = 0;
  let visibleContainerCount = 0;
  for (const container of Object.values(containers)) {
    containerCount += 1;
    if (filtering && !matchesFilter(filter, container.project, container.service, container.name, container.image)) continue;
    visibleContainerCount += 1;
    const projectKey = projectKeyOf(container);
    let project = projects.get(projectKey);
    if (!project) {
      project = { engineId: container.engineId, project: container.project, services: new Map() };
      projects.set(projectKey, project);
    }
    const replicas = project.services.get(container.service);
    if (replicas) replicas.push(container);
    else project.services.set(container.service, [container]);
  }

  const orderedProjects = [...projects.entries()].sort(
    ([, left], [, right]) =>
      (engineRank.get(left.engineId) ?? Number.MAX_SAFE_INTEGER) - (engineRank.get(right.engineId) ?? Number.MAX_SAFE_INTEGER) ||
      compareNames(left.project, right.project),
  );

  const rows: ServiceTreeRow[] = [];
  for (const [projectKey, project] of orderedProjects) {
    const collapsed = !filtering && collapsedProjects[projectKey] === true;
    const engineLabel = engines[project.engineId]?.label ?? project.engineId;
    rows.push({
      key: projectRowKey(projectKey),
      kind: 'project',
      depth: 0,
      label: showEngine ? `${project.project} @${engineLabel}` : project.project,
      engineId: project.engineId,
      projectKey,
      collapsed,
    });
    if (collapsed) continue;
    const services = [...project.services.entries()].sort(([left], [right]) => left.localeCompare(right));
    for (const [service, replicas] of services) {
      const first = replicas[0];
      if (!first) continue;
      const serviceKey = serviceKeyOf(first);
      if (replicas.length === 1) {
        rows.push({
          key: containerRowKey(first.id),
          kind: 'container',
          depth: 1,
          label: service,
          engineId: project.engineId,
          projectKey,
          serviceKey,
          containerId: first.id,
        });
        continue;
      }
      rows.push({ key: serviceRowKey(serviceKey), kind: 'service', depth: 1, label: service, engineId: project.engineId, projectKey, serviceKey });
      for (const replica of [...replicas].sort((left, right) => left.name.localeCompare(right.name))) {
        rows.push({
          key: containerRowKey(replica.id),
          kind: 'container',
          depth: 2,
          label: replica.name,
          engineId: project.engineId,
          projectKey,
          serviceKey,
          containerId: replica.id,
        });
      }
    }
  }
  return { rows, containerCount, visibleContainerCount };
}

const buildServiceTreeMemo = memoizeLast(
  (
    containers: Record<string, ContainerInfo>,
    engines: Record<string, EngineStatus>,
    engineOrder: readonly string[],
    collapsedProjects: Record<string, true>,
    filter: string,
  ): ServiceTree => buildServiceTree({ containers, engines, engineOrder, collapsedProjects, filter }),
);

/** The services tree with the active filter; same object while its inputs are unchanged. */
export function selectServiceTree(state: OpsdeckState): ServiceTree {
  return buildServiceTreeMemo(
    state.containers,
    state.engines,
    state.engineOrder,
    state.ui.collapsedProjects,
    filterFor(state.ui, 'services'),
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
  projects: ReadonlyMap<string, GroupSummary>;
  services: ReadonlyMap<ServiceKey, GroupSummary>;
}

const summarizeGroups = memoizeLast((containers: Record<string, ContainerInfo>, alerts: readonly Alert[]): GroupSummaries => {
  const severityByTarget = selectAlertSeverityByTarget(alerts);
  const projects = new Map<string, GroupSummary>();
  const services = new Map<ServiceKey, GroupSummary>();
  const add = (groups: Map<string, GroupSummary>, key: string, container: ContainerInfo, severity: Severity | undefined): void => {
    const summary = groups.get(key) ?? { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };
    summary.containers += 1;
    if (container.state === 'running') summary.running += 1;
    if (container.health === 'unhealthy') summary.unhealthy += 1;
    summary.restarts += container.restartCount;
    summary.severity = worseSeverity(summary.severity, severity);
    groups.set(key, summary);
  };
  for (const container of Object.values(containers)) {
    const serviceKey = serviceKeyOf(container);
    const severity = worseSeverity(severityByTarget.get(container.id), severityByTarget.get(serviceKey));
    add(projects, projectKeyOf(container), container, severity);
    add(services, serviceKey, container, severity);
  }
  return { projects, services };
});

const EMPTY_SUMMARY: GroupSummary = { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };

export function selectProjectSummary(state: Pick<OpsdeckState, 'containers' | 'alerts'>, projectKey: string): GroupSummary {
  return summarizeGroups(state.containers, state.alerts).projects.get(projectKey) ?? EMPTY_SUMMARY;
}

export function selectServiceSummary(state: Pick<OpsdeckState, 'containers' | 'alerts'>, serviceKey: ServiceKey): GroupSummary {
  return summarizeGroups(state.containers, state.alerts).services.get(serviceKey) ?? EMPTY_SUMMARY;
}
