// Counts shown on engine, project and service rows, and their worst alert. The counts are
// followed through the inventory's changed keys (a pod that restarted moves its three groups'
// counts, not a recount of 10,000 pods); the severities come from the alerts, which are few.

import type { Alert, Instance, RefKey, Severity } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { changedKeysSince } from '../slices/inventory-slice';
import { selectAlertSeverityByTarget, worseSeverity } from './alert-selectors';
import { memoizeLast } from './memoize';
import { engineRowKey, projectKeyOf } from './service-tree-structure';

/** Counts shown on project and service rows. */
export interface GroupSummary {
  containers: number;
  running: number;
  unhealthy: number;
  restarts: number;
  severity: Severity | undefined;
}

interface GroupCounts {
  containers: number;
  running: number;
  unhealthy: number;
  restarts: number;
  /** The groups above a service (the same for all its instances). */
  engineKey: string;
  projectKey: string;
}

interface Counts {
  instances: Readonly<Record<RefKey, Instance>>;
  engines: Map<string, GroupCounts>;
  projects: Map<string, GroupCounts>;
  services: Map<RefKey, GroupCounts>;
}

type Groups = Pick<Counts, 'engines' | 'projects' | 'services'>;

/** Adds (sign 1) or takes away (sign -1) one instance from its engine, project and service. */
function count(groups: Groups, instance: Instance, sign: 1 | -1, writable: (counts: GroupCounts) => GroupCounts): void {
  const engineKey = engineRowKey(instance.ref.engineId);
  const projectKey = projectKeyOf(instance);
  const places: Array<[Map<string, GroupCounts>, string]> = [
    [groups.engines, engineKey],
    [groups.projects, projectKey],
    [groups.services, instance.workloadKey],
  ];
  for (const [map, key] of places) {
    const known = map.get(key);
    const counts = known ? writable(known) : { containers: 0, running: 0, unhealthy: 0, restarts: 0, engineKey, projectKey };
    if (counts !== known) map.set(key, counts);
    counts.containers += sign;
    if (instance.phase === 'running') counts.running += sign;
    if (instance.health === 'unhealthy') counts.unhealthy += sign;
    counts.restarts += sign * instance.restartCount;
    if (counts.containers === 0) map.delete(key);
  }
}

function countAll(instances: Readonly<Record<RefKey, Instance>>): Counts {
  const counts: Counts = { instances, engines: new Map(), projects: new Map(), services: new Map() };
  for (const key in instances) {
    const instance = instances[key];
    if (instance) count(counts, instance, 1, (known) => known);
  }
  return counts;
}

/** The counts of `previous` moved by the changed keys; the groups they touch are new objects. */
function followCounts(previous: Counts, instances: Readonly<Record<RefKey, Instance>>, changed: ReadonlySet<RefKey>): Counts {
  const next: Counts = { instances, engines: new Map(previous.engines), projects: new Map(previous.projects), services: new Map(previous.services) };
  const copies = new Set<GroupCounts>();
  const writable = (known: GroupCounts): GroupCounts => {
    if (copies.has(known)) return known;
    const copy = { ...known };
    copies.add(copy);
    return copy;
  };
  for (const key of changed) {
    const before = previous.instances[key];
    const after = instances[key];
    if (before) count(next, before, -1, writable);
    if (after) count(next, after, 1, writable);
  }
  return next;
}

const countsByInstances = new WeakMap<object, Counts>();

function countsOf(state: Pick<OpsdeckState, 'instances' | 'instanceChanges'>): Counts {
  const known = countsByInstances.get(state.instances);
  if (known) return known;
  const previous = countsByInstances.get(state.instanceChanges.from);
  const changed = previous ? changedKeysSince(state.instanceChanges, previous.instances, state.instances) : undefined;
  const counts = previous && changed ? followCounts(previous, state.instances, changed) : countAll(state.instances);
  countsByInstances.set(state.instances, counts);
  return counts;
}

interface Severities {
  engines: Map<string, Severity>;
  projects: Map<string, Severity>;
  services: Map<RefKey, Severity>;
}

/** A group's worst alert: of its instances, or of its service (when the service has instances). */
const severitiesOf = memoizeLast((counts: Counts, alerts: readonly Alert[]): Severities => {
  const severities: Severities = { engines: new Map(), projects: new Map(), services: new Map() };
  const raise = (engineKey: string, projectKey: string, serviceKey: RefKey, severity: Severity): void => {
    severities.engines.set(engineKey, worseSeverity(severities.engines.get(engineKey), severity) ?? severity);
    severities.projects.set(projectKey, worseSeverity(severities.projects.get(projectKey), severity) ?? severity);
    severities.services.set(serviceKey, worseSeverity(severities.services.get(serviceKey), severity) ?? severity);
  };
  for (const [target, severity] of selectAlertSeverityByTarget(alerts)) {
    const instance = counts.instances[target];
    if (instance) raise(engineRowKey(instance.ref.engineId), projectKeyOf(instance), instance.workloadKey, severity);
    const service = counts.services.get(target);
    if (service) raise(service.engineKey, service.projectKey, target, severity);
  }
  return severities;
});

/** One summary object per counts object and severity: a row re-renders when either changed. */
const summaries = new WeakMap<GroupCounts, GroupSummary>();

function summaryOf(counts: GroupCounts | undefined, severity: Severity | undefined): GroupSummary {
  if (!counts) return EMPTY_SUMMARY;
  const known = summaries.get(counts);
  if (known && known.severity === severity) return known;
  const summary: GroupSummary = { containers: counts.containers, running: counts.running, unhealthy: counts.unhealthy, restarts: counts.restarts, severity };
  summaries.set(counts, summary);
  return summary;
}

const EMPTY_SUMMARY: GroupSummary = { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };

type SummaryState = Pick<OpsdeckState, 'instances' | 'instanceChanges' | 'alerts'>;

/** Summary of a project row (by project key) or an engine row (by its `engine:` key). */
export function selectProjectSummary(state: SummaryState, projectKey: string): GroupSummary {
  const counts = countsOf(state);
  const severities = severitiesOf(counts, state.alerts);
  const project = counts.projects.get(projectKey);
  if (project) return summaryOf(project, severities.projects.get(projectKey));
  return summaryOf(counts.engines.get(projectKey), severities.engines.get(projectKey));
}

export function selectServiceSummary(state: SummaryState, workloadKey: RefKey): GroupSummary {
  const counts = countsOf(state);
  return summaryOf(counts.services.get(workloadKey), severitiesOf(counts, state.alerts).services.get(workloadKey));
}
