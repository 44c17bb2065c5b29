// An incident's journal: `<state>/incidents/<id>.jsonl`, on the same durable, hash-chained
// append as a run's (src/journal/chained-file.ts). Every record is fsynced before append()
// returns: an incident's records are few and each is something an operator said or saw.
// Free text is redacted and bounded as a run journal's notes are. The incident as it stands is
// folded from its records, so restarting the cockpit shows the open incident again.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { utcStamp } from '../domain/utc-stamp';
import { continueChainedFile, createChainedFile, type ChainedAppender } from '../journal/chained-file';
import { journalFilesIn, listRuns, readJournal } from '../journal/journal-reader';
import type { JournalRecord } from '../journal/journal-types';
import { boundedMessage } from '../journal/journal-writer';
import { escalationSchedule, escalationStatuses, levelDueAt } from './escalation';
import type { Incident, IncidentConfig, IncidentRecord } from './incident-types';

/** A record as written: the chain's fields beside the record's own. */
export type JournaledIncidentRecord = IncidentRecord & { seq: number; prev: string };

export interface IncidentJournal {
  readonly id: string;
  readonly path: string;
  append(record: IncidentRecord): JournaledIncidentRecord;
  close(): void;
}

/** `INC-20261201T112649Z-3f2a`: UTC time first, so names sort by declaration. */
export function newIncidentId(now: number): string {
  return `INC-${utcStamp(now)}-${randomBytes(2).toString('hex')}`;
}

const bound = (text: string | undefined): string | undefined => (text === undefined ? undefined : boundedMessage(text));

/** Free text of a record redacted and bounded (titles, notes, root cause, alert messages). */
function boundedRecord(record: IncidentRecord): IncidentRecord {
  switch (record.type) {
    case 'declared':
      return { ...record, incident: { ...record.incident, title: boundedMessage(record.incident.title), ...(record.incident.impact !== undefined ? { impact: boundedMessage(record.incident.impact) } : {}) } };
    case 'note':
      return { ...record, text: boundedMessage(record.text) };
    case 'alert-raised':
    case 'alert-cleared':
      return { ...record, message: boundedMessage(record.message) };
    case 'gate-flip':
      return { ...record, detail: boundedMessage(record.detail) };
    case 'resolved': {
      const texts = { rootCause: bound(record.rootCause), resolution: bound(record.resolution), prevention: bound(record.prevention) };
      return { ...record, ...Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined)) };
    }
    default:
      return record;
  }
}

function journalOver(id: string, appender: ChainedAppender): IncidentJournal {
  return {
    id,
    path: appender.path,
    append: (record) => appender.append(boundedRecord(record), { durable: true, at: record.at }) as JournaledIncidentRecord,
    close: () => appender.close(),
  };
}

export function createIncidentJournal(directory: string, id: string): IncidentJournal {
  return journalOver(id, createChainedFile(directory, id, 'incident id'));
}

/** An open incident's journal, continued after a restart (a torn last line is cut off). */
export function continueIncidentJournal(file: string): IncidentJournal {
  return journalOver(path.basename(file, '.jsonl'), continueChainedFile(file).appender);
}

export function readIncidentRecords(file: string): { records: IncidentRecord[]; problems: string[] } {
  const { records, problems } = readJournal(file);
  return { records: records as unknown as IncidentRecord[], problems };
}

export interface IncidentSummary {
  id: string;
  path: string;
  declaredAt: number;
  resolvedAt?: number;
}

/** The incidents journaled in a directory, newest first. */
export function listIncidents(directory: string): IncidentSummary[] {
  const summaries: IncidentSummary[] = [];
  for (const file of journalFilesIn(directory)) {
    const name = path.basename(file);
    const { records } = readIncidentRecords(file);
    const declared = records.find((record) => record.type === 'declared');
    if (!declared) continue;
    const resolved = records.find((record) => record.type === 'resolved');
    summaries.push({ id: path.basename(name, '.jsonl'), path: file, declaredAt: declared.at, ...(resolved ? { resolvedAt: resolved.at } : {}) });
  }
  return summaries.sort((left, right) => right.declaredAt - left.declaredAt || right.id.localeCompare(left.id));
}

/** The incident its records describe: declared, then severity changes, escalation answers and the resolution applied in order. */
export function incidentFromRecords(records: readonly IncidentRecord[], config: IncidentConfig, now: number): Incident | undefined {
  let incident: Incident | undefined;
  for (const record of records) {
    if (record.type === 'declared') {
      incident = { ...record.incident, escalations: [] };
      continue;
    }
    if (!incident) continue;
    if (record.type === 'severity-changed') incident = { ...incident, severity: record.to };
    if (record.type === 'escalation') {
      const level = config.escalation.find((candidate) => candidate.level === record.level);
      const dueAt = (level && levelDueAt(level, incident)) ?? record.at;
      const answer = {
        level: record.level,
        state: record.action,
        dueAt,
        at: record.at,
        ...(record.contacted !== undefined ? { contacted: record.contacted } : {}),
        ...(record.until !== undefined ? { until: record.until } : {}),
      };
      incident = { ...incident, escalations: [...incident.escalations.filter((status) => status.level !== record.level), answer] };
    }
    if (record.type === 'resolved') {
      const texts = { rootCause: record.rootCause, resolution: record.resolution, prevention: record.prevention };
      incident = { ...incident, resolvedAt: record.at, ...Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined)) };
    }
  }
  return incident && { ...incident, escalations: escalationStatuses(escalationSchedule(incident, config, now)) };
}

/** A run's journal records, by run id. */
export interface RunJournal {
  runId: string;
  records: JournalRecord[];
}

/** The playbook runs started while the incident was open (from declaration to resolution, or to now). */
export function runsDuring(incident: Pick<Incident, 'declaredAt' | 'resolvedAt'>, runsDirectory: string): RunJournal[] {
  const end = incident.resolvedAt ?? Number.POSITIVE_INFINITY;
  return listRuns(runsDirectory)
    .filter((run) => run.startedAt >= incident.declaredAt && run.startedAt <= end)
    .reverse()
    .map((run) => ({ runId: run.runId, records: readJournal(run.path).records }));
}
