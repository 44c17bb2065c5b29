// The gates panel's rows and the gate detail screen: every shown gate in pipeline order, then
// the `gates:` entries that failed validation (as `invalid` rows with their one-line message),
// a gate's flips and its spec, and what `!` says when a gate has nothing to recover with.

import type { GateResult, GateStatus } from '../../domain/types';
import { withCheckTime } from '../../gates/gate-result-change';
import type { GateFlip, GateSpec, InvalidGate } from '../../gates/gate-types';
import type { OpsdeckState } from '../store-types';
import { filterFor, filterNeedle, matchesNeedle } from './filter';
import { countGates, selectGate, selectShownGates, type GateCounts } from './gate-rows';
import { memoizeLast, memoizeList } from './memoize';
import { selectSelectedKey } from './panel-rows';

/** Row keys of invalid entries: `invalid:<id>` (a gate id is never written with that prefix). */
const INVALID_PREFIX = 'invalid:';

export type GatePanelRow = { kind: 'gate'; gate: GateResult } | { kind: 'invalid'; invalid: InvalidGate };

const rowKeysOf = memoizeList((gates: readonly GateResult[], invalid: readonly InvalidGate[], filter: string): string[] => {
  const needle = filterNeedle(filter);
  return [
    ...gates.filter((gate) => matchesNeedle(needle, [gate.id, gate.title, gate.detail, gate.failureCode])).map((gate) => gate.id),
    ...invalid.filter((entry) => matchesNeedle(needle, [entry.id, entry.message, 'invalid'])).map((entry) => `${INVALID_PREFIX}${entry.id}`),
  ];
});

/** The panel's row keys, filtered: gates in pipeline order, then the invalid entries. */
export function selectGatePanelRowKeys(state: OpsdeckState): string[] {
  return rowKeysOf(selectShownGates(state), state.invalidGates, filterFor(state.ui, 'gates'));
}

export function selectGatePanelRow(state: OpsdeckState, key: string): GatePanelRow | undefined {
  if (key.startsWith(INVALID_PREFIX)) {
    const id = key.slice(INVALID_PREFIX.length);
    const invalid = state.invalidGates.find((entry) => entry.id === id);
    return invalid ? { kind: 'invalid', invalid } : undefined;
  }
  const gate = selectGate(state, key);
  return gate ? { kind: 'gate', gate } : undefined;
}

/** The gate the selection of the gates panel is on (undefined on an invalid entry or an empty panel). */
export function selectSelectedGate(state: OpsdeckState): GateResult | undefined {
  const key = selectSelectedKey(state, 'gates');
  const row = key === undefined ? undefined : selectGatePanelRow(state, key);
  return row?.kind === 'gate' ? row.gate : undefined;
}

export interface GatePanelCounts extends GateCounts {
  invalid: number;
}

/** The previous counts object while every count is the same (the title and the summary do not re-render). */
let lastCounts: GatePanelCounts | undefined;
const countsOf = memoizeLast((gates: readonly GateResult[], invalid: readonly InvalidGate[]): GatePanelCounts => {
  const counts: GatePanelCounts = { ...countGates(gates), invalid: invalid.length };
  const previous = lastCounts;
  if (previous && (Object.keys(counts) as Array<keyof GatePanelCounts>).every((status) => counts[status] === previous[status])) return previous;
  lastCounts = counts;
  return counts;
});

export function selectGatePanelCounts(state: OpsdeckState): GatePanelCounts {
  return countsOf(selectShownGates(state), state.invalidGates);
}

/** The statuses as the summary and the title count them, worst first. */
export const GATE_STATUS_ORDER: readonly GateStatus[] = ['fail', 'warn', 'blocked', 'unknown', 'pending', 'pass'];

const flipsOf = memoizeList((flips: readonly GateFlip[], gateId: string): GateFlip[] => flips.filter((flip) => flip.gateId === gateId));

/** A gate's status changes, oldest first. */
export function selectGateFlips(state: Pick<OpsdeckState, 'gateFlips'>, gateId: string): GateFlip[] {
  return flipsOf(state.gateFlips, gateId);
}

/** The configured spec of a gate (built-in gates have none). */
export function selectGateSpec(state: Pick<OpsdeckState, 'gateSpecs'>, gateId: string): GateSpec | undefined {
  return state.gateSpecs.find((spec) => spec.id === gateId);
}

/** What the detail screen of a gate shows: the gate, its spec (built-in gates have none), its flips, whether its recovery playbook is in the catalog. */
export interface GateDetailInput {
  gate: GateResult;
  spec: GateSpec | undefined;
  flips: readonly GateFlip[];
  recoveryInCatalog: boolean;
}

const detailInputOf = memoizeLast(
  (gate: GateResult, spec: GateSpec | undefined, flips: readonly GateFlip[], recoveryInCatalog: boolean): GateDetailInput => ({ gate, spec, flips, recoveryInCatalog }),
);

/** The shown gate with the time of its latest check (a check that said the same leaves the shown gate as it was). */
const timedGate = memoizeLast(withCheckTime<GateResult>);

/** The gate whose detail screen is open, with what the screen shows of it. */
export function selectGateDetail(state: OpsdeckState): GateDetailInput | undefined {
  const gateId = state.ui.gateDetail?.gateId;
  const shown = gateId === undefined ? undefined : selectGate(state, gateId);
  if (!shown) return undefined;
  const gate = timedGate(shown, state.gateCheckTimes[shown.id]);
  const recoveryInCatalog = gate.playbook !== undefined && state.catalog.playbooks.some((playbook) => playbook.id === gate.playbook);
  return detailInputOf(gate, selectGateSpec(state, gate.id), selectGateFlips(state, gate.id), recoveryInCatalog);
}

/**
 * Why `!` cannot start a recovery for this gate, as the notice says it: it passes, it has no
 * recovery playbook, or its playbook is not in the catalog. Undefined when it has one to start.
 */
export function gateRecoveryProblem(state: Pick<OpsdeckState, 'catalog'>, gate: GateResult): string | undefined {
  if (gate.status === 'pass') return `gate ${gate.id} passes: nothing to recover (p lists the playbooks)`;
  if (gate.status === 'blocked') return `gate ${gate.id} is blocked: recover the first failing stage`;
  if (gate.status === 'pending') return `gate ${gate.id} is not checked yet`;
  if (gate.status === 'unknown') return `gate ${gate.id} could not be checked: enter shows why, r checks it again`;
  if (gate.playbook === undefined) return `gate ${gate.id} has no recovery playbook (p lists the playbooks)`;
  if (!state.catalog.playbooks.some((playbook) => playbook.id === gate.playbook)) return `recovery playbook ${gate.playbook} of gate ${gate.id} is not in the catalog`;
  return undefined;
}
