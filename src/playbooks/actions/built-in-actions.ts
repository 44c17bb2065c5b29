// Every action the shipped playbooks can use. The Kubernetes and gates work adds theirs here.
// (Filled in by the playbook actions work: container.*, service.*, archive.*, shell.run, checks, interactive steps.)

import { createActionRegistry, type ActionRegistry, type PlaybookActionDefinition } from './action-registry';

export const BUILT_IN_ACTIONS: ReadonlyArray<PlaybookActionDefinition<never>> = [];

export function createBuiltInActionRegistry(): ActionRegistry {
  return createActionRegistry(BUILT_IN_ACTIONS);
}
