// A journal's records as the timeline an incident report needs: a header (who, where, when,
// verdict), the inputs, then one section per step attempt with its intent, confirmations,
// outputs and result in the order they happened. journal-markdown.ts renders it.

import { describeCall, type ActionCall } from '../domain/engine-action';
import { toDisplayText } from '../domain/untrusted-text';
import type { JournalRecord } from './journal-types';

/** Lines of one output block shown; the journal keeps them all. */
export const OUTPUT_LINES_SHOWN = 200;

export type TimelineItem =
  | { kind: 'line'; at: number; text: string }
  | { kind: 'output'; stream: string; lines: string[]; omittedLines: number; truncated: boolean };

export interface TimelineSection {
  at: number;
  /** "step restart (attempt 2) · container.restart · mutating", or "run" for records of the run itself. */
  heading: string;
  items: TimelineItem[];
}

export interface TimelineHeader {
  runId?: string;
  title: string;
  fields: Array<[label: string, value: string]>;
}

export interface Timeline {
  header: TimelineHeader;
  inputs: Array<[name: string, value: string]>;
  sections: TimelineSection[];
  startedAt: number;
}

export interface TimelineOptions {
  /** The journal file, named in the header. */
  path?: string;
  /** The hash chain's verification, named in the header. */
  verification?: { ok: boolean; records: number; problem?: string };
  /** Problems reading the file (a torn last line). */
  problems?: readonly string[];
  /** The run's process is alive (listRuns' `running`): an unfinished run is in progress, not dead. */
  running?: boolean;
}

/** One line of untrusted journal text, safe for a terminal. */
export function clean(text: unknown): string {
  return toDisplayText(typeof text === 'string' ? text : JSON.stringify(text) ?? String(text));
}

export function formatUtc(at: number): string {
  return `${new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** HH:MM:SS (UTC), with the date when it is not the run's first day. */
export function formatTime(at: number, startedAt: number): string {
  const full = formatUtc(at);
  // Within the run's first day the date is in the header: the time alone reads better.
  return full.slice(0, 10) === formatUtc(startedAt).slice(0, 10) ? full.slice(11, 19) : full.slice(0, 19);
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes} min ${Math.round((milliseconds % 60_000) / 1000)} s`;
}

/** The exact call as one line: method and path (and the body), or the argv. */
export function formatCall(call: ActionCall): string {
  const line = describeCall(call);
  return call.type === 'http' && call.body !== undefined ? `${line} ${JSON.stringify(call.body)}` : line;
}

const CONFIRMATION_WORDS: Record<string, string> = {
  'yes-no': 'answered',
  'type-target': "typed the target's name",
  takeover: 'confirmed the lock takeover',
  resume: 'confirmed the resume',
};

const OBSERVATION_WORDS: Record<string, string> = { happened: 'had happened', 'not-happened': 'had not happened', unknown: 'could not be told' };

/** One record as a line of a timeline (undefined for a step's intent, whose calls are listed instead); `actions` names each step attempt's action. */
export function describeJournalRecord(record: JournalRecord, actions: ReadonlyMap<string, string>): string | undefined {
  switch (record.type) {
    case 'step-intent':
      return undefined;
    case 'confirmation':
      return `${record.accepted ? 'confirmed' : 'declined'} by ${clean(record.operator)} (${CONFIRMATION_WORDS[record.mode] ?? record.mode}): "${clean(record.answer)}"`;
    case 'approval':
      return record.accepted
        ? `second operator: requested by ${clean(record.requestedBy)}, approved by ${clean(record.approver)}`
        : `second operator: requested by ${clean(record.requestedBy)}, not approved${record.approver ? ` by ${clean(record.approver)}` : ''}${record.reason ? `: ${clean(record.reason)}` : ''}`;
    case 'lock': {
      const holder = record.holder ? `${clean(record.holder.operator)} (run ${clean(record.holder.runId)}, step ${clean(record.holder.stepId)})` : 'another run';
      const target = clean(record.target);
      if (record.event === 'held-by-other') return `lock on ${target} held by ${holder}`;
      if (record.event === 'taken-over') return `lock on ${target} taken over from ${holder}`;
      return `lock on ${target} ${record.event}`;
    }
    case 'step-result': {
      const details = [record.exitCode === undefined ? undefined : `exit code ${record.exitCode}`, record.httpStatus === undefined ? undefined : `HTTP ${record.httpStatus}`].filter(Boolean);
      const why = [record.reason, record.error].filter((text): text is string => !!text).map(clean).join('; ');
      return `result: ${record.verdict} in ${formatDuration(record.durationMs)}${details.length ? `, ${details.join(', ')}` : ''}${why ? `: ${why}` : ''}`;
    }
    case 'resume': {
      const ssh = record.sshConnection ? ` (SSH from ${clean(record.sshConnection.split(' ')[0])})` : '';
      const found = record.observations.map((observation) => {
        const action = actions.get(`${observation.stepId}#${observation.attempt}`);
        return `step ${clean(observation.stepId)}${action ? ` (${clean(action)})` : ''} ${OBSERVATION_WORDS[observation.verdict] ?? observation.verdict}: ${clean(observation.detail)}`;
      });
      return `resumed by ${clean(record.operator)} on ${clean(record.host)}${ssh}${found.length ? `: ${found.join('; ')}` : ''}`;
    }
    case 'note':
      return `note by ${clean(record.operator)}: ${clean(record.text)}`;
    case 'run-end':
      return `run ended: ${record.verdict} after ${formatDuration(record.durationMs)}${record.reason ? `: ${clean(record.reason)}` : ''}`;
    default:
      return `${clean((record as { type: string }).type)} record`;
  }
}

function stepHeading(record: Extract<JournalRecord, { type: 'step-intent' }>): string {
  const attempt = record.attempt > 1 ? ` (attempt ${record.attempt})` : '';
  const phase = record.phase === 'rollback' ? ' · rollback' : '';
  return `step ${clean(record.stepId)}${attempt}${phase} · ${clean(record.action)} · ${record.mutates ? 'mutating' : 'read-only'}${record.dryRun ? ' · dry run' : ''}`;
}

function outputItem(stream: string, text: string, truncated: boolean): Extract<TimelineItem, { kind: 'output' }> {
  const item: Extract<TimelineItem, { kind: 'output' }> = { kind: 'output', stream, lines: [], omittedLines: 0, truncated };
  appendLines(item, text);
  return item;
}

function appendLines(item: { lines: string[]; omittedLines: number }, text: string): void {
  const incoming = text.replace(/\n$/, '').split('\n');
  const room = Math.max(0, OUTPUT_LINES_SHOWN - item.lines.length);
  item.lines.push(...incoming.slice(0, room).map(clean));
  item.omittedLines += Math.max(0, incoming.length - room);
}

export function buildTimeline(records: readonly JournalRecord[], options: TimelineOptions = {}): Timeline {
  const start = records.find((record) => record.type === 'run-start');
  const end = [...records].reverse().find((record) => record.type === 'run-end');
  const startedAt = start?.at ?? records[0]?.at ?? 0;
  const fields: Array<[string, string]> = [];
  if (start) {
    fields.push(['Playbook', `${clean(start.playbook.id)} (${clean(start.playbook.file)}, sha256 ${clean(start.playbook.sha256).slice(0, 12)})`]);
    fields.push(['Operator', `${clean(start.operator)} on ${clean(start.host)} (pid ${start.pid})`]);
    fields.push(['SSH client', start.sshConnection ? clean(start.sshConnection.split(' ').slice(0, 2).join(' port ')) : 'none (local session)']);
    fields.push(['Mode', [start.dryRun ? 'dry run' : 'live', start.readOnly ? 'read-only' : undefined].filter(Boolean).join(', ')]);
  }
  fields.push(['Started', formatUtc(startedAt)]);
  const last = records.at(-1);
  if (end) {
    fields.push(['Ended', `${formatUtc(end.at)} (${formatDuration(end.durationMs)})`]);
    fields.push(['Verdict', `${end.verdict}${end.reason ? `: ${clean(end.reason)}` : ''}`]);
  } else {
    const lastStep = last && 'stepId' in last ? ` of step ${clean(last.stepId)}` : '';
    const lastRecord = last ? `last record: seq ${last.seq}, ${last.type}${lastStep}, at ${formatUtc(last.at)}` : 'no records';
    fields.push(['Verdict', options.running ? `running (${lastRecord})` : `unfinished: run did not end (${lastRecord})`]);
  }
  if (options.path) fields.push(['Journal', clean(options.path)]);
  if (options.verification) {
    const { ok, records: count, problem } = options.verification;
    fields.push(['Hash chain', ok ? `verified (${count} records)` : `NOT verified: ${clean(problem)}`]);
  }
  for (const problem of options.problems ?? []) fields.push(['Note', clean(problem)]);

  const actions = new Map<string, string>();
  const sections: TimelineSection[] = [];
  /** The open section and the step attempt it is for ('' for records of the run itself). */
  let current: (TimelineSection & { key: string; provisional: boolean; ended: boolean }) | undefined;
  const open = (at: number, key: string, heading: string, provisional: boolean) => {
    current = { at, key, heading, provisional, ended: false, items: [] };
    sections.push(current);
    return current;
  };
  for (const record of records) {
    if (record.type === 'run-start') continue;
    if (record.type === 'step-intent') {
      actions.set(`${record.stepId}#${record.attempt}`, record.action);
      const key = `${record.stepId}#${record.attempt}#${record.phase}`;
      let section = current;
      // A lock or confirmation journaled before the intent already opened this step's section.
      if (section && section.provisional && !section.ended && section.key === record.stepId) {
        section.key = key;
        section.heading = stepHeading(record);
        section.provisional = false;
      } else if (!section || section.key !== key || section.ended) section = open(record.at, key, stepHeading(record), false);
      for (const call of record.calls) section.items.push({ kind: 'line', at: record.at, text: `${record.dryRun && record.mutates ? 'dry run, would call' : 'intent'}: ${clean(formatCall(call))}` });
      continue;
    }
    const stepId = 'stepId' in record ? record.stepId : undefined;
    // After its result, a step's next record (a retry's confirmation) starts the next attempt's section.
    const sameSection = current && (stepId === undefined ? current.key === '' : !current.ended && (current.key === stepId || current.key.startsWith(`${stepId}#`)));
    const section = sameSection ? current! : stepId === undefined ? open(record.at, '', 'run', false) : open(record.at, stepId, `step ${clean(stepId)}`, true);
    if (record.type === 'step-output') {
      const previous = section.items.at(-1);
      if (previous?.kind === 'output' && previous.stream === record.stream) {
        appendLines(previous, record.text);
        previous.truncated ||= record.truncated === true;
      } else section.items.push(outputItem(record.stream, record.text, record.truncated === true));
      continue;
    }
    const text = describeJournalRecord(record, actions);
    if (text) section.items.push({ kind: 'line', at: record.at, text });
    if (record.type === 'step-result') section.ended = true;
  }
  if (!end && last && !options.running) {
    const section = current?.key === '' ? current : open(last.at, '', 'run', false);
    section.items.push({ kind: 'line', at: last.at, text: `run did not end (last record: seq ${last.seq}, ${last.type}, at ${formatUtc(last.at)})` });
  }

  const title = start ? clean(start.playbook.title) : 'Run journal';
  return {
    header: { ...(start ? { runId: clean(start.runId) } : {}), title, fields },
    inputs: start ? Object.entries(start.inputs).map(([name, value]) => [clean(name), clean(String(value))]) : [],
    sections: sections.map(({ at, heading, items }) => ({ at, heading, items })),
    startedAt,
  };
}

