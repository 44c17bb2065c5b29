// What the step code shares with the run that owns it (run-machine.ts builds it).

import type { ActionExecutor } from '../../domain/engine-action';
import type { JournalRecordBody, StepVerdict } from '../../journal/journal-types';
import type { Playbook } from '../playbook-types';
import type { RunAwaiting } from '../run-types';
import type { OperatorAnswer } from './operator-waits';
import type { RunnerDependencies, StepScope, TemplateScope } from './runner-dependencies';
import type { Phase, RunViewState } from './run-view-state';

/** The run stopped without ending (service closed): the journal stays resumable. */
export class RunSuspended extends Error {
  constructor() {
    super('run suspended');
  }
}

/** How a step visit ended for the loop that drives the steps. */
export type StepVisit =
  | { kind: 'done'; verdict: StepVerdict; branch?: string; error?: string }
  | { kind: 'abort' }
  | { kind: 'rollback' }
  /** Visit the same step again (retry after a failure, a declined confirmation). */
  | { kind: 'again' };

export interface RunInternals {
  readonly dependencies: RunnerDependencies;
  readonly playbook: Playbook;
  readonly runId: string;
  readonly view: RunViewState;
  readonly runDirectory: string;
  readonly assumeYes: boolean;
  /** No operator at hand (headless without a terminal): what needs one fails instead of waiting. */
  readonly unattended: boolean;
  /** Engine calls with the run's dry-run applied. */
  readonly executor: ActionExecutor;
  scope(): TemplateScope;
  /** The run's artefact directory, created when a step names it. */
  ensureRunDirectory(): string;
  setStepScope(stepId: string, scope: StepScope): void;
  dryRun(): boolean;
  journal(record: JournalRecordBody): void;
  /** Shows `awaiting` and waits for the fitting answer; a stop for the operator ends run-on. */
  wait(awaiting: RunAwaiting): Promise<OperatorAnswer>;
  /** Settles the current wait from the runner's side (an approval arrived, a held lock came free). */
  settle(answer: OperatorAnswer): boolean;
  /** Aborted when the operator aborts (or the service closes) while a step runs. */
  stepSignal(): AbortSignal;
  abortRequested(): boolean;
  /** After an abort was handled (the rollback offered): steps may run again. */
  resetAbort(): void;
  /** The operator asked to run on to the next stop (`a`): steps do not wait for enter. */
  runsOn(): boolean;
  /** A confirmation answered no: `a` stops running on there. */
  stopRunningOn(): void;
  /** Throws RunSuspended when the service is closing. */
  checkSuspended(): void;
  nextAttempt(phase: Phase, stepId: string): number;
}
