// opsdeck.yaml `incident:`: the classification table and the escalation matrix, with the
// runbooks' defaults (P0 system down 15 min, P1 1 h, P2 4 h, P3 1 business day; L1 on-call at
// once, L2 after 30 minutes, L3 after 2 hours).

import { z } from 'zod';
import type { IncidentConfig } from '../incident/incident-types';

const HOUR = 60 * 60 * 1000;

export const DEFAULT_INCIDENT_CONFIG: IncidentConfig = {
  classification: [
    { id: 'P0', title: 'System down', responseTime: '15m', responseMs: 15 * 60 * 1000 },
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

/** As written; refined by the incident work (issue 8). */
export const incidentFileSchema = z.unknown();

export function resolveIncidentConfig(written: unknown): IncidentConfig {
  void written;
  return DEFAULT_INCIDENT_CONFIG;
}
