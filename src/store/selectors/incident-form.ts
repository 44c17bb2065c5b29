// Incident mode for the views: the fields of each incident form (declare with the severities
// of the classification table, a note, who was contacted, resolve), the services preselected
// from the selection, the escalation schedule at the store's clock, the due level the cockpit
// asks about, and the incident's timeline from its records.

import { groupOf, type RefKey, type Workload } from '../../domain/types';
import { escalationSchedule, type EscalationSchedule } from '../../incident/escalation';
import type { Incident, IncidentConfig } from '../../incident/incident-types';
import { buildIncidentTimeline } from '../../incident/incident-timeline';
import type { IncidentForm, IncidentFormKind } from '../slices/incident-ui';
import type { OpsdeckState } from '../store-types';
import { memoizeLast } from './memoize';
import { selectTargetWorkloadKey } from './selection-targets';

export interface IncidentFormField {
  name: string;
  label: string;
  /** Values tab cycles through (empty: free text). */
  choices: readonly string[];
  required: boolean;
  description?: string;
}

const severityChoices = memoizeLast((config: IncidentConfig): string[] => config.classification.map((severity) => severity.id));

const FORM_TITLES: Record<IncidentFormKind, string> = {
  declare: 'Declare an incident',
  note: 'Note on the incident',
  escalate: 'Escalate',
  resolve: 'Resolve the incident',
};

export function incidentFormTitle(form: IncidentForm, state: Pick<OpsdeckState, 'incidentConfig'>): string {
  if (form.kind !== 'escalate') return FORM_TITLES[form.kind];
  const level = state.incidentConfig.escalation.find((candidate) => candidate.level === form.level);
  return level ? `Escalate to ${level.level}: ${level.role} (${level.contact})` : FORM_TITLES.escalate;
}

const fieldsOf = memoizeLast((config: IncidentConfig, kind: IncidentFormKind): IncidentFormField[] => {
  switch (kind) {
    case 'declare':
      return [
        {
          name: 'severity',
          label: 'severity',
          choices: severityChoices(config),
          required: true,
          description: config.classification.map((severity) => `${severity.id} ${severity.title} (${severity.responseTime})`).join(' · '),
        },
        { name: 'title', label: 'title', choices: [], required: true, description: 'what is broken, in a few words' },
        { name: 'services', label: 'services', choices: [], required: false, description: 'affected services, comma-separated (the selection is preselected)' },
        { name: 'impact', label: 'impact', choices: [], required: false, description: 'who or what is affected (the status update says it)' },
      ];
    case 'note':
      return [{ name: 'text', label: 'note', choices: [], required: true }];
    case 'escalate':
      return [{ name: 'contacted', label: 'contacted', choices: [], required: true, description: 'who was contacted, and how' }];
    case 'resolve':
      return [
        { name: 'rootCause', label: 'root cause', choices: [], required: true },
        { name: 'resolution', label: 'resolution', choices: [], required: false },
        { name: 'prevention', label: 'prevention', choices: [], required: false, description: 'written: the RESOLVED update says follow-up required' },
      ];
  }
});

export function incidentFormFields(state: Pick<OpsdeckState, 'incidentConfig'>, kind: IncidentFormKind): IncidentFormField[] {
  return fieldsOf(state.incidentConfig, kind);
}

/** `local/shop/api`: engine, project or namespace, service. */
export function serviceLabel(workload: Pick<Workload, 'ref'>): string {
  return `${workload.ref.engineId}/${groupOf(workload)}/${workload.ref.name}`;
}

/** The selected row's service, preselected in the declare form. */
export function selectedServiceLabel(state: OpsdeckState): string {
  const key = selectTargetWorkloadKey(state);
  const workload = key === undefined ? undefined : state.workloads[key];
  return workload ? serviceLabel(workload) : '';
}

/** The services typed (comma-separated), each with its ref key when it names a live service. */
export function servicesFromText(state: Pick<OpsdeckState, 'workloads'>, text: string): Incident['services'] {
  const byLabel = new Map<string, RefKey>(Object.entries(state.workloads).map(([key, workload]) => [serviceLabel(workload), key as RefKey]));
  return text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '')
    .map((label) => {
      const key = byLabel.get(label);
      return key === undefined ? { label } : { label, key };
    });
}

/** The open incident (a resolved one is kept in the store for its texts, but nothing is open). */
export function selectOpenIncident(state: Pick<OpsdeckState, 'incident'>): Incident | undefined {
  return state.incident && state.incident.resolvedAt === undefined ? state.incident : undefined;
}

const scheduleAt = memoizeLast((incident: Incident, config: IncidentConfig, now: number): EscalationSchedule => escalationSchedule(incident, config, now));

/** The open incident's schedule at `now` (the header passes the store's clock). */
export function selectEscalationSchedule(state: Pick<OpsdeckState, 'incident' | 'incidentConfig'>, now: number): EscalationSchedule | undefined {
  const incident = selectOpenIncident(state);
  return incident ? scheduleAt(incident, state.incidentConfig, now) : undefined;
}

/** The level the cockpit asks about (its id): the first the service marked due, unless the operator put it off. */
export function selectDueLevel(state: Pick<OpsdeckState, 'incident' | 'ui'>): string | undefined {
  return selectOpenIncident(state)?.escalations.find((status) => status.state === 'due' && status.level !== state.ui.incident.deferredLevel)?.level;
}

/** The first level marked due, put off or not (the incident screen answers it). */
export function selectAnyDueLevel(state: Pick<OpsdeckState, 'incident'>): string | undefined {
  return selectOpenIncident(state)?.escalations.find((status) => status.state === 'due')?.level;
}

export const selectIncidentTimeline = memoizeLast((records: OpsdeckState['incidentRecords']) => buildIncidentTimeline(records));
