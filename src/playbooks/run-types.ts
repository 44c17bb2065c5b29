// A playbook run as the store holds it and the views render it (written by the runner only),
// and the controls the views call. Views never drive steps themselves: they send intents.

import type { PlaybookInput } from './playbook-types';
import type { RunVerdict } from '../journal/journal-types';

export type StepStatus =
  | 'pending'
  | 'awaiting-confirmation'
  | 'awaiting-approval'
  | 'awaiting-operator' // decision or checklist
  | 'running'
  | 'passed'
  | 'failed'
  | 'skipped'
  | 'refused'
  | 'would-do';

export interface StepView {
  id: string;
  title: string;
  action: string;
  phase: 'main' | 'rollback';
  mutates: boolean;
  status: StepStatus;
  attempt: number;
  /** The rendered exact call(s), one line each ("POST /containers/3f2a/restart?t=10"). */
  calls: readonly string[];
  startedAt?: number;
  durationMs?: number;
  /** "attempt 3/20, 12 s left". */
  progress?: string;
  /** One line: why it failed, was refused or skipped. */
  detail?: string;
  /** The newest output lines (bounded: OUTPUT_LINES_KEPT), sanitised. */
  output: readonly string[];
  /** All lines seen, including the ones no longer kept. */
  outputLineCount: number;
}

export type RunAwaiting =
  | { kind: 'inputs'; inputs: readonly PlaybookInput[]; values: Readonly<Record<string, string>>; errors: Readonly<Record<string, string>> }
  /** Stepping: the next step is ready; enter runs it, `a` runs on to the next confirmation. */
  | { kind: 'next-step'; stepId: string }
  | { kind: 'confirm'; stepId: string; mode: 'yes-no' | 'type-target'; question: string; calls: readonly string[]; expected?: string }
  | { kind: 'approval'; stepId: string; requestedBy: string; question: string }
  | { kind: 'decision'; stepId: string; question: string; options: ReadonlyArray<{ id: string; label: string }> }
  | { kind: 'checklist'; stepId: string; instructions: string; items: readonly string[]; ticked: readonly boolean[] }
  | { kind: 'lock-held'; stepId: string; target: string; holder: { operator: string; runId: string; stepId: string } }
  /** After a failure: retry, skip, abort, or (when it has one) roll back. */
  | { kind: 'failure'; stepId: string; error: string; canRollback: boolean }
  /** Resume of a dead run: what was observed for the interrupted step. */
  | { kind: 'resume'; stepId: string; verdict: 'happened' | 'not-happened' | 'unknown'; detail: string };

export type RunStatus = 'awaiting-input' | 'ready' | 'running' | 'paused' | 'passed' | 'failed' | 'aborted' | 'rolled-back';

export interface RunView {
  runId: string;
  playbookId: string;
  title: string;
  status: RunStatus;
  verdict?: RunVerdict;
  dryRun: boolean;
  readOnly: boolean;
  startedAt: number;
  endedAt?: number;
  operator: string;
  inputs: Readonly<Record<string, string | number | boolean>>;
  steps: readonly StepView[];
  rollbackSteps: readonly StepView[];
  currentStepId?: string;
  awaiting?: RunAwaiting;
  /** Steps that could not run because of read-only mode, for the wizard's summary. */
  refusedSteps: readonly string[];
  journalPath?: string;
  /** Once ended: one line with the verdict, its reason and the step counts (refused steps named as not done). */
  summary?: string;
  /** A run picked up again by `resume` (its journal continued). */
  resumed?: boolean;
}

export const OUTPUT_LINES_KEPT = 2000;

/** What the views (and the headless twin) send to a run. Each returns at once; effects show in the store. */
export interface RunControl {
  readonly runId: string;
  /** The input form: values as typed; errors come back through `awaiting.errors`. */
  submitInputs(values: Readonly<Record<string, string>>): void;
  /** enter: run the step that is ready (or answer a resume observation by running it). */
  runNext(): void;
  /** a: run on until the next step that needs the operator (a confirmation, decision, checklist, failure). */
  runToNextStop(): void;
  skip(): void;
  retry(): void;
  /** x (after the view asked): abort; offers rollback when there is one. */
  abort(): void;
  rollback(): void;
  /** d: toggles dry-run for the steps not run yet. */
  toggleDryRun(): void;
  /** y/n or the typed name. */
  confirm(answer: boolean | string): void;
  choose(optionId: string): void;
  tick(itemIndex: number): void;
  /** Checklist done (every item ticked) or decision-free manual step acknowledged. */
  acknowledge(): void;
  /** Take over a lock held by another run (journaled). */
  takeOver(): void;
  /** Resolves with the verdict when the run ends. */
  readonly finished: Promise<RunVerdict>;
}

export interface StartRunOptions {
  /** Values already known (a suggestion's binding, `--input`, `:run id k=v`); the form shows the rest. */
  inputs?: Readonly<Record<string, string>>;
  dryRun?: boolean;
  /** Headless `--yes`: yes/no confirmations are answered yes (type-target and second-operator still are not). */
  assumeYes?: boolean;
  /**
   * No operator at hand (headless without a terminal): a step that needs one (a confirmation
   * --yes does not answer, a typed name, a second operator, a decision, a checklist, a held
   * lock) fails with the reason instead of waiting; failures follow their policy unasked.
   */
  unattended?: boolean;
}

/** A step waiting for a second operator, as `pendingApprovals()` lists it. */
export interface PendingApproval {
  runId: string;
  stepId: string;
  requestedBy: string;
  question: string;
  calls: readonly string[];
  requestedAt: number;
  host: string;
}

/** The playbooks side of the runtime, as the views and the CLI see it. */
export interface PlaybookService {
  /** Starts a run (journal opened, inputs form or first step ready) and makes it the active run. */
  start(playbookId: string, options?: StartRunOptions): RunControl;
  control(runId: string): RunControl | undefined;
  /** Continues a run that never ended (journal without run-end), observing its interrupted step. */
  resume(runId: string, options?: Pick<StartRunOptions, 'assumeYes' | 'unattended'>): RunControl;
  /** Approves another operator's step waiting for a second operator (`:approve`, `opsdeck approve`); refused for one's own step. */
  approve(runId: string, stepId?: string): { accepted: boolean; reason?: string };
  /** Steps of any run on this host waiting for a second operator (also published to the runs slice). */
  pendingApprovals(): readonly PendingApproval[];
  /** Reads the playbook directories, the unfinished runs and pending approvals (again) into the runs slice. */
  refresh(): Promise<void>;
  /** Stops every run's timers and waits (shutdown). Runs not ended stay resumable. */
  close(): Promise<void>;
}
