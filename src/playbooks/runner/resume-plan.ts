// A dead run's journal read back into what the runner needs to go on: inputs, the steps'
// verdicts, what later steps may read (registered outputs restored from the journaled output
// where it was kept whole), the interrupted attempt (an intent without a result), and where
// the flow continues.

import { describeCall } from '../../domain/engine-action';
import type { JournalRecord, JournalWriter, RunVerdict } from '../../journal/journal-types';
import type { InputValues, Playbook, PlaybookStep } from '../playbook-types';
import type { StepView } from '../run-types';
import type { Phase } from './run-view-state';
import type { StepScope } from './runner-dependencies';
import { nextMove } from './step-flow';
import { stepScopeOf } from '../template';

type IntentRecord = Extract<JournalRecord, { type: 'step-intent' }>;
type ResultRecord = Extract<JournalRecord, { type: 'step-result' }>;

export interface InterruptedAttempt {
  phase: Phase;
  index: number;
  step: PlaybookStep;
  attempt: number;
  params: Record<string, unknown>;
  mutates: boolean;
  dryRun: boolean;
  intentAt: number;
  /** The exact calls as journaled, one line each. */
  calls: string[];
}

export interface ResumePlan {
  journal: JournalWriter;
  startedAt: number;
  inputs: InputValues;
  dryRun: boolean;
  /** `phase/stepId` -> attempts made. */
  attempts: Map<string, number>;
  stepScopes: Record<string, StepScope>;
  steps: Array<{ phase: Phase; stepId: string; change: Partial<StepView> }>;
  interrupted?: InterruptedAttempt;
  /** Where the flow goes on once the interrupted attempt is settled (or at once without one). */
  next: { kind: 'main'; index: number } | { kind: 'rollback'; index: number; reason: string } | { kind: 'end'; verdict: RunVerdict; reason?: string };
  /** Registering reads whose output was not kept whole: run again before going on. */
  rereads: Array<{ phase: Phase; index: number }>;
  /** The playbook file changed since the run started (sha256 differs). */
  playbookChanged: boolean;
}

export class ResumeError extends Error {}

function key(phase: Phase, stepId: string): string {
  return `${phase}/${stepId}`;
}

function listOf(playbook: Playbook, phase: Phase): readonly PlaybookStep[] {
  return phase === 'main' ? playbook.steps : playbook.rollback;
}

/** The goto of the decision option chosen, read from the journaled parameters. */
function branchFrom(intent: IntentRecord | undefined, choice: string | undefined): string | undefined {
  if (!intent || choice === undefined) return undefined;
  const options = (intent.params as { options?: unknown }).options;
  if (!Array.isArray(options)) return undefined;
  const option = options.find((candidate: { id?: unknown }) => candidate?.id === choice) as { goto?: unknown } | undefined;
  return typeof option?.goto === 'string' ? option.goto : undefined;
}

export function planResume(records: readonly JournalRecord[], playbook: Playbook, journal: JournalWriter): ResumePlan {
  const start = records.find((record) => record.type === 'run-start');
  if (!start || start.type !== 'run-start') throw new ResumeError('the journal has no run-start record');
  if (records.some((record) => record.type === 'run-end')) throw new ResumeError(`run ${start.runId} has ended; nothing to resume`);
  const intents = new Map<string, IntentRecord>();
  const results = new Map<string, ResultRecord>();
  const outputs = new Map<string, { stdout?: string; stderr?: string; body?: string; truncated: boolean }>();
  const attempts = new Map<string, number>();
  let last: IntentRecord | ResultRecord | undefined;
  let lastIntent: IntentRecord | undefined;
  let rollingBack: string | undefined;
  for (const record of records) {
    if (record.type === 'step-intent') {
      const stepKey = key(record.phase, record.stepId);
      intents.set(stepKey, record);
      attempts.set(stepKey, Math.max(attempts.get(stepKey) ?? 0, record.attempt));
      outputs.delete(`${stepKey}#${record.attempt}`);
      last = record;
      lastIntent = record;
    } else if (record.type === 'step-result') {
      results.set(key(record.phase, record.stepId), record);
      last = record;
    } else if (record.type === 'step-output') {
      // Output follows its own intent (output records carry no phase).
      const phase: Phase = lastIntent?.stepId === record.stepId ? lastIntent.phase : 'main';
      const outputKey = `${key(phase, record.stepId)}#${record.attempt}`;
      const kept = outputs.get(outputKey) ?? { truncated: false };
      if (record.stream !== 'info') kept[record.stream] = (kept[record.stream] ?? '') + record.text;
      if (record.truncated) kept.truncated = true;
      outputs.set(outputKey, kept);
    } else if (record.type === 'note' && record.text.startsWith('rolling back: ')) {
      rollingBack = record.text.slice('rolling back: '.length);
    }
  }
  const stepScopes: Record<string, StepScope> = {};
  const steps: ResumePlan['steps'] = [];
  const rereads: ResumePlan['rereads'] = [];
  for (const phase of ['main', 'rollback'] as const) {
    listOf(playbook, phase).forEach((step, index) => {
      const stepKey = key(phase, step.id);
      const result = results.get(stepKey);
      const intent = intents.get(stepKey);
      if (!result || (intent && intent.attempt > result.attempt)) return;
      const kept = outputs.get(`${stepKey}#${result.attempt}`);
      const registered = { ...(kept ? withoutFlag(kept) : {}), ...(result.data !== undefined ? { data: result.data } : {}) };
      stepScopes[step.id] = stepScopeOf({ ...numbers(result), ...registered }, { status: result.verdict, durationMs: result.durationMs, register: step.register });
      if (step.register && kept?.truncated && intent && !intent.mutates) rereads.push({ phase, index });
      const detail = result.error ?? result.reason;
      const calls = intent ? intent.calls.map(describeCall) : [];
      steps.push({ phase, stepId: step.id, change: { status: result.verdict, attempt: result.attempt, durationMs: result.durationMs, calls, ...(detail ? { detail } : {}) } });
    });
  }
  const plan: Omit<ResumePlan, 'next'> = {
    journal,
    startedAt: start.at,
    inputs: start.inputs,
    dryRun: start.dryRun,
    attempts,
    stepScopes,
    steps,
    rereads,
    playbookChanged: start.playbook.sha256 !== playbook.sha256,
  };
  if (last?.type === 'step-intent') {
    const index = listOf(playbook, last.phase).findIndex((step) => step.id === last.stepId);
    const step = listOf(playbook, last.phase)[index];
    if (!step) throw new ResumeError(`step ${last.stepId} of the journal is not in playbook ${playbook.id} any more`);
    const interrupted: InterruptedAttempt = { phase: last.phase, index, step, attempt: last.attempt, params: last.params, mutates: last.mutates, dryRun: last.dryRun, intentAt: last.at, calls: last.calls.map(describeCall) };
    return { ...plan, interrupted, next: { kind: 'main', index } };
  }
  return { ...plan, next: nextAfterResult(playbook, last, intents, results, rollingBack) };
}

function nextAfterResult(
  playbook: Playbook,
  last: ResultRecord | undefined,
  intents: Map<string, IntentRecord>,
  results: Map<string, ResultRecord>,
  rollingBack: string | undefined,
): ResumePlan['next'] {
  if (!last) return rollingBack ? { kind: 'rollback', index: 0, reason: rollingBack } : { kind: 'main', index: 0 };
  const steps = listOf(playbook, last.phase);
  const index = steps.findIndex((step) => step.id === last.stepId);
  if (index < 0) throw new ResumeError(`step ${last.stepId} of the journal is not in playbook ${playbook.id} any more`);
  if (last.phase === 'rollback') {
    const reason = rollingBack ?? 'rollback';
    if (index + 1 < steps.length) return { kind: 'rollback', index: index + 1, reason };
    const allDone = steps.every((step) => ['passed', 'skipped', 'would-do'].includes(results.get(key('rollback', step.id))?.verdict ?? ''));
    return { kind: 'end', verdict: allDone ? 'rolled-back' : 'failed', reason };
  }
  const move = nextMove(steps, index, last.verdict, branchFrom(intents.get(key(last.phase, last.stepId)), last.choice));
  if (move.kind === 'step') return { kind: 'main', index: move.index };
  if (move.kind === 'rollback') return { kind: 'rollback', index: 0, reason: move.reason };
  if (move.kind === 'stop') return { kind: 'end', verdict: 'failed', reason: move.reason };
  return { kind: 'main', index: steps.length };
}

function withoutFlag(kept: { stdout?: string; stderr?: string; body?: string; truncated: boolean }): { stdout?: string; stderr?: string; body?: string } {
  const { truncated: _truncated, ...texts } = kept;
  return texts;
}

function numbers(result: ResultRecord): { exitCode?: number; httpStatus?: number; choice?: string } {
  return {
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
    ...(result.choice !== undefined ? { choice: result.choice } : {}),
  };
}
