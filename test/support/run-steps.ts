// Driving a PlaybookRun in a unit test as an operator would, and reading what they would see:
// the run's view in the store, what it waits for, and its journal.
import { readJournal } from '../../src/journal/journal-reader';
import type { JournalRecord } from '../../src/journal/journal-types';
import type { Playbook } from '../../src/playbooks/playbook-types';
import type { RunAwaiting, RunView } from '../../src/playbooks/run-types';
import { PlaybookRun, type RunSetup } from '../../src/playbooks/runner/run-machine';
import type { RunnerDependencies } from '../../src/playbooks/runner/runner-dependencies';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { waitFor } from './wait-for';

/** What the helpers need of a test world (runner-fixtures' RunnerWorld is one). */
export interface RunWorld {
  store: OpsdeckStore;
  dependencies: RunnerDependencies;
  journals: { opened: ReadonlyMap<string, string> };
}

let runCounter = 0;

export function startRun(world: RunWorld, playbook: Playbook, setup: Partial<RunSetup> = {}): PlaybookRun {
  runCounter += 1;
  return new PlaybookRun(world.dependencies, { playbook, runId: `run-${runCounter}`, dryRun: false, assumeYes: false, unattended: false, ...setup });
}

export function viewOf(world: RunWorld, run: PlaybookRun): RunView {
  const view = world.store.getState().runs[run.runId];
  if (!view) throw new Error(`no run ${run.runId} in the store`);
  return view;
}

export async function awaitingOf<Kind extends RunAwaiting['kind']>(world: RunWorld, run: PlaybookRun, kind: Kind): Promise<Extract<RunAwaiting, { kind: Kind }>> {
  return waitFor(`awaiting ${kind}`, () => {
    const awaiting = world.store.getState().runs[run.runId]?.awaiting;
    return awaiting?.kind === kind ? (awaiting as Extract<RunAwaiting, { kind: Kind }>) : undefined;
  }, { timeoutMs: 3000, intervalMs: 5 });
}

/** Presses `a` whenever the run waits for the next step, like the headless twin. */
export function runOn(world: RunWorld, run: PlaybookRun): () => void {
  return world.store.subscribe((state) => {
    if (state.runs[run.runId]?.awaiting?.kind === 'next-step') run.runToNextStop();
  });
}

export function recordsOf(world: RunWorld, run: PlaybookRun): JournalRecord[] {
  const file = world.journals.opened.get(run.runId);
  return file ? readJournal(file).records : [];
}

export function statuses(view: RunView): Record<string, string> {
  return Object.fromEntries(view.steps.map((item) => [item.id, item.status]));
}
