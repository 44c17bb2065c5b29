// Incident mode's `:` commands: `:incident [SEVERITY] [title]` opens the declare form with what
// was given (with an incident open: its screen). The severity is completed from the
// classification table.

import { selectOpenIncident } from '../../src/store/selectors/incident-form';
import type { OpsdeckState } from '../../src/store/store-types';
import { openDeclareForm } from '../keys/incident-commands';
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
];
