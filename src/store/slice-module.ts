// Store slices as modules: each owns its state, its actions and the step that applies its
// buffered writes. The store folds them in order, so a new slice (runs, gates, incident,
// events) is one more module in the list, not an edit of a central flush.

import type { OpsdeckState, StoreOptions } from './store-types';

export type SetState = (partial: Partial<OpsdeckState> | ((state: OpsdeckState) => Partial<OpsdeckState>)) => void;

export interface SliceContext<Pending> {
  set: SetState;
  get(): OpsdeckState;
  /** This slice's writes waiting for the next flush (a new object after each flush). */
  pending(): Pending;
  /** Ask for a coalesced flush (adapter writes); UI actions call `set` directly instead. */
  requestFlush(): void;
  /** Ask for a flush on the next turn, inside the interval too: a write the operator waits for (a whole list, a connection state). */
  requestPromptFlush(): void;
  /** Apply everything pending now. */
  flushNow(): void;
  /** Stop the flush timer (shutdown). */
  stopFlushing(): void;
  now(): number;
  options: StoreOptions;
}

export interface ApplyInput<Pending> {
  /** The state before this flush. */
  previous: OpsdeckState;
  /** The state with the changes of the slices applied before this one. */
  next: OpsdeckState;
  pending: Pending;
  now: number;
  options: StoreOptions;
}

export interface SliceModule<Slice, Pending = undefined> {
  readonly name: string;
  createPending(): Pending;
  /** Initial state and actions. */
  create(context: SliceContext<Pending>): Slice;
  /** Folds the buffered writes into a partial state; undefined when nothing changed. */
  apply?(input: ApplyInput<Pending>): Partial<OpsdeckState> | undefined;
  dispose?(): void;
}

/** For slices that buffer nothing. */
export const NO_PENDING = (): undefined => undefined;
