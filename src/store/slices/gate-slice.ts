// Configured gates (issue 8): their specs (and the entries that failed validation), the latest
// result of each written by the scheduler through a buffered write like an adapter's, and the
// flips of every gate (built-in too), bounded. Applied after the health slice: it compares the
// shown gates (built-in + configured, pipeline applied) before and after the flush for flips,
// and keeps a failing configured gate among the alerts. No check runs here.

import type { GateFlip, GateSpec, InvalidGate } from '../../gates/gate-types';
import type { GateResult } from '../../domain/types';
import { gateAlertsOf, withGateAlerts } from '../../gates/gate-alerts';
import { appendFlips, flipsBetween } from '../../gates/gate-flips';
import { selectGatePipeline } from '../selectors/gate-rows';
import type { SliceModule } from '../slice-module';
import type { OpsdeckState } from '../store-types';

export interface GateSlice {
  gateSpecs: GateSpec[];
  invalidGates: InvalidGate[];
  /** By gate id: the last result of each configured gate (`pending` before its first check). */
  configuredGateResults: Record<string, GateResult>;
  /** Every gate's status changes, oldest first, bounded. */
  gateFlips: GateFlip[];
  gateSpecsLoaded(specs: GateSpec[], invalid: InvalidGate[]): void;
  /**
   * Written by the scheduler when a check finished (buffered). A result whose status differs
   * from the gate's current one asks for a flush (shown within the flush interval); one that
   * holds its status rides the next flush something else asks for (at the latest the clock's,
   * 10 s): 50 gates checked every 5 s do not cost the cockpit a frame each.
   */
  gateChecked(result: GateResult): void;
}

interface GatePending {
  checked: Map<string, GateResult>;
}

type GateInputs = Pick<OpsdeckState, 'gates' | 'gateSpecs' | 'configuredGateResults'>;

export const gateSlice: SliceModule<GateSlice, GatePending> = {
  name: 'gates',
  createPending: () => ({ checked: new Map() }),
  create: ({ set, get, pending, requestFlush }) => ({
    gateSpecs: [],
    invalidGates: [],
    configuredGateResults: {},
    gateFlips: [],
    gateSpecsLoaded: (specs, invalid) =>
      set((state) => {
        const ids = new Set(specs.map((spec) => spec.id));
        const kept = Object.fromEntries(Object.entries(state.configuredGateResults).filter(([id]) => ids.has(id)));
        return { gateSpecs: specs, invalidGates: invalid, configuredGateResults: kept };
      }),
    gateChecked: (result) => {
      const waiting = pending().checked;
      const shown = waiting.get(result.id) ?? get().configuredGateResults[result.id];
      waiting.set(result.id, result);
      if (shown?.status !== result.status) requestFlush();
    },
  }),
  apply: ({ previous, next, pending, now }) => {
    const results = pending.checked.size === 0 ? next.configuredGateResults : mergeResults(next.configuredGateResults, pending.checked, next.gateSpecs);
    const after: GateInputs = { gates: next.gates, gateSpecs: next.gateSpecs, configuredGateResults: results };
    const gatesMoved = previous.gates !== after.gates || previous.gateSpecs !== after.gateSpecs || previous.configuredGateResults !== after.configuredGateResults;
    if (!gatesMoved && next.alerts === previous.alerts) return undefined;
    const shownAfter = selectGatePipeline(after).gates;
    const change: Partial<OpsdeckState> = {};
    if (results !== next.configuredGateResults) change.configuredGateResults = results;
    if (gatesMoved) {
      const shownBefore = selectGatePipeline(previous).gates;
      const flips = appendFlips(next.gateFlips, flipsBetween(shownBefore, shownAfter, now));
      if (flips !== next.gateFlips) change.gateFlips = flips;
    }
    // The health slice derives its alerts afresh (without these): they are put back each time.
    const alerts = withGateAlerts(next.alerts, after.gateSpecs.length === 0 ? [] : gateAlertsOf(shownAfter, previous.alerts, now));
    if (alerts !== next.alerts) change.alerts = alerts;
    return Object.keys(change).length > 0 ? change : undefined;
  },
};

/** The checked results folded in: a result whose status did not change keeps the previous `since`; results of gates no longer configured are dropped. */
function mergeResults(current: Record<string, GateResult>, checked: ReadonlyMap<string, GateResult>, specs: readonly GateSpec[]): Record<string, GateResult> {
  const ids = new Set(specs.map((spec) => spec.id));
  const merged = { ...current };
  for (const [id, result] of checked) {
    if (!ids.has(id)) continue;
    const before = current[id];
    merged[id] = before && before.status === result.status && before.since !== undefined ? { ...result, since: before.since } : { ...result, since: result.since ?? result.checkedAt };
  }
  return merged;
}
