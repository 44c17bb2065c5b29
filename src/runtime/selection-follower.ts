// What the selection asks of the Kubernetes engines, wired in the runtime (views never call an
// adapter): the logs of the selected workload's pods are followed (for the log view and the
// errors panel), and the mutations the selected row offers are put to an access review, so the
// hints leave out what is forbidden and a key never confirms first and refuses after.

import { isWorkloadLogFollower, type EngineAdapter } from '../adapters/capabilities';
import { accessKeyOf, type ActionExecutor, type WorkloadTarget } from '../domain/engine-action';
import { parseRefKey, refKey } from '../domain/resource-ref';
import type { RefKey } from '../domain/types';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import { decisionFromRefusal, selectRowKubernetesActions } from '../store/selectors/action-targets';
import { selectTargetWorkloadKey } from '../store/selectors/selection-targets';
import type { OpsdeckState } from '../store/store-types';

export interface SelectionFollowerOptions {
  store: OpsdeckStore;
  executor: ActionExecutor;
  adapters: readonly EngineAdapter[];
  readOnly: boolean;
  /** Moving through rows quickly starts no stream and no review per row passed (default 250 ms). */
  debounceMs?: number;
}

export const SELECTION_DEBOUNCE_MS = 250;

/** The Kubernetes workload whose pods' logs are wanted: the log view's, else the selected row's. */
export function selectFollowedWorkload(state: OpsdeckState): WorkloadTarget | undefined {
  const key: RefKey | undefined = state.ui.logView?.workloadKey ?? selectTargetWorkloadKey(state);
  if (key === undefined) return undefined;
  const ref = state.workloads[key]?.ref ?? parseRefKey(key);
  if (!ref || state.engines[ref.engineId]?.kind !== 'kubernetes') return undefined;
  if (ref.kind !== 'deployment' && ref.kind !== 'statefulset' && ref.kind !== 'compose-service') return undefined;
  return { ...ref, kind: ref.kind };
}

export function followSelection(options: SelectionFollowerOptions): { stop(): void } {
  const { store, executor } = options;
  const followers = options.adapters.filter(isWorkloadLogFollower);
  /** The workload key each follower follows now (undefined: none). */
  const followed = new Map<string, string | undefined>();
  const reviewing = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let wantedLogs: WorkloadTarget | undefined;
  let wantedKey = '';
  let reviewedKeys = '';
  let stopped = false;

  const applyLogs = (): void => {
    for (const follower of followers) {
      const target = wantedLogs?.engineId === follower.engineId ? wantedLogs : undefined;
      const key = target ? refKey(target) : undefined;
      if (followed.has(follower.engineId) && followed.get(follower.engineId) === key) continue;
      followed.set(follower.engineId, key);
      follower.followWorkloadLogs(target);
    }
  };

  const review = (): void => {
    if (options.readOnly) return;
    const state = store.getState();
    for (const action of selectRowKubernetesActions(state)) {
      const accessKey = accessKeyOf(action);
      // Asked again on every selection (the adapter answers from its cache until it expires), so an
      // answer kept in the store follows a role granted or taken away since.
      if (reviewing.has(accessKey)) continue;
      reviewing.add(accessKey);
      void executor
        .authorize(action)
        .then((refusal) => {
          if (!stopped) store.getState().accessReviewed(accessKey, decisionFromRefusal(refusal));
        })
        .finally(() => reviewing.delete(accessKey));
    }
  };

  const settle = (): void => {
    timer = undefined;
    if (stopped) return;
    applyLogs();
    review();
  };

  const onChange = (state: OpsdeckState): void => {
    const logs = selectFollowedWorkload(state);
    const logsKey = logs ? refKey(logs) : '';
    const actionKeys = selectRowKubernetesActions(state).map(accessKeyOf).join('\n');
    if (logsKey === wantedKey && actionKeys === reviewedKeys) return;
    wantedLogs = logs;
    wantedKey = logsKey;
    reviewedKeys = actionKeys;
    clearTimeout(timer);
    timer = setTimeout(settle, options.debounceMs ?? SELECTION_DEBOUNCE_MS);
    timer.unref?.();
  };

  const unsubscribe = store.subscribe(onChange);
  onChange(store.getState());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
