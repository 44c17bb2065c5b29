import type { ContainerStatsSample } from '../../domain/types';
import { evaluateGates } from '../../engine/gates';
import { evaluateAlerts, updateRestartHistory, type RestartHistory } from '../../engine/thresholds';
import type { OpsdeckState } from '../store-types';

type HealthInputs = Pick<
  OpsdeckState,
  'containers' | 'statsByContainer' | 'host' | 'engines' | 'thresholds' | 'alerts' | 'restartHistory'
>;

/** Alerts and gates are derived from the rest of the state once per flush. */
export function recomputeHealth(
  state: HealthInputs,
  now: number,
): Pick<OpsdeckState, 'alerts' | 'gates' | 'restartHistory'> {
  const containers = Object.values(state.containers);
  const engines = Object.values(state.engines);
  const restartHistory: RestartHistory = updateRestartHistory(state.restartHistory, containers, now);
  const statsByContainer = new Map<string, ContainerStatsSample>(Object.entries(state.statsByContainer));
  const alerts = evaluateAlerts(
    { containers, statsByContainer, host: state.host, engines, thresholds: state.thresholds, restartHistory },
    state.alerts,
    now,
  );
  const gates = evaluateGates({ containers, host: state.host, engines, thresholds: state.thresholds, restartHistory }, now);
  return { alerts, gates, restartHistory };
}
