// Resources panel view model: running instances with stats, worst first.

import type { ContainerStatsSample, Instance, RefKey, Severity, Thresholds } from '../../domain/types';
import { groupOf } from '../../domain/types';
import { severityOf } from '../../domain/thresholds';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeList } from './memoize';

/**
 * False for a container without a memory limit of its own (the adapter reports its limit as
 * 0): its percentage is of the whole host, so its bytes say more.
 */
export function hasMemoryLimit(sample: Pick<ContainerStatsSample, 'memoryLimitBytes'>): boolean {
  return sample.memoryLimitBytes > 0;
}

/** Worse of the CPU and memory severities of one sample. */
export function resourceSeverity(sample: ContainerStatsSample | undefined, thresholds: Thresholds): Severity | undefined {
  if (!sample) return undefined;
  const cpu = severityOf(sample.cpuPercent, thresholds.cpu);
  const memory = severityOf(sample.memoryPercent, thresholds.memory);
  if (cpu === 'critical' || memory === 'critical') return 'critical';
  return cpu ?? memory;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 2, warning: 1 };

function rankOf(severity: Severity | undefined): number {
  return severity ? SEVERITY_RANK[severity] : 0;
}

export function orderResourceRows(
  instances: Record<RefKey, Instance>,
  statsByInstance: Record<RefKey, ContainerStatsSample>,
  thresholds: Thresholds,
  filter: string,
): string[] {
  const rows: Array<{ id: string; name: string; sample: ContainerStatsSample; rank: number }> = [];
  for (const [id, sample] of Object.entries(statsByInstance)) {
    const instance = instances[id];
    if (!instance) continue;
    if (!matchesFilter(filter, instance.ref.name, instance.workload.name, groupOf(instance))) continue;
    rows.push({ id, name: instance.ref.name, sample, rank: rankOf(resourceSeverity(sample, thresholds)) });
  }
  // Compared at the precision shown (0.1 %): rows that look tied keep their order by name
  // instead of swapping on noise, which would redraw them for nothing.
  const shown = (percent: number): number => Math.round(percent * 10);
  rows.sort(
    (left, right) =>
      right.rank - left.rank ||
      shown(right.sample.cpuPercent) - shown(left.sample.cpuPercent) ||
      shown(right.sample.memoryPercent) - shown(left.sample.memoryPercent) ||
      left.name.localeCompare(right.name),
  );
  return rows.map((row) => row.id);
}

const orderResourceRowsMemo = memoizeList(orderResourceRows);

/** Instance keys of the resources panel, worst first; same array while the order is unchanged. */
export function selectResourceRowIds(state: OpsdeckState): string[] {
  return orderResourceRowsMemo(state.instances, state.statsByInstance, state.thresholds, filterFor(state.ui, 'resources'));
}
