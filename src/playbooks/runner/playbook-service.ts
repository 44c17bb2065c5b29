// The playbooks side of the runtime: starts runs of catalog playbooks, resumes dead ones from
// their journals, approves other operators' steps, and keeps the runs slice's catalog,
// unfinished runs and pending approvals current. The views and the CLI only call this.

import type { HostCommands } from '../../adapters/host/host-commands';
import type { ActionExecutor } from '../../domain/engine-action';
import { listRuns, findRun, readJournal } from '../../journal/journal-reader';
import type { OperatorIdentity, RunVerdict } from '../../journal/journal-types';
import { newRunId } from '../../journal/journal-writer';
import type { OpsdeckStore } from '../../store/create-opsdeck-store';
import type { ActionRegistry } from '../actions/action-registry';
import type { Playbook, PlaybookCatalog } from '../playbook-types';
import type { PendingApproval, PlaybookService, RunControl, StartRunOptions } from '../run-types';
import type { PlaybookSummary } from '../../store/slices/runs-slice';
import { planResume, ResumeError } from './resume-plan';
import { PlaybookRun } from './run-machine';
import type { Approvals, Journals, RunnerDependencies, TargetLocks } from './runner-dependencies';

export interface PlaybookServiceOptions {
  store: OpsdeckStore;
  executor: ActionExecutor;
  host: HostCommands;
  registry: ActionRegistry;
  /** Reads the playbook directories (loadPlaybookCatalog over playbookDirectories). */
  loadCatalog(): Promise<PlaybookCatalog>;
  /** Where journals are written and found ($XDG_STATE_HOME/opsdeck/runs). */
  journalDirectory: string;
  journals: Journals;
  locks: TargetLocks;
  approvals: Approvals;
  operator: OperatorIdentity;
  readOnly: boolean;
  /** The runtime's --dry-run: the default of every run (the wizard's `d` toggles one run). */
  dryRun: boolean;
  now?: () => number;
  pauseAfterIntentMs?: number;
}

export interface RunnablePlaybookService extends PlaybookService {
  /** The catalog as last loaded (refresh() reads it again). */
  catalog(): PlaybookCatalog;
  /** Polls pending approvals into the store until close() (the cockpit). */
  watchApprovals(intervalMs?: number): void;
}

export class PlaybookServiceError extends Error {}

function summaryOf(playbook: Playbook): PlaybookSummary {
  return {
    id: playbook.id,
    title: playbook.title,
    description: playbook.description,
    tags: playbook.tags,
    file: playbook.file,
    inputs: playbook.inputs.map((input) => ({ name: input.name, type: input.type, required: input.required })),
    suggest: playbook.suggest,
  };
}

export function createPlaybookService(options: PlaybookServiceOptions): RunnablePlaybookService {
  const now = options.now ?? Date.now;
  const runs = new Map<string, PlaybookRun>();
  let catalog: PlaybookCatalog = { playbooks: [], invalid: [], directories: [] };
  let approvalsTimer: NodeJS.Timeout | undefined;
  let lastApprovals = '';
  let refreshing: Promise<void> | undefined;
  const dependencies: RunnerDependencies = {
    store: options.store,
    executor: options.executor,
    host: options.host,
    registry: options.registry,
    journals: options.journals,
    locks: options.locks,
    approvals: options.approvals,
    operator: options.operator,
    readOnly: options.readOnly,
    runsDirectory: options.journalDirectory,
    now,
    ...(options.pauseAfterIntentMs ? { pauseAfterIntentMs: options.pauseAfterIntentMs } : {}),
  };

  const publishUnfinished = (): void => {
    const unfinished = listRuns(options.journalDirectory).filter((run) => run.unfinished && !run.running && !runs.has(run.runId));
    options.store.getState().unfinishedRunsFound(unfinished);
  };
  const publishApprovals = (): void => {
    const pending = options.approvals.pending();
    const fingerprint = JSON.stringify(pending.map((request) => [request.runId, request.stepId]));
    if (fingerprint === lastApprovals) return;
    lastApprovals = fingerprint;
    options.store.getState().approvalsChanged(pending);
  };
  const playbookById = (playbookId: string): Playbook => {
    const playbook = catalog.playbooks.find((candidate) => candidate.id === playbookId);
    if (playbook) return playbook;
    const invalid = catalog.invalid.find((candidate) => candidate.id === playbookId);
    throw new PlaybookServiceError(invalid ? invalid.error : `no playbook ${playbookId} (in ${catalog.directories.join(', ') || 'no directory'})`);
  };
  const track = (run: PlaybookRun): PlaybookRun => {
    runs.set(run.runId, run);
    options.store.getState().setActiveRun(run.runId);
    return run;
  };
  const onEnded = (): void => {
    try {
      publishUnfinished();
    } catch {
      // The listing is a convenience; a run's end must not fail on it.
    }
  };

  return {
    catalog: () => catalog,
    refresh() {
      // Callers at the same moment (the runtime's start, the headless command) share one read.
      refreshing ??= (async () => {
        try {
          catalog = await options.loadCatalog();
          options.store.getState().catalogLoaded({ playbooks: catalog.playbooks.map(summaryOf), invalid: catalog.invalid });
          publishUnfinished();
          publishApprovals();
        } finally {
          refreshing = undefined;
        }
      })();
      return refreshing;
    },
    start(playbookId: string, startOptions: StartRunOptions = {}): RunControl {
      const playbook = playbookById(playbookId);
      return track(
        new PlaybookRun(dependencies, {
          playbook,
          runId: newRunId(now()),
          dryRun: startOptions.dryRun ?? options.dryRun,
          assumeYes: startOptions.assumeYes ?? false,
          unattended: startOptions.unattended ?? false,
          ...(startOptions.inputs ? { inputs: startOptions.inputs } : {}),
          onEnded,
        }),
      );
    },
    control: (runId) => runs.get(runId),
    resume(runId: string, resumeOptions: Pick<StartRunOptions, 'assumeYes' | 'unattended'> = {}): RunControl {
      const live = runs.get(runId);
      if (live && !live.ended) return live;
      const summary = findRun(options.journalDirectory, runId);
      if (!summary) throw new PlaybookServiceError(`no run ${runId} in ${options.journalDirectory}`);
      if (!summary.unfinished) throw new PlaybookServiceError(`run ${summary.runId} ended (${summary.verdict ?? 'no verdict'}); nothing to resume`);
      if (summary.running) throw new PlaybookServiceError(`run ${summary.runId} is still running in another process`);
      const playbook = playbookById(summary.playbookId);
      const writer = options.journals.continue(summary.path);
      let plan;
      try {
        // Read after continuing: a torn last line has been cut (and the cut journaled).
        plan = planResume(readJournal(summary.path).records, playbook, writer);
      } catch (error) {
        writer.close();
        throw error instanceof ResumeError ? new PlaybookServiceError(error.message) : error;
      }
      return track(
        new PlaybookRun(dependencies, {
          playbook,
          runId: summary.runId,
          dryRun: plan.dryRun,
          assumeYes: resumeOptions.assumeYes ?? false,
          unattended: resumeOptions.unattended ?? false,
          resume: plan,
          onEnded,
        }),
      );
    },
    approve(runId: string, stepId?: string) {
      const result = options.approvals.approve({ runId, ...(stepId !== undefined ? { stepId } : {}), approver: options.operator.operator });
      publishApprovals();
      return result.reason !== undefined ? { accepted: result.accepted, reason: result.reason } : { accepted: result.accepted };
    },
    pendingApprovals: (): readonly PendingApproval[] => options.approvals.pending(),
    watchApprovals(intervalMs = 2000) {
      clearInterval(approvalsTimer);
      approvalsTimer = setInterval(() => {
        try {
          publishApprovals();
        } catch {
          // The shared directory may be briefly unreadable; the next poll tries again.
        }
      }, intervalMs);
      approvalsTimer.unref();
    },
    async close() {
      clearInterval(approvalsTimer);
      const live = [...runs.values()];
      for (const run of live) run.suspend();
      await Promise.all(live.map((run) => run.finished.catch((): RunVerdict => 'aborted')));
    },
  };
}
