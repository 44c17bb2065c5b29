// When the levels of the escalation matrix fall due: a pure function of the incident, the
// config and a clock the test moves.
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_CONFIG } from '../../src/config/incident-config';
import { escalationSchedule, escalationStatuses } from '../../src/incident/escalation';
import type { EscalationStatus, Incident, IncidentConfig } from '../../src/incident/incident-types';

const MINUTE = 60_000;
const DECLARED = Date.UTC(2026, 11, 1, 11, 0, 0);

function incident(change: Partial<Incident> = {}): Incident {
  return { id: 'INC-1', severity: 'P1', title: 'checkout down', services: [], declaredAt: DECLARED, declaredBy: 'alice', escalations: [], ...change };
}

/** The incident after the operator answered, as the service keeps it. */
function answered(current: Incident, answer: EscalationStatus): Incident {
  return { ...current, escalations: [...current.escalations.filter((status) => status.level !== answer.level), answer] };
}

const at = (minutes: number) => DECLARED + minutes * MINUTE;
const dueLevels = (current: Incident, minutes: number, config: IncidentConfig = DEFAULT_INCIDENT_CONFIG) =>
  escalationSchedule(current, config, at(minutes)).due.map((level) => level.level);

describe('escalation schedule', () => {
  it('makes L1 due at once and L2 after 30 minutes, L3 after 2 hours', () => {
    const open = incident();
    expect(dueLevels(open, 0)).toEqual(['L1']);
    const schedule = escalationSchedule(open, DEFAULT_INCIDENT_CONFIG, at(0));
    expect(schedule.next).toMatchObject({ at: at(30), level: { level: 'L2', state: 'waiting' } });
    expect(dueLevels(open, 29.9)).toEqual(['L1']);
    expect(dueLevels(open, 30)).toEqual(['L1', 'L2']);
    expect(dueLevels(open, 120)).toEqual(['L1', 'L2', 'L3']);
  });

  it('takes an acknowledged level off the due list and names the next one', () => {
    const acknowledged = answered(incident(), { level: 'L1', state: 'acknowledged', dueAt: DECLARED, at: at(1) });
    expect(dueLevels(acknowledged, 1)).toEqual([]);
    const schedule = escalationSchedule(acknowledged, DEFAULT_INCIDENT_CONFIG, at(1));
    expect(schedule.levels.map((level) => [level.level, level.state])).toEqual([
      ['L1', 'acknowledged'],
      ['L2', 'waiting'],
      ['L3', 'waiting'],
    ]);
    expect(schedule.next?.level.level).toBe('L2');
  });

  it('moves a snoozed level to the end of its snooze, then makes it due again', () => {
    const snoozed = answered(incident(), { level: 'L2', state: 'snoozed', dueAt: at(30), until: at(40), at: at(30) });
    const during = escalationSchedule(snoozed, DEFAULT_INCIDENT_CONFIG, at(35));
    expect(during.due.map((level) => level.level)).toEqual(['L1']);
    expect(during.levels.find((level) => level.level === 'L2')?.state).toBe('snoozed');
    expect(during.next).toMatchObject({ at: at(40), level: { level: 'L2' } });
    const after = escalationSchedule(snoozed, DEFAULT_INCIDENT_CONFIG, at(40));
    expect(after.due.map((level) => level.level)).toEqual(['L1', 'L2']);
    // As the store keeps it: L2 due since the end of the snooze.
    expect(escalationStatuses(after).find((status) => status.level === 'L2')).toEqual({ level: 'L2', state: 'due', dueAt: at(40), at: at(30) });
  });

  it('makes a severity-triggered level due at once for that severity only', () => {
    const config: IncidentConfig = {
      ...DEFAULT_INCIDENT_CONFIG,
      escalation: [...DEFAULT_INCIDENT_CONFIG.escalation, { level: 'L5', role: 'CTO', contact: 'cto@example.com', severities: ['P0'] }],
    };
    expect(dueLevels(incident({ severity: 'P0' }), 0, config)).toEqual(['L1', 'L5']);
    const minor = incident({ severity: 'P2' });
    expect(dueLevels(minor, 600, config)).toEqual(['L1', 'L2', 'L3']);
    expect(escalationSchedule(minor, config, at(600)).levels.find((level) => level.level === 'L5')).toMatchObject({ state: 'waiting', dueAt: undefined });
  });

  it('records who was contacted and has nothing due once resolved', () => {
    const escalated = answered(incident(), { level: 'L2', state: 'escalated', contacted: 'bob (team lead)', dueAt: at(30), at: at(31) });
    expect(escalationSchedule(escalated, DEFAULT_INCIDENT_CONFIG, at(31)).levels.find((level) => level.level === 'L2')).toMatchObject({ state: 'escalated', contacted: 'bob (team lead)' });
    const resolved = { ...escalated, resolvedAt: at(50) };
    const schedule = escalationSchedule(resolved, DEFAULT_INCIDENT_CONFIG, at(500));
    expect(schedule.due).toEqual([]);
    expect(schedule.next).toBeUndefined();
  });
});
