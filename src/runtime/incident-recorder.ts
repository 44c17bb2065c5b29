// While an incident is open, what the cockpit sees happen goes into its journal: alerts raised
// and cleared (ids of state.alerts appearing and disappearing; an alert journaled open before
// this process started and never seen by it is cleared once the live state can tell, see
// away-alerts.ts), gate flips (state.gateFlips),
// playbook runs started and finished (the runs slice). The store is only read here; the diff
// runs on a microtask after a change, never inside the store's flush, and journals through
// the incident service (which then writes the store).

import type { Alert } from '../domain/types';
import type { GateFlip } from '../gates/gate-types';
import type { IncidentRecord } from '../incident/incident-types';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import type { OpsdeckState } from '../store/store-types';
import { alertsClearedWhileAway } from './away-alerts';

export interface RecorderTarget {
  /** The open incident's declaration time and records so far (undefined: none open, nothing recorded). */
  open(): { declaredAt: number; records: readonly IncidentRecord[] } | undefined;
  record(records: IncidentRecord[]): void;
  now(): number;
}

/** Alerts raised and not cleared, as the journal says, with the message each was raised with. */
function openAlertsOf(records: readonly IncidentRecord[]): Map<string, string> {
  const open = new Map<string, string>();
  for (const record of records) {
    if (record.type === 'alert-raised') open.set(record.alertId, record.message);
    if (record.type === 'alert-cleared') open.delete(record.alertId);
  }
  return open;
}

/** What an alert cleared while the cockpit was not running says (when it cleared is not known). */
export const AWAY_CLEARED_SUFFIX = ' (cleared while the cockpit was not running)';

/** The records an alert list opens for an incident declared now: one per alert, at its `since`. */
export function alertsRaised(alerts: readonly Alert[]): IncidentRecord[] {
  return alerts.map((alert) => ({ type: 'alert-raised', at: alert.since, alertId: alert.id, severity: alert.severity, message: alert.message }));
}

interface Seen {
  /** Alerts seen present by this process, by id: only those can be seen to clear. */
  alerts: Map<string, Alert>;
  /** Every alert id this process has seen present: the others, journaled open, were raised before it started. */
  everSeen: Set<string>;
  alertList: readonly Alert[] | undefined;
  flips: OpsdeckState['gateFlips'] | undefined;
  runs: OpsdeckState['runs'] | undefined;
  /** Gates that gave this process an answer (not pending or unknown). */
  answered: Set<string>;
  /** Each flip's verdict once made: a gate's first answer is not a change of health. */
  firstAnswers: WeakMap<GateFlip, boolean>;
}

const NO_ANSWER: ReadonlySet<GateFlip['from']> = new Set(['pending', 'unknown']);

/**
 * A gate's first answer in this process: from `pending` (a configured gate not checked yet), or
 * from `unknown` before the gate ever answered (a built-in gate while the engines connect, as
 * after a restart of the cockpit). Later flips from unknown are changes like any other.
 */
function isFirstAnswer(flip: GateFlip, seen: Seen): boolean {
  let first = seen.firstAnswers.get(flip);
  if (first === undefined) {
    first = flip.from === 'pending' || (flip.from === 'unknown' && !seen.answered.has(flip.gateId));
    seen.firstAnswers.set(flip, first);
    if (!NO_ANSWER.has(flip.to)) seen.answered.add(flip.gateId);
  }
  return first;
}

/** Alerts journaled open that this process never saw, judged against the live state (which time alone can change). */
function awayChanges(state: OpsdeckState, seen: Seen, journaled: Map<string, string>, watchingSince: number, now: number): IncidentRecord[] {
  const unseen = [...journaled.keys()].filter((id) => !seen.everSeen.has(id));
  if (unseen.length === 0) return [];
  return alertsClearedWhileAway(state, unseen, watchingSince, now).map((alertId) => ({ type: 'alert-cleared', at: now, alertId, message: `${journaled.get(alertId) ?? alertId}${AWAY_CLEARED_SUFFIX}` }));
}

function alertChanges(state: OpsdeckState, seen: Seen, journaled: Map<string, string>, now: number): IncidentRecord[] {
  if (state.alerts === seen.alertList) return [];
  seen.alertList = state.alerts;
  const records: IncidentRecord[] = [];
  const present = new Set<string>();
  for (const alert of state.alerts) {
    present.add(alert.id);
    seen.alerts.set(alert.id, alert);
    seen.everSeen.add(alert.id);
    if (!journaled.has(alert.id)) records.push({ type: 'alert-raised', at: now, alertId: alert.id, severity: alert.severity, message: alert.message });
  }
  for (const [id, alert] of seen.alerts) {
    if (present.has(id)) continue;
    seen.alerts.delete(id);
    if (journaled.has(id)) records.push({ type: 'alert-cleared', at: now, alertId: id, message: alert.message });
  }
  return records;
}

function flipChanges(state: OpsdeckState, seen: Seen, records: readonly IncidentRecord[], declaredAt: number): IncidentRecord[] {
  if (state.gateFlips === seen.flips) return [];
  seen.flips = state.gateFlips;
  const journaled = new Set(records.flatMap((record) => (record.type === 'gate-flip' ? [`${record.gateId}@${record.at}`] : [])));
  return state.gateFlips
    .filter((flip) => !isFirstAnswer(flip, seen) && flip.at >= declaredAt && !journaled.has(`${flip.gateId}@${flip.at}`))
    .map((flip) => ({ type: 'gate-flip', at: flip.at, gateId: flip.gateId, from: flip.from, to: flip.to, detail: flip.detail }));
}

function runChanges(state: OpsdeckState, seen: Seen, records: readonly IncidentRecord[], declaredAt: number, now: number): IncidentRecord[] {
  if (state.runs === seen.runs) return [];
  seen.runs = state.runs;
  const started = new Set(records.flatMap((record) => (record.type === 'run-started' ? [record.runId] : [])));
  const finished = new Set(records.flatMap((record) => (record.type === 'run-finished' ? [record.runId] : [])));
  const changes: IncidentRecord[] = [];
  for (const run of Object.values(state.runs)) {
    if (run.startedAt < declaredAt) continue;
    if (!started.has(run.runId)) changes.push({ type: 'run-started', at: run.startedAt, runId: run.runId, playbook: run.playbookId });
    if (run.verdict !== undefined && !finished.has(run.runId)) changes.push({ type: 'run-finished', at: run.endedAt ?? now, runId: run.runId, playbook: run.playbookId, verdict: run.verdict });
  }
  return changes;
}

/** Subscribes to the store; returns the unsubscribe. */
export function startIncidentRecorder(store: OpsdeckStore, target: RecorderTarget): () => void {
  const seen: Seen = { alerts: new Map(), everSeen: new Set(), alertList: undefined, flips: undefined, runs: undefined, answered: new Set(), firstAnswers: new WeakMap() };
  const watchingSince = target.now();
  let scheduled = false;
  let stopped = false;
  const diff = (): void => {
    scheduled = false;
    if (stopped) return;
    const open = target.open();
    const state = store.getState();
    if (!open) {
      // Between incidents the alerts are not followed: the next declaration journals those open then.
      seen.alerts.clear();
      seen.alertList = state.alerts;
      for (const alert of state.alerts) {
        seen.alerts.set(alert.id, alert);
        seen.everSeen.add(alert.id);
      }
      return;
    }
    const now = target.now();
    const journaled = openAlertsOf(open.records);
    const changes = [
      ...alertChanges(state, seen, journaled, now),
      ...awayChanges(state, seen, journaled, watchingSince, now),
      ...flipChanges(state, seen, open.records, open.declaredAt),
      ...runChanges(state, seen, open.records, open.declaredAt, now),
    ];
    if (changes.length > 0) target.record(changes);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(diff);
  };
  const unsubscribe = store.subscribe(schedule);
  schedule();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
