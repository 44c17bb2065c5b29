import { evaluateGates } from '../../domain/gates';
import type { GateResult, GateStatus } from '../../domain/types';
import { composeGates } from '../../gates/gate-list';
import type { PipelineView } from '../../gates/pipeline';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

type GateState = Pick<
  OpsdeckState,
  | 'gates'
  | 'gateSpecs'
  | 'configuredGateResults'
  | 'ui'
  | 'instances'
  | 'workloads'
  | 'engines'
  | 'host'
  | 'thresholds'
  | 'restartHistory'
  | 'pendingThresholdMs'
  | 'healthEvaluatedAt'
>;

/**
 * The gates of the `:ctx` / `:ns` scope: the store's gates answer for every engine; narrowed,
 * they are evaluated again over the engines, pods and workloads in scope (at the store's last
 * evaluation time, so they move with it). The host's gates stay as they are.
 */
const scopedGates = memoizeLast(
  (
    scope: ViewScope,
    instances: GateState['instances'],
    workloads: GateState['workloads'],
    engines: GateState['engines'],
    host: GateState['host'],
    thresholds: GateState['thresholds'],
    restartHistory: GateState['restartHistory'],
    pendingThresholdMs: number,
    evaluatedAt: number,
  ): readonly GateResult[] =>
    evaluateGates(
      {
        engines: Object.values(engines).filter((engine) => scope.engineId === undefined || engine.id === scope.engineId),
        instances: Object.values(instances).filter((instance) => inScope(scope, engines, instance.ref.engineId, instance.workload.namespace)),
        workloads: Object.values(workloads).filter((workload) => inScope(scope, engines, workload.ref.engineId, workload.ref.namespace)),
        thresholds,
        restartHistory,
        pendingThresholdMs,
        ...(host ? { host } : {}),
      },
      evaluatedAt,
    ),
);

/** Built-in and configured gates in pipeline order, blocked ones replaced (src/gates/gate-list.ts). */
const composedGates = memoizeLast(composeGates);

/** The whole pipeline over every engine (the scheduler asks it which gates may run; `status` and `check` print it). */
export function selectGatePipeline(state: Pick<OpsdeckState, 'gates' | 'gateSpecs' | 'configuredGateResults'>): PipelineView {
  return composedGates(state.gates, state.gateSpecs, state.configuredGateResults);
}

/**
 * The gates the panel shows: the built-in gates (all of them, or those of the `:ctx` / `:ns`
 * scope) and the configured ones, a configured `built-in` entry decorating the result it names,
 * in pipeline order with the pipeline applied.
 */
export function selectShownGates(state: GateState): readonly GateResult[] {
  const scope = state.ui.cluster.scope;
  const builtIns = isUnscoped(scope)
    ? state.gates
    : scopedGates(
        scope,
        state.instances,
        state.workloads,
        state.engines,
        state.host,
        state.thresholds,
        state.restartHistory,
        state.pendingThresholdMs,
        state.healthEvaluatedAt,
      );
  if (state.gateSpecs.length === 0) return builtIns;
  return composedGates(builtIns, state.gateSpecs, state.configuredGateResults).gates;
}

const filterGates = memoizeList((gates: readonly GateResult[], filter: string): string[] =>
  gates.filter((gate) => matchesFilter(filter, gate.title, gate.detail)).map((gate) => gate.id),
);

export function selectGateRowIds(state: OpsdeckState): string[] {
  return filterGates(selectShownGates(state), filterFor(state.ui, 'gates'));
}

const indexGates = memoizeLast((gates: readonly GateResult[]) => new Map(gates.map((gate) => [gate.id, gate])));

export function selectGate(state: GateState, gateId: string): GateResult | undefined {
  return indexGates(selectShownGates(state)).get(gateId);
}

export type GateCounts = Record<GateStatus, number>;

export function countGates(gates: readonly GateResult[]): GateCounts {
  const counts: GateCounts = { pass: 0, fail: 0, warn: 0, unknown: 0, pending: 0, blocked: 0 };
  for (const gate of gates) counts[gate.status] += 1;
  return counts;
}
