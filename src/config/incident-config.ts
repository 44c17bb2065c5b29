// opsdeck.yaml `incident:`: the classification table and the escalation matrix, with the
// runbooks' defaults (P0 system down 15 min, P1 1 h, P2 4 h, P3 1 business day; L1 on-call at
// once, L2 after 30 minutes, L3 after 2 hours). Runbook 004's SEV1-SEV4 are written as a table
// of their own. Durations and response times are checked where they are written, and an
// escalation level naming a severity the table does not have is located at that name.

import { z } from 'zod';
import { parseDurationWithUnit } from '../domain/duration';
import type { EscalationLevel, IncidentConfig, SeverityLevel } from '../incident/incident-types';
import { DEFAULT_INCIDENT_CONFIG, HOUR, MINUTE } from './incident-defaults';

export { DEFAULT_INCIDENT_CONFIG };

/** A business day counts as 24 hours (the runbooks' SEV4 says "24 hours" for the same row). */
const BUSINESS_DAY = 24 * HOUR;

/** "N unit" as the runbooks write response times: 15 minutes, 1 hour, 4 hours, 1 business day, 24 hours. */
const WORDED_TIME = /^(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?|business\s+days?|days?)$/i;
const WORD_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^min/i, MINUTE],
  [/^h/i, HOUR],
  [/^business/i, BUSINESS_DAY],
  [/^day/i, 24 * HOUR],
];

/** Milliseconds of a response time: "15m", "2h30m", "15 minutes", "1 hour", "1 business day". Throws an Error saying how to write one. */
export function parseResponseTime(text: string): number {
  const worded = WORDED_TIME.exec(text.trim());
  if (worded) {
    const unit = WORD_UNITS.find(([pattern]) => pattern.test(worded[2] ?? ''))?.[1] ?? Number.NaN;
    return Number(worded[1]) * unit;
  }
  try {
    return parseDurationWithUnit(text);
  } catch {
    throw new Error(`invalid response time ${JSON.stringify(text)}: write a duration (15m, 1h, 2h30m) or "N minutes", "N hours", "N business days"`);
  }
}

/** A string that `parse` accepts; its error is the issue's message, at the string. */
const parsedText = (parse: (text: string) => number) =>
  z
    .string()
    .min(1)
    .superRefine((text, context) => {
      try {
        parse(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

const durationText = parsedText(parseDurationWithUnit);

const severitySchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  responseTime: parsedText(parseResponseTime),
  description: z.string().optional(),
});

const escalationSchema = z.strictObject({
  level: z.string().min(1),
  role: z.string().min(1),
  contact: z.string().min(1),
  /** Due this long after the incident was declared ("0m": at once). */
  after: durationText.optional(),
  /** Due at once when the incident has one of these severities. */
  severities: z.array(z.string().min(1)).min(1).optional(),
});

type WrittenIncident = z.infer<typeof incidentObjectSchema>;

const incidentObjectSchema = z.strictObject({
  classification: z.array(severitySchema).min(1).optional(),
  escalation: z.array(escalationSchema).min(1).optional(),
  snooze: durationText.optional(),
});

/** Problems across entries, each at the value it is about (ids repeated, severities the table does not have). */
function crossEntryProblems(written: WrittenIncident): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const duplicates = <Entry>(entries: readonly Entry[] | undefined, key: (entry: Entry) => string, section: string, field: string): void => {
    const seen = new Map<string, number>();
    entries?.forEach((entry, index) => {
      const first = seen.get(key(entry));
      if (first !== undefined) problems.push({ path: [section, index, field], message: `duplicate ${field} ${JSON.stringify(key(entry))} (also ${section}[${first}])` });
      else seen.set(key(entry), index);
    });
  };
  duplicates(written.classification, (entry) => entry.id, 'classification', 'id');
  duplicates(written.escalation, (entry) => entry.level, 'escalation', 'level');
  const known = (written.classification ?? DEFAULT_INCIDENT_CONFIG.classification).map((severity) => severity.id);
  written.escalation?.forEach((level, index) => {
    if (level.after === undefined && level.severities === undefined) {
      problems.push({ path: ['escalation', index, 'level'], message: 'say when the level is due: after (a duration since declared) or severities (at once for these)' });
    }
    level.severities?.forEach((severity, severityIndex) => {
      if (!known.includes(severity)) {
        problems.push({ path: ['escalation', index, 'severities', severityIndex], message: `unknown severity ${JSON.stringify(severity)} (the classification has ${known.join(', ')})` });
      }
    });
  });
  return problems;
}

/** `incident:` as written: strict, durations and response times checked, references to severities resolved. */
export const incidentFileSchema = incidentObjectSchema.superRefine((written, context) => {
  for (const problem of crossEntryProblems(written)) context.addIssue({ code: 'custom', message: problem.message, path: problem.path });
});

/** The resolved table and matrix: written sections replace the defaults' (SEV1-SEV4 replace P0-P3). */
export function resolveIncidentConfig(written: unknown): IncidentConfig {
  if (written === undefined) return DEFAULT_INCIDENT_CONFIG;
  // Validated by the config file's schema already; parsed again for its types.
  const parsed = incidentFileSchema.parse(written);
  const classification: SeverityLevel[] | undefined = parsed.classification?.map((severity) => ({
    id: severity.id,
    title: severity.title,
    responseTime: severity.responseTime,
    responseMs: parseResponseTime(severity.responseTime),
    ...(severity.description !== undefined ? { description: severity.description } : {}),
  }));
  const escalation: EscalationLevel[] | undefined = parsed.escalation?.map((level) => ({
    level: level.level,
    role: level.role,
    contact: level.contact,
    ...(level.after !== undefined ? { afterMs: parseDurationWithUnit(level.after) } : {}),
    ...(level.severities !== undefined ? { severities: level.severities } : {}),
  }));
  return {
    classification: classification ?? DEFAULT_INCIDENT_CONFIG.classification,
    escalation: escalation ?? DEFAULT_INCIDENT_CONFIG.escalation,
    snoozeMs: parsed.snooze !== undefined ? parseDurationWithUnit(parsed.snooze) : DEFAULT_INCIDENT_CONFIG.snoozeMs,
  };
}
