// The runbooks' incident defaults (the classification table and escalation matrix used when
// opsdeck.yaml has no `incident:`), apart from the schema that validates a written one
// (incident-config.ts), so a start without a config file does not load zod.

import type { IncidentConfig } from '../incident/incident-types';

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;

export const DEFAULT_INCIDENT_CONFIG: IncidentConfig = {
  classification: [
    { id: 'P0', title: 'System down', responseTime: '15m', responseMs: 15 * MINUTE },
    { id: 'P1', title: 'Major functionality broken', responseTime: '1h', responseMs: HOUR },
    { id: 'P2', title: 'Minor functionality broken', responseTime: '4h', responseMs: 4 * HOUR },
    { id: 'P3', title: 'Cosmetic or low impact', responseTime: '1 business day', responseMs: 24 * HOUR },
  ],
  escalation: [
    { level: 'L1', role: 'On-call engineer', contact: 'on-call', afterMs: 0 },
    { level: 'L2', role: 'Senior engineer / team lead', contact: 'team lead', afterMs: 30 * 60 * 1000 },
    { level: 'L3', role: 'Engineering manager', contact: 'engineering manager', afterMs: 2 * HOUR },
  ],
  snoozeMs: 10 * 60 * 1000,
};
