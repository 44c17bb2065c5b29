// The run of one validated playbook: awaiting-input -> ready -> running -> passed, failed,
// aborted or rolled-back. Steps go through step-visit.ts; the operator's controls settle the
// waits (operator-waits.ts); every effect is journaled and every transition published to the
// store, which the views and the headless twin only render.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { JournalRecordBody, JournalWriter, RunVerdict, StepVerdict } from '../../journal/journal-types';
import { utcStamp } from '../../domain/utc-stamp';
import type { InputValues, Playbook, PlaybookStep } from '../playbook-types';
import type { RunAwaiting, RunControl } from '../run-types';
import { validateInputs } from '../input-values';
import { liveResolverOf } from './live-inputs';
import { OperatorWaits, type OperatorAnswer } from './operator-waits';
import { RunSuspended, type RunInternals, type StepVisit } from './run-internals';
import { RunViewState, type Phase } from './run-view-state';
import type { RunnerDependencies, StepScope, TemplateScope } from './runner-dependencies';
import { runExecutor } from './step-attempt';
import { MAX_VISITS_PER_STEP, nextMove } from './step-flow';
import { endWithoutCall, visitStep } from './step-visit';
import { runRollback } from './rollback-flow';
import { summaryOf } from './run-summary';
import type { ResumePlan } from './resume-plan';
import { continueFromObservation } from './resume-run';

export interface RunSetup {
  playbook: Playbook;
  runId: string;
  dryRun: boolean;
  assumeYes: boolean;
  unattended: boolean;
  inputs?: Readonly<Record<string, string>>;
  /** A dead run picked up again (resume-plan.ts). */
  resume?: ResumePlan;
  onEnded?(runId: string): void;
}

type RunEnd = { verdict: RunVerdict; reason?: string };

export class PlaybookRun implements RunControl, RunInternals {
  readonly runId: string;
  readonly playbook: Playbook;
  readonly view: RunViewState;
  readonly runDirectory: string;
  readonly assumeYes: boolean;
  readonly unattended: boolean;
  readonly executor;
  readonly finished: Promise<RunVerdict>;
  private readonly waits: OperatorWaits;
  private writer: JournalWriter | undefined;
  private inputValues: InputValues = {};
  private readonly stepScopes: Record<string, StepScope> = {};
  private readonly attemptCounts = new Map<string, number>();
  /** Main steps whose failure the run carried on past (`continue`): they make it failed. */
  private readonly carriedFailures = new Set<string>();
  private runOn = false;
  private dryRunNow: boolean;
  private stepController = new AbortController();
  private abortWanted = false;
  private suspended = false;
  private readonly startedAt: number;

  constructor(
    readonly dependencies: RunnerDependencies,
    private readonly setup: RunSetup,
  ) {
    this.runId = setup.runId;
    this.playbook = setup.playbook;
    this.assumeYes = setup.assumeYes;
    this.unattended = setup.unattended;
    this.dryRunNow = setup.dryRun;
    this.startedAt = setup.resume?.startedAt ?? dependencies.now();
    this.runDirectory = path.join(dependencies.runsDirectory, setup.runId);
    this.executor = runExecutor(dependencies.executor, () => this.dryRunNow);
    this.view = new RunViewState(dependencies.store, setup.playbook, dependencies.registry, {
      runId: setup.runId,
      operator: dependencies.operator.operator,
      dryRun: setup.dryRun,
      readOnly: dependencies.readOnly,
      startedAt: this.startedAt,
    });
    this.waits = new OperatorWaits((awaiting) => this.view.setAwaiting(awaiting));
    this.view.publish();
    this.finished = this.drive();
  }

  /** The run has its verdict (or was suspended): nothing more happens in it. */
  get ended(): boolean {
    return this.view.view.verdict !== undefined || this.suspended;
  }

  // --- RunInternals ---------------------------------------------------------------------

  scope(): TemplateScope {
    return { inputs: this.inputValues, steps: this.stepScopes, run: { id: this.runId, timestamp: utcStamp(this.startedAt), directory: this.runDirectory } };
  }

  setStepScope(stepId: string, scope: StepScope): void {
    this.stepScopes[stepId] = scope;
  }

  dryRun(): boolean {
    return this.dryRunNow;
  }

  journal(record: JournalRecordBody): void {
    this.writer?.append(record);
  }

  async wait(awaiting: RunAwaiting): Promise<OperatorAnswer> {
    // `a` runs on through the confirmations the operator answers yes (a no stops it: stepGuards).
    if (awaiting.kind !== 'next-step' && awaiting.kind !== 'inputs' && awaiting.kind !== 'confirm' && awaiting.kind !== 'approval') this.runOn = false;
    const wasRunning = this.view.view.status === 'running';
    if (wasRunning) this.view.view.status = 'paused';
    const answer = await this.waits.next(awaiting);
    this.checkSuspended();
    if (this.view.view.status === 'paused' || this.view.view.status === 'ready') this.view.setStatus('running');
    return answer;
  }

  settle(answer: OperatorAnswer): boolean {
    return this.waits.answer(answer);
  }

  stepSignal(): AbortSignal {
    return this.stepController.signal;
  }

  abortRequested(): boolean {
    return this.abortWanted;
  }

  runsOn(): boolean {
    return this.runOn;
  }

  stopRunningOn(): void {
    this.runOn = false;
  }

  checkSuspended(): void {
    if (this.suspended) throw new RunSuspended();
  }

  nextAttempt(phase: Phase, stepId: string): number {
    const key = `${phase}/${stepId}`;
    const next = (this.attemptCounts.get(key) ?? 0) + 1;
    this.attemptCounts.set(key, next);
    return next;
  }

  // --- RunControl ----------------------------------------------------------------------

  submitInputs(values: Readonly<Record<string, string>>): void {
    this.waits.answer({ kind: 'inputs', values });
  }

  runNext(): void {
    this.waits.answer({ kind: 'run-next' });
  }

  runToNextStop(): void {
    this.runOn = true;
    this.waits.answer({ kind: 'run-next' });
  }

  skip(): void {
    this.waits.answer({ kind: 'skip' });
  }

  retry(): void {
    this.waits.answer({ kind: 'retry' });
  }

  abort(): void {
    if (this.waits.answer({ kind: 'abort' })) return;
    // A step is running (or between steps): stop it; the loop ends the run.
    this.abortWanted = true;
    this.stepController.abort(new Error('aborted by the operator'));
  }

  rollback(): void {
    this.waits.answer({ kind: 'rollback' });
  }

  toggleDryRun(): void {
    this.dryRunNow = !this.dryRunNow;
    this.view.view.dryRun = this.dryRunNow;
    this.journal({ type: 'note', text: `dry-run ${this.dryRunNow ? 'on' : 'off'} for the steps not run yet`, operator: this.dependencies.operator.operator });
    this.view.publish();
  }

  confirm(answer: boolean | string): void {
    this.waits.answer({ kind: 'confirm', answer });
  }

  choose(optionId: string): void {
    this.waits.answer({ kind: 'choose', optionId });
  }

  tick(itemIndex: number): void {
    const awaiting = this.waits.awaiting;
    if (awaiting?.kind !== 'checklist' || itemIndex < 0 || itemIndex >= awaiting.items.length) return;
    const ticked = awaiting.ticked.map((value, index) => (index === itemIndex ? !value : value));
    this.waits.update({ ...awaiting, ticked });
  }

  acknowledge(): void {
    const awaiting = this.waits.awaiting;
    if (awaiting?.kind === 'checklist' && !awaiting.ticked.every(Boolean)) return;
    this.waits.answer({ kind: 'acknowledge', ...(awaiting?.kind === 'checklist' ? { ticked: awaiting.ticked } : {}) });
  }

  takeOver(): void {
    this.waits.answer({ kind: 'take-over' });
  }

  /** Service shutdown: the run stops where it is, without an end record (resumable). */
  suspend(): void {
    this.suspended = true;
    this.stepController.abort(new RunSuspended());
    this.waits.answer({ kind: 'abort' });
  }

  // --- the run -------------------------------------------------------------------------

  ensureRunDirectory(): string {
    mkdirSync(this.runDirectory, { recursive: true, mode: 0o700 });
    return this.runDirectory;
  }

  private async drive(): Promise<RunVerdict> {
    let end: RunEnd;
    try {
      if (this.setup.resume) {
        end = await this.resumeRun(this.setup.resume);
      } else {
        const inputs = await this.collectInputs();
        if (!inputs) return this.endWithoutJournal();
        this.openJournal(inputs);
        end = await this.mainFlow(0);
      }
    } catch (error) {
      if (error instanceof RunSuspended) return this.endSuspended();
      end = { verdict: 'failed', reason: `runner error: ${error instanceof Error ? error.message : String(error)}` };
    }
    return this.end(end);
  }

  private async collectInputs(): Promise<InputValues | undefined> {
    let raw: Readonly<Record<string, string>> = this.setup.inputs ?? {};
    for (;;) {
      const result = validateInputs(this.playbook.inputs, raw, liveResolverOf(this.dependencies.store.getState()));
      if ('values' in result) return result.values;
      const answer = await this.wait({ kind: 'inputs', inputs: this.playbook.inputs, values: raw, errors: result.errors });
      if (answer.kind !== 'inputs') return undefined;
      raw = answer.values;
    }
  }

  private openJournal(inputs: InputValues): void {
    this.inputValues = inputs;
    this.writer = this.dependencies.journals.create(this.runId);
    const { playbook } = this;
    this.journal({
      type: 'run-start',
      runId: this.runId,
      playbook: { id: playbook.id, title: playbook.title, file: playbook.file, sha256: playbook.sha256 },
      inputs: { ...inputs },
      dryRun: this.dryRunNow,
      readOnly: this.dependencies.readOnly,
      ...this.dependencies.operator,
    });
    Object.assign(this.view.view, { inputs, journalPath: this.writer.path, status: 'ready' });
    this.view.publish();
  }

  /** The main steps from `startIndex`, following each step's flow. */
  async mainFlow(startIndex: number, firstVisit?: () => Promise<StepVisit>): Promise<RunEnd> {
    const steps = this.playbook.steps;
    const visits = new Map<string, number>();
    let index = startIndex;
    let pendingFirst = firstVisit;
    while (index < steps.length) {
      const step = steps[index] as PlaybookStep;
      const count = (visits.get(step.id) ?? 0) + 1;
      visits.set(step.id, count);
      if (count > MAX_VISITS_PER_STEP) return { verdict: 'failed', reason: `step ${step.id} visited ${MAX_VISITS_PER_STEP} times: a goto loop` };
      this.view.view.currentStepId = step.id;
      const visit = pendingFirst ? await pendingFirst() : await visitStep(this, 'main', step, { stepping: !this.runOn });
      pendingFirst = undefined;
      this.checkSuspended();
      const handled = await this.afterVisit(step, visit);
      if (handled.kind === 'end') return handled.end;
      if (handled.kind === 'again') continue;
      if (handled.verdict === 'failed' && step.onFailure.kind === 'continue') this.carriedFailures.add(step.id);
      else this.carriedFailures.delete(step.id);
      const move = nextMove(steps, index, handled.verdict, handled.branch);
      if (move.kind === 'step') index = move.index;
      else if (move.kind === 'end') break;
      else if (move.kind === 'rollback') return this.rollbackFlow(move.reason);
      else return { verdict: 'failed', reason: move.reason };
    }
    return this.verdictOfMain();
  }

  /** Operator stops around a visit: the failure prompt, abort (offering the rollback). */
  private async afterVisit(step: PlaybookStep, visit: StepVisit): Promise<{ kind: 'end'; end: RunEnd } | { kind: 'again' } | { kind: 'move'; verdict: StepVerdict; branch?: string }> {
    if (visit.kind === 'again') return { kind: 'again' };
    if (visit.kind === 'rollback') return { kind: 'end', end: await this.rollbackFlow('rollback asked by the operator') };
    if (visit.kind === 'abort') return this.onAbort(step);
    const failedHere = visit.verdict === 'failed' && step.onFailure.kind === 'abort' && !this.unattended;
    if (!failedHere) return { kind: 'move', verdict: visit.verdict, ...(visit.branch ? { branch: visit.branch } : {}) };
    const answer = await this.wait({ kind: 'failure', stepId: step.id, error: visit.error ?? 'failed', canRollback: this.playbook.rollback.length > 0 });
    if (answer.kind === 'retry') return { kind: 'again' };
    if (answer.kind === 'skip') {
      endWithoutCall(this, 'main', step, 'skipped', `skipped by the operator after it failed: ${visit.error ?? 'failed'}`);
      return { kind: 'move', verdict: 'skipped' };
    }
    if (answer.kind === 'rollback') return { kind: 'end', end: await this.rollbackFlow(`step ${step.id} failed`) };
    return { kind: 'move', verdict: 'failed' };
  }

  private async onAbort(step: PlaybookStep): Promise<{ kind: 'end'; end: RunEnd } | { kind: 'again' } | { kind: 'move'; verdict: StepVerdict }> {
    const aborted: RunEnd = { verdict: 'aborted', reason: 'aborted by the operator' };
    const ranSomething = this.view.steps.some((view) => view.attempt > 0);
    if (this.playbook.rollback.length === 0 || !ranSomething || this.unattended) return { kind: 'end', end: aborted };
    this.resetAbort();
    const answer = await this.wait({ kind: 'failure', stepId: step.id, error: 'aborted by the operator: roll back?', canRollback: true });
    if (answer.kind === 'rollback') return { kind: 'end', end: await this.rollbackFlow('aborted by the operator') };
    if (answer.kind === 'retry') return { kind: 'again' };
    if (answer.kind === 'skip') return { kind: 'move', verdict: 'skipped' };
    return { kind: 'end', end: aborted };
  }

  resetAbort(): void {
    this.abortWanted = false;
    if (this.stepController.signal.aborted) this.stepController = new AbortController();
  }

  rollbackFlow(reason: string, startIndex = 0): Promise<RunEnd> {
    return runRollback(this, reason, startIndex);
  }

  /**
   * Steps that failed under `continue` and refused steps (read-only, forbidden) make the run failed; a
   * failure a `goto` handled is part of the flow.
   */
  private verdictOfMain(): RunEnd {
    const failed = this.view.steps.filter((step) => step.status === 'failed' && this.carriedFailures.has(step.id)).map((step) => step.id);
    const refused = this.view.steps.filter((step) => step.status === 'refused').map((step) => step.id);
    if (refused.length > 0) return { verdict: 'failed', reason: `not done: refused${this.dependencies.readOnly ? ' by read-only mode' : ''}: ${refused.join(', ')}` };
    if (failed.length > 0) return { verdict: 'failed', reason: `steps failed: ${failed.join(', ')}` };
    return { verdict: 'passed' };
  }

  private async resumeRun(plan: ResumePlan): Promise<RunEnd> {
    this.writer = plan.journal;
    this.inputValues = plan.inputs;
    for (const [key, count] of plan.attempts) this.attemptCounts.set(key, count);
    Object.assign(this.stepScopes, plan.stepScopes);
    Object.assign(this.view.view, { inputs: plan.inputs, journalPath: plan.journal.path, status: 'running' });
    for (const restored of plan.steps) {
      this.view.updateStep(restored.phase, restored.stepId, restored.change);
      const step = this.playbook.steps.find((candidate) => candidate.id === restored.stepId);
      if (restored.phase === 'main' && restored.change.status === 'failed' && step?.onFailure.kind === 'continue') this.carriedFailures.add(step.id);
    }
    this.view.view.resumed = true;
    return continueFromObservation(this, plan);
  }

  private endWithoutJournal(): RunVerdict {
    Object.assign(this.view.view, { status: 'aborted', verdict: 'aborted', endedAt: this.dependencies.now(), summary: 'aborted before it started (inputs)' });
    this.view.publish();
    this.setup.onEnded?.(this.runId);
    return 'aborted';
  }

  private endSuspended(): RunVerdict {
    this.writer?.close();
    this.view.publish();
    this.setup.onEnded?.(this.runId);
    return 'aborted';
  }

  private end(end: RunEnd): RunVerdict {
    const endedAt = this.dependencies.now();
    this.journal({ type: 'run-end', verdict: end.verdict, durationMs: endedAt - this.startedAt, ...(end.reason ? { reason: end.reason } : {}) });
    this.writer?.close();
    delete this.view.view.awaiting;
    delete this.view.view.currentStepId;
    const summary = summaryOf(end.verdict, end.reason, this.view.steps, this.view.rollbackSteps);
    Object.assign(this.view.view, { status: end.verdict, verdict: end.verdict, endedAt, summary });
    this.view.publish();
    this.setup.onEnded?.(this.runId);
    return end.verdict;
  }
}
