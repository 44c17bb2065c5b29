// Configured gates (issue 8): their specs (and the entries that failed validation), the latest
// result of each written by the scheduler through a buffered write like an adapter's, and the
// flips of every gate (built-in too), bounded. Applied after the health slice: it compares the
// shown gates (built-in + configured, pipeline applied) before and after the flush for flips,
// and keeps the alerts of failing configured gates (gateAlerts; the alerts slice lists them). A result that says what the shown one
// says (only its check time moved: src/gates/gate-result-change.ts) leaves the shown object as it
// is and updates gateCheckTimes only, so 50 gates passing every 5 s re-render nothing. No check
// runs here.

import type { GateFlip, GateSpec, InvalidGate } from '../../gates/gate-types';
import type { Alert, GateResult } from '../../domain/types';
import { gateAlertsOf, sameAlerts } from '../../gates/gate-alerts';
import { appendFlips, flipsBetween } from '../../gates/gate-flips';
import { sameOutcome, type GateCheckTime } from '../../gates/gate-result-change';
import { selectGatePipeline } from '../selectors/gate-rows';
import type { SliceModule } from '../slice-module';
import type { OpsdeckState } from '../store-types';

export interface GateSlice {
  gateSpecs: GateSpec[];
  invalidGates: InvalidGate[];
  /** By gate id: the last result of each configured gate (`pending` before its first check). */
  configuredGateResults: Record<string, GateResult>;
  /**
   * By gate id: when the latest check ran and how long it took, for a check whose result said
   * what configuredGateResults already shows (that object, and its checkedAt, stay as they are).
   */
  gateCheckTimes: Record<string, GateCheckTime>;
  /** Every gate's status changes, oldest first, bounded. */
  gateFlips: GateFlip[];
  /** The alerts of the failing configured gates, in alert order. */
  gateAlerts: Alert[];
  gateSpecsLoaded(specs: GateSpec[], invalid: InvalidGate[]): void;
  /**
   * Written by the scheduler when a check finished (buffered). A result whose status differs
   * from the gate's current one asks for a flush (shown within the flush interval); one that
   * holds its status rides the next flush something else asks for (at the latest the clock's,
   * 10 s): 50 gates checked every 5 s do not cost the cockpit a frame each. A result that
   * differs from the shown one only in its timing changes gateCheckTimes alone.
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
    gateCheckTimes: {},
    gateFlips: [],
    gateAlerts: [],
    gateSpecsLoaded: (specs, invalid) =>
      set((state) => {
        const ids = new Set(specs.map((spec) => spec.id));
        const kept = Object.fromEntries(Object.entries(state.configuredGateResults).filter(([id]) => ids.has(id)));
        const times = Object.fromEntries(Object.entries(state.gateCheckTimes).filter(([id]) => ids.has(id)));
        return { gateSpecs: specs, invalidGates: invalid, configuredGateResults: kept, gateCheckTimes: times };
      }),
    gateChecked: (result) => {
      const waiting = pending().checked;
      const shown = waiting.get(result.id) ?? get().configuredGateResults[result.id];
      waiting.set(result.id, result);
      if (shown?.status !== result.status) requestFlush();
    },
  }),
  apply: ({ previous, next, pending, now }) => {
    const merged = pending.checked.size === 0 ? undefined : mergeResults(next.configuredGateResults, next.gateCheckTimes, pending.checked, next.gateSpecs);
    const results = merged?.results ?? next.configuredGateResults;
    const times = merged?.times ?? next.gateCheckTimes;
    const after: GateInputs = { gates: next.gates, gateSpecs: next.gateSpecs, configuredGateResults: results };
    const gatesMoved = previous.gates !== after.gates || previous.gateSpecs !== after.gateSpecs || previous.configuredGateResults !== after.configuredGateResults;
    if (!gatesMoved) return times === next.gateCheckTimes ? undefined : { gateCheckTimes: times };
    const shownAfter = selectGatePipeline(after).gates;
    const change: Partial<OpsdeckState> = {};
    if (results !== next.configuredGateResults) change.configuredGateResults = results;
    if (times !== next.gateCheckTimes) change.gateCheckTimes = times;
    const shownBefore = selectGatePipeline(previous).gates;
    const flips = appendFlips(next.gateFlips, flipsBetween(shownBefore, shownAfter, now));
    if (flips !== next.gateFlips) change.gateFlips = flips;
    const alerts = after.gateSpecs.length === 0 ? [] : gateAlertsOf(shownAfter, next.gateAlerts, now);
    if (!sameAlerts(alerts, next.gateAlerts)) change.gateAlerts = alerts;
    return Object.keys(change).length > 0 ? change : undefined;
  },
};

/**
 * The checked results folded in: a result whose status did not change keeps the previous `since`;
 * one that says what the shown one says keeps the shown object (the same reference: nothing
 * re-renders) and only records its check time; results of gates no longer configured are dropped.
 * Either record comes back as it was (the same reference) when nothing in it changed.
 */
function mergeResults(
  current: Record<string, GateResult>,
  currentTimes: Record<string, GateCheckTime>,
  checked: ReadonlyMap<string, GateResult>,
  specs: readonly GateSpec[],
): { results: Record<string, GateResult>; times: Record<string, GateCheckTime> } {
  const ids = new Set(specs.map((spec) => spec.id));
  let results = current;
  let times = currentTimes;
  for (const [id, result] of checked) {
    if (!ids.has(id)) continue;
    const before = current[id];
    if (before && before.since !== undefined && sameOutcome(before, result)) {
      if (times === currentTimes) times = { ...currentTimes };
      times[id] = result.durationMs === undefined ? { checkedAt: result.checkedAt } : { checkedAt: result.checkedAt, durationMs: result.durationMs };
      continue;
    }
    if (results === current) results = { ...current };
    results[id] = before && before.status === result.status && before.since !== undefined ? { ...result, since: before.since } : { ...result, since: result.since ?? result.checkedAt };
    if (times[id] !== undefined) {
      if (times === currentTimes) times = { ...currentTimes };
      delete times[id];
    }
  }
  return { results, times };
}
