// Incident mode's side of the runtime. Every change is journaled first (the incident's JSONL,
// fsynced), then written to the store (incident-slice: incidentChanged), so what the cockpit
// shows is always on disk. At start the open incident is read back from its journal, so a
// restarted cockpit shows it again. While one is open, a recorder journals what the cockpit
// sees (alerts, gate flips, runs) and a timer (unref'd, on an injectable clock) marks the
// escalation levels that fall due.

import { escalationSchedule, escalationStatuses } from '../incident/escalation';
import {
  continueIncidentJournal,
  createIncidentJournal,
  incidentFromRecords,
  listIncidents,
  newIncidentId,
  readIncidentRecords,
  type IncidentJournal,
} from '../incident/incident-journal';
import { textsFromRecords } from '../incident/incident-texts';
import type { Incident, IncidentConfig, IncidentRecord, IncidentService } from '../incident/incident-types';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import { alertsRaised, startIncidentRecorder } from './incident-recorder';

export interface IncidentServiceOptions {
  store: OpsdeckStore;
  config: IncidentConfig;
  /** <state>/incidents. */
  directory: string;
  /** <state>/runs: the run journals the timeline and report read. */
  runsDirectory: string;
  /** Who declares, notes, escalates and resolves (the operator of this process). */
  operator: string;
  now?: () => number;
  /** How often the timer looks for escalation levels falling due (default 5 s). */
  checkIntervalMs?: number;
}

export interface RuntimeIncidentService extends IncidentService {
  /** Reads back the open incident, starts the recorder and the escalation timer. */
  start(): void;
  stop(): void;
  /** Marks the levels due now in the store (the timer calls it; tests call it after moving their clock). */
  checkEscalations(): void;
}

const DEFAULT_CHECK_INTERVAL_MS = 5000;

export function createIncidentService(options: IncidentServiceOptions): RuntimeIncidentService {
  const { store, config } = options;
  const now = options.now ?? Date.now;
  let journal: IncidentJournal | undefined;
  let incident: Incident | undefined;
  let records: IncidentRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopRecorder: (() => void) | undefined;
  store.getState().incidentConfigured(config);

  const openIncident = (): Incident => {
    if (!incident || incident.resolvedAt !== undefined || !journal) throw new Error('no incident is open (i declares one)');
    return incident;
  };

  /** The incident with its escalations as the schedule has them now. */
  const scheduled = (current: Incident): Incident => ({ ...current, escalations: escalationStatuses(escalationSchedule(current, config, now())) });

  /** Journals each record, then writes the store with the incident as it stands after it. */
  const journalAndWrite = (additions: readonly IncidentRecord[], change: (current: Incident, record: IncidentRecord) => Incident = (current) => current): void => {
    for (const record of additions) {
      const current = openIncident();
      journal!.append(record);
      records.push(record);
      incident = scheduled(change(current, record));
      store.getState().incidentChanged(incident, record);
    }
  };

  const checkEscalations = (): void => {
    if (!incident || incident.resolvedAt !== undefined) return;
    const next = scheduled(incident);
    if (JSON.stringify(next.escalations) === JSON.stringify(incident.escalations)) return;
    incident = next;
    store.getState().incidentChanged(incident);
  };

  const loadOpenIncident = (): void => {
    const open = listIncidents(options.directory).find((summary) => summary.resolvedAt === undefined);
    if (!open) return;
    const read = readIncidentRecords(open.path);
    const folded = incidentFromRecords(read.records, config, now());
    if (!folded) return;
    journal = continueIncidentJournal(open.path);
    records = [...read.records];
    incident = folded;
    store.getState().incidentLoaded(incident, records);
  };

  return {
    async declare(input) {
      if (incident && incident.resolvedAt === undefined) throw new Error(`incident ${incident.id} is open: resolve it before declaring another`);
      if (!config.classification.some((severity) => severity.id === input.severity)) {
        throw new Error(`unknown severity ${JSON.stringify(input.severity)} (${config.classification.map((severity) => severity.id).join(', ')})`);
      }
      const declaredAt = now();
      const id = newIncidentId(declaredAt);
      const declared: IncidentRecord = {
        type: 'declared',
        at: declaredAt,
        incident: { id, severity: input.severity, title: input.title, services: input.services, declaredAt, declaredBy: options.operator, ...(input.impact ? { impact: input.impact } : {}) },
      };
      journal = createIncidentJournal(options.directory, id);
      journal.append(declared);
      records = [declared];
      incident = scheduled({ ...declared.incident, escalations: [] });
      store.getState().incidentLoaded(incident, records);
      // What was already wrong when it was declared: the detection.
      journalAndWrite(alertsRaised(store.getState().alerts));
      return incident;
    },
    async note(text) {
      if (text.trim() === '') throw new Error('a note needs text');
      journalAndWrite([{ type: 'note', at: now(), text: text.trim(), by: options.operator }]);
    },
    async recordSilence(input) {
      // An alert acknowledged in Alertmanager: journaled only while an incident is open.
      if (!incident || incident.resolvedAt !== undefined || !journal) return;
      journalAndWrite([{ type: 'silence', at: now(), alert: input.alert, silenceId: input.silenceId, by: input.by }]);
    },
    async changeSeverity(severity) {
      const current = openIncident();
      if (!config.classification.some((candidate) => candidate.id === severity)) throw new Error(`unknown severity ${JSON.stringify(severity)}`);
      if (severity === current.severity) return;
      journalAndWrite([{ type: 'severity-changed', at: now(), from: current.severity, to: severity, by: options.operator }], (value) => ({ ...value, severity }));
    },
    async answerEscalation(level, answer) {
      openIncident();
      if (!config.escalation.some((candidate) => candidate.level === level)) throw new Error(`unknown escalation level ${JSON.stringify(level)}`);
      const at = now();
      const record: IncidentRecord = {
        type: 'escalation',
        at,
        level,
        action: answer.action,
        by: options.operator,
        ...(answer.action === 'escalated' ? { contacted: answer.contacted } : {}),
        ...(answer.action === 'snoozed' ? { until: at + config.snoozeMs } : {}),
      };
      journalAndWrite([record], (value) => ({
        ...value,
        escalations: [
          ...value.escalations.filter((status) => status.level !== level),
          {
            level,
            state: answer.action,
            dueAt: value.escalations.find((status) => status.level === level)?.dueAt ?? at,
            at,
            ...(answer.action === 'escalated' ? { contacted: answer.contacted } : {}),
            ...(answer.action === 'snoozed' ? { until: at + config.snoozeMs } : {}),
          },
        ],
      }));
    },
    async resolve(input) {
      const texts = Object.fromEntries(Object.entries(input).filter(([, value]) => typeof value === 'string' && value.trim() !== '').map(([key, value]) => [key, (value as string).trim()]));
      journalAndWrite([{ type: 'resolved', at: now(), by: options.operator, ...texts }], (value, record) => ({ ...value, ...texts, resolvedAt: record.at }));
      journal?.close();
      journal = undefined;
    },
    texts() {
      if (!incident) return undefined;
      return textsFromRecords({ records, config, runsDirectory: options.runsDirectory, now: now() });
    },
    start() {
      loadOpenIncident();
      stopRecorder = startIncidentRecorder(store, {
        open: () => (incident && incident.resolvedAt === undefined ? { declaredAt: incident.declaredAt, records } : undefined),
        record: (additions) => {
          try {
            journalAndWrite(additions);
          } catch (error) {
            store.getState().showStatus(`incident journal: ${(error as Error).message}`, 'error');
          }
        },
        now,
      });
      timer = setInterval(checkEscalations, options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
      timer.unref();
      checkEscalations();
    },
    stop() {
      stopRecorder?.();
      stopRecorder = undefined;
      if (timer) clearInterval(timer);
      timer = undefined;
      journal?.close();
      journal = undefined;
    },
    checkEscalations,
  };
}
