import type { Alert, GateResult } from '../../domain/types';
import { DEFAULT_PENDING_THRESHOLD_MS, evaluateGates, type GateInput } from '../../domain/gates';
import { evaluateAlerts, updateRestartHistory, type RestartHistory } from '../../domain/thresholds';
import type { Thresholds } from '../../domain/types';
import { NO_PENDING, type SliceModule } from '../slice-module';
import type { OpsdeckState } from '../store-types';

export interface HealthSlice {
  thresholds: Thresholds;
  /** Restart counts over time per instance (crash-loop detection). */
  restartHistory: RestartHistory;
  alerts: Alert[];
  gates: GateResult[];
  /** How long a pod may be Pending before its gate fails (config `kubernetes.pendingThreshold`). */
  pendingThresholdMs: number;
  /** When alerts and gates were last derived: time alone moves some (a pod pending too long, a restart window). */
  healthEvaluatedAt: number;
}

type HealthInputs = Pick<
  OpsdeckState,
  'instances' | 'workloads' | 'statsByInstance' | 'host' | 'engines' | 'thresholds' | 'alerts' | 'gates' | 'restartHistory' | 'pendingThresholdMs'
>;

/** Alerts and gates are derived again at least this often while flushes happen (the clock tick requests one). */
const HEALTH_REEVALUATE_MS = 10_000;

/** Alerts and gates are derived from the rest of the state once per flush, when an input changed. */
export const healthSlice: SliceModule<HealthSlice, undefined> = {
  name: 'health',
  createPending: NO_PENDING,
  create: ({ options, now }) => ({
    thresholds: options.thresholds,
    restartHistory: new Map(),
    alerts: [],
    // Before any engine answers, every gate says so ("unknown"), rather than nothing.
    gates: evaluateGates({ instances: [], engines: [], thresholds: options.thresholds }, now()),
    pendingThresholdMs: options.pendingThresholdMs ?? DEFAULT_PENDING_THRESHOLD_MS,
    healthEvaluatedAt: now(),
  }),
  apply: ({ previous, next, now }) => {
    const changed =
      next.instances !== previous.instances ||
      next.workloads !== previous.workloads ||
      next.statsByInstance !== previous.statsByInstance ||
      next.host !== previous.host ||
      next.engines !== previous.engines;
    return changed || now - next.healthEvaluatedAt >= HEALTH_REEVALUATE_MS ? recomputeHealth(next, now) : undefined;
  },
};

export function recomputeHealth(
  state: HealthInputs,
  now: number,
): Pick<OpsdeckState, 'alerts' | 'gates' | 'restartHistory' | 'healthEvaluatedAt'> {
  const instances = Object.values(state.instances);
  const engines = Object.values(state.engines);
  const restartHistory: RestartHistory = updateRestartHistory(state.restartHistory, instances, now);
  const alerts = evaluateAlerts(
    { instances, statsByInstance: state.statsByInstance, host: state.host, engines, thresholds: state.thresholds, restartHistory },
    state.alerts,
    now,
  );
  const gates = evaluateGates(gateInputOf(state, { instances, engines, restartHistory }), now);
  return {
    alerts: reuseUnchanged(state.alerts, alerts, sameAlert),
    gates: reuseUnchanged(state.gates, gates, sameGate),
    restartHistory,
    healthEvaluatedAt: now,
  };
}

/**
 * The built-in gates' input from the live state; a configured `built-in` gate (src/gates/checks)
 * evaluates one of them over the same input. `known` passes what the caller already listed.
 */
export function gateInputOf(
  state: Pick<HealthInputs, 'instances' | 'workloads' | 'host' | 'engines' | 'thresholds' | 'restartHistory' | 'pendingThresholdMs'>,
  known: Partial<Pick<GateInput, 'instances' | 'engines' | 'restartHistory'>> = {},
): GateInput {
  return {
    instances: known.instances ?? Object.values(state.instances),
    workloads: Object.values(state.workloads),
    host: state.host,
    engines: known.engines ?? Object.values(state.engines),
    thresholds: state.thresholds,
    restartHistory: known.restartHistory ?? state.restartHistory,
    pendingThresholdMs: state.pendingThresholdMs,
  };
}

/**
 * Keeps the previous objects (and the previous array) where nothing an operator sees changed,
 * so rows selecting an alert or a gate do not re-render on every flush. A gate that keeps its
 * result keeps its `checkedAt`: the time since which it has held.
 */
function reuseUnchanged<Item extends { id: string }>(previous: Item[], next: Item[], same: (left: Item, right: Item) => boolean): Item[] {
  const previousById = new Map(previous.map((item) => [item.id, item]));
  const merged = next.map((item) => {
    const old = previousById.get(item.id);
    return old && same(old, item) ? old : item;
  });
  return merged.length === previous.length && merged.every((item, index) => item === previous[index]) ? previous : merged;
}

function sameAlert(left: Alert, right: Alert): boolean {
  return left.severity === right.severity && left.message === right.message && left.since === right.since;
}

function sameGate(left: GateResult, right: GateResult): boolean {
  return left.status === right.status && left.detail === right.detail && left.title === right.title && left.playbook === right.playbook;
}
