import type { Alert, GateResult } from '../../domain/types';
import { DEFAULT_PENDING_THRESHOLD_MS, evaluateGates, type GateInput } from '../../domain/gates';
import type { RestartHistory } from '../../domain/thresholds';
import type { Thresholds } from '../../domain/types';
import { NO_PENDING, type SliceModule } from '../slice-module';
import type { OpsdeckState } from '../store-types';
import { indexHealth, type HealthIndex } from './health-index';
import { recordValues } from './inventory-slice';

export interface HealthSlice {
  thresholds: Thresholds;
  /** Restart counts over time per instance (crash-loop detection). */
  restartHistory: RestartHistory;
  /** The engines', instances' and host's alerts (the alerts slice lists them with the gates'). */
  healthAlerts: Alert[];
  gates: GateResult[];
  /** How long a pod may be Pending before its gate fails (config `kubernetes.pendingThreshold`). */
  pendingThresholdMs: number;
  /** When alerts and gates were last derived: time alone moves some (a pod pending too long, a restart window). */
  healthEvaluatedAt: number;
}

type HealthInputs = Pick<
  OpsdeckState,
  'instances' | 'instanceChanges' | 'workloads' | 'statsByInstance' | 'host' | 'engines' | 'thresholds' | 'healthAlerts' | 'gates' | 'restartHistory' | 'pendingThresholdMs'
>;

/** Alerts and gates are derived again at least this often while flushes happen (the clock tick requests one). */
const HEALTH_REEVALUATE_MS = 10_000;

/**
 * Alerts and gates are derived from the rest of the state once per flush, when an input changed.
 * Each store has its own health index (restart history and alerts per instance), followed from
 * one flush to the next through the inventory's changed keys.
 */
export function createHealthSlice(): SliceModule<HealthSlice, undefined> {
  let index: HealthIndex | undefined;
  return {
    name: 'health',
    createPending: NO_PENDING,
    create: ({ options, now }) => ({
      thresholds: options.thresholds,
      restartHistory: new Map(),
      healthAlerts: [],
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
      if (!changed && now - next.healthEvaluatedAt < HEALTH_REEVALUATE_MS) return undefined;
      const health = recomputeHealth(next, now, index);
      index = health.index;
      return health.derived;
    },
  };
}

/** Alerts, gates and restart history for `state` at `now` (from `index` when it can follow). */
export function recomputeHealth(
  state: HealthInputs,
  now: number,
  index?: HealthIndex,
): { derived: Pick<OpsdeckState, 'healthAlerts' | 'gates' | 'restartHistory' | 'healthEvaluatedAt'>; index: HealthIndex } {
  const instances = recordValues(state.instances, state.instanceChanges);
  const engines = Object.values(state.engines);
  const indexed = indexHealth(index, state, engines, now);
  const restartHistory = indexed.index.history;
  const gates = evaluateGates(gateInputOf(state, { instances, engines, restartHistory }), now);
  return {
    derived: {
      healthAlerts: reuseUnchanged(state.healthAlerts, indexed.alerts, sameAlert),
      gates: reuseUnchanged(state.gates, gates, sameGate),
      restartHistory,
      healthEvaluatedAt: now,
    },
    index: indexed.index,
  };
}

/**
 * The built-in gates' input from the live state; a configured `built-in` gate (src/gates/checks)
 * evaluates one of them over the same input. `known` passes what the caller already listed.
 */
export function gateInputOf(
  state: Pick<HealthInputs, 'instances' | 'workloads' | 'host' | 'engines' | 'thresholds' | 'restartHistory' | 'pendingThresholdMs'> & Partial<Pick<HealthInputs, 'instanceChanges'>>,
  known: Partial<Pick<GateInput, 'instances' | 'engines' | 'restartHistory'>> = {},
): GateInput {
  return {
    instances: known.instances ?? recordValues(state.instances, state.instanceChanges),
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
