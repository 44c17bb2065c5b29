import type { GateResult, GateStatus } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { filterFor, matchesFilter } from './filter';
import { memoizeLast, memoizeList } from './memoize';

const filterGates = memoizeList((gates: readonly GateResult[], filter: string): string[] =>
  gates.filter((gate) => matchesFilter(filter, gate.title, gate.detail)).map((gate) => gate.id),
);

export function selectGateRowIds(state: OpsdeckState): string[] {
  return filterGates(state.gates, filterFor(state.ui, 'gates'));
}

const indexGates = memoizeLast((gates: readonly GateResult[]) => new Map(gates.map((gate) => [gate.id, gate])));

export function selectGate(state: Pick<OpsdeckState, 'gates'>, gateId: string): GateResult | undefined {
  return indexGates(state.gates).get(gateId);
}

export type GateCounts = Record<GateStatus, number>;

export function countGates(gates: readonly GateResult[]): GateCounts {
  const counts: GateCounts = { pass: 0, fail: 0, unknown: 0 };
  for (const gate of gates) counts[gate.status] += 1;
  return counts;
}
