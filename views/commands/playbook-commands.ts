// The wizard's `:` commands: `:run <playbook> [name=value ...]` (no name: the picker) and
// `:approve <run-id>` (another operator's step waiting for a second operator). They send the
// same intents as the keys (keys/playbook-intents.ts).

import { openPicker } from '../keys/picker-commands';
import { startPlaybook } from '../keys/playbook-intents';
import type { RegisteredCommand } from './command-registry';

/** `name=value` words; a value may be quoted ('a b' or "a b"). */
const ASSIGNMENT = /^([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S*))(?:\s+|$)/;

/** "restart-service container=vault mode='soft stop'" -> the id and the inputs, or the word that is not name=value. */
export function parseRunArguments(text: string): { playbookId: string; inputs: Record<string, string> } | { error: string } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const playbookId = space < 0 ? trimmed : trimmed.slice(0, space);
  let rest = space < 0 ? '' : trimmed.slice(space).trimStart();
  const inputs: Record<string, string> = {};
  while (rest !== '') {
    const match = ASSIGNMENT.exec(rest);
    if (!match) return { error: `expected name=value, got ${JSON.stringify(rest.split(/\s/)[0])}` };
    inputs[match[1] as string] = match[2] ?? match[3] ?? match[4] ?? '';
    rest = rest.slice(match[0].length);
  }
  return { playbookId, inputs };
}

export const PLAYBOOK_COMMANDS: readonly RegisteredCommand[] = [
  {
    name: 'run',
    aliases: [],
    description: 'run a playbook (no name: p)',
    argument: { name: '<id> [k=v ...]', optional: true, complete: (state) => state.catalog.playbooks.map((playbook) => playbook.id) },
    key: 'picker.open',
    run(context, argument) {
      if (argument === undefined) {
        openPicker(context);
        return;
      }
      const state = context.store.getState();
      const parsed = parseRunArguments(argument);
      if ('error' in parsed) {
        state.showStatus(`:run: ${parsed.error}`, 'warning');
        return;
      }
      const invalid = state.catalog.invalid.find((entry) => entry.id === parsed.playbookId);
      if (invalid) {
        state.showStatus(`:run: invalid playbook: ${invalid.error}`, 'warning');
        return;
      }
      if (!state.catalog.playbooks.some((playbook) => playbook.id === parsed.playbookId)) {
        state.showStatus(`:run: no playbook "${parsed.playbookId}" (p lists them)`, 'warning');
        return;
      }
      startPlaybook(context, parsed.playbookId, parsed.inputs);
    },
  },
  {
    name: 'approve',
    aliases: [],
    description: "approve another's waiting step",
    argument: { name: '<run-id>', optional: false, complete: (state) => state.pendingApprovals.map((approval) => approval.runId) },
    run(context, argument) {
      const state = context.store.getState();
      if (argument === undefined) return;
      if (!context.playbooks) {
        state.showStatus('playbooks are not available in this session', 'warning');
        return;
      }
      const [runId = argument, stepId] = argument.split(/\s+/);
      // Approving is the service's decision (the same operator is refused there): the view only asks.
      const result = context.playbooks.approve(runId, stepId);
      if (result.accepted) state.showStatus(`approved the waiting step of run ${runId}`);
      else state.showStatus(`:approve: ${result.reason ?? 'refused'}`, 'warning');
    },
  },
];
