// services.status and errors.recent against a real store fed as the adapters feed it,
// evidence.capture into a real folder (its manifest checked by sha256sum -c), the interactive
// actions, and the step expect that every outcome passes through.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration, formatDuration } from '../../src/domain/duration';
import type { LogLine } from '../../src/domain/types';
import type { StepOutcome } from '../../src/playbooks/actions/action-registry';
import { judgeOutcome } from '../../src/playbooks/actions/expect-match';
import { temporaryDirectory, testContext } from '../support/action-context';
import { container, FIXED_NOW, inventoryOf } from '../support/domain-fixtures';
import { ScriptedExecutor } from '../support/scripted-executor';
import { createTestStore } from '../support/test-store';
import { utcStamp } from '../../src/domain/utc-stamp';
import { builtInAction as action, parsedParams as params } from '../support/built-in-actions';


const MINUTE = 60_000;

const api = container('api', { id: 'a1', health: 'healthy', startedAt: FIXED_NOW - 90 * MINUTE, restartCount: 1 });
const worker = container('worker', { id: 'w1', state: 'restarting', restartCount: 14 });
const batch = container('batch', { id: 'b1', state: 'exited', exitCode: 0 });
const vault = container('vault', { project: 'ops', id: 'v1', health: 'unhealthy', startedAt: FIXED_NOW - 5 * MINUTE });

function reportStore() {
  const store = createTestStore({ now: () => FIXED_NOW });
  store.getState().inventoryReplaced('local', inventoryOf([api, worker, batch, vault]));
  const line = (instance: typeof api, text: string, minutesAgo: number): LogLine => ({
    instanceKey: instance.key,
    workloadKey: instance.workloadKey,
    stream: 'stderr',
    timestamp: FIXED_NOW - minutesAgo * MINUTE,
    rawTimestamp: new Date(FIXED_NOW - minutesAgo * MINUTE).toISOString(),
    text,
  });
  store.getState().logLinesReceived([
    line(api, 'ERROR connection refused to 10.0.0.7:5432', 50),
    line(api, 'ERROR connection refused to 10.0.0.9:5432', 10),
    line(api, 'ERROR connection refused to 10.0.0.8:5432', 5),
    line(vault, 'FATAL vault is sealed', 3),
    line(worker, 'ERROR old failure', 300),
  ]);
  store.getState().flush();
  return store;
}

describe('services.status', () => {
  it('lists every container in panel order and fails on restarting and unhealthy ones', async () => {
    const store = reportStore();
    const { context } = testContext({ store, now: () => FIXED_NOW });
    const outcome = await action('services.status').run(params('services.status', {}), context);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('ops-vault-1 unhealthy; shop-worker-1 restarting');
    const lines = (outcome.stdout ?? '').split('\n');
    expect(lines.map((text) => text.split(/\s+/)[2])).toEqual(['ops-vault-1', 'shop-api-1', 'shop-batch-1', 'shop-worker-1']);
    expect(lines[1]).toMatch(/^local\s+shop\/api\s+shop-api-1\s+running\s+healthy\s+1 restarts\s+up 1h30m$/);
    expect(outcome.data).toEqual({ containers: 4, problems: ['ops-vault-1 unhealthy', 'shop-worker-1 restarting'] });
  });

  it('reports one project, and passes when it is well', async () => {
    const store = createTestStore();
    store.getState().inventoryReplaced('local', inventoryOf([api, batch]));
    store.getState().flush();
    const { context } = testContext({ store, now: () => FIXED_NOW });
    expect((await action('services.status').run(params('services.status', { project: 'shop' }), context)).status).toBe('passed');
    expect(await action('services.status').run(params('services.status', { project: 'nope' }), context)).toMatchObject({ status: 'failed', error: 'no containers in project nope' });
  });
});

describe('errors.recent', () => {
  it('lists fingerprints of the window, most frequent first, with counts and the newest line', async () => {
    const store = reportStore();
    const { context } = testContext({ store, now: () => FIXED_NOW });
    const outcome = await action('errors.recent').run(params('errors.recent', { since: '1h' }), context);
    expect(outcome.status).toBe('passed');
    const lines = (outcome.stdout ?? '').split('\n');
    expect(lines[0]).toMatch(/^3× ERROR connection refused to .* \(shop\/api\)$/);
    expect(lines[1]).toBe('    newest: ERROR connection refused to 10.0.0.8:5432');
    expect(lines[2]).toMatch(/^1× FATAL vault is sealed \(ops\/vault\)$/);
    expect(outcome.stdout).not.toContain('old failure');
    expect(outcome.data).toEqual({ count: 4, fingerprints: 2 });
  });

  it('narrows to a service and a limit', async () => {
    const store = reportStore();
    const { context } = testContext({ store, now: () => FIXED_NOW });
    expect((await action('errors.recent').run(params('errors.recent', { service: 'ops/vault' }), context)).data).toEqual({ count: 1, fingerprints: 1 });
    expect((await action('errors.recent').run(params('errors.recent', { service: 'api', since: '8m' }), context)).data).toEqual({ count: 3, fingerprints: 1 });
    const limited = await action('errors.recent').run(params('errors.recent', { limit: 1, since: '1d' }), context);
    expect(limited.stdout?.split('\n').at(-1)).toBe('… 2 more');
    expect((await action('errors.recent').run(params('errors.recent', { service: 'ghost' }), context)).stdout).toBe('no errors in ghost in the last 1h');
  });
});

describe('evidence.capture', () => {
  it('writes logs and inspect JSON of every container of the project into a new folder with a manifest sha256sum accepts', async () => {
    const store = reportStore();
    const executor = new ScriptedExecutor((sent) =>
      sent.verb === 'inspect'
        ? { output: { inspect: { name: sent.target.name, state: 'running', raw: { Id: sent.target.uid, Name: `/${sent.target.name}` } } } }
        : { output: { stdout: `log of ${sent.target.name}\nline two` } },
    );
    const runDirectory = temporaryDirectory();
    const { context } = testContext({ store, executor, runDirectory, now: () => FIXED_NOW, dryRun: true });
    const capture = params('evidence.capture', { project: 'shop' });
    expect(action('evidence.capture').mutates(capture)).toBe(false);
    expect(action('evidence.capture').describe(capture, context)).toHaveLength(6);
    const outcome = await action('evidence.capture').run(capture, context);
    const directory = join(runDirectory, `evidence-${utcStamp(FIXED_NOW)}`);
    expect(outcome).toMatchObject({ status: 'passed', data: { directory } });
    expect(readdirSync(directory).sort()).toEqual([
      'MANIFEST.sha256',
      'shop-api-1.inspect.json',
      'shop-api-1.log',
      'shop-batch-1.inspect.json',
      'shop-batch-1.log',
      'shop-worker-1.inspect.json',
      'shop-worker-1.log',
    ]);
    expect(JSON.parse(readFileSync(join(directory, 'shop-api-1.inspect.json'), 'utf8'))).toEqual({ Id: 'a1', Name: '/shop-api-1' });
    expect(readFileSync(join(directory, 'shop-api-1.log'), 'utf8')).toBe('log of shop-api-1\nline two\n');
    // The independent check an investigator runs.
    expect(execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: directory, encoding: 'utf8' })).toMatch(/shop-worker-1\.log: OK/);
    // A dry run still captures (reads only), and a second capture never reuses the folder.
    expect(await action('evidence.capture').run(capture, context)).toMatchObject({ status: 'failed', error: `${directory} already exists: evidence goes into a new folder` });
  });

  it('fails when there is nothing to capture, and notes containers it could not read', async () => {
    const store = reportStore();
    const executor = new ScriptedExecutor((sent) => (sent.verb === 'logs' ? { status: 'failed', error: 'gone' } : { output: { inspect: { name: sent.target.name, state: 'exited', raw: {} } } }));
    const { context } = testContext({ store, executor });
    expect(await action('evidence.capture').run(params('evidence.capture', { project: 'nope' }), context)).toMatchObject({ status: 'failed', error: 'no containers in project nope' });
    const directory = join(temporaryDirectory(), 'case-42');
    const outcome = await action('evidence.capture').run(params('evidence.capture', { project: 'ops', directory }), context);
    expect(outcome).toMatchObject({ status: 'failed', error: 'logs ops-vault-1: gone' });
    // What could be read is kept, and the manifest covers it.
    expect(readdirSync(directory).sort()).toEqual(['MANIFEST.sha256', 'ops-vault-1.inspect.json']);
    expect(existsSync(join(directory, 'ops-vault-1.log'))).toBe(false);
  });
});

describe('interactive actions', () => {
  it('decision returns the branch the operator chose', async () => {
    const store = createTestStore();
    const { context, record } = testContext({ store, answer: () => ({ kind: 'decision', choice: 'escalate' }) });
    const decision = params('decision', { question: 'Still down?', options: [{ id: 'retry', label: 'Try again', goto: 'restart' }, { id: 'escalate', label: 'Page on-call' }] });
    expect(await action('decision').run(decision, context)).toMatchObject({ status: 'passed', choice: 'escalate' });
    expect(record.asked[0]).toMatchObject({ kind: 'decision', question: 'Still down?' });
    expect(action('decision').params.safeParse({ question: 'q', options: [{ id: 'a', label: 'A' }] }).success).toBe(false);
    expect(action('decision').params.safeParse({ question: 'q', options: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] }).success).toBe(false);
  });

  it('manual passes only when every item is ticked', async () => {
    const store = createTestStore();
    let ticked = [true, false];
    const { context } = testContext({ store, answer: () => ({ kind: 'checklist', ticked }) });
    const manual = params('manual', { instructions: 'Announce the window', checklist: ['Status page updated', 'Team told'] });
    expect(await action('manual').run(manual, context)).toMatchObject({ status: 'failed', error: 'not ticked: Team told' });
    ticked = [true, true];
    expect(await action('manual').run(manual, context)).toMatchObject({ status: 'passed', stdout: '[x] Status page updated\n[x] Team told' });
  });

  it('note shows its text', async () => {
    const store = createTestStore();
    const { context, record } = testContext({ store });
    expect(await action('note').run(params('note', { text: 'Backups older than 24h\nare a finding' }), context)).toMatchObject({ status: 'passed', stdout: 'Backups older than 24h\nare a finding' });
    expect(record.output.map((line) => line.text)).toEqual(['Backups older than 24h', 'are a finding']);
  });
});

describe('step expect', () => {
  const ran = (change: Partial<StepOutcome>): StepOutcome => ({ status: 'passed', calls: [], ...change });

  it('matches output across stdout and stderr, case-insensitively with (?i)', () => {
    expect(judgeOutcome(ran({ stdout: 'Sealed: false' }), { output: '(?i)sealed: FALSE' }).status).toBe('passed');
    expect(judgeOutcome(ran({ stderr: 'warning: x' }), { output: 'warning' }).status).toBe('passed');
    expect(judgeOutcome(ran({ stdout: 'Sealed: true' }), { output: 'Sealed: false' })).toMatchObject({ status: 'failed', error: 'expect: output does not match /Sealed: false/' });
  });

  it('never turns a refusal, a dry run or a failure for another reason into a pass', () => {
    expect(judgeOutcome(ran({ status: 'refused' }), { exitCode: [0] }).status).toBe('refused');
    expect(judgeOutcome(ran({ status: 'would-do' }), { output: 'x' }).status).toBe('would-do');
    expect(judgeOutcome(ran({ status: 'failed', error: 'timed out' }), { exitCode: [0, 1] }).status).toBe('failed');
    expect(judgeOutcome(ran({ status: 'failed', exitCode: 1, stdout: 'nope' }), { exitCode: [1], output: 'yes' })).toMatchObject({ status: 'failed', error: 'expect: output does not match /yes/' });
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2000', 2000],
    [1500, 1500],
  ] as const)('parses %j', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds);
  });

  it.each(['', 'soon', '5 m', '-5m', '1h30', -1])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats the two largest units', () => {
    expect([850, 12_000, 90_000, 2 * 3600_000 + 5 * 60_000 + 7000, 3 * 86_400_000 + 4 * 3600_000, 3600_000].map(formatDuration)).toEqual(['850ms', '12s', '1m30s', '2h5m', '3d4h', '1h']);
  });
});
