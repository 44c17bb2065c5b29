// Flips: every change of a gate's shown status (built-in and configured, blocked included), kept
// bounded in the store for the panel's history and the incident timeline.

import type { GateResult } from '../domain/types';
import type { GateFlip } from './gate-types';

export const FLIP_LIMITS = { perGate: 200, total: 1000 } as const;

/** The flips from one list of shown gates to the next (a gate new in `next` has none yet). */
export function flipsBetween(previous: readonly GateResult[], next: readonly GateResult[], now: number): GateFlip[] {
  if (previous === next) return [];
  const before = new Map(previous.map((gate) => [gate.id, gate]));
  const flips: GateFlip[] = [];
  for (const gate of next) {
    const old = before.get(gate.id);
    if (!old || old.status === gate.status) continue;
    flips.push({ gateId: gate.id, at: (gate.since ?? gate.checkedAt) || now, from: old.status, to: gate.status, detail: gate.detail });
  }
  return flips;
}

/** The kept flips with `added` appended, oldest first: at most FLIP_LIMITS.perGate per gate and FLIP_LIMITS.total in all. */
export function appendFlips(kept: readonly GateFlip[], added: readonly GateFlip[], limits: { perGate: number; total: number } = FLIP_LIMITS): GateFlip[] {
  if (added.length === 0) return kept as GateFlip[];
  let flips = [...kept, ...added];
  const perGate = new Map<string, number>();
  for (const flip of flips) perGate.set(flip.gateId, (perGate.get(flip.gateId) ?? 0) + 1);
  if ([...perGate.values()].some((count) => count > limits.perGate)) {
    const toDrop = new Map([...perGate].map(([gateId, count]) => [gateId, Math.max(0, count - limits.perGate)]));
    flips = flips.filter((flip) => {
      const left = toDrop.get(flip.gateId) ?? 0;
      if (left === 0) return true;
      toDrop.set(flip.gateId, left - 1);
      return false;
    });
  }
  return flips.length > limits.total ? flips.slice(flips.length - limits.total) : flips;
}

/** How often a gate changed status since `from` (flapping: pass, fail, pass is two). */
export function countFlips(flips: readonly GateFlip[], gateId: string, from = 0): number {
  let count = 0;
  for (const flip of flips) if (flip.gateId === gateId && flip.at >= from) count += 1;
  return count;
}
