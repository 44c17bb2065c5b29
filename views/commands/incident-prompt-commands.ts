// Incident mode's `:` commands: `:incident [SEVERITY] [title]` opens the declare form with what
// was given (with an incident open: its screen), `:note <text>` journals a note at once. The
// severity is completed from the classification table.

import { selectOpenIncident } from '../../src/store/selectors/incident-form';
import type { OpsdeckState } from '../../src/store/store-types';
import { openDeclareForm, openIncidentForm, sendToIncidents } from '../keys/incident-commands';
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
    aliases: ['inc'],
    description: 'declare an incident: the form, with the severity and title given (one open: its timeline)',
    argument: { name: '[SEVERITY] [title]', optional: true, complete: (state) => state.incidentConfig.classification.map((severity) => severity.id) },
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
    name: 'note',
    aliases: [],
    description: 'journal a note on the open incident (no text: the note form)',
    argument: { name: '<text>', optional: true },
    key: 'incident.note',
    run(context, argument) {
      const state = context.store.getState();
      if (!selectOpenIncident(state)) {
        state.showStatus('no incident is open (i declares one)', 'warning');
        return;
      }
      if (argument === undefined) openIncidentForm(context, { kind: 'note', field: 0, values: { text: '' } });
      else sendToIncidents(context, (service) => service.note(argument), 'note journaled');
    },
  },
];
