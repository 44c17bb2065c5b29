// An incident's timeline: its own records (declared, alerts raised and cleared, gate flips,
// escalations, notes, silences, resolved) merged in time order with what the journals of the
// playbook runs started while it was open say (who started which playbook, confirmations and
// approvals, the mutating steps and their verdicts, the run's verdict). A run whose journal
// was read replaces the incident's own run-started/run-finished lines for it (the journal says
// more). Every text is cleaned for a terminal here.

import { clean, describeJournalRecord, formatDuration } from '../journal/journal-timeline';
import type { RunJournal } from './incident-journal';
import type { IncidentRecord } from './incident-types';

export type TimelineKind = 'declared' | 'severity' | 'alert' | 'gate' | 'run' | 'confirmation' | 'note' | 'escalation' | 'silence' | 'resolved';

export interface IncidentTimelineEntry {
  at: number;
  kind: TimelineKind;
  text: string;
  /** Something done about the incident (a run's verdict, an escalation, a silence): listed under "Actions taken". */
  action?: boolean;
  /** Seen before or when the incident was declared: listed under "Detection". */
  detection?: boolean;
}

function incidentEntry(record: IncidentRecord): IncidentTimelineEntry | undefined {
  const at = record.at;
  switch (record.type) {
    case 'declared': {
      const services = record.incident.services.map((service) => clean(service.label)).join(', ');
      return { at, kind: 'declared', text: `declared ${clean(record.incident.severity)} by ${clean(record.incident.declaredBy)}: ${clean(record.incident.title)}${services ? ` (${services})` : ''}`, detection: true };
    }
    case 'severity-changed':
      return { at, kind: 'severity', text: `severity ${clean(record.from)} -> ${clean(record.to)} by ${clean(record.by)}`, action: true };
    case 'alert-raised':
      return { at, kind: 'alert', text: `alert raised (${clean(record.severity)}): ${clean(record.message)}` };
    case 'alert-cleared':
      return { at, kind: 'alert', text: `alert cleared: ${clean(record.message)}` };
    case 'gate-flip': {
      // A blocked gate's detail already starts "blocked: …": said once.
      const detail = record.detail.startsWith(`${record.to}: `) ? record.detail.slice(record.to.length + 2) : record.detail;
      return { at, kind: 'gate', text: `gate ${clean(record.gateId)} ${clean(record.from)} -> ${clean(record.to)}${detail ? `: ${clean(detail)}` : ''}` };
    }
    case 'run-started':
      return { at, kind: 'run', text: `playbook ${clean(record.playbook)} started (run ${clean(record.runId)})` };
    case 'run-finished':
      return { at, kind: 'run', text: `playbook ${clean(record.playbook)} ${clean(record.verdict)} (run ${clean(record.runId)})`, action: true };
    case 'confirmed':
      return { at, kind: 'confirmation', text: `${clean(record.what)} confirmed by ${clean(record.by)}` };
    case 'note':
      return { at, kind: 'note', text: `note by ${clean(record.by)}: ${clean(record.text)}` };
    case 'escalation': {
      const words = {
        acknowledged: `${clean(record.level)} acknowledged by ${clean(record.by)}`,
        escalated: `escalated to ${clean(record.level)} by ${clean(record.by)}${record.contacted ? `: contacted ${clean(record.contacted)}` : ''}`,
        snoozed: `${clean(record.level)} snoozed by ${clean(record.by)}${record.until !== undefined ? ` for ${formatDuration(record.until - record.at)}` : ''}`,
      };
      return { at, kind: 'escalation', text: words[record.action], action: record.action === 'escalated' };
    }
    case 'silence':
      return { at, kind: 'silence', text: `alert ${clean(record.alert)} silenced by ${clean(record.by)} (silence ${clean(record.silenceId)})`, action: true };
    case 'resolved':
      return { at, kind: 'resolved', text: `resolved by ${clean(record.by)}${record.rootCause ? `: ${clean(record.rootCause)}` : ''}` };
  }
}

/** What one run's journal adds: its start, confirmations and approvals, mutating or failed steps, its verdict. */
function runEntries(run: RunJournal): IncidentTimelineEntry[] {
  const entries: IncidentTimelineEntry[] = [];
  const actions = new Map<string, string>();
  const mutating = new Set<string>();
  const start = run.records.find((record) => record.type === 'run-start');
  const playbook = start?.type === 'run-start' ? clean(start.playbook.id) : clean(run.runId);
  const prefix = `playbook ${playbook}`;
  for (const record of run.records) {
    const at = record.at;
    switch (record.type) {
      case 'run-start':
        entries.push({ at, kind: 'run', text: `${prefix} started by ${clean(record.operator)} (run ${clean(run.runId)}${record.dryRun ? ', dry run' : ''})` });
        break;
      case 'step-intent':
        actions.set(`${record.stepId}#${record.attempt}`, record.action);
        if (record.mutates && !record.dryRun) mutating.add(`${record.stepId}#${record.attempt}`);
        break;
      case 'confirmation':
      case 'approval':
        entries.push({ at, kind: 'confirmation', text: `${prefix}, step ${clean(record.stepId)}: ${describeJournalRecord(record, actions) ?? ''}` });
        break;
      case 'step-result': {
        const key = `${record.stepId}#${record.attempt}`;
        if (!mutating.has(key) && record.verdict !== 'failed') break;
        const why = record.error ?? record.reason;
        entries.push({ at, kind: 'run', text: `${prefix}, step ${clean(record.stepId)} (${clean(actions.get(key) ?? '')}): ${record.verdict}${why ? `: ${clean(why)}` : ''}` });
        break;
      }
      case 'run-end':
        entries.push({ at, kind: 'run', text: `${prefix} ${record.verdict} after ${formatDuration(record.durationMs)}${record.reason ? `: ${clean(record.reason)}` : ''} (run ${clean(run.runId)})`, action: true });
        break;
      default:
        break;
    }
  }
  return entries;
}

/** The merged timeline, oldest first; entries at or before the declaration (alerts, flips) count as its detection. */
export function buildIncidentTimeline(records: readonly IncidentRecord[], runs: readonly RunJournal[] = []): IncidentTimelineEntry[] {
  const journaled = new Set(runs.map((run) => run.runId));
  const declaredAt = records.find((record) => record.type === 'declared')?.at ?? Number.NEGATIVE_INFINITY;
  const entries: IncidentTimelineEntry[] = [];
  for (const record of records) {
    if ((record.type === 'run-started' || record.type === 'run-finished') && journaled.has(record.runId)) continue;
    const entry = incidentEntry(record);
    if (!entry) continue;
    if ((entry.kind === 'alert' || entry.kind === 'gate') && entry.at <= declaredAt && record.type !== 'alert-cleared') entry.detection = true;
    entries.push(entry);
  }
  for (const run of runs) entries.push(...runEntries(run));
  // Stable: records of one journal keep their order when they share a millisecond.
  return entries.map((entry, index) => ({ entry, index })).sort((left, right) => left.entry.at - right.entry.at || left.index - right.index).map(({ entry }) => entry);
}
