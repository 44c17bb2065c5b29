// The playbook service as the runtime builds it: the shipped and the user's playbook
// directories, the built-in actions, host commands, the journal under $XDG_STATE_HOME, and
// the host-wide locks and approvals in the shared directory.

import path from 'node:path';
import { createHostCommands } from '../adapters/host/create-host-commands';
import type { ActionExecutor } from '../domain/engine-action';
import { approve, pendingApprovals, requestApproval, waitForApproval, withdrawApproval } from '../journal/approvals';
import { currentOperator } from '../journal/operator-identity';
import { opsdeckStateDirectory } from '../journal/state-directory';
import { acquireTargetLock, takeOverTargetLock } from '../journal/target-locks';
import { continueJournal, createJournal } from '../journal/journal-writer';
import { createBuiltInActionRegistry } from '../playbooks/actions/built-in-actions';
import { loadPlaybookCatalog, playbookDirectories } from '../playbooks/load-playbooks';
import { createPlaybookService, type RunnablePlaybookService } from '../playbooks/runner/playbook-service';
import type { OpsdeckStore } from '../store/create-opsdeck-store';

export interface RuntimePlaybookOptions {
  store: OpsdeckStore;
  executor: ActionExecutor;
  readOnly: boolean;
  dryRun: boolean;
  /** --playbooks DIR (after the shipped library, ./playbooks and the user's config directory). */
  extraDirectories?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Crash tests need a window between a step's durable intent and its call; honoured only under
 * NODE_ENV=test, so an operator's environment cannot slow a real run down.
 */
function pauseAfterIntentMs(env: NodeJS.ProcessEnv): number | undefined {
  if (env['NODE_ENV'] !== 'test') return undefined;
  const value = Number(env['OPSDECK_TEST_PAUSE_AFTER_INTENT']);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function createRuntimePlaybooks(options: RuntimePlaybookOptions): RunnablePlaybookService {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const registry = createBuiltInActionRegistry();
  // Not created here (createJournal does it): `opsdeck status` builds a runtime too.
  const journalDirectory = path.join(opsdeckStateDirectory(env), 'runs');
  const pause = pauseAfterIntentMs(env);
  return createPlaybookService({
    store: options.store,
    executor: options.executor,
    host: createHostCommands({ readOnly: options.readOnly }),
    registry,
    loadCatalog: () => loadPlaybookCatalog({ directories: playbookDirectories({ cwd, env, extra: options.extraDirectories ?? [] }), registry, cwd }),
    journalDirectory,
    journals: { create: (runId) => createJournal({ directory: journalDirectory, runId }), continue: continueJournal },
    locks: { acquire: (target, holder) => acquireTargetLock(target, holder), takeOver: (target, holder) => takeOverTargetLock(target, holder) },
    approvals: {
      request: (request) => requestApproval(request),
      wait: (waitOptions) => waitForApproval(waitOptions),
      withdraw: (runId, stepId) => withdrawApproval(runId, stepId),
      approve: (approveOptions) => approve(approveOptions),
      pending: () => pendingApprovals(),
    },
    operator: currentOperator(env),
    readOnly: options.readOnly,
    dryRun: options.dryRun,
    ...(pause ? { pauseAfterIntentMs: pause } : {}),
  });
}
