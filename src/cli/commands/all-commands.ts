// Commands in src/cli/commands/, each one line here; main.ts loads this list (a chunk of its own
// in the bundle) unless the arguments only open the cockpit.

import type { CommandRegistration } from '../cli-options';
import { registerApproveCommand } from './approve-command';
import { registerCheckCommand } from './check-command';
import { registerIncidentCommand } from './incident-command';
import { registerJournalCommand } from './journal-command';
import { registerPlaybooksCommand } from './playbooks-command';
import { registerResumeCommand } from './resume-command';
import { registerRunCommand } from './run-command';

export const COMMANDS: readonly CommandRegistration[] = [
  registerPlaybooksCommand,
  registerJournalCommand,
  registerApproveCommand,
  registerRunCommand,
  registerResumeCommand,
  registerCheckCommand,
  registerIncidentCommand,
];
