// The run the wizard shows (runs slice: activeRunId) and what it waits for, as the screen
// stack, the key table's conditions and the run screen read them.

import type { RunAwaiting, RunView, StepView } from '../../playbooks/run-types';
import type { RunQuestion } from '../slices/wizard-ui';
import type { OpsdeckState } from '../store-types';
import { memoizeLast } from './memoize';

export function selectActiveRun(state: Pick<OpsdeckState, 'runs' | 'activeRunId'>): RunView | undefined {
  return state.activeRunId === undefined ? undefined : state.runs[state.activeRunId];
}

/** The active run while the run screen shows it. */
export function selectShownRun(state: OpsdeckState): RunView | undefined {
  return state.ui.wizard.runOpen ? selectActiveRun(state) : undefined;
}

/** What the shown run waits for, narrowed to `kind`. */
export function shownAwaiting<Kind extends RunAwaiting['kind']>(state: OpsdeckState, kind: Kind): Extract<RunAwaiting, { kind: Kind }> | undefined {
  const awaiting = selectShownRun(state)?.awaiting;
  return awaiting?.kind === kind ? (awaiting as Extract<RunAwaiting, { kind: Kind }>) : undefined;
}

export function isAwaiting(state: OpsdeckState, ...kinds: ReadonlyArray<RunAwaiting['kind']>): boolean {
  const kind = selectShownRun(state)?.awaiting?.kind;
  return kind !== undefined && kinds.includes(kind);
}

const ENDED: ReadonlySet<RunView['status']> = new Set(['passed', 'failed', 'aborted', 'rolled-back']);

export function runEnded(run: Pick<RunView, 'status'>): boolean {
  return ENDED.has(run.status);
}

/** Every step of a run in the order shown: main steps, then the rollback steps. */
export function stepsOf(run: Pick<RunView, 'steps' | 'rollbackSteps'>): StepView[] {
  return [...run.steps, ...run.rollbackSteps];
}

/** A step's key in the run screen: main and rollback steps may share an id. */
export function stepKeyOf(step: Pick<StepView, 'phase' | 'id'>): string {
  return `${step.phase}:${step.id}`;
}

/** The step the run is at: awaited or running (a rollback step when the rollback runs). */
function currentStepOf(run: RunView, steps: readonly StepView[]): StepView | undefined {
  const awaitedId = run.awaiting && 'stepId' in run.awaiting ? run.awaiting.stepId : undefined;
  const wanted = run.currentStepId ?? awaitedId;
  if (wanted === undefined) return undefined;
  const matching = steps.filter((step) => step.id === wanted);
  return matching.find((step) => step.status !== 'pending' && step.status !== 'passed') ?? matching[0];
}

/** The step the detail pane shows: the one selected (by stepKeyOf), else the current one, else the last that ran. */
export function detailStepOf(run: RunView, selectedStepKey: string | undefined): StepView | undefined {
  const steps = stepsOf(run);
  const selected = selectedStepKey === undefined ? undefined : steps.find((step) => stepKeyOf(step) === selectedStepKey);
  return selected ?? currentStepOf(run, steps) ?? [...steps].reverse().find((step) => step.status !== 'pending') ?? steps[0];
}

const resumable = memoizeLast((unfinished: OpsdeckState['unfinishedRuns'], runs: OpsdeckState['runs']) =>
  unfinished.filter((run) => run.unfinished && !run.running && runs[run.runId] === undefined),
);

/** Runs of this host that never ended, that no live process runs and this cockpit has not resumed: offered for resume. */
export function selectResumableRuns(state: Pick<OpsdeckState, 'unfinishedRuns' | 'runs'>): OpsdeckState['unfinishedRuns'] {
  return resumable(state.unfinishedRuns, state.runs);
}

const rollbackOffer = memoizeLast((runId: string): RunQuestion => ({ kind: 'rollback', runId }));

/**
 * The y/N question over the run screen: the one the view asked (abort, take over), or the
 * rollback the runner offers after the operator aborted here (refused in read-only anyway,
 * so not asked there: the run's own keys end it).
 */
export function selectRunQuestion(state: OpsdeckState): RunQuestion | undefined {
  const run = selectShownRun(state);
  if (!run) return undefined;
  if (state.ui.wizard.question) return state.ui.wizard.question;
  const offered = run.awaiting?.kind === 'failure' && run.awaiting.canRollback && state.ui.wizard.abortedRunId === run.runId;
  return offered && !state.readOnly ? rollbackOffer(run.runId) : undefined;
}
