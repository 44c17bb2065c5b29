import type { Alert, GateResult } from '../../domain/types';
import { evaluateGates } from '../../domain/gates';
import { evaluateAlerts, updateRestartHistory, type RestartHistory } from '../../domain/thresholds';
import type { OpsdeckState } from '../store-types';

type HealthInputs = Pick<
  OpsdeckState,
  'containers' | 'statsByContainer' | 'host' | 'engines' | 'thresholds' | 'alerts' | 'gates' | 'restartHistory'
>;

/** Alerts and gates are derived from the rest of the state once per flush. */
export function recomputeHealth(
  state: HealthInputs,
  now: number,
): Pick<OpsdeckState, 'alerts' | 'gates' | 'restartHistory'> {
  const containers = Object.values(state.containers);
  const engines = Object.values(state.engines);
  const restartHistory: RestartHistory = updateRestartHistory(state.restartHistory, containers, now);
  const alerts = evaluateAlerts(
    { containers, statsByContainer: state.statsByContainer, host: state.host, engines, thresholds: state.thresholds, restartHistory },
    state.alerts,
    now,
  );
  const gates = evaluateGates({ containers, host: state.host, engines, thresholds: state.thresholds, restartHistory }, now);
  return {
    alerts: reuseUnchanged(state.alerts, alerts, sameAlert),
    gates: reuseUnchanged(state.gates, gates, sameGate),
    restartHistory,
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
