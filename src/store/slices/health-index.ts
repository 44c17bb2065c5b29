// The per-instance part of the health slice, kept between flushes: restart history and the
// alerts each instance raises. A flush that changed a few pods looks at those pods (and at the
// few whose restarts can age out of the window), not at all 10,000; the result is the one
// evaluateAlerts and updateRestartHistory give over every instance.

import {
  datedAlerts,
  engineAlertDrafts,
  hostAlertDrafts,
  instanceAlertDrafts,
  restartRecordOf,
  serviceResourceAlertDrafts,
  updateRestartHistory,
  type AlertDraft,
  type RestartHistory,
  type RestartRecord,
} from '../../domain/thresholds';
import type { Alert, EngineStatus, Instance, RefKey } from '../../domain/types';
import type { OpsdeckState } from '../store-types';
import { changedKeysSince, recordValues } from './inventory-slice';
import { withChanges } from './layered-map';

export type HealthIndexInputs = Pick<OpsdeckState, 'instances' | 'instanceChanges' | 'statsByInstance' | 'host' | 'thresholds' | 'healthAlerts' | 'restartHistory'>;

export interface HealthIndex {
  /** The instances and the history this index describes. */
  instances: Readonly<Record<RefKey, Instance>>;
  history: RestartHistory;
  /** Instances whose record holds increases within the window: time alone changes them. */
  increasing: Set<RefKey>;
  /** The alerts of every instance that raises any. */
  instanceAlerts: Map<RefKey, readonly AlertDraft[]>;
  /** The engines as instance labels name them (several engines: `label/name`). */
  labels: string;
}

export interface IndexedHealth {
  index: HealthIndex;
  alerts: Alert[];
}

function labelsOf(engines: readonly EngineStatus[]): string {
  return engines.length <= 1 ? '' : engines.map((engine) => `${engine.id}\u0000${engine.label}`).join('\u0000');
}

/** The index over every instance (the first flush, a re-list, or changes it cannot follow). */
function fullIndex(state: HealthIndexInputs, engines: readonly EngineStatus[], labels: string, now: number): HealthIndex {
  const history = updateRestartHistory(state.restartHistory, recordValues(state.instances, state.instanceChanges), now);
  const increasing = new Set<RefKey>();
  for (const [key, record] of history) if (record.recentIncreases.length > 0) increasing.add(key);
  const instanceAlerts = new Map<RefKey, readonly AlertDraft[]>();
  for (const key in state.instances) {
    const instance = state.instances[key];
    if (!instance) continue;
    const drafts = instanceAlertDrafts(instance, engines, history, now);
    if (drafts.length > 0) instanceAlerts.set(key, drafts);
  }
  return { instances: state.instances, history, increasing, instanceAlerts, labels };
}

/** The index brought to `state` through the changed keys and the records that can age. */
function followIndex(index: HealthIndex, changed: ReadonlySet<RefKey>, state: HealthIndexInputs, engines: readonly EngineStatus[], now: number): HealthIndex {
  const previous = index.history;
  // The next history shares the previous one's records (withChanges): a crash loop's restart
  // changes one record, which no longer copies a map of 10,000.
  const sets = new Map<RefKey, RestartRecord>();
  const deletes: RefKey[] = [];
  const historyChanged: RefKey[] = [];
  for (const key of new Set([...changed, ...index.increasing])) {
    const instance = state.instances[key];
    const record = previous.get(key);
    if (!instance) {
      if (record) deletes.push(key);
      index.increasing.delete(key);
      continue;
    }
    const updated = restartRecordOf(record, instance, now);
    if (updated === record || updated === undefined) continue;
    sets.set(key, updated);
    historyChanged.push(key);
    if (updated.recentIncreases.length > 0) index.increasing.add(key);
    else index.increasing.delete(key);
  }
  const nextHistory: RestartHistory = withChanges(previous, sets, deletes);
  const redraft = (key: RefKey): void => {
    const instance = state.instances[key];
    const drafts = instance ? instanceAlertDrafts(instance, engines, nextHistory, now) : [];
    if (drafts.length > 0) index.instanceAlerts.set(key, drafts);
    else index.instanceAlerts.delete(key);
  };
  for (const key of changed) redraft(key);
  // Each key once: a changed instance whose history changed too was drafted above.
  for (const key of historyChanged) if (!changed.has(key)) redraft(key);
  return { ...index, instances: state.instances, history: nextHistory };
}

/** Past this share of the instances changed, the index is made again rather than followed (a first list, a re-list). */
const FOLLOW_AT_MOST = 0.5;

/** Restart history and alerts after this flush, from the previous flush's index when it can follow. */
export function indexHealth(index: HealthIndex | undefined, state: HealthIndexInputs, engines: readonly EngineStatus[], now: number): IndexedHealth {
  const labels = labelsOf(engines);
  const changed =
    index && index.labels === labels && index.history === state.restartHistory ? changedKeysSince(state.instanceChanges, index.instances, state.instances) : undefined;
  const follow = index !== undefined && changed !== undefined && changed.size <= FOLLOW_AT_MOST * Math.max(index.history.size, 1);
  const next = follow ? followIndex(index, changed, state, engines, now) : fullIndex(state, engines, labels, now);
  const drafts: AlertDraft[] = [
    ...engineAlertDrafts(engines),
    ...serviceResourceAlertDrafts(state.statsByInstance, (key) => state.instances[key], state.thresholds),
  ];
  for (const instanceDrafts of next.instanceAlerts.values()) drafts.push(...instanceDrafts);
  drafts.push(...hostAlertDrafts(state.host, state.thresholds));
  return { index: next, alerts: datedAlerts(drafts, state.healthAlerts, now) };
}
