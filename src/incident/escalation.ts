// When each level of the escalation matrix is due, as a pure function of the incident, the
// config and the time: a level is due at once when the incident has one of its severities,
// else its `after` past the declaration; the operator's last answer for it decides the rest
// (acknowledged or escalated: done; snoozed: due again when the snooze ends). A resolved
// incident has nothing due. The service's timer and the header both read it.

import type { EscalationLevel, EscalationStatus, Incident, IncidentConfig } from './incident-types';

export type LevelState = 'waiting' | 'due' | 'snoozed' | 'acknowledged' | 'escalated';

export interface LevelSchedule extends EscalationLevel {
  /** When the level is (or was) due; undefined: never for this incident (neither its severity nor an `after`). */
  dueAt: number | undefined;
  state: LevelState;
  /** Snoozed until. */
  until?: number;
  /** Who was contacted (escalated). */
  contacted?: string;
  /** When the operator answered. */
  answeredAt?: number;
}

export interface EscalationSchedule {
  levels: LevelSchedule[];
  /** Levels due now and not answered (or whose snooze ended), in matrix order. */
  due: LevelSchedule[];
  /** The next level to become due (waiting or snoozed) and when. */
  next?: { level: LevelSchedule; at: number };
}

/** When a level falls due for an incident of this severity declared then; undefined when it never does. */
export function levelDueAt(level: EscalationLevel, incident: Pick<Incident, 'severity' | 'declaredAt'>): number | undefined {
  if (level.severities?.includes(incident.severity)) return incident.declaredAt;
  return level.afterMs === undefined ? undefined : incident.declaredAt + level.afterMs;
}

/** The operator's answers so far, by level (the incident's escalations that are not mere due marks). */
function answersOf(incident: Pick<Incident, 'escalations'>): Map<string, EscalationStatus> {
  return new Map(incident.escalations.filter((status) => status.state !== 'due').map((status) => [status.level, status]));
}

function scheduleLevel(level: EscalationLevel, incident: Incident, answer: EscalationStatus | undefined, now: number): LevelSchedule {
  const dueAt = levelDueAt(level, incident);
  const answered = answer?.at !== undefined ? { answeredAt: answer.at } : {};
  if (answer?.state === 'acknowledged') return { ...level, dueAt, state: 'acknowledged', ...answered };
  if (answer?.state === 'escalated') return { ...level, dueAt, state: 'escalated', ...answered, ...(answer.contacted !== undefined ? { contacted: answer.contacted } : {}) };
  if (answer?.state === 'snoozed' && answer.until !== undefined) {
    return { ...level, dueAt, state: answer.until > now ? 'snoozed' : 'due', until: answer.until, ...answered };
  }
  if (dueAt === undefined || incident.resolvedAt !== undefined) return { ...level, dueAt, state: 'waiting' };
  return { ...level, dueAt, state: dueAt <= now ? 'due' : 'waiting' };
}

export function escalationSchedule(incident: Incident, config: Pick<IncidentConfig, 'escalation'>, now: number): EscalationSchedule {
  const answers = answersOf(incident);
  const levels = config.escalation.map((level) => scheduleLevel(level, incident, answers.get(level.level), now));
  if (incident.resolvedAt !== undefined) return { levels, due: [] };
  const due = levels.filter((level) => level.state === 'due');
  let next: EscalationSchedule['next'];
  for (const level of levels) {
    const at = level.state === 'snoozed' ? level.until : level.state === 'waiting' ? level.dueAt : undefined;
    if (at !== undefined && (next === undefined || at < next.at)) next = { level, at };
  }
  return { levels, due, ...(next ? { next } : {}) };
}

/** The incident's escalations as the store keeps them: every level due or answered, with its time. */
export function escalationStatuses(schedule: EscalationSchedule): EscalationStatus[] {
  const statuses: EscalationStatus[] = [];
  for (const level of schedule.levels) {
    if (level.state === 'waiting' || level.dueAt === undefined) continue;
    statuses.push({
      level: level.level,
      state: level.state,
      dueAt: level.state === 'due' && level.until !== undefined ? level.until : level.dueAt,
      ...(level.until !== undefined && level.state === 'snoozed' ? { until: level.until } : {}),
      ...(level.contacted !== undefined ? { contacted: level.contacted } : {}),
      ...(level.answeredAt !== undefined ? { at: level.answeredAt } : {}),
    });
  }
  return statuses;
}
