// Every action the shipped playbooks can use: containers and compose services, Kubernetes
// workloads and pods (k8s.*), reports, files, host commands, interactive steps, waits.

import { createActionRegistry, type ActionRegistry, type PlaybookActionDefinition } from './action-registry';
import { ARCHIVE_ACTIONS } from './archive-actions';
import { CONTAINER_LIFECYCLE_ACTIONS } from './container-actions';
import { CONTAINER_READ_ACTIONS } from './container-read-actions';
import { EVIDENCE_ACTIONS } from './evidence-action';
import { FILE_ACTIONS } from './file-actions';
import { HOST_ACTIONS } from './host-actions';
import { INTERACTIVE_ACTIONS } from './interactive-actions';
import { KUBERNETES_LOG_ACTIONS } from './kubernetes-logs-action';
import { KUBERNETES_POD_ACTIONS } from './kubernetes-pod-actions';
import { KUBERNETES_READ_ACTIONS } from './kubernetes-read-actions';
import { KUBERNETES_ROLLOUT_ACTIONS } from './kubernetes-rollout-actions';
import { SERVICE_ACTIONS } from './service-actions';
import { STATUS_ACTIONS } from './status-actions';
import { createWaitUntilAction } from './wait-action';

export const BUILT_IN_ACTIONS: ReadonlyArray<PlaybookActionDefinition<never>> = [
  ...CONTAINER_LIFECYCLE_ACTIONS,
  ...CONTAINER_READ_ACTIONS,
  ...ARCHIVE_ACTIONS,
  ...SERVICE_ACTIONS,
  ...KUBERNETES_READ_ACTIONS,
  ...KUBERNETES_LOG_ACTIONS,
  ...KUBERNETES_ROLLOUT_ACTIONS,
  ...KUBERNETES_POD_ACTIONS,
  ...STATUS_ACTIONS,
  ...EVIDENCE_ACTIONS,
  ...FILE_ACTIONS,
  ...HOST_ACTIONS,
  ...INTERACTIVE_ACTIONS,
  // wait.until repeats any action of this list (looked up when it runs, so later entries count).
  createWaitUntilAction((name) => BUILT_IN_ACTIONS.find((definition) => definition.name === name) as PlaybookActionDefinition<Record<string, unknown>> | undefined),
];

export function createBuiltInActionRegistry(): ActionRegistry {
  return createActionRegistry(BUILT_IN_ACTIONS);
}
