// Incident mode's parts of the screen stack: the incident form (a text input on the one model,
// drawn over the body), the dialog of an escalation level that fell due, and the incident
// screen with its timeline.

import { incidentFormFields, selectDueLevel, selectOpenIncident } from '../../src/store/selectors/incident-form';
import type { OpsdeckState } from '../../src/store/store-types';
import type { KeyScope } from '../keys/key-table';
import type { ScreenEntry, TextInputScreen } from './screen-stack';

function focusedField(state: OpsdeckState) {
  const form = state.ui.incident.form;
  if (!form) return undefined;
  const fields = incidentFormFields(state, form.kind);
  const field = fields[Math.min(form.field, fields.length - 1)];
  return field ? { form, field, fields } : undefined;
}

/** The focused field of the incident form: typing edits its value in the ui slice's form. */
export const INCIDENT_FORM_INPUT: TextInputScreen = {
  id: 'incident-input',
  label: 'value: ',
  value(state) {
    const focused = focusedField(state);
    return focused ? (focused.form.values[focused.field.name] ?? '') : '';
  },
  apply(state, value) {
    const focused = focusedField(state);
    if (!focused) return;
    state.setIncidentForm({ ...focused.form, values: { ...focused.form.values, [focused.field.name]: value }, error: undefined });
  },
  hint(state) {
    const focused = focusedField(state);
    return focused ? `${focused.field.label}${focused.field.required ? '' : ' (optional)'}` : '';
  },
};

export const INCIDENT_FORM_SCREEN: ScreenEntry = {
  id: 'incident-form',
  title: 'Incident form',
  isOpen: (state) => state.ui.incident.form !== undefined,
  keyScopes: ['incident-form', 'input'],
  fallback: 'input.type',
  textInput: INCIDENT_FORM_INPUT,
  overlay: 'incident-form',
};

export const ESCALATION_SCREEN: ScreenEntry = {
  id: 'escalation',
  title: 'Escalation due',
  isOpen: (state) => selectDueLevel(state) !== undefined,
  keyScopes: ['escalation'],
  overlay: 'escalation',
};

/** Help on the incident screen: its keys, the forms', the dialog's. */
const INCIDENT_SCOPES: readonly KeyScope[] = ['incident', 'escalation', 'incident-form', 'input', 'global'];

export const INCIDENT_SCREEN: ScreenEntry = {
  id: 'incident',
  title: 'Incident',
  isOpen: (state) => state.ui.incident.screenOpen && state.incident !== undefined,
  keyScopes: ['incident', 'global'],
  body: 'incident',
  helpScopes: INCIDENT_SCOPES,
};

/** Whether the header shows incident mode (an incident is open). */
export function incidentOpen(state: OpsdeckState): boolean {
  return selectOpenIncident(state) !== undefined;
}
