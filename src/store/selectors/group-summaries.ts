// Counts shown on engine, project and service rows, and their worst alert. The counts are kept
// by the inventory slice (moved by each flush's changed keys); the severities come from the
// alerts, which are few.

import type { Alert, RefKey, Severity } from '../../domain/types';
import { countGroups, engineGroupKey, projectKeyOf, type GroupCount, type GroupCounts } from '../slices/group-counts';
import type { OpsdeckState } from '../store-types';
import { selectAlertSeverityByTarget, worseSeverity } from './alert-selectors';
import { memoizeLast } from './memoize';

/** Counts shown on project and service rows. */
export interface GroupSummary {
  containers: number;
  running: number;
  unhealthy: number;
  restarts: number;
  severity: Severity | undefined;
}

interface Severities {
  engines: Map<string, Severity>;
  projects: Map<string, Severity>;
  workloads: Map<RefKey, Severity>;
}

/** A group's worst alert: of its instances, or of its workload (when the workload has instances). */
const severitiesOf = memoizeLast((counts: GroupCounts, alerts: readonly Alert[]): Severities => {
  const severities: Severities = { engines: new Map(), projects: new Map(), workloads: new Map() };
  const raise = (engineKey: string, projectKey: string, workloadKey: RefKey, severity: Severity): void => {
    severities.engines.set(engineKey, worseSeverity(severities.engines.get(engineKey), severity) ?? severity);
    severities.projects.set(projectKey, worseSeverity(severities.projects.get(projectKey), severity) ?? severity);
    severities.workloads.set(workloadKey, worseSeverity(severities.workloads.get(workloadKey), severity) ?? severity);
  };
  for (const [target, severity] of selectAlertSeverityByTarget(alerts)) {
    const instance = counts.of[target];
    if (instance) raise(engineGroupKey(instance.ref.engineId), projectKeyOf(instance), instance.workloadKey, severity);
    const workload = counts.workloads.get(target);
    if (workload) raise(workload.engineKey, workload.projectKey, target, severity);
  }
  return severities;
});

/** One summary object per count object and severity: a row re-renders when either changed. */
const summaries = new WeakMap<GroupCount, GroupSummary>();

function summaryOf(count: GroupCount | undefined, severity: Severity | undefined): GroupSummary {
  if (!count) return EMPTY_SUMMARY;
  const known = summaries.get(count);
  if (known && known.severity === severity) return known;
  const summary: GroupSummary = { containers: count.containers, running: count.running, unhealthy: count.unhealthy, restarts: count.restarts, severity };
  summaries.set(count, summary);
  return summary;
}

const EMPTY_SUMMARY: GroupSummary = { containers: 0, running: 0, unhealthy: 0, restarts: 0, severity: undefined };

type SummaryState = Pick<OpsdeckState, 'instances' | 'groupCounts' | 'alerts'>;

function countsOf(state: SummaryState): GroupCounts {
  return state.groupCounts.of === state.instances ? state.groupCounts : countGroups(state.instances);
}

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
  return summaryOf(counts.workloads.get(workloadKey), severitiesOf(counts, state.alerts).workloads.get(workloadKey));
}
