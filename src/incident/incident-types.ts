// Incident mode (issue 8): the classification table and escalation matrix from opsdeck.yaml, the
// incident itself and the records of its journal. The incident's timeline is built from its own
// journal (declared, alerts raised and cleared, gate flips, escalations, notes, resolved) and the
// journals of the playbook runs started while it was open.

/** One row of the classification table (runbooks: P0 system down 15 min, P1 1 h, P2 4 h, P3 1 business day). */
export interface SeverityLevel {
  /** `P0`, `SEV1`. */
  id: string;
  /** `System down`, `Major feature broken`. */
  title: string;
  /** Response time as written (`15m`, `1 business day`) and in ms (a business day counts as 24 h). */
  responseTime: string;
  responseMs: number;
  description?: string;
}

/** One level of the escalation matrix: due after a duration since declared, or at once for some severities. */
export interface EscalationLevel {
  /** `L1`, `L2`. */
  level: string;
  role: string;
  contact: string;
  /** Due this long after the incident was declared. */
  afterMs?: number;
  /** Due at once when the incident has one of these severities. */
  severities?: string[];
}

export interface IncidentConfig {
  classification: SeverityLevel[];
  escalation: EscalationLevel[];
  /** Snooze length offered when a level is due (default 10m). */
  snoozeMs: number;
}

export type EscalationState = 'due' | 'acknowledged' | 'escalated' | 'snoozed';

export interface EscalationStatus {
  level: string;
  state: EscalationState;
  dueAt: number;
  /** Snoozed until. */
  until?: number;
  /** Who was contacted (escalated). */
  contacted?: string;
  at?: number;
}

export interface Incident {
  id: string;
  severity: string;
  title: string;
  /** Affected services as shown (`local/shop/api`) with their ref keys when known. */
  services: Array<{ label: string; key?: string }>;
  declaredAt: number;
  declaredBy: string;
  resolvedAt?: number;
  rootCause?: string;
  resolution?: string;
  prevention?: string;
  impact?: string;
  escalations: EscalationStatus[];
}

/** Lines of an incident's JSONL journal (state directory, incidents/<id>.jsonl), appended and fsynced. */
export type IncidentRecord =
  | { type: 'declared'; at: number; incident: Omit<Incident, 'escalations' | 'resolvedAt'> }
  | { type: 'severity-changed'; at: number; from: string; to: string; by: string }
  | { type: 'alert-raised'; at: number; alertId: string; severity: string; message: string }
  | { type: 'alert-cleared'; at: number; alertId: string; message: string }
  | { type: 'gate-flip'; at: number; gateId: string; from: string; to: string; detail: string }
  | { type: 'run-started'; at: number; runId: string; playbook: string }
  | { type: 'run-finished'; at: number; runId: string; playbook: string; verdict: string }
  | { type: 'confirmed'; at: number; what: string; by: string }
  | { type: 'note'; at: number; text: string; by: string }
  | { type: 'escalation'; at: number; level: string; action: 'acknowledged' | 'escalated' | 'snoozed'; by: string; contacted?: string; until?: number }
  | { type: 'silence'; at: number; alert: string; silenceId: string; by: string }
  | { type: 'resolved'; at: number; by: string; rootCause?: string; resolution?: string; prevention?: string };

/** The incident side of the runtime, for the views' commands and the CLI (journals, then the store). */
export interface IncidentService {
  declare(input: { severity: string; title: string; services: Incident['services']; impact?: string }): Promise<Incident>;
  note(text: string): Promise<void>;
  changeSeverity(severity: string): Promise<void>;
  /** The operator's answer to a due escalation level. */
  answerEscalation(level: string, answer: { action: 'acknowledged' } | { action: 'escalated'; contacted: string } | { action: 'snoozed' }): Promise<void>;
  resolve(input: { rootCause?: string; resolution?: string; prevention?: string }): Promise<void>;
  /** Journals `{type: 'silence'}` while an incident is open (an Alertmanager alert acknowledged); nothing otherwise. */
  recordSilence?(input: { alert: string; silenceId: string; by: string }): Promise<void>;
  /** The runbooks' status-update texts and the report, for `y` (OSC 52) and `incident report`. */
  texts(): { detected: string; resolved?: string; report: string } | undefined;
}
