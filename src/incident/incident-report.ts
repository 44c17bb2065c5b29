// The incident report in the runbooks' shape (impact, detection, timeline, actions taken,
// duration, root cause, resolution, prevention), as plain text or Markdown, and the two
// status updates runbook 004 posts: "INCIDENT DETECTED / Severity / Impact / Status /
// Incident Commander / Started" and "INCIDENT RESOLVED / Duration / Root Cause / Actions
// Taken / Follow-up Required". Every field is cleaned for a terminal (the texts go to the
// clipboard through OSC 52 and into chat rooms).

import { formatElapsed } from '../domain/duration';
import { escapeMarkdown } from '../journal/journal-markdown';
import { clean, formatTime, formatUtc } from '../journal/journal-timeline';
import type { IncidentTimelineEntry } from './incident-timeline';
import type { Incident, SeverityLevel } from './incident-types';

export interface ReportInput {
  incident: Incident;
  timeline: readonly IncidentTimelineEntry[];
  classification: readonly SeverityLevel[];
  /** Who resolved it (from the journal's resolved record). */
  resolvedBy?: string;
  /** The time an open incident's duration runs to. */
  now: number;
}

export interface IncidentTexts {
  detected: string;
  resolved?: string;
  report: string;
}

const NOT_WRITTEN = '(not written)';

function severityText(incident: Incident, classification: readonly SeverityLevel[]): string {
  const level = classification.find((candidate) => candidate.id === incident.severity);
  return level ? `${clean(incident.severity)} (${clean(level.title)}; response within ${clean(level.responseTime)})` : clean(incident.severity);
}

function impactText(incident: Incident): string {
  const services = incident.services.map((service) => clean(service.label)).join(', ');
  const impact = incident.impact ? clean(incident.impact) : clean(incident.title);
  return services ? `${impact} (affected: ${services})` : impact;
}

function durationOf(incident: Incident, now: number): number {
  return (incident.resolvedAt ?? now) - incident.declaredAt;
}

function actionsOf(timeline: readonly IncidentTimelineEntry[]): IncidentTimelineEntry[] {
  return timeline.filter((entry) => entry.action);
}

export function statusUpdateDetected(incident: Incident, escalatedTo?: string): string {
  return [
    '🚨 INCIDENT DETECTED',
    `Severity: ${clean(incident.severity)}`,
    `Impact: ${impactText(incident)}`,
    `Status: ${incident.resolvedAt !== undefined ? 'RESOLVED' : 'INVESTIGATING'}${escalatedTo ? ` (escalated to ${clean(escalatedTo)})` : ''}`,
    `Incident Commander: ${clean(incident.declaredBy)}`,
    `Started: ${formatUtc(incident.declaredAt)}`,
  ].join('\n');
}

export function statusUpdateResolved(incident: Incident, timeline: readonly IncidentTimelineEntry[], now: number): string {
  const actions = actionsOf(timeline).map((entry) => entry.text);
  return [
    '✅ INCIDENT RESOLVED',
    `Duration: ${formatElapsed(durationOf(incident, now))}`,
    `Root Cause: ${incident.rootCause ? clean(incident.rootCause) : NOT_WRITTEN}`,
    `Actions Taken: ${actions.length > 0 ? actions.join('; ') : 'none journaled'}`,
    `Follow-up Required: ${incident.prevention ? `Yes (${clean(incident.prevention)})` : 'No'}`,
  ].join('\n');
}

interface Section {
  title: string;
  /** Paragraph lines, or list items when `list`. */
  lines: string[];
  list?: boolean;
}

function reportSections(input: ReportInput): { title: string; fields: Array<[string, string]>; sections: Section[] } {
  const { incident, timeline, now } = input;
  const time = (at: number): string => formatTime(at, incident.declaredAt);
  const line = (entry: IncidentTimelineEntry): string => `${time(entry.at)}  ${entry.text}`;
  const fields: Array<[string, string]> = [
    ['Severity', severityText(incident, input.classification)],
    ['Status', incident.resolvedAt !== undefined ? 'resolved' : 'open (investigating)'],
    ['Declared', `${formatUtc(incident.declaredAt)} by ${clean(incident.declaredBy)}`],
  ];
  if (incident.resolvedAt !== undefined) fields.push(['Resolved', `${formatUtc(incident.resolvedAt)}${input.resolvedBy ? ` by ${clean(input.resolvedBy)}` : ''}`]);
  const duration = formatElapsed(durationOf(incident, now));
  const actions = actionsOf(timeline);
  const escalations = incident.escalations.filter((status) => status.state === 'escalated');
  return {
    title: `Incident report ${clean(incident.id)}: ${clean(incident.title)}`,
    fields,
    sections: [
      { title: 'Impact', lines: [impactText(incident)] },
      { title: 'Detection', lines: timeline.filter((entry) => entry.detection).map(line), list: true },
      { title: 'Timeline', lines: timeline.map(line), list: true },
      {
        title: 'Actions taken',
        lines: actions.length > 0 ? actions.map(line) : ['none journaled'],
        list: actions.length > 0,
      },
      {
        title: 'Duration',
        lines: [
          incident.resolvedAt !== undefined
            ? `${duration} (${formatUtc(incident.declaredAt)} to ${formatUtc(incident.resolvedAt)})`
            : `${duration} so far (open since ${formatUtc(incident.declaredAt)})`,
          ...(escalations.length > 0 ? [`Escalated to ${escalations.map((status) => `${clean(status.level)}${status.contacted ? ` (${clean(status.contacted)})` : ''}`).join(', ')}`] : []),
        ],
      },
      { title: 'Root cause', lines: [incident.rootCause ? clean(incident.rootCause) : NOT_WRITTEN] },
      { title: 'Resolution', lines: [incident.resolution ? clean(incident.resolution) : NOT_WRITTEN] },
      { title: 'Prevention', lines: [incident.prevention ? clean(incident.prevention) : NOT_WRITTEN] },
    ],
  };
}

export function formatIncidentReport(input: ReportInput, options: { markdown?: boolean } = {}): string {
  const { title, fields, sections } = reportSections(input);
  const out: string[] = [];
  if (options.markdown) {
    out.push(`# ${escapeMarkdown(title)}`, '');
    for (const [label, value] of fields) out.push(`- **${label}:** ${escapeMarkdown(value)}`);
    for (const section of sections) {
      out.push('', `## ${section.title}`, '');
      out.push(...section.lines.map((text) => (section.list ? `- ${escapeMarkdown(text)}` : escapeMarkdown(text))));
    }
  } else {
    out.push(title);
    const width = Math.max(...fields.map(([label]) => label.length)) + 1;
    for (const [label, value] of fields) out.push(`  ${`${label}:`.padEnd(width)} ${value}`);
    for (const section of sections) out.push('', section.title, ...section.lines.map((text) => `  ${text}`));
  }
  return `${out.join('\n')}\n`;
}

/** The two status updates (the second once resolved) and the report. */
export function incidentTexts(input: ReportInput, options: { markdown?: boolean } = {}): IncidentTexts {
  const escalated = input.incident.escalations.filter((status) => status.state === 'escalated').at(-1)?.level;
  return {
    detected: statusUpdateDetected(input.incident, escalated),
    ...(input.incident.resolvedAt !== undefined ? { resolved: statusUpdateResolved(input.incident, input.timeline, input.now) } : {}),
    report: formatIncidentReport(input, options),
  };
}
