// Configured gates (issue 8): their specs (and the entries that failed validation), the latest
// result of each written by the scheduler through a buffered write like an adapter's, and the
// flips of every gate (built-in too), bounded. The pipeline is applied by a selector.

import type { GateFlip, GateSpec, InvalidGate } from '../../gates/gate-types';
import type { GateResult } from '../../domain/types';
import type { SliceModule } from '../slice-module';

export interface GateSlice {
  gateSpecs: GateSpec[];
  invalidGates: InvalidGate[];
  /** By gate id: the last result of each configured gate (`pending` before its first check). */
  configuredGateResults: Record<string, GateResult>;
  /** Every gate's status changes, oldest first, bounded. */
  gateFlips: GateFlip[];
  gateSpecsLoaded(specs: GateSpec[], invalid: InvalidGate[]): void;
  /** Written by the scheduler when a check finished (buffered, applied on the next flush). */
  gateChecked(result: GateResult): void;
}

interface GatePending {
  checked: Map<string, GateResult>;
}

export const gateSlice: SliceModule<GateSlice, GatePending> = {
  name: 'gates',
  createPending: () => ({ checked: new Map() }),
  create: ({ set, pending, requestFlush }) => ({
    gateSpecs: [],
    invalidGates: [],
    configuredGateResults: {},
    gateFlips: [],
    gateSpecsLoaded: (specs, invalid) => set({ gateSpecs: specs, invalidGates: invalid }),
    gateChecked: (result) => {
      pending().checked.set(result.id, result);
      requestFlush();
    },
  }),
  apply: ({ next, pending }) => {
    if (pending.checked.size === 0) return undefined;
    return { configuredGateResults: { ...next.configuredGateResults, ...Object.fromEntries(pending.checked) } };
  },
};
