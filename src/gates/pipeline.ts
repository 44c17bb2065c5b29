// Pipeline semantics, as runbook 001 runs its gates G0-G9: stages in order; while a stage has a
// gate that fails, every later stage is `blocked` (not run) and names the failing gate and its
// failure code, until it passes. A gate that could not be checked (`unknown`, a timeout is a
// `fail`) blocks too: the runbook treats a gate it could not check as failed. `warn` does not
// block. Gates without a stage are independent: never blocked, never blocking.
// Pure: the panel, the scheduler and `opsdeck check` all ask this one function.

import type { GateResult, GateStatus } from '../domain/types';

/** Statuses that stop later stages (and make `opsdeck check` exit 1). */
export const FAILING_STATUSES: ReadonlySet<GateStatus> = new Set(['fail', 'unknown']);
/** Statuses an earlier stage must hold for a later stage to run. */
const PASSING_STATUSES: ReadonlySet<GateStatus> = new Set(['pass', 'warn']);

export interface PipelineView {
  /** In pipeline order (stages ascending, then the independent gates as given); blocked ones replaced. */
  gates: GateResult[];
  /** Ids the scheduler may run now: independent gates, and staged gates whose earlier stages all pass. */
  runnable: ReadonlySet<string>;
}

/** Pipeline order: staged gates by stage (as given within a stage), then the independent ones as given. */
export function pipelineOrder<Gate extends { stage?: number }>(gates: readonly Gate[]): Gate[] {
  const staged = gates.filter((gate) => gate.stage !== undefined).sort((left, right) => (left.stage ?? 0) - (right.stage ?? 0));
  return [...staged, ...gates.filter((gate) => gate.stage === undefined)];
}

/** Applies the pipeline to the gates' own results (each as last checked, or `pending`). */
export function applyPipeline(results: readonly GateResult[]): PipelineView {
  const ordered = pipelineOrder(results);
  const runnable = new Set<string>();
  const gates: GateResult[] = [];
  let blocker: GateResult | undefined;
  /** Every gate of the stages before the current one passed (pending does not). */
  let earlierPass = true;
  let stage: number | undefined;
  let stagePass = true;
  let stageBlocker: GateResult | undefined;
  for (const result of ordered) {
    if (result.stage === undefined) {
      runnable.add(result.id);
      gates.push(result);
      continue;
    }
    if (result.stage !== stage) {
      // A new stage: what the previous one held now applies to this and every later stage.
      earlierPass &&= stagePass;
      blocker ??= stageBlocker;
      stage = result.stage;
      stagePass = true;
      stageBlocker = undefined;
    }
    if (blocker) {
      gates.push(blockedResult(result, blocker));
      continue;
    }
    if (earlierPass) runnable.add(result.id);
    gates.push(result);
    if (!PASSING_STATUSES.has(result.status)) stagePass = false;
    if (FAILING_STATUSES.has(result.status)) stageBlocker ??= result;
  }
  return { gates, runnable };
}

/** A blocked gate keeps its object while it and its blocker are the same objects. */
const blockedResults = new WeakMap<GateResult, { blocker: GateResult; result: GateResult }>();

function blockedResult(result: GateResult, blocker: GateResult): GateResult {
  const kept = blockedResults.get(result);
  if (kept?.blocker === blocker) return kept.result;
  const blocked = makeBlocked(result, blocker);
  blockedResults.set(result, { blocker, result: blocked });
  return blocked;
}

function makeBlocked(result: GateResult, blocker: GateResult): GateResult {
  const { evidence: _evidence, durationMs: _durationMs, ...kept } = result;
  const blockedBy = describeFailure(blocker);
  return {
    ...kept,
    status: 'blocked',
    blockedBy,
    detail: `blocked: ${blockedBy}`,
    since: blocker.since ?? blocker.checkedAt,
  };
}

/** `G5 Deploy vault failed (G5_DEPLOY_VAULT)`. */
function describeFailure(gate: GateResult): string {
  const what = gate.status === 'unknown' ? 'could not be checked' : 'failed';
  return `${gate.id} ${gate.title} ${what}${gate.failureCode ? ` (${gate.failureCode})` : ''}`;
}

/** The first failing gate in pipeline order (what `opsdeck check` names), or undefined when none fails. */
export function firstFailure(results: readonly GateResult[]): GateResult | undefined {
  return pipelineOrder(results).find((result) => FAILING_STATUSES.has(result.status));
}

/** What a report names for a failing gate: its failure code, else its id. */
export function failureCodeOf(result: Pick<GateResult, 'id' | 'failureCode'>): string {
  return result.failureCode ?? result.id;
}
