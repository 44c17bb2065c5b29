// The run as the store shows it: the runner changes its copy and publishes the whole view on
// each transition (output lines stream separately through the runs slice's `runOutput`).

import type { OpsdeckStore } from '../../store/create-opsdeck-store';
import type { ActionRegistry } from '../actions/action-registry';
import type { Playbook, PlaybookStep } from '../playbook-types';
import type { RunAwaiting, RunStatus, RunView, StepStatus, StepView } from '../run-types';
import { mutatesAsWritten } from './step-params';

type Mutable<T> = { -readonly [Key in keyof T]: T[Key] };
export type Phase = StepView['phase'];

function stepViewOf(step: PlaybookStep, phase: Phase, registry: ActionRegistry): Mutable<StepView> {
  return {
    id: step.id,
    title: step.title,
    action: step.action,
    phase,
    mutates: mutatesAsWritten(step, registry.get(step.action)),
    status: 'pending',
    attempt: 0,
    calls: [],
    output: [],
    outputLineCount: 0,
  };
}

export class RunViewState {
  readonly view: Mutable<Omit<RunView, 'steps' | 'rollbackSteps' | 'refusedSteps'>>;
  readonly steps: Array<Mutable<StepView>>;
  readonly rollbackSteps: Array<Mutable<StepView>>;
  readonly refusedSteps: string[] = [];

  constructor(
    private readonly store: OpsdeckStore,
    playbook: Playbook,
    registry: ActionRegistry,
    base: { runId: string; operator: string; dryRun: boolean; readOnly: boolean; startedAt: number },
  ) {
    this.view = { ...base, playbookId: playbook.id, title: playbook.title, status: 'awaiting-input', inputs: {} };
    this.steps = playbook.steps.map((step) => stepViewOf(step, 'main', registry));
    this.rollbackSteps = playbook.rollback.map((step) => stepViewOf(step, 'rollback', registry));
  }

  step(phase: Phase, stepId: string): Mutable<StepView> {
    const found = (phase === 'main' ? this.steps : this.rollbackSteps).find((step) => step.id === stepId);
    if (!found) throw new Error(`no ${phase} step ${stepId}`);
    return found;
  }

  /** Changes one step and publishes. */
  updateStep(phase: Phase, stepId: string, change: Partial<StepView> & { status?: StepStatus }): void {
    Object.assign(this.step(phase, stepId), change);
    if (change.status === 'refused' && !this.refusedSteps.includes(stepId)) this.refusedSteps.push(stepId);
    this.publish();
  }

  /** A new attempt starts with no output (the store drops the old attempt's lines). */
  startAttempt(phase: Phase, stepId: string, attempt: number, calls: readonly string[], now: number): void {
    const step = this.step(phase, stepId);
    step.attempt = attempt;
    step.calls = calls;
    step.status = 'running';
    step.startedAt = now;
    step.output = [];
    step.outputLineCount = 0;
    delete step.durationMs;
    delete step.detail;
    delete step.progress;
    this.publish();
  }

  setStatus(status: RunStatus): void {
    this.view.status = status;
    this.publish();
  }

  setAwaiting(awaiting: RunAwaiting | undefined): void {
    if (awaiting) this.view.awaiting = awaiting;
    else delete this.view.awaiting;
    this.publish();
  }

  snapshot(): RunView {
    return {
      ...this.view,
      steps: this.steps.map((step) => ({ ...step })),
      rollbackSteps: this.rollbackSteps.map((step) => ({ ...step })),
      refusedSteps: [...this.refusedSteps],
    };
  }

  publish(): void {
    this.store.getState().runChanged(this.snapshot());
  }
}
