// The runner's state machine with small test actions: what an operator sees in the step list
// and what the journal records, for conditions, templates, retries, expect, the failure
// policies, dry-run, read-only, confirmations, locks and approvals.
import { describe, expect, it } from 'vitest';
import { playbookOf, runnerWorld, step } from '../support/runner-fixtures';
import { awaitingOf, recordsOf, runOn, startRun, statuses, viewOf } from '../support/run-steps';
import { waitFor } from '../support/wait-for';

describe('playbook runner', () => {
  it('skips a step whose condition is false, fills templates from inputs and registered output', async () => {
    const world = runnerWorld();
    const playbook = playbookOf(
      [
        step('diag', 'test.echo', { text: '{{ inputs.container }}' }, { register: true }),
        step('when-found', 'test.echo', { text: 'found {{ steps.diag.stdout }}' }, { when: 'steps.diag.stdout == "shop-api-1"' }),
        step('when-missing', 'test.echo', { text: 'missing' }, { when: 'steps.diag.stdout == "nothing"' }),
      ],
      { inputs: [{ name: 'container', type: 'string', required: true }] },
    );
    const run = startRun(world, playbook, { inputs: { container: 'shop-api-1' } });
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    const view = viewOf(world, run);
    expect(statuses(view)).toEqual({ diag: 'passed', 'when-found': 'passed', 'when-missing': 'skipped' });
    expect(view.steps[2]?.detail).toBe('condition is false: steps.diag.stdout == "nothing"');
    expect(world.log).toEqual(['intent diag', 'echo shop-api-1', 'intent when-found', 'echo found shop-api-1']);
    const skipped = recordsOf(world, run).find((record) => record.type === 'step-result' && record.stepId === 'when-missing');
    expect(skipped).toMatchObject({ verdict: 'skipped', reason: expect.stringContaining('condition is false') });
    expect(recordsOf(world, run).map((record) => record.type)[0]).toBe('run-start');
    expect(recordsOf(world, run).at(-1)).toMatchObject({ type: 'run-end', verdict: 'passed' });
  });

  it('shows streamed output line by line, as the action printed it', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('print', 'test.echo', { text: 'ERROR one\nERROR two\nERROR three' })]));
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    world.store.getState().flush();
    expect(viewOf(world, run).steps[0]?.output).toEqual(['ERROR one', 'ERROR two', 'ERROR three']);
    const journaled = recordsOf(world, run).filter((record) => record.type === 'step-output');
    expect(journaled.map((record) => (record.type === 'step-output' ? record.text : '')).join('')).toBe('ERROR one\nERROR two\nERROR three\n');
  });

  it('shows the input form when a required input is missing, then runs with the submitted values', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([step('say', 'test.echo', { text: '{{ inputs.service }}' })], { inputs: [{ name: 'service', type: 'string', required: true }] });
    const run = startRun(world, playbook);
    const form = await awaitingOf(world, run, 'inputs');
    expect(form.errors).toEqual({ service: 'required: give a value' });
    expect(world.journals.opened.has(run.runId)).toBe(false);
    run.submitInputs({ service: 'api' });
    await awaitingOf(world, run, 'next-step');
    expect(viewOf(world, run).status).toBe('ready');
    run.runNext();
    expect(await run.finished).toBe('passed');
    expect(world.log).toContain('echo api');
  });

  it('a container input is resolved in the live state to its ref key, which the restart uses', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([step('restart', 'test.restart', { container: '{{ inputs.container }}' })], { inputs: [{ name: 'container', type: 'container', required: true }] });
    const missing = startRun(world, playbook, { inputs: { container: 'shop-nope-1' } });
    expect((await awaitingOf(world, missing, 'inputs')).errors).toEqual({ container: 'no container "shop-nope-1" in the live state' });
    missing.abort();
    expect(await missing.finished).toBe('aborted');
    const run = startRun(world, playbook, { inputs: { container: 'shop-api-1' } });
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    expect(viewOf(world, run).inputs).toEqual({ container: 'local/container/shop/shop-api-1' });
    expect(world.engine.restarts.map((restart) => restart.name)).toEqual(['shop-api-1']);
  });

  it('a number input alone in a text field (an argv element) becomes its text; in a number field it stays a number', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([step('say', 'test.echo', { text: '{{ inputs.days }}' }), step('code', 'test.exit', { code: '{{ inputs.days }}' }, { expect: { exitCode: [30] } })], {
      inputs: [{ name: 'days', type: 'number', required: true }],
    });
    const run = startRun(world, playbook, { inputs: { days: '30' } });
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    expect(world.log).toContain('echo 30');
    expect(recordsOf(world, run).find((record) => record.type === 'step-intent' && record.stepId === 'code')).toMatchObject({ params: { code: 30 } });
  });

  it('a parameter the action rejects after rendering fails the step before any call, naming the field', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([step('bad', 'test.exit', { code: '{{ inputs.code }}' })], { inputs: [{ name: 'code', type: 'string', required: true }] });
    const run = startRun(world, playbook, { inputs: { code: 'not a number' }, unattended: true });
    runOn(world, run);
    expect(await run.finished).toBe('failed');
    expect(viewOf(world, run).steps[0]?.detail).toMatch(/^with\.code: /);
    expect(recordsOf(world, run).some((record) => record.type === 'step-intent')).toBe(false);
  });

  it('retries a failing step after its delay and passes on the third attempt', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([step('flaky', 'test.flaky', { key: 'a', failTimes: 2 }, { retries: 2, retryDelayMs: 60 })]);
    const run = startRun(world, playbook);
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    const times = world.log.filter((line) => line.startsWith('flaky')).map((line) => Number(line.split(' at ')[1]));
    expect(times).toHaveLength(3);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(55);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(55);
    const results = recordsOf(world, run).filter((record) => record.type === 'step-result');
    expect(results.map((record) => record.type === 'step-result' && `${record.attempt}:${record.verdict}`)).toEqual(['1:failed', '2:failed', '3:passed']);
    expect(viewOf(world, run).steps[0]).toMatchObject({ status: 'passed', attempt: 3 });
  });

  it('applies expect: accepted exit codes pass, a case-insensitive output regex passes, a mismatch fails with the reason', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([
      step('grep-miss', 'test.exit', { code: 1 }, { expect: { exitCode: [0, 1] } }),
      step('output', 'test.exit', { code: 0 }, { expect: { output: '(?i)EXIT 0' } }),
      step('mismatch', 'test.exit', { code: 0 }, { expect: { output: '^nothing like it$' }, onFailure: { kind: 'continue' } }),
    ]);
    const run = startRun(world, playbook);
    runOn(world, run);
    expect(await run.finished).toBe('failed');
    const view = viewOf(world, run);
    expect(statuses(view)).toEqual({ 'grep-miss': 'passed', output: 'passed', mismatch: 'failed' });
    expect(view.steps[2]?.detail).toBe('expect: output does not match /^nothing like it$/');
    expect(view.summary).toMatch(/^failed \(steps failed: mismatch\): 2 passed, 1 failed/);
  });

  it('goes to the named step on failure (goto), leaving the steps in between unrun', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([
      step('check', 'test.exit', { code: 3 }, { onFailure: { kind: 'goto', step: 'fix' } }),
      step('report-ok', 'test.echo', { text: 'all fine' }),
      step('fix', 'test.echo', { text: 'fixing' }),
    ]);
    const run = startRun(world, playbook);
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    expect(statuses(viewOf(world, run))).toEqual({ check: 'failed', 'report-ok': 'pending', fix: 'passed' });
    expect(world.log).not.toContain('echo all fine');
  });

  it('rolls back when a step with onFailure rollback fails: the rollback list runs, the verdict is rolled-back', async () => {
    const world = runnerWorld();
    const playbook = playbookOf(
      [step('change', 'test.echo', { text: 'change' }), step('verify', 'test.exit', { code: 2 }, { onFailure: { kind: 'rollback' } }), step('after', 'test.echo', { text: 'after' })],
      { rollback: [step('undo', 'test.echo', { text: 'undo' })] },
    );
    const run = startRun(world, playbook);
    runOn(world, run);
    expect(await run.finished).toBe('rolled-back');
    const view = viewOf(world, run);
    expect(view.rollbackSteps[0]?.status).toBe('passed');
    expect(view.steps[2]?.status).toBe('pending');
    expect(world.log.filter((line) => line.startsWith('echo'))).toEqual(['echo change', 'echo undo']);
    expect(recordsOf(world, run).at(-1)).toMatchObject({ type: 'run-end', verdict: 'rolled-back', reason: 'step verify failed' });
  });

  it('a decision sends the run down the chosen branch', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([
      step('ask', 'test.decide', { question: 'Escalate?', options: [{ id: 'yes', label: 'Escalate', goto: 'escalate' }, { id: 'no', label: 'Done' }] }),
      step('done', 'test.echo', { text: 'done' }),
      step('escalate', 'test.echo', { text: 'paging' }),
    ]);
    const run = startRun(world, playbook);
    runOn(world, run);
    const decision = await awaitingOf(world, run, 'decision');
    expect(decision.options.map((option) => option.id)).toEqual(['yes', 'no']);
    expect(viewOf(world, run).steps[0]?.status).toBe('awaiting-operator');
    run.choose('yes');
    expect(await run.finished).toBe('passed');
    expect(statuses(viewOf(world, run))).toEqual({ ask: 'passed', done: 'pending', escalate: 'passed' });
    expect(recordsOf(world, run).find((record) => record.type === 'step-result' && record.stepId === 'ask')).toMatchObject({ choice: 'yes' });
  });

  it('fails a step that runs past its timeout', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('slow', 'test.sleep', { ms: 5000 }, { timeoutMs: 50 })]), { unattended: true });
    runOn(world, run);
    expect(await run.finished).toBe('failed');
    expect(viewOf(world, run).steps[0]?.detail).toBe('timed out after 0.1 s');
  });

  it('dry-run: the mutating step shows the exact call and sends nothing, the reading steps really run', async () => {
    const world = runnerWorld();
    const playbook = playbookOf([
      step('before', 'test.echo', { text: 'before' }),
      step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no' }),
      step('after', 'test.echo', { text: 'after' }),
    ]);
    const run = startRun(world, playbook, { dryRun: true });
    runOn(world, run);
    expect(await run.finished).toBe('passed');
    const view = viewOf(world, run);
    expect(statuses(view)).toEqual({ before: 'passed', restart: 'would-do', after: 'passed' });
    expect(view.steps[1]?.calls).toEqual(['POST /containers/c0ffee/restart?t=10']);
    expect(world.engine.restarts).toEqual([]);
    expect(world.log.filter((line) => line.startsWith('echo'))).toEqual(['echo before', 'echo after']);
    expect(recordsOf(world, run).find((record) => record.type === 'step-intent' && record.stepId === 'restart')).toMatchObject({ dryRun: true, mutates: true });
  });

  it('read-only: the mutating step is refused by the executor, listed, the run goes on per its policy and is not passed', async () => {
    const world = runnerWorld({ readOnly: true });
    const playbook = playbookOf([
      step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no', onFailure: { kind: 'continue' } }),
      step('verify', 'test.echo', { text: 'verify' }),
    ]);
    const run = startRun(world, playbook);
    runOn(world, run);
    expect(await run.finished).toBe('failed');
    const view = viewOf(world, run);
    expect(statuses(view)).toEqual({ restart: 'refused', verify: 'passed' });
    expect(view.refusedSteps).toEqual(['restart']);
    expect(view.steps[0]?.detail).toBe('read-only mode: refused to restart shop-api-1');
    expect(view.summary).toContain('not done (read-only mode refused them): restart');
    expect(world.engine.restarts).toEqual([]);
  });

  it('a runs on through a confirmation answered yes and stops at the next one answered no', async () => {
    const world = runnerWorld();
    const run = startRun(
      world,
      playbookOf([
        step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no' }),
        step('after', 'test.echo', { text: 'verified' }),
        step('again', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no' }),
        step('last', 'test.echo', { text: 'done' }),
      ]),
    );
    await awaitingOf(world, run, 'next-step');
    run.runToNextStop();
    await awaitingOf(world, run, 'confirm');
    run.confirm(true);
    // No enter needed for `after`: the run goes on to the second confirmation by itself.
    const second = await awaitingOf(world, run, 'confirm');
    expect(second.stepId).toBe('again');
    // The question names its target, not only the call with the container id.
    expect(second.question).toBe('again (shop-api-1)?');
    expect(statuses(viewOf(world, run))).toMatchObject({ restart: 'passed', after: 'passed' });
    run.confirm(false);
    const waiting = await awaitingOf(world, run, 'next-step');
    expect(waiting.stepId).toBe('again');
    expect(world.engine.restarts).toHaveLength(1);
  });

  it('type-target: a wrong name is journaled and asked again, the right name runs the restart after the fsynced intent', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'type-target' })]));
    runOn(world, run);
    const asked = await awaitingOf(world, run, 'confirm');
    expect(asked).toMatchObject({ mode: 'type-target', expected: 'shop-api-1', calls: ['POST /containers/c0ffee/restart?t=10'] });
    run.confirm('shop-api');
    await awaitingOf(world, run, 'confirm');
    expect(viewOf(world, run).steps[0]?.detail).toBe('typed "shop-api", expected "shop-api-1"');
    expect(world.engine.restarts).toEqual([]);
    run.confirm('shop-api-1');
    expect(await run.finished).toBe('passed');
    expect(world.engine.restarts.map((restart) => restart.name)).toEqual(['shop-api-1']);
    expect(world.log).toEqual(['intent restart', 'restart shop-api-1']);
    const confirmations = recordsOf(world, run).filter((record) => record.type === 'confirmation');
    expect(confirmations).toMatchObject([
      { mode: 'type-target', operator: 'alice', answer: 'shop-api', accepted: false },
      { mode: 'type-target', operator: 'alice', answer: 'shop-api-1', accepted: true },
    ]);
  });

  it('--yes answers a yes/no confirmation (journaled); unattended, a typed name cannot be given and the step fails', async () => {
    const world = runnerWorld();
    const yes = startRun(world, playbookOf([step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'yes-no' })]), { assumeYes: true, unattended: true });
    runOn(world, yes);
    expect(await yes.finished).toBe('passed');
    expect(recordsOf(world, yes).find((record) => record.type === 'confirmation')).toMatchObject({ answer: 'yes (--yes)', accepted: true });
    const typed = startRun(world, playbookOf([step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'type-target' })]), { assumeYes: true, unattended: true });
    runOn(world, typed);
    expect(await typed.finished).toBe('failed');
    expect(viewOf(world, typed).steps[0]?.detail).toBe('needs an operator to type shop-api-1 (run on a terminal)');
    expect(world.engine.restarts).toHaveLength(1);
  });

  it('a target locked by another run names its holder; take-over is journaled and the step runs', async () => {
    const world = runnerWorld();
    world.locks.held.set('local/container/shop/shop-api-1', { operator: 'bob', runId: 'other-run', stepId: 'stop', pid: 1, host: 'bastion', since: 0 });
    const run = startRun(world, playbookOf([step('restart', 'test.restart', { container: 'shop-api-1' })]));
    runOn(world, run);
    const held = await awaitingOf(world, run, 'lock-held');
    expect(held).toMatchObject({ target: 'shop-api-1', holder: { operator: 'bob', runId: 'other-run', stepId: 'stop' } });
    expect(viewOf(world, run).steps[0]?.detail).toBe('shop-api-1 is held by bob (run other-run, step stop)');
    run.takeOver();
    expect(await run.finished).toBe('passed');
    const locks = recordsOf(world, run).filter((record) => record.type === 'lock');
    expect(locks.map((record) => record.type === 'lock' && record.event)).toEqual(['held-by-other', 'taken-over', 'released']);
    expect(world.locks.held.has('local/container/shop/shop-api-1')).toBe(false);
  });

  it('second-operator: the step waits until another operator approves; both names are journaled', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('restart', 'test.restart', { container: 'shop-api-1' }, { confirm: 'second-operator' })]));
    runOn(world, run);
    const waiting = await awaitingOf(world, run, 'approval');
    expect(waiting.requestedBy).toBe('alice');
    expect(viewOf(world, run).steps[0]?.status).toBe('awaiting-approval');
    expect(world.engine.restarts).toEqual([]);
    world.approvals.approveAs(run.runId, 'bob');
    expect(await run.finished).toBe('passed');
    expect(recordsOf(world, run).find((record) => record.type === 'approval')).toMatchObject({ requestedBy: 'alice', approver: 'bob', accepted: true });
    expect(world.engine.restarts).toHaveLength(1);
  });

  it('abort while a step runs ends the run aborted; with a rollback list it is offered first', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('slow', 'test.sleep', { ms: 5000 })], { rollback: [step('undo', 'test.echo', { text: 'undo' })] }));
    runOn(world, run);
    await waitFor('the step running', () => viewOf(world, run).steps[0]?.status === 'running', { intervalMs: 5 });
    run.abort();
    const offer = await awaitingOf(world, run, 'failure');
    expect(offer).toMatchObject({ canRollback: true, error: 'aborted by the operator: roll back?' });
    run.rollback();
    expect(await run.finished).toBe('rolled-back');
    expect(world.log).toContain('echo undo');
  });

  it('stepping: each step waits for enter unless the operator runs on', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('one', 'test.echo', { text: 'one' }), step('two', 'test.echo', { text: 'two' })]));
    expect((await awaitingOf(world, run, 'next-step')).stepId).toBe('one');
    run.runNext();
    await waitFor('step two ready', () => viewOf(world, run).awaiting?.kind === 'next-step' && viewOf(world, run).awaiting);
    expect(viewOf(world, run).steps.map((item) => item.status)).toEqual(['passed', 'pending']);
    expect(world.log).toEqual(['intent one', 'echo one']);
    run.skip();
    expect(await run.finished).toBe('passed');
    expect(statuses(viewOf(world, run))).toEqual({ one: 'passed', two: 'skipped' });
  });

  it('streams output into the store and journals it redacted', async () => {
    const world = runnerWorld();
    const run = startRun(world, playbookOf([step('say', 'test.echo', { text: 'login password=hunter2 ok' })]));
    runOn(world, run);
    await run.finished;
    world.store.getState().flush();
    expect(viewOf(world, run).steps[0]?.output).toEqual(['login password=hunter2 ok']);
    const output = recordsOf(world, run).find((record) => record.type === 'step-output');
    expect(output).toMatchObject({ stream: 'stdout', text: 'login password=[redacted] ok\n' });
  });
});
