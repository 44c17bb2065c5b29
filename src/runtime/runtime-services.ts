// The runtime's services that the first frame does not need: the playbook runner (with its
// built-in actions, journal and approvals), incident mode and the gate checks. The runtime
// loads this module by a dynamic import (its own chunk in the bundle), so the engines start and
// the first frame is drawn before this code is compiled (src/runtime/deferred-services.ts).

import path from 'node:path';
import type { OpsdeckConfig } from '../config/schema';
import type { ActionExecutor } from '../domain/engine-action';
import { createGateCheckers } from '../gates/checks/checker-registry';
import type { GateScheduler } from '../gates/gate-types';
import { currentOperator } from '../journal/operator-identity';
import { incidentsDirectory, opsdeckStateDirectory } from '../journal/state-directory';
import type { RunnablePlaybookService } from '../playbooks/runner/playbook-service';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import { createGateScheduler } from './gate-scheduler';
import { createIncidentService, type RuntimeIncidentService } from './incident-service';
import { createRuntimePlaybooks } from './runtime-playbooks';
import type { SourcePollers } from './source-pollers';

export interface RuntimeServices {
  playbooks: RunnablePlaybookService;
  incidents: RuntimeIncidentService;
  gates: GateScheduler;
}

export interface RuntimeServicesInput {
  store: OpsdeckStore;
  executor: ActionExecutor;
  config: OpsdeckConfig;
  readOnly: boolean;
  dryRun: boolean;
  playbookDirectories: readonly string[];
  env: NodeJS.ProcessEnv;
  now?: () => number;
  sources: SourcePollers;
}

/** Builds the services; nothing is read, created or timed until the runtime starts them. */
export function createRuntimeServices(input: RuntimeServicesInput): RuntimeServices {
  const { store, executor, config, env, sources } = input;
  const playbooks = createRuntimePlaybooks({ store, executor, readOnly: input.readOnly, dryRun: input.dryRun, extraDirectories: input.playbookDirectories, env });
  const incidents = createIncidentService({
    store,
    config: config.incident,
    directory: incidentsDirectory(env),
    runsDirectory: path.join(opsdeckStateDirectory(env), 'runs'),
    operator: currentOperator(env).operator,
    ...(input.now ? { now: input.now } : {}),
  });
  const gates = createGateScheduler({
    store,
    specs: config.gates.specs,
    checkers: createGateCheckers(),
    context: { executor, ...(sources.prometheus ? { prometheus: sources.prometheus } : {}), ...(sources.alertmanager ? { alertmanager: sources.alertmanager } : {}) },
  });
  return { playbooks, incidents, gates };
}
