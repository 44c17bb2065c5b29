// The runner on the real engine through the bundled CLI: `opsdeck run` restarts a container
// (verified by StartedAt and the engine's events), `--dry-run` and `--read-only` send no
// mutation while the inspect step really ran, a SIGKILLed run resumes knowing what happened,
// and a second process is told who holds the target.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { readJournal, verifyJournal } from '../../src/journal/journal-reader';
import type { JournalRecord } from '../../src/journal/journal-types';
import { BUNDLE, runInPseudoTerminal, visibleText } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const PROJECT = `runner${process.pid}`;
/** Exits on SIGTERM: a restart takes a moment. */
const QUICK = `${PROJECT}-api-1`;
/** PID 1 without a TERM handler ignores SIGTERM: a restart waits its whole grace, then kills. */
const STUBBORN = `${PROJECT}-db-1`;
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/playbooks/runner');
const MUTATIONS = new Set(['restart', 'stop', 'kill', 'start', 'die']);

const stateHome = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-runner-state-'));
const environment = {
  XDG_STATE_HOME: stateHome,
  XDG_CONFIG_HOME: path.join(stateHome, 'config'),
  OPSDECK_SHARED_DIR: path.join(stateHome, 'shared'),
  NODE_ENV: 'test',
  NO_COLOR: '1',
};
const runsDirectory = path.join(stateHome, 'opsdeck', 'runs');
const children: ChildProcess[] = [];

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The bundled CLI with the test's state directories; `onStdout` sees the output as it comes. */
function opsdeck(args: string[], env: Record<string, string> = {}): { child: ChildProcess; stdout(): string; done: Promise<Finished> } {
  const child = spawn(process.execPath, [BUNDLE, '--docker-host', dockerHost, '--playbooks', FIXTURES, ...args], {
    env: { ...process.env, ...environment, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, stdout: () => stdout, done };
}

async function startedAt(name: string): Promise<number> {
  return Date.parse((await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', name])).stdout.trim());
}

/** The container's own event log since `since` (ISO), e.g. ['kill', 'die', 'start', 'restart']. */
async function engineEvents(name: string, since: string): Promise<string[]> {
  const until = new Date(Date.now() + 1000).toISOString();
  const events = await docker(dockerHost, ['events', '--since', since, '--until', until, '--filter', `container=${name}`, '--format', '{{.Action}}']);
  return events.stdout.split('\n').filter((line) => line !== '');
}

function journalOf(runId: string): string {
  return path.join(runsDirectory, `${runId}.jsonl`);
}

function runIdIn(stdout: string): string | undefined {
  return /^run (\S+): /m.exec(stdout)?.[1];
}

function records(runId: string, type?: JournalRecord['type']): JournalRecord[] {
  const all = readJournal(journalOf(runId)).records;
  return type ? all.filter((record) => record.type === type) : all;
}

function hasIntent(runId: string | undefined, stepId: string): boolean {
  return !!runId && existsSync(journalOf(runId)) && records(runId, 'step-intent').some((record) => record.type === 'step-intent' && record.stepId === stepId);
}

async function startContainer(name: string, service: string, script: string): Promise<void> {
  await docker(dockerHost, ['run', '-d', '--name', name, '--network', 'none', '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=${service}`, IMAGE, 'sh', '-c', script]);
}

describe('playbook runner on the real engine (opsdeck run / resume)', () => {
  beforeAll(async () => {
    await startContainer(QUICK, 'api', "trap 'exit 0' TERM; while :; do sleep 1; done");
    // Ignores SIGTERM (a shell as PID 1 may still die of it): a restart waits out the whole grace period.
    await startContainer(STUBBORN, 'db', "trap '' TERM; while :; do sleep 1; done");
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await docker(dockerHost, ['rm', '-f', QUICK, STUBBORN], { reject: false });
  });

  it('opsdeck run restarts the container: StartedAt moves, the engine saw one restart, exit 0', async () => {
    const before = await startedAt(QUICK);
    const since = new Date().toISOString();
    const result = await opsdeck(['run', 'runner-restart', '--input', `container=${QUICK}`, '--yes']).done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[2\/3\] Restart it: POST \/containers\/[0-9a-f]{64}\/restart\?t=10 \.\.\. passed \(\d+\.\d s\)/);
    expect(result.stdout).toMatch(/\[3\/3\] Check it runs again: GET \/containers\/[0-9a-f]{64}\/json \.\.\. passed/);
    expect(await startedAt(QUICK)).toBeGreaterThan(before);
    expect((await engineEvents(QUICK, since)).filter((action) => action === 'restart')).toHaveLength(1);
    const runId = runIdIn(result.stdout) as string;
    expect(verifyJournal(journalOf(runId)).ok).toBe(true);
    expect(records(runId).at(-1)).toMatchObject({ type: 'run-end', verdict: 'passed' });
  });

  it('--json prints one object per step transition and the verdict', async () => {
    const result = await opsdeck(['run', 'runner-restart', '--input', `container=${QUICK}`, '--yes', '--json', '--dry-run']).done;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; id?: string; status?: string; verdict?: string });
    expect(lines.filter((line) => line.type === 'step' && line.id === 'restart').map((line) => line.status)).toEqual(expect.arrayContaining(['running', 'would-do']));
    expect(lines.at(-1)).toMatchObject({ type: 'run', verdict: 'passed' });
  });

  it('--dry-run: the restart is shown as would-do and not sent; the inspect steps really ran (their output is journaled)', async () => {
    const before = await startedAt(QUICK);
    const since = new Date().toISOString();
    const result = await opsdeck(['--dry-run', 'run', 'runner-restart', '--input', `container=${QUICK}`, '--yes']).done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[2\/3\] Restart it: POST \/containers\/[0-9a-f]{64}\/restart\?t=10 \.\.\. would-do/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await startedAt(QUICK)).toBe(before);
    expect((await engineEvents(QUICK, since)).filter((action) => MUTATIONS.has(action))).toEqual([]);
    const runId = runIdIn(result.stdout) as string;
    const inspected = records(runId, 'step-output').filter((record) => record.type === 'step-output' && record.stepId === 'before');
    expect(inspected.map((record) => (record.type === 'step-output' ? record.text : '')).join('')).toContain('running');
  });

  it('--read-only: the restart is refused and named, nothing is sent, the inspect ran; exit 1', async () => {
    const before = await startedAt(QUICK);
    const since = new Date().toISOString();
    const result = await opsdeck(['--read-only', 'run', 'runner-restart', '--input', `container=${QUICK}`, '--yes']).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\[2\/3\] Restart it: .* \.\.\. refused/);
    expect(result.stdout).toContain(`read-only mode: refused to restart ${QUICK}`);
    expect(result.stdout).toContain('not done (read-only mode refused them): restart');
    expect(await startedAt(QUICK)).toBe(before);
    expect((await engineEvents(QUICK, since)).filter((action) => MUTATIONS.has(action))).toEqual([]);
    const runId = runIdIn(result.stdout) as string;
    expect(records(runId, 'step-output').some((record) => record.type === 'step-output' && record.stepId === 'before')).toBe(true);
  });

  it('an invalid input exits 2 naming the input; an unknown playbook exits 2', async () => {
    const missing = await opsdeck(['run', 'runner-restart', '--input', 'container=no-such-container']).done;
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('input container: no container "no-such-container" in the live state');
    const unknown = await opsdeck(['run', 'no-such-playbook']).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no playbook no-such-playbook/);
  });

  it('SIGKILL during the restart: the journal verifies, resume observes the restart happened and does not restart again', async () => {
    const since = new Date().toISOString();
    const run = opsdeck(['run', 'runner-restart', '--input', `container=${STUBBORN}`, '--input', 'grace=3s', '--yes']);
    await waitFor('the restart intent', () => hasIntent(runIdIn(run.stdout()), 'restart'), { timeoutMs: 30_000, intervalMs: 20 });
    const runId = runIdIn(run.stdout()) as string;
    const intentAt = records(runId, 'step-intent').find((record) => record.type === 'step-intent' && record.stepId === 'restart')?.at as number;
    // The call is on its way; the engine waits out the 3 s grace while the runner dies.
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGKILL');
    await run.done;
    expect(verifyJournal(journalOf(runId)).ok).toBe(true);
    expect(records(runId).at(-1)?.type, run.stdout()).toBe('step-intent');
    await waitFor('the engine finishing the restart', async () => (await engineEvents(STUBBORN, since)).includes('restart'), { timeoutMs: 30_000, intervalMs: 200 });
    expect(await startedAt(STUBBORN)).toBeGreaterThan(intentAt);
    const resumed = await opsdeck(['resume', runId, '--yes']).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/Restart it: .* \.\.\. passed/);
    expect(resumed.stdout).toMatch(/on resume: happened: .*StartedAt .* is after the intent/);
    expect(records(runId, 'resume')).toMatchObject([{ observations: [{ stepId: 'restart', verdict: 'happened' }] }]);
    expect((await engineEvents(STUBBORN, since)).filter((action) => action === 'restart')).toHaveLength(1);
    expect(verifyJournal(journalOf(runId)).ok).toBe(true);
    expect(records(runId).at(-1)).toMatchObject({ type: 'run-end', verdict: 'passed' });
  });

  it('SIGKILL between the intent and the call: resume sees no restart and runs it, once', async () => {
    const since = new Date().toISOString();
    const run = opsdeck(['run', 'runner-restart', '--input', `container=${QUICK}`, '--yes'], { OPSDECK_TEST_PAUSE_AFTER_INTENT: '30000' });
    await waitFor('the restart intent', () => hasIntent(runIdIn(run.stdout()), 'restart'), { timeoutMs: 30_000, intervalMs: 20 });
    run.child.kill('SIGKILL');
    await run.done;
    const runId = runIdIn(run.stdout()) as string;
    expect(await engineEvents(QUICK, since)).toEqual([]);
    const resumed = await opsdeck(['resume', runId, '--yes']).done;
    expect(resumed.code).toBe(0);
    expect(records(runId, 'resume')).toMatchObject([{ observations: [{ stepId: 'restart', verdict: 'not-happened' }] }]);
    expect((await engineEvents(QUICK, since)).filter((action) => action === 'restart')).toHaveLength(1);
  });

  it('SIGKILL before a call whose effect cannot be observed: resume asks on the terminal, then runs it', async () => {
    const marker = path.join(stateHome, `marker-${process.pid}`);
    const run = opsdeck(['run', 'runner-touch', '--input', `file=${marker}`, '--yes'], { OPSDECK_TEST_PAUSE_AFTER_INTENT: '30000' });
    await waitFor('the touch intent', () => hasIntent(runIdIn(run.stdout()), 'touch'), { timeoutMs: 30_000, intervalMs: 20 });
    run.child.kill('SIGKILL');
    await run.done;
    const runId = runIdIn(run.stdout()) as string;
    expect(existsSync(marker)).toBe(false);
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost, '--playbooks', FIXTURES, 'resume', runId], { env: environment });
    children.push(terminal.child);
    await terminal.waitForOutput((output) => visibleText(output).includes('Run the step again? [y/N]'), 30_000);
    expect(visibleText(terminal.output())).toContain('shell.run cannot tell whether the interrupted call took effect');
    expect(existsSync(marker)).toBe(false);
    terminal.write('y\r');
    expect(await terminal.exited).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(records(runId, 'confirmation')).toMatchObject([{ mode: 'yes-no', answer: 'yes (--yes)' }, { mode: 'resume', answer: 'repeat', accepted: true }]);
  });

  it('a second process reaching the same target is told who holds it (operator, run, step)', async () => {
    const holder = opsdeck(['run', 'runner-restart', '--input', `container=${QUICK}`, '--yes'], { OPSDECK_TEST_PAUSE_AFTER_INTENT: '30000', USER: 'alice', SUDO_USER: '' });
    await waitFor('the holder at its restart', () => hasIntent(runIdIn(holder.stdout()), 'restart'), { timeoutMs: 30_000, intervalMs: 20 });
    const holderRun = runIdIn(holder.stdout()) as string;
    const second = await opsdeck(['run', 'runner-restart', '--input', `container=${QUICK}`, '--yes'], { USER: 'bob', SUDO_USER: '' }).done;
    expect(second.code).toBe(1);
    expect(second.stdout).toContain(`${QUICK} is held by alice (run ${holderRun}, step restart)`);
    holder.child.kill('SIGKILL');
    await holder.done;
    const journal = readFileSync(journalOf(runIdIn(second.stdout) as string), 'utf8');
    expect(journal).toContain('"event":"held-by-other"');
  });
});
