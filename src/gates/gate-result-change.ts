// Whether a new check result says anything the last one did not. A gate checked every 5 s
// mostly answers the same: only its timing moves (when it was checked, how long it took). Such a
// result is not a change of what the gates panel shows, so the store keeps the shown object (no
// re-render, no frame) and records only the time of the check, which the detail screen reads.

import type { GateEvidence, GateResult } from '../domain/types';

/** When a gate was last checked and how long that took (the detail screen's `checked` line). */
export interface GateCheckTime {
  checkedAt: number;
  durationMs?: number;
}

function sameItems(left: readonly string[] | undefined, right: readonly string[] | undefined): boolean {
  if (left === right) return true;
  if (!left || !right || left.length !== right.length) return false;
  return left.every((item, index) => item === right[index]);
}

/** Evidence field by field (every field is a string or a number, `items` a list of strings). */
function sameEvidence(left: GateEvidence | undefined, right: GateEvidence | undefined): boolean {
  if (left === right) return true;
  if (!left || !right) return false;
  const leftKeys = Object.keys(left) as Array<keyof GateEvidence>;
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => (key === 'items' ? sameItems(left.items, right.items) : left[key] === right[key]));
}

/** True when `next` differs from `shown` only in checkedAt and durationMs. */
export function sameOutcome(shown: GateResult, next: GateResult): boolean {
  return (
    shown.status === next.status &&
    shown.detail === next.detail &&
    shown.title === next.title &&
    shown.workloadKey === next.workloadKey &&
    shown.origin === next.origin &&
    sameEvidence(shown.evidence, next.evidence)
  );
}

/** The gate with the time of its latest check, when that check came after the result it shows. */
export function withCheckTime<Gate extends GateResult>(gate: Gate, time: GateCheckTime | undefined): Gate {
  if (!time || time.checkedAt <= gate.checkedAt) return gate;
  const timed: Gate = { ...gate, checkedAt: time.checkedAt };
  if (time.durationMs === undefined) delete timed.durationMs;
  else timed.durationMs = time.durationMs;
  return timed;
}
