// Actions in flight and their outcomes, written by the action executor: a row says
// "restarting…" while its restart runs, and the last result stays for the status line.

import type { ActionResult, ActionVerb } from '../../domain/engine-action';
import type { RefKey } from '../../domain/types';
import { NO_PENDING, type SliceModule } from '../slice-module';

export interface ActionInFlight {
  verb: ActionVerb;
  startedAt: number;
}

export interface ActionsSlice {
  /** By target ref key. */
  actionsInFlight: Record<RefKey, ActionInFlight>;
  /** Most recent results, newest last (bounded). */
  actionResults: ActionResult[];
  actionStarted(targetKey: RefKey, verb: ActionVerb): void;
  actionFinished(targetKey: RefKey, result: ActionResult): void;
}

const KEPT_RESULTS = 50;

export const actionsSlice: SliceModule<ActionsSlice, undefined> = {
  name: 'actions',
  createPending: NO_PENDING,
  create: ({ set, now }) => ({
    actionsInFlight: {},
    actionResults: [],
    actionStarted: (targetKey, verb) =>
      set((state) => ({ actionsInFlight: { ...state.actionsInFlight, [targetKey]: { verb, startedAt: now() } } })),
    actionFinished: (targetKey, result) =>
      set((state) => {
        const actionsInFlight = { ...state.actionsInFlight };
        delete actionsInFlight[targetKey];
        return { actionsInFlight, actionResults: [...state.actionResults, result].slice(-KEPT_RESULTS) };
      }),
  }),
};
