// Commands of incident mode: open the declare form (or the open incident's screen), the note,
// escalate and resolve forms and their fields, the answers to a due escalation level, and the
// copies of the status update and report to the operator's clipboard. Every change goes to
// the incident service, which journals it and then writes the store; the views only ask.

import type { IncidentService } from '../../src/incident/incident-types';
import {
  incidentFormFields,
  selectAnyDueLevel,
  selectDueLevel,
  selectedServiceLabel,
  selectOpenIncident,
  servicesFromText,
} from '../../src/store/selectors/incident-form';
import type { IncidentForm } from '../../src/store/slices/incident-ui';
import { INCIDENT_FORM_INPUT } from '../screens/incident-screens';
import type { CommandId } from './command-ids';
import type { CommandContext, CommandHandler } from './command-context';
import { cycleFormChoice, moveFormField, type EditedForm } from './form-commands';

function serviceOf(context: CommandContext): IncidentService | undefined {
  if (!context.incidents) context.store.getState().showStatus('incident mode is not wired in this cockpit', 'warning');
  return context.incidents;
}

/** Sends an intent to the service; its answer (or its refusal) is one line in the status bar. */
export function sendToIncidents(context: CommandContext, intent: (service: IncidentService) => Promise<unknown>, done: string): void {
  const service = serviceOf(context);
  if (!service) return;
  intent(service).then(
    () => context.store.getState().showStatus(done),
    (error: unknown) => context.store.getState().showStatus(`incident: ${(error as Error).message}`, 'error'),
  );
}

export function openIncidentForm(context: CommandContext, form: IncidentForm): void {
  const state = context.store.getState();
  state.setIncidentForm(form);
  const field = incidentFormFields(state, form.kind)[form.field];
  state.beginTextInput('incident-input', field ? (form.values[field.name] ?? '') : '');
}

/** The declare form: the severity and title given (`:incident P1 checkout down`), the selected service preselected. */
export function openDeclareForm(context: CommandContext, preset: { severity?: string | undefined; title?: string | undefined } = {}): void {
  const state = context.store.getState();
  const severities = state.incidentConfig.classification.map((severity) => severity.id);
  const severity = preset.severity ?? (severities.includes('P1') ? 'P1' : (severities[0] ?? ''));
  openIncidentForm(context, {
    kind: 'declare',
    field: preset.severity !== undefined ? 1 : 0,
    values: { severity, title: preset.title ?? '', services: selectedServiceLabel(state), impact: '' },
  });
}

function requireOpen(context: CommandContext): boolean {
  if (selectOpenIncident(context.store.getState())) return true;
  context.store.getState().showStatus('no incident is open (i declares one)', 'warning');
  return false;
}

/** The level a/e/z answer: the dialog's, else the first due one (the incident screen). */
function levelToAnswer(context: CommandContext): string | undefined {
  const state = context.store.getState();
  const level = selectDueLevel(state) ?? selectAnyDueLevel(state);
  if (level === undefined) state.showStatus('no escalation level is due', 'warning');
  return level;
}

function answer(context: CommandContext, action: 'acknowledged' | 'snoozed'): void {
  const level = levelToAnswer(context);
  if (level === undefined) return;
  context.store.getState().deferEscalation(undefined);
  const snooze = `${Math.round(context.store.getState().incidentConfig.snoozeMs / 60_000)}m`;
  sendToIncidents(context, (service) => service.answerEscalation(level, { action }), action === 'acknowledged' ? `${level} acknowledged` : `${level} snoozed for ${snooze}`);
}

function copy(context: CommandContext, which: 'update' | 'report'): void {
  const service = serviceOf(context);
  const state = context.store.getState();
  const texts = service?.texts();
  if (!service) return;
  if (!texts) {
    state.showStatus('no incident to copy (i declares one)', 'warning');
    return;
  }
  if (!context.clipboard) {
    state.showStatus('no clipboard: the cockpit is not on a terminal', 'warning');
    return;
  }
  const text = which === 'report' ? texts.report : (texts.resolved ?? texts.detected);
  const bytes = context.clipboard.copy(text);
  const what = which === 'report' ? 'the incident report' : texts.resolved ? 'the INCIDENT RESOLVED update' : 'the INCIDENT DETECTED update';
  state.showStatus(`copied ${what} (${bytes} bytes) to your clipboard through the terminal (OSC 52)`);
}

function editedForm(context: CommandContext): EditedForm | undefined {
  const form = context.store.getState().ui.incident.form;
  if (!form) return undefined;
  return {
    field: form.field,
    count: incidentFormFields(context.store.getState(), form.kind).length,
    focus: (field) => context.store.getState().setIncidentForm({ ...form, field }),
    inputId: 'incident-input',
    focusedValue: () => INCIDENT_FORM_INPUT.value(context.store.getState()),
  };
}

function cycleIncidentChoice(context: CommandContext, direction: 1 | -1): void {
  const state = context.store.getState();
  const form = state.ui.incident.form;
  const field = form && incidentFormFields(state, form.kind)[form.field];
  if (!form || !field) return;
  const cycled = cycleFormChoice(context, field.choices, form.values[field.name] ?? '', direction, (value) => INCIDENT_FORM_INPUT.apply(context.store.getState(), value), 'incident-input');
  if (!cycled) state.showStatus(`${field.label}: typed freely`);
}

/** What the form asks the service for, once every required field is written. */
function submitForm(context: CommandContext, form: IncidentForm): void {
  const state = context.store.getState();
  const value = (name: string): string => (form.values[name] ?? '').trim();
  switch (form.kind) {
    case 'declare':
      sendToIncidents(
        context,
        (service) => service.declare({ severity: value('severity'), title: value('title'), services: servicesFromText(state, value('services')), ...(value('impact') ? { impact: value('impact') } : {}) }),
        `incident declared: ${value('severity')} ${value('title')} (y copies the INCIDENT DETECTED update)`,
      );
      return;
    case 'note':
      sendToIncidents(context, (service) => service.note(value('text')), 'note journaled');
      return;
    case 'escalate': {
      const level = form.level ?? '';
      state.deferEscalation(undefined);
      sendToIncidents(context, (service) => service.answerEscalation(level, { action: 'escalated', contacted: value('contacted') }), `escalated to ${level}: ${value('contacted')}`);
      return;
    }
    case 'resolve':
      sendToIncidents(context, (service) => service.resolve({ rootCause: value('rootCause'), resolution: value('resolution'), prevention: value('prevention') }), 'incident resolved (y copies the INCIDENT RESOLVED update)');
  }
}

export const INCIDENT_COMMANDS = {
  'incident.open': (context) => {
    if (selectOpenIncident(context.store.getState())) context.store.getState().openIncidentScreen(true);
    else openDeclareForm(context);
  },
  'incident.note': (context) => {
    if (requireOpen(context)) openIncidentForm(context, { kind: 'note', field: 0, values: { text: '' } });
  },
  'incident.copy': (context) => copy(context, 'update'),
  'incident.copyReport': (context) => copy(context, 'report'),
  'incident.resolve': (context) => {
    if (requireOpen(context)) openIncidentForm(context, { kind: 'resolve', field: 0, values: { rootCause: '', resolution: '', prevention: '' } });
  },
  'incident.close': (context) => context.store.getState().openIncidentScreen(false),
  'escalation.acknowledge': (context) => answer(context, 'acknowledged'),
  'escalation.snooze': (context) => answer(context, 'snoozed'),
  'escalation.escalate': (context) => {
    const level = levelToAnswer(context);
    if (level !== undefined) openIncidentForm(context, { kind: 'escalate', field: 0, level, values: { contacted: '' } });
  },
  'escalation.later': (context) => {
    const level = selectDueLevel(context.store.getState());
    context.store.getState().deferEscalation(level);
    if (level !== undefined) context.store.getState().showStatus(`${level} is still due (the header says so; i shows the incident)`);
  },
  'incidentForm.submit': (context) => {
    const state = context.store.getState();
    const form = state.ui.incident.form;
    if (!form) return;
    const fields = incidentFormFields(state, form.kind);
    const missing = fields.find((field) => field.required && (form.values[field.name] ?? '').trim() === '');
    const badChoice = fields.find((field) => field.choices.length > 0 && !field.choices.includes((form.values[field.name] ?? '').trim()));
    if (missing || badChoice) {
      const problem = missing ? `${missing.label} is required` : `${badChoice!.label}: one of ${badChoice!.choices.join(', ')} (tab cycles them)`;
      state.setIncidentForm({ ...form, error: problem, field: fields.indexOf((missing ?? badChoice)!) });
      state.beginTextInput('incident-input', form.values[(missing ?? badChoice)!.name] ?? '');
      return;
    }
    state.setIncidentForm(undefined);
    state.endTextInput(true);
    submitForm(context, form);
  },
  'incidentForm.nextField': (context) => moveFormField(context, editedForm(context), 1),
  'incidentForm.previousField': (context) => moveFormField(context, editedForm(context), -1),
  'incidentForm.nextChoice': (context) => cycleIncidentChoice(context, 1),
  'incidentForm.previousChoice': (context) => cycleIncidentChoice(context, -1),
  'incidentForm.cancel': (context) => {
    const state = context.store.getState();
    state.setIncidentForm(undefined);
    state.endTextInput(false);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;

