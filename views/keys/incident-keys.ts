// Incident mode's keys, part of the key table: `i` declares (or, with one open, shows it), `n`
// notes, `y` copies the status update to the operator's clipboard (OSC 52); the due escalation's
// dialog answers acknowledge, escalate (who was contacted is typed), snooze or later; the
// incident forms move over their fields like the run's input form.

import { selectAnyDueLevel, selectOpenIncident } from '../../src/store/selectors/incident-form';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyBinding } from './key-table';

const open = (state: OpsdeckState): boolean => selectOpenIncident(state) !== undefined;
const levelDue = (state: OpsdeckState): boolean => selectAnyDueLevel(state) !== undefined;

/** On the panels: after the playbook keys, so a narrow hint bar drops these first. */
export const MAIN_INCIDENT_KEYS: readonly KeyBinding[] = [
  { command: 'incident.open', keys: ['i'], label: 'declare an incident (or show it)', scope: 'main', hint: 'incident' },
  { command: 'incident.note', keys: ['n'], label: 'note on the open incident', scope: 'main', hint: 'note', when: open },
];

export const INCIDENT_KEYS: readonly KeyBinding[] = [
  // The incident screen.
  { command: 'incident.note', keys: ['n'], label: 'add a note', scope: 'incident', hint: 'note', when: open },
  { command: 'escalation.acknowledge', keys: ['a'], label: 'acknowledge the due escalation level', scope: 'incident', hint: 'acknowledge', when: levelDue },
  { command: 'escalation.escalate', keys: ['e'], label: 'escalate: type who was contacted', scope: 'incident', hint: 'escalate', when: levelDue },
  { command: 'escalation.snooze', keys: ['z'], label: 'snooze the due escalation level', scope: 'incident', hint: 'snooze', when: levelDue },
  { command: 'incident.copy', keys: ['y'], label: 'copy the status update (INCIDENT DETECTED, or RESOLVED) to your clipboard (OSC 52)', scope: 'incident', hint: 'copy update' },
  { command: 'incident.copyReport', keys: ['Y'], label: 'copy the incident report to your clipboard (OSC 52)', scope: 'incident', hint: 'copy report' },
  { command: 'incident.resolve', keys: ['r'], label: 'resolve: root cause, resolution, prevention', scope: 'incident', hint: 'resolve', when: open },
  { command: 'incident.close', keys: ['escape', 'q'], label: 'back to the panels', scope: 'incident', hint: 'back' },

  // The dialog of a due escalation level.
  { command: 'escalation.acknowledge', keys: ['a'], label: 'acknowledge', scope: 'escalation', hint: 'acknowledge' },
  { command: 'escalation.escalate', keys: ['e'], label: 'escalate (type who was contacted)', scope: 'escalation', hint: 'escalate' },
  { command: 'escalation.snooze', keys: ['z'], label: 'snooze', scope: 'escalation', hint: 'snooze' },
  { command: 'escalation.later', keys: ['escape'], label: 'later (the header keeps saying it is due)', scope: 'escalation', hint: 'later' },

  // The incident forms: one line per field; enter submits, escape leaves without saving.
  { command: 'incidentForm.submit', keys: ['enter'], label: 'submit the form', scope: 'incident-form', hint: 'submit' },
  { command: 'incidentForm.nextField', keys: ['down'], label: 'next field', scope: 'incident-form', hint: 'field' },
  { command: 'incidentForm.previousField', keys: ['up'], label: 'previous field', scope: 'incident-form', hint: 'field' },
  { command: 'incidentForm.nextChoice', keys: ['tab'], label: 'next choice (the severities)', scope: 'incident-form', hint: 'choices' },
  { command: 'incidentForm.previousChoice', keys: ['shift+tab'], label: 'previous choice', scope: 'incident-form' },
  { command: 'incidentForm.cancel', keys: ['escape'], label: 'cancel (nothing is journaled)', scope: 'incident-form', hint: 'cancel' },
];
