// Resources panel view model: running instances with stats, worst first.

import type { ContainerStatsSample, EngineStatus, Instance, RefKey, Severity, Thresholds } from '../../domain/types';
import { groupOf } from '../../domain/types';
import { severityOf } from '../../domain/thresholds';
import type { OpsdeckState } from '../store-types';
import type { RankedUsage } from '../slices/resources-slice';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';
import { selectMetricRowKeys } from './source-rows';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

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

/**
 * Instance keys worst first: by severity, then by the ranked usage (resources-slice.ts: it
 * follows the usage only once that moved RANKING_STEP, so rows do not swap on noise), then by name.
 */
export function orderResourceRows(
  instances: Record<RefKey, Instance>,
  statsByInstance: Record<RefKey, ContainerStatsSample>,
  thresholds: Thresholds,
  filter: string,
  scope: ViewScope = {},
  engines: Record<string, EngineStatus> = {},
  rankedUsage: Record<RefKey, RankedUsage> = {},
): string[] {
  const scoped = !isUnscoped(scope);
  const rows: Array<{ id: string; name: string; usage: RankedUsage; rank: number }> = [];
  for (const [id, sample] of Object.entries(statsByInstance)) {
    const instance = instances[id];
    if (!instance) continue;
    if (scoped && !inScope(scope, engines, instance.ref.engineId, instance.workload.namespace)) continue;
    if (!matchesFilter(filter, instance.ref.name, instance.workload.name, groupOf(instance))) continue;
    rows.push({ id, name: instance.ref.name, usage: rankedUsage[id] ?? sample, rank: rankOf(resourceSeverity(sample, thresholds)) });
  }
  rows.sort(
    (left, right) =>
      right.rank - left.rank ||
      right.usage.cpuPercent - left.usage.cpuPercent ||
      right.usage.memoryPercent - left.usage.memoryPercent ||
      left.name.localeCompare(right.name),
  );
  return rows.map((row) => row.id);
}

const orderResourceRowsMemo = memoizeList(orderResourceRows);

const METRICS_NOTICE_PREFIX = 'metrics:';

/** Row key of the line saying a context serves no metrics.k8s.io. */
export function metricsNoticeKey(engineId: string): string {
  return `${METRICS_NOTICE_PREFIX}${engineId}`;
}

/** The engine a metrics notice row is about, or undefined for an instance row. */
export function metricsNoticeEngine(key: string): string | undefined {
  return key.startsWith(METRICS_NOTICE_PREFIX) ? key.slice(METRICS_NOTICE_PREFIX.length) : undefined;
}

/** Kubernetes contexts in scope whose pods have no usage because metrics.k8s.io does not answer. */
const metricsNotices = memoizeList((engines: Record<string, EngineStatus>, engineOrder: readonly string[], scope: ViewScope): string[] =>
  engineOrder.filter((engineId) => {
    const engine = engines[engineId];
    return engine?.kind === 'kubernetes' && engine.metrics?.state === 'unavailable' && (scope.engineId === undefined || scope.engineId === engineId);
  }).map(metricsNoticeKey),
);

const joinRows = memoizeLast((notices: string[], metrics: string[], rows: string[]): string[] =>
  notices.length === 0 && metrics.length === 0 ? rows : [...notices, ...metrics, ...rows],
);

const NO_ENGINES: Record<string, EngineStatus> = {};

/** The resources panel's rows: a line per context without metrics, Prometheus' review queries, then instance keys worst first; same array while unchanged. */
export function selectResourceRowIds(state: OpsdeckState): string[] {
  const scope = state.ui.cluster.scope;
  const rows = orderResourceRowsMemo(
    state.instances,
    state.statsByInstance,
    state.thresholds,
    filterFor(state.ui, 'resources'),
    scope,
    isUnscoped(scope) ? NO_ENGINES : state.engines,
    state.rankedUsageByInstance,
  );
  return joinRows(metricsNotices(state.engines, state.engineOrder, scope), selectMetricRowKeys(state), rows);
}
