import { evaluateGates } from '../../domain/gates';
import type { GateResult, GateStatus } from '../../domain/types';
import type { GateSpec } from '../../gates/gate-types';
import { applyPipeline } from '../../gates/pipeline';
import { bindInputs } from '../../playbooks/suggestions';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';
import { inScope, isUnscoped, type ViewScope } from './view-scope';

type GateState = Pick<
  OpsdeckState,
  'gates' | 'gateSpecs' | 'configuredGateResults' | 'ui' | 'instances' | 'workloads' | 'engines' | 'host' | 'thresholds' | 'restartHistory' | 'pendingThresholdMs' | 'healthEvaluatedAt'
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

/** A configured gate's last result (or `pending`), decorated from its spec. */
function configuredResultOf(spec: GateSpec, checked: GateResult | undefined): GateResult {
  const raw: GateResult = checked ?? { id: spec.id, title: spec.title, status: 'pending', detail: 'not checked yet', checkedAt: 0, origin: 'configured' };
  return {
    ...raw,
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    ...(spec.stage !== undefined ? { stage: spec.stage } : {}),
    ...(spec.failureCode !== undefined ? { failureCode: spec.failureCode } : {}),
    ...(spec.recovery ? { playbook: spec.recovery.playbook, playbookInputs: bindInputs({ bind: spec.recovery.inputs }, { kind: 'gate', gate: { id: spec.id, detail: raw.detail, ...(raw.workloadKey !== undefined ? { workload: raw.workloadKey } : {}) } }) } : {}),
  };
}

/** Built-in and configured gates with the pipeline applied (interim: gates-core's composeGates replaces it). */
const withConfiguredGates = memoizeLast(
  (builtIn: readonly GateResult[], specs: readonly GateSpec[], results: Readonly<Record<string, GateResult>>): readonly GateResult[] => {
    if (specs.length === 0) return builtIn;
    return applyPipeline([...builtIn, ...specs.map((spec) => configuredResultOf(spec, results[spec.id]))]).gates;
  },
);

/** The gates the panel shows: all of them, or those of the scope. */
export function selectShownGates(state: GateState): readonly GateResult[] {
  return withConfiguredGates(selectBuiltInGates(state), state.gateSpecs, state.configuredGateResults);
}

function selectBuiltInGates(state: GateState): readonly GateResult[] {
  const scope = state.ui.cluster.scope;
  if (isUnscoped(scope)) return state.gates;
  return scopedGates(
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
