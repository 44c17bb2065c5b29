// Alerts an incident's journal says are open, which this process never saw (the cockpit was
// restarted mid-incident): each is judged cleared once the live state could raise it again and
// does not. What "could" means depends on where the alert comes from: an engine alert once the
// engine answered, a gate alert once the gate has an answer, an instance's health or usage
// once its engine is connected and the instance's details (or usage) are in, a restart count
// only after a whole restart window watched, the host's once a host sample is in.

import { parseRefKey } from '../domain/resource-ref';
import { RESTART_WINDOW_MS } from '../domain/thresholds';
import type { AlertKind, Instance } from '../domain/types';
import { selectGatePipeline } from '../store/selectors/gate-rows';
import type { OpsdeckState } from '../store/store-types';

export type AwayAlertInputs = Pick<OpsdeckState, 'engines' | 'gates' | 'gateSpecs' | 'configuredGateResults' | 'instances' | 'workloads' | 'statsByInstance' | 'host'>;

/**
 * Usage alerts are judged after this long with the engine connected (stats need a sample or
 * two); an engine or gate missing from the state only after this long watching (by then the
 * configuration is loaded, so it is no longer configured).
 */
export const SETTLE_MS = 30_000;

function kindOf(alertId: string): { kind: AlertKind; target: string } {
  const colon = alertId.indexOf(':');
  return { kind: alertId.slice(0, colon) as AlertKind, target: alertId.slice(colon + 1) };
}

/** Whether the engine of a ref key is connected and has been for `forMs`. */
function engineConnected(state: AwayAlertInputs, engineId: string, now: number, forMs = 0): boolean {
  const engine = state.engines[engineId];
  return engine?.state === 'connected' && now - (engine.connectedAt ?? now) >= forMs;
}

function instanceAlertJudged(state: AwayAlertInputs, kind: AlertKind, target: string, watchingSince: number, now: number): boolean {
  const ref = parseRefKey(target);
  if (!ref) return true;
  // An engine no longer configured cannot raise it again.
  if (!state.engines[ref.engineId]) return now - watchingSince >= SETTLE_MS;
  if (!engineConnected(state, ref.engineId, now)) return false;
  const instance = state.instances[target];
  const subject = instance ?? state.workloads[target];
  if (!subject) return true;
  if (instance?.detailsPending) return false;
  if (kind === 'restarting') return now - watchingSince >= RESTART_WINDOW_MS;
  if (kind === 'cpu' || kind === 'memory') {
    // A workload's usage is its instances': judged once each running one has a sample.
    const measured = (candidate: Instance) => candidate.phase !== 'running' || state.statsByInstance[candidate.key] !== undefined;
    if (instance ? measured(instance) : Object.values(state.instances).every((candidate) => candidate.workloadKey !== target || measured(candidate))) return true;
    return engineConnected(state, ref.engineId, now, SETTLE_MS);
  }
  return true;
}

/** Whether the live state can tell that the alert `alertId` is no longer raised. */
export function canJudgeAlert(state: AwayAlertInputs, alertId: string, watchingSince: number, now: number): boolean {
  const { kind, target } = kindOf(alertId);
  switch (kind) {
    case 'engine': {
      const engine = state.engines[target];
      return engine ? engine.state !== 'connecting' : now - watchingSince >= SETTLE_MS;
    }
    case 'gate': {
      const gate = selectGatePipeline(state).gates.find((candidate) => `gate:${candidate.id}` === alertId);
      return gate ? gate.status !== 'pending' && gate.status !== 'unknown' : now - watchingSince >= SETTLE_MS;
    }
    case 'host-cpu':
    case 'host-memory':
    case 'disk':
      return state.host !== undefined;
    default:
      return instanceAlertJudged(state, kind, target, watchingSince, now);
  }
}

/** Of the journaled-open alerts absent now, those the live state says are cleared. */
export function alertsClearedWhileAway(state: AwayAlertInputs & Pick<OpsdeckState, 'alerts'>, unseen: Iterable<string>, watchingSince: number, now: number): string[] {
  const present = new Set(state.alerts.map((alert) => alert.id));
  return [...unseen].filter((alertId) => !present.has(alertId) && canJudgeAlert(state, alertId, watchingSince, now));
}
