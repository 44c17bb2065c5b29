// A scripted playbook service for the wizard's view tests: it records every intent the views
// send and writes run views into the real store the way the runner does (runChanged,
// runOutput), so a test scripts what the run waits for and asserts what the keys sent.

import type { PlaybookInput, SuggestRule } from '../../src/playbooks/playbook-types';
import type { PlaybookService, RunAwaiting, RunControl, RunView, StartRunOptions, StepView } from '../../src/playbooks/run-types';
import type { RunVerdict } from '../../src/journal/journal-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import type { PlaybookSummary } from '../../src/store/slices/runs-slice';

export interface ScriptedPlaybook {
  id: string;
  title: string;
  description?: string;
  tags?: string[];
  suggest?: SuggestRule[];
  inputs?: PlaybookInput[];
  steps: Array<Pick<StepView, 'id' | 'title'> & Partial<StepView>>;
  rollback?: Array<Pick<StepView, 'id' | 'title'> & Partial<StepView>>;
}

export function input(name: string, type: PlaybookInput['type'], change: Partial<PlaybookInput> = {}): PlaybookInput {
  return { name, type, required: change.default === undefined, ...change };
}

function stepView(step: ScriptedPlaybook['steps'][number], phase: StepView['phase']): StepView {
  return { action: 'note', mutates: false, status: 'pending', attempt: 1, calls: [], output: [], outputLineCount: 0, ...step, phase };
}

export function summaryOf(playbook: ScriptedPlaybook): PlaybookSummary {
  return {
    id: playbook.id,
    title: playbook.title,
    description: playbook.description ?? `${playbook.title} (runbook section)`,
    tags: playbook.tags ?? [],
    file: `/playbooks/${playbook.id}.yaml`,
    inputs: (playbook.inputs ?? []).map((entry) => ({ name: entry.name, type: entry.type, required: entry.required })),
    ...(playbook.suggest ? { suggest: playbook.suggest } : {}),
  };
}

/** The errors the double's runner gives for typed values (the real runner validates more). */
function validate(inputs: readonly PlaybookInput[], values: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const entry of inputs) {
    const value = values[entry.name] ?? '';
    if (value === '' && entry.required) errors[entry.name] = 'required';
    else if (entry.type === 'number' && value !== '' && !Number.isFinite(Number(value))) errors[entry.name] = `not a number: "${value}"`;
    else if (entry.type === 'choice' && value !== '' && !(entry.allowed ?? []).includes(value)) errors[entry.name] = `one of ${(entry.allowed ?? []).join(', ')}`;
  }
  return errors;
}

export class ScriptedRunControl implements RunControl {
  /** Every intent the views sent, in order ("runNext", "confirm:true", "choose:b"). */
  readonly intents: string[] = [];
  readonly finished: Promise<RunVerdict> = new Promise(() => undefined);
  constructor(
    private readonly store: OpsdeckStore,
    private readonly playbook: ScriptedPlaybook,
    public readonly runId: string,
  ) {}
  get run(): RunView {
    const run = this.store.getState().runs[this.runId];
    if (!run) throw new Error(`no run ${this.runId}`);
    return run;
  }
  /** Scripts the run: what the runner would write next. */
  set(change: Partial<RunView>): void {
    this.store.getState().runChanged({ ...this.run, ...change });
  }
  await(awaiting: RunAwaiting | undefined): void {
    this.set({ awaiting, status: awaiting ? 'paused' : this.run.status });
  }
  submitInputs(values: Readonly<Record<string, string>>): void {
    this.intents.push(`submitInputs:${JSON.stringify(values)}`);
    const inputs = this.playbook.inputs ?? [];
    const errors = validate(inputs, values);
    if (Object.keys(errors).length > 0) this.await({ kind: 'inputs', inputs, values, errors });
    else this.set({ status: 'ready', inputs: values, awaiting: { kind: 'next-step', stepId: this.playbook.steps[0]?.id ?? '' } });
  }
  runNext(): void {
    this.intents.push('runNext');
  }
  runToNextStop(): void {
    this.intents.push('runToNextStop');
  }
  skip(): void {
    this.intents.push('skip');
  }
  retry(): void {
    this.intents.push('retry');
  }
  /** As the runner: the first abort of a run with a rollback offers it (a failure that can roll back); otherwise it ends. */
  abort(): void {
    this.intents.push('abort');
    const offering = this.run.awaiting?.kind === 'failure' && this.run.awaiting.error.startsWith('aborted');
    if (this.run.rollbackSteps.length > 0 && !offering) {
      this.await({ kind: 'failure', stepId: this.run.steps[0]?.id ?? '', error: 'aborted by the operator: roll back?', canRollback: true });
      return;
    }
    this.set({ status: 'aborted', verdict: 'aborted', awaiting: undefined, endedAt: Date.now() });
  }
  rollback(): void {
    this.intents.push('rollback');
    this.set({ status: 'rolled-back', verdict: 'rolled-back', awaiting: undefined, endedAt: Date.now() });
  }
  toggleDryRun(): void {
    this.intents.push('toggleDryRun');
    this.set({ dryRun: !this.run.dryRun });
  }
  confirm(answer: boolean | string): void {
    this.intents.push(`confirm:${String(answer)}`);
  }
  choose(optionId: string): void {
    this.intents.push(`choose:${optionId}`);
  }
  tick(itemIndex: number): void {
    this.intents.push(`tick:${itemIndex}`);
  }
  acknowledge(): void {
    this.intents.push('acknowledge');
  }
  takeOver(): void {
    this.intents.push('takeOver');
  }
}

export class ScriptedPlaybooks implements PlaybookService {
  /** start/resume calls, in order. */
  readonly started: Array<{ playbookId: string; options: StartRunOptions | undefined }> = [];
  readonly resumed: string[] = [];
  /** approve calls: run id and step id. */
  readonly approved: Array<{ runId: string; stepId: string | undefined }> = [];
  readonly controls = new Map<string, ScriptedRunControl>();
  private runCount = 0;
  constructor(
    private readonly store: OpsdeckStore,
    private readonly playbooks: readonly ScriptedPlaybook[],
  ) {
    store.getState().catalogLoaded({ playbooks: playbooks.map(summaryOf), invalid: [] });
  }
  /** The control of the run started last. */
  get last(): ScriptedRunControl {
    const control = [...this.controls.values()].at(-1);
    if (!control) throw new Error('no run started');
    return control;
  }
  start(playbookId: string, options?: StartRunOptions): RunControl {
    this.started.push({ playbookId, options });
    const playbook = this.playbooks.find((candidate) => candidate.id === playbookId);
    if (!playbook) throw new Error(`unknown playbook "${playbookId}"`);
    return this.open(playbook, options?.inputs ?? {}, options?.dryRun ?? false);
  }
  control(runId: string): RunControl | undefined {
    return this.controls.get(runId);
  }
  resume(runId: string): RunControl {
    this.resumed.push(runId);
    const summary = this.store.getState().unfinishedRuns.find((run) => run.runId === runId);
    const playbook = this.playbooks.find((candidate) => candidate.id === summary?.playbookId) ?? this.playbooks[0];
    if (!playbook) throw new Error('no playbook');
    const control = this.open(playbook, {}, false, runId);
    control.await({ kind: 'resume', stepId: playbook.steps[0]?.id ?? '', verdict: 'happened', detail: 'StartedAt is after the intent' });
    return control;
  }
  approve(runId: string, stepId?: string): { accepted: boolean; reason?: string } {
    this.approved.push({ runId, stepId });
    const pending = this.store.getState().pendingApprovals.find((approval) => approval.runId === runId);
    if (!pending) return { accepted: false, reason: `run ${runId} waits for no approval` };
    if (pending.requestedBy === 'alice') return { accepted: false, reason: 'the same operator cannot approve their own step' };
    return { accepted: true };
  }
  pendingApprovals() {
    return this.store.getState().pendingApprovals;
  }
  refresh(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  private open(playbook: ScriptedPlaybook, values: Readonly<Record<string, string>>, dryRun: boolean, runId = `run-${++this.runCount}`): ScriptedRunControl {
    const inputs = playbook.inputs ?? [];
    const errors = validate(inputs, values);
    const awaiting: RunAwaiting =
      Object.keys(errors).length > 0 ? { kind: 'inputs', inputs, values, errors: {} } : { kind: 'next-step', stepId: playbook.steps[0]?.id ?? '' };
    const run: RunView = {
      runId,
      playbookId: playbook.id,
      title: playbook.title,
      status: awaiting.kind === 'inputs' ? 'awaiting-input' : 'ready',
      dryRun,
      readOnly: this.store.getState().readOnly,
      startedAt: Date.now(),
      operator: 'alice',
      inputs: awaiting.kind === 'inputs' ? {} : values,
      steps: playbook.steps.map((step) => stepView(step, 'main')),
      rollbackSteps: (playbook.rollback ?? []).map((step) => stepView(step, 'rollback')),
      awaiting,
      refusedSteps: [],
      journalPath: `/state/opsdeck/runs/${runId}.jsonl`,
    };
    const control = new ScriptedRunControl(this.store, playbook, runId);
    this.controls.set(runId, control);
    this.store.getState().runChanged(run);
    this.store.getState().setActiveRun(runId);
    return control;
  }
}

/** A restart playbook suggested for restarting containers (the shape of the shipped one). */
export const RESTART_PLAYBOOK: ScriptedPlaybook = {
  id: 'restart-service',
  title: 'Restart a service gracefully',
  tags: ['docker', 'restart'],
  suggest: [{ alert: 'restarting', bind: { container: '{{ alert.target }}' } }],
  inputs: [input('container', 'container')],
  steps: [
    { id: 'inspect', title: 'Inspect the container', action: 'container.inspect' },
    { id: 'restart', title: 'Restart the container', action: 'container.restart', mutates: true, calls: ['POST /containers/vault-id/restart?t=10'] },
    { id: 'verify', title: 'Verify it is healthy', action: 'wait.until' },
  ],
  rollback: [{ id: 'start-again', title: 'Start the container', action: 'container.start', mutates: true }],
};

export const DISK_PLAYBOOK: ScriptedPlaybook = {
  id: 'disk-space',
  title: 'Free disk space',
  tags: ['disk'],
  suggest: [{ alert: 'disk', bind: {} }],
  steps: [{ id: 'largest', title: 'Largest consumers', action: 'shell.run' }],
};

export const MORNING_PLAYBOOK: ScriptedPlaybook = {
  id: 'morning-check',
  title: 'Morning health check',
  tags: ['report'],
  steps: [{ id: 'services', title: 'Services', action: 'note' }],
};
