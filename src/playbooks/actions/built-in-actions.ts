// Every action the shipped playbooks can use. The Kubernetes and gates work adds theirs here.

import { createActionRegistry, type ActionRegistry, type PlaybookActionDefinition } from './action-registry';
import { CONTAINER_LIFECYCLE_ACTIONS } from './container-actions';
import { SERVICE_ACTIONS } from './service-actions';

export const BUILT_IN_ACTIONS: ReadonlyArray<PlaybookActionDefinition<never>> = [
  ...CONTAINER_LIFECYCLE_ACTIONS,
  ...SERVICE_ACTIONS,
];

export function createBuiltInActionRegistry(): ActionRegistry {
  return createActionRegistry(BUILT_IN_ACTIONS);
}
