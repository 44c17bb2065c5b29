// Playbook runs as the runner reports them, the catalog of playbooks, and unfinished runs
// offered for resume. Written by the runner (src/playbooks/runner) only; the views render it.
// Output lines stream in buffered (a step may print 1,000 lines/s) and are applied per flush.

import type { InvalidPlaybook, SuggestRule } from '../../playbooks/playbook-types';
import { OUTPUT_LINES_KEPT, type PendingApproval, type RunView, type StepView } from '../../playbooks/run-types';
import type { RunSummary } from '../../journal/journal-types';
import type { SliceModule } from '../slice-module';

export interface PlaybookSummary {
  id: string;
  title: string;
  description: string;
  tags: readonly string[];
  file: string;
  inputs: ReadonlyArray<{ name: string; type: string; required: boolean }>;
  /** Its suggest rules, for the wizard: which rows make it the suggested fix (optional: older writers leave it out). */
  suggest?: readonly SuggestRule[];
}

export interface RunsSlice {
  runs: Readonly<Record<string, RunView>>;
  /** The run the wizard shows. */
  activeRunId?: string;
  catalog: { playbooks: readonly PlaybookSummary[]; invalid: readonly InvalidPlaybook[] };
  /** Runs of this host whose journals have no end, offered at start. */
  unfinishedRuns: readonly RunSummary[];
  /** Steps of any run on this host waiting for a second operator (`:approve` offers them). */
  pendingApprovals: readonly PendingApproval[];
  catalogLoaded(catalog: RunsSlice['catalog']): void;
  unfinishedRunsFound(runs: readonly RunSummary[]): void;
  approvalsChanged(approvals: readonly PendingApproval[]): void;
  /** The runner's write: the whole run view (output lines excepted, see runOutput). */
  runChanged(run: RunView): void;
  /** Buffered output lines of one step, applied on the next flush. */
  runOutput(runId: string, stepId: string, phase: StepView['phase'], lines: readonly string[]): void;
  setActiveRun(runId: string | undefined): void;
}

type PendingOutput = Map<string, { runId: string; stepId: string; phase: StepView['phase']; lines: string[] }>;

function withOutput(step: StepView, lines: readonly string[]): StepView {
  const output = lines.length >= OUTPUT_LINES_KEPT ? lines.slice(-OUTPUT_LINES_KEPT) : [...step.output, ...lines].slice(-OUTPUT_LINES_KEPT);
  return { ...step, output, outputLineCount: step.outputLineCount + lines.length };
}

export const runsSlice: SliceModule<RunsSlice, PendingOutput> = {
  name: 'runs',
  createPending: () => new Map(),
  create: ({ set, pending, requestFlush }) => ({
    runs: {},
    activeRunId: undefined,
    catalog: { playbooks: [], invalid: [] },
    unfinishedRuns: [],
    pendingApprovals: [],
    catalogLoaded: (catalog) => set({ catalog }),
    unfinishedRunsFound: (unfinishedRuns) => set({ unfinishedRuns }),
    approvalsChanged: (pendingApprovals) => set({ pendingApprovals }),
    runChanged: (run) =>
      set((state) => {
        const previous = state.runs[run.runId];
        // The runner does not carry output: keep what streamed in.
        const keepOutput = (steps: readonly StepView[], before: readonly StepView[] | undefined): StepView[] =>
          steps.map((step) => {
            const old = before?.find((candidate) => candidate.id === step.id);
            return old && step.output.length === 0 && step.attempt === old.attempt ? { ...step, output: old.output, outputLineCount: old.outputLineCount } : step;
          });
        const merged: RunView = previous
          ? { ...run, steps: keepOutput(run.steps, previous.steps), rollbackSteps: keepOutput(run.rollbackSteps, previous.rollbackSteps) }
          : run;
        return { runs: { ...state.runs, [run.runId]: merged } };
      }),
    runOutput: (runId, stepId, phase, lines) => {
      const key = `${runId}\u0000${phase}\u0000${stepId}`;
      const entry = pending().get(key);
      if (entry) entry.lines.push(...lines);
      else pending().set(key, { runId, stepId, phase, lines: [...lines] });
      requestFlush();
    },
    setActiveRun: (activeRunId) => set({ activeRunId }),
  }),
  apply: ({ next, pending }) => {
    if (pending.size === 0) return undefined;
    const runs = { ...next.runs };
    for (const { runId, stepId, phase, lines } of pending.values()) {
      const run = runs[runId];
      if (!run) continue;
      const field = phase === 'rollback' ? 'rollbackSteps' : 'steps';
      runs[runId] = { ...run, [field]: run[field].map((step) => (step.id === stepId ? withOutput(step, lines) : step)) };
    }
    return { runs };
  },
};
