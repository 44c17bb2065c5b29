// Resume of a run whose process died between a step's intent and its result: the runner
// observes the effect and records it, runs the step when it did not happen, asks before
// repeating when it cannot tell; registered outputs come back from the journal.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { readJournal, verifyJournal } from '../../src/journal/journal-reader';
import type { JournalRecord } from '../../src/journal/journal-types';
import type { Playbook } from '../../src/playbooks/playbook-types';
import type { RunView } from '../../src/playbooks/run-types';
import { createPlaybookService } from '../../src/playbooks/runner/playbook-service';
import { PlaybookRun } from '../../src/playbooks/runner/run-machine';
import { playbookOf, runnerWorld, step, type RunnerWorld } from '../support/runner-fixtures';
import { waitFor } from '../support/wait-for';

/** A pid that was alive a moment ago and is not any more: the crashed runner's. */
function deadPid(): number {
  return spawnSync('true').pid as number;
}

const RESTART_PLAYBOOK = (extra: Partial<Playbook> = {}): Playbook =>
  playbookOf(
    [
      step('diag', 'test.echo', { text: 'api is slow' }, { register: true }),
      step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no' }),
      step('report', 'test.echo', { text: 'before: {{ steps.diag.stdout }}' }),
    ],
    extra,
  );

/** Runs `playbook` in a "process" that dies right after the intent of step `stepId`. */
async function crashAfterIntent(playbook: Playbook, stepId: string): Promise<{ world: RunnerWorld; runId: string; path: string }> {
  const world = runnerWorld({ pid: deadPid(), host: os.hostname() });
  world.dependencies.pauseAfterIntentMs = 60_000;
  const run = new PlaybookRun(world.dependencies, { playbook, runId: `crash-${process.pid}-${stepId}-${Math.random().toString(16).slice(2, 8)}`, dryRun: false, assumeYes: true, unattended: true });
  world.store.subscribe((state) => state.runs[run.runId]?.awaiting?.kind === 'next-step' && run.runToNextStop());
  run.runToNextStop();
  const path = await waitFor('the journal', () => world.journals.opened.get(run.runId));
  await waitFor(`the intent of ${stepId}`, () => readJournal(path).records.some((record) => record.type === 'step-intent' && record.stepId === stepId), { intervalMs: 5 });
  run.suspend();
  await run.finished;
  return { world, runId: run.runId, path };
}

/** A second runner process on the same host and journals, as `opsdeck resume` starts it. */
function resumingService(world: RunnerWorld, playbook: Playbook) {
  const resumed = runnerWorld({ operator: 'carol', host: os.hostname(), journals: world.journals });
  // The same engine: what the crashed run did to it is what the resumed run observes.
  resumed.dependencies.registry = world.dependencies.registry;
  resumed.dependencies.executor = world.dependencies.executor;
  const service = createPlaybookService({
    ...resumed.dependencies,
    journalDirectory: world.journals.directory,
    loadCatalog: async () => ({ playbooks: [playbook], invalid: [], directories: [] }),
    dryRun: false,
  });
  return { service, store: resumed.store };
}

function recordsOf(path: string, type: JournalRecord['type']): JournalRecord[] {
  return readJournal(path).records.filter((record) => record.type === type);
}

describe('resume of an interrupted run', () => {
  it('the restart happened before the crash: recorded passed with the observation, not restarted again', async () => {
    const playbook = RESTART_PLAYBOOK();
    const { world, runId, path } = await crashAfterIntent(playbook, 'restart');
    expect(recordsOf(path, 'step-result').map((record) => record.type === 'step-result' && record.stepId)).toEqual(['diag']);
    // The engine took the call just before the process died.
    world.engine.restarts.push({ name: 'shop-api-1', at: Date.now() });
    const { service, store } = resumingService(world, playbook);
    await service.refresh();
    expect(store.getState().unfinishedRuns.map((run) => run.runId)).toContain(runId);
    const control = service.resume(runId, { assumeYes: true, unattended: true });
    store.subscribe((state) => state.runs[runId]?.awaiting?.kind === 'next-step' && control.runToNextStop());
    control.runToNextStop();
    expect(await control.finished).toBe('passed');
    expect(world.engine.restarts).toHaveLength(1);
    const view = store.getState().runs[runId] as RunView;
    expect(view.steps.find((item) => item.id === 'restart')).toMatchObject({ status: 'passed', detail: expect.stringContaining('on resume: happened: shop-api-1 restarted at') });
    expect(recordsOf(path, 'resume')).toMatchObject([{ operator: 'carol', observations: [{ stepId: 'restart', verdict: 'happened' }] }]);
    // The registered output of diag came back from the journal: diag did not run again.
    expect(world.log.filter((line) => line === 'echo api is slow')).toHaveLength(1);
    expect(recordsOf(path, 'step-output').some((record) => record.type === 'step-output' && record.text.includes('before: api is slow'))).toBe(true);
    expect(verifyJournal(path).ok).toBe(true);
    expect(readJournal(path).records.at(-1)).toMatchObject({ type: 'run-end', verdict: 'passed' });
  });

  it('the call was never sent: the restart runs on resume, once', async () => {
    const playbook = RESTART_PLAYBOOK();
    const { world, runId, path } = await crashAfterIntent(playbook, 'restart');
    expect(world.engine.restarts).toHaveLength(0);
    const { service, store } = resumingService(world, playbook);
    await service.refresh();
    const control = service.resume(runId, { assumeYes: true, unattended: true });
    store.subscribe((state) => state.runs[runId]?.awaiting?.kind === 'next-step' && control.runToNextStop());
    control.runToNextStop();
    expect(await control.finished).toBe('passed');
    expect(world.engine.restarts).toHaveLength(1);
    expect(recordsOf(path, 'resume')).toMatchObject([{ observations: [{ verdict: 'not-happened' }] }]);
    const intents = recordsOf(path, 'step-intent').filter((record) => record.type === 'step-intent' && record.stepId === 'restart');
    expect(intents.map((record) => record.type === 'step-intent' && record.attempt)).toEqual([1, 2]);
  });

  it('an effect nobody can observe: the operator is asked before it is repeated', async () => {
    const playbook = playbookOf([step('poke', 'test.poke', { container: 'shop-api-1' }), step('after', 'test.echo', { text: 'after' })]);
    const { world, runId, path } = await crashAfterIntent(playbook, 'poke');
    const { service, store } = resumingService(world, playbook);
    await service.refresh();
    const control = service.resume(runId);
    const asked = await waitFor('the resume question', () => {
      const awaiting = store.getState().runs[runId]?.awaiting;
      return awaiting?.kind === 'resume' ? awaiting : undefined;
    });
    expect(asked).toMatchObject({ stepId: 'poke', verdict: 'unknown', detail: 'test.poke cannot tell whether the interrupted call took effect' });
    expect(world.log).not.toContain('poke shop-api-1');
    control.confirm(true);
    store.subscribe((state) => state.runs[runId]?.awaiting?.kind === 'next-step' && control.runToNextStop());
    control.runToNextStop();
    expect(await control.finished).toBe('passed');
    expect(world.log.filter((line) => line === 'poke shop-api-1')).toHaveLength(1);
    expect(recordsOf(path, 'confirmation')).toMatchObject([{ mode: 'resume', operator: 'carol', answer: 'repeat', accepted: true }]);
  });

  it('a run that ended cannot be resumed; an unknown run is named', async () => {
    const world = runnerWorld({ host: os.hostname() });
    const playbook = playbookOf([step('one', 'test.echo', { text: 'one' })]);
    const { service } = resumingService(world, playbook);
    await service.refresh();
    const control = service.start(playbook.id, { unattended: true });
    world.store.subscribe(() => undefined);
    control.runToNextStop();
    await control.finished;
    expect(() => service.resume(control.runId)).toThrow(/ended \(passed\); nothing to resume/);
    expect(() => service.resume('no-such-run')).toThrow(/no run no-such-run/);
  });
});
