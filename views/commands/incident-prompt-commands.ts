// Incident mode's `:` commands: `:incident [SEVERITY] [title]` opens the declare form with what
// was given (with an incident open: its screen); `:severity SEVERITY` re-classifies the open
// incident (journaled, so the timeline and report show the change). Severities are completed
// from the classification table.

import { selectOpenIncident } from '../../src/store/selectors/incident-form';
import type { OpsdeckState } from '../../src/store/store-types';
import { openDeclareForm, sendToIncidents } from '../keys/incident-commands';
import type { RegisteredCommand } from './command-registry';

/** "P1 checkout down" -> severity P1, title "checkout down"; a first word that is not a severity starts the title. */
export function parseIncidentArguments(state: Pick<OpsdeckState, 'incidentConfig'>, text: string | undefined): { severity?: string; title?: string } {
  if (text === undefined) return {};
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const severity = state.incidentConfig.classification.find((candidate) => candidate.id.toLowerCase() === first.toLowerCase())?.id;
  const title = (severity ? rest.join(' ') : text.trim()).trim();
  return { ...(severity ? { severity } : {}), ...(title !== '' ? { title } : {}) };
}

export const INCIDENT_PROMPT_COMMANDS: readonly RegisteredCommand[] = [
  {
    name: 'incident',
    aliases: [],
    description: 'declare an incident (or show it)',
    argument: { name: '[P1 title]', optional: true, complete: (state) => state.incidentConfig.classification.map((severity) => severity.id) },
    key: 'incident.open',
    run(context, argument) {
      const state = context.store.getState();
      if (selectOpenIncident(state)) {
        state.openIncidentScreen(true);
        return;
      }
      openDeclareForm(context, parseIncidentArguments(state, argument));
    },
  },
  {
    name: 'severity',
    aliases: [],
    description: 'change the open incident\'s severity',
    argument: { name: '<P0>', optional: false, complete: (state) => state.incidentConfig.classification.map((severity) => severity.id) },
    run(context, argument) {
      const state = context.store.getState();
      const incident = selectOpenIncident(state);
      if (!incident) {
        state.showStatus('no incident is open (i declares one)', 'warning');
        return;
      }
      const severities = state.incidentConfig.classification.map((severity) => severity.id);
      const severity = severities.find((candidate) => candidate.toLowerCase() === (argument ?? '').toLowerCase());
      if (severity === undefined) {
        state.showStatus(`severity: give one of ${severities.join(', ')}`, 'error');
        return;
      }
      if (severity === incident.severity) {
        state.showStatus(`the incident is already ${severity}`);
        return;
      }
      sendToIncidents(context, (service) => service.changeSeverity(severity), `severity ${incident.severity} -> ${severity}`);
    },
  },
];
