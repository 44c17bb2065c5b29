// Whether a re-read instance would draw the same as the one the store has: adapters publish
// only changes (Podman reports health every second, a pod's status is rewritten for fields the
// cockpit does not show).

import type { Instance } from '../domain/types';

/** Same as far as the store can tell (shallow; refs compared by key and uid). */
export function sameInstance(left: Instance, right: Instance): boolean {
  const keys = new Set([...Object.keys(left), ...Object.keys(right)] as Array<keyof Instance>);
  for (const key of keys) {
    if (key === 'ref' || key === 'workload') continue;
    if (left[key] !== right[key]) return false;
  }
  return left.ref.uid === right.ref.uid;
}
