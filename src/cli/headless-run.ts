// The headless twin of the wizard: drives a run through the same RunControl the views use,
// prints one line per step as it ends (or one JSON object per transition with --json), and
// answers what the run waits for: --yes for yes/no, the terminal for the rest when stdin is
// one (prompts on stderr, so stdout stays the report).

import { createInterface } from 'node:readline/promises';
import type { RunVerdict } from '../journal/journal-types';
import type { RunAwaiting, RunControl, RunView, StepView } from '../playbooks/run-types';
import type { OpsdeckStore } from '../store/create-opsdeck-store';
import { timingsOf } from '../playbooks/runner/run-timings';

export interface HeadlessOutput {
  json: boolean;
  write(text: string): void;
}

const TERMINAL: ReadonlySet<StepView['status']> = new Set(['passed', 'failed', 'skipped', 'refused', 'would-do']);

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** `[3/7] restart shop-api-1: POST /containers/…/restart?t=10 ... passed (1.2 s)`. */
export function stepLine(step: StepView, index: number, total: number): string {
  const position = step.phase === 'rollback' ? `[rollback ${index + 1}/${total}]` : `[${index + 1}/${total}]`;
  const calls = step.calls.length > 0 ? `: ${step.calls.join('; ')}` : '';
  const detail = step.detail ? `\n      ${step.detail}` : '';
  return `${position} ${step.title}${calls} ... ${step.status}${step.status === 'skipped' ? '' : seconds(step.durationMs)}${detail}`;
}

/** A line-oriented question on the terminal; undefined when stdin is not one. */
export function terminalPrompt(): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return (await lines.question(question)).trim();
    } finally {
      lines.close();
    }
  };
}

async function answer(control: RunControl, awaiting: RunAwaiting, ask: (question: string) => Promise<string>, output: HeadlessOutput): Promise<void> {
  const yes = (text: string): boolean => /^y(es)?$/i.test(text);
  switch (awaiting.kind) {
    case 'confirm':
      if (awaiting.mode === 'type-target') return control.confirm(await ask(`${awaiting.question}\n  ${awaiting.calls.join('\n  ')}\n> `));
      return control.confirm(yes(await ask(`${awaiting.question}\n  ${awaiting.calls.join('\n  ')}\n[y/N] `)));
    case 'approval':
      output.write(output.json ? `${JSON.stringify({ type: 'awaiting', awaiting })}\n` : `waiting for another operator: opsdeck approve ${control.runId}\n`);
      return;
    case 'decision': {
      const options = awaiting.options.map((option) => `  ${option.id}: ${option.label}`).join('\n');
      return control.choose(await ask(`${awaiting.question}\n${options}\n> `));
    }
    case 'checklist':
      for (const [index, item] of awaiting.items.entries()) if (yes(await ask(`${item} done? [y/N] `))) control.tick(index);
      return control.acknowledge();
    case 'lock-held':
      return yes(await ask(`${awaiting.target} is held by ${awaiting.holder.operator} (run ${awaiting.holder.runId}, step ${awaiting.holder.stepId}). Take over? [y/N] `)) ? control.takeOver() : control.abort();
    case 'failure': {
      const choice = await ask(`${awaiting.error}\nretry, skip, ${awaiting.canRollback ? 'rollback, ' : ''}abort? `);
      if (/^r(etry)?$/i.test(choice)) return control.retry();
      if (/^s(kip)?$/i.test(choice)) return control.skip();
      if (awaiting.canRollback && /^rollback$/i.test(choice)) return control.rollback();
      return control.abort();
    }
    case 'resume':
      return control.confirm(yes(await ask(`on resume: ${awaiting.detail}\nRun the step again? [y/N] `)));
    default:
      return;
  }
}

/**
 * Runs `control` to its end. `ask` is the terminal (absent: the run is unattended, so it never
 * waits for an answer). Returns the verdict, or 'invalid-input' when the inputs did not validate.
 */
export async function driveHeadless(store: OpsdeckStore, control: RunControl, output: HeadlessOutput, ask?: (question: string) => Promise<string>): Promise<RunVerdict | 'invalid-input'> {
  const printed = new Map<string, string>();
  let invalid = false;
  let answering = false;
  let lastAwaiting: RunAwaiting | undefined;
  const report = (run: RunView): void => {
    for (const [list, total] of [
      [run.steps, run.steps.length],
      [run.rollbackSteps, run.rollbackSteps.length],
    ] as const) {
      list.forEach((step, index) => {
        const key = `${step.phase}/${step.id}`;
        const state = `${step.status}#${step.attempt}`;
        if (printed.get(key) === state) return;
        // A step not reached yet is no transition; in text, only a step's end is a line.
        const unreached = step.status === 'pending' && step.attempt === 0;
        if (unreached || (!output.json && !TERMINAL.has(step.status))) return;
        printed.set(key, state);
        if (output.json) {
          const timings = timingsOf(control.runId, step.phase, step.id);
          output.write(`${JSON.stringify({ type: 'step', index: index + 1, total, ...withoutOutput(step), ...(timings ? { timings } : {}) })}\n`);
        } else setImmediate(() => printStep(store, control.runId, step, index, total, output));
      });
    }
  };
  const onChange = (run: RunView | undefined): void => {
    if (!run) return;
    report(run);
    const awaiting = run.awaiting;
    if (!awaiting || awaiting === lastAwaiting || answering) return;
    lastAwaiting = awaiting;
    if (awaiting.kind === 'next-step') return control.runToNextStop();
    if (awaiting.kind === 'inputs') {
      invalid = true;
      for (const [name, error] of Object.entries(awaiting.errors)) {
        output.write(output.json ? `${JSON.stringify({ type: 'input-error', input: name, error })}\n` : `input ${name}: ${error}\n`);
      }
      return control.abort();
    }
    if (!ask) return;
    answering = true;
    void answer(control, awaiting, ask, output).finally(() => {
      answering = false;
      const next = store.getState().runs[control.runId];
      if (next?.awaiting && next.awaiting !== lastAwaiting) onChange(next);
    });
  };
  const unsubscribe = store.subscribe((state) => onChange(state.runs[control.runId]));
  onChange(store.getState().runs[control.runId]);
  const verdict = await control.finished;
  unsubscribe();
  await new Promise((resolve) => setImmediate(resolve));
  const run = store.getState().runs[control.runId];
  if (invalid) return 'invalid-input';
  if (run) {
    output.write(output.json ? `${JSON.stringify({ type: 'run', runId: run.runId, verdict, summary: run.summary, journal: run.journalPath })}\n` : `${run.summary ?? verdict}\njournal: ${run.journalPath ?? '(none)'}\n`);
  }
  return verdict;
}

function withoutOutput(step: StepView): Omit<StepView, 'output' | 'outputLineCount'> {
  const { output: _output, outputLineCount: _count, ...rest } = step;
  return rest;
}

/** The step's line and its output (flushed first: output reaches the store per flush). */
function printStep(store: OpsdeckStore, runId: string, step: StepView, index: number, total: number, output: HeadlessOutput): void {
  store.getState().flush();
  const current = store.getState().runs[runId];
  const list = step.phase === 'rollback' ? current?.rollbackSteps : current?.steps;
  const lines = list?.find((candidate) => candidate.id === step.id)?.output ?? [];
  output.write(`${stepLine(step, index, total)}\n${lines.map((line) => `    ${line}\n`).join('')}`);
}

/** Waits until every engine is connected (its first inventory is in), at most `timeoutMs`; returns the ones that are not. */
export async function waitForEngines(store: OpsdeckStore, timeoutMs: number): Promise<string[]> {
  const notConnected = (): string[] => {
    const state = store.getState();
    return state.engineOrder.filter((id) => state.engines[id]?.state !== 'connected').map((id) => `${id}: ${state.engines[id]?.error ?? state.engines[id]?.state ?? 'unknown'}`);
  };
  if (notConnected().length === 0 && store.getState().engineOrder.length > 0) return [];
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(), timeoutMs);
    const unsubscribe = store.subscribe(() => {
      if (notConnected().length === 0) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve(notConnected());
    }
  });
}
