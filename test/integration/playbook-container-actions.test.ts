// The playbook container actions on the real engine, through the runtime's one action path:
// a restart verified by the engine's StartedAt and observed on resume, dry-run and read-only
// verified by the engine's own event log, the reads (inspect, logs, exec, stats), an archive
// of a data path verified and restored, and evidence of a project with its manifest.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { containerLifecycleEvents, startRuntimeOn } from '../support/library-stack';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import type { StepOutcome } from '../../src/playbooks/actions/action-registry';
import type { Runtime } from '../../src/runtime/runtime';
import { temporaryDirectory, testContext } from '../support/action-context';
import { waitFor } from '../support/wait-for';
import { builtInAction as action } from '../support/built-in-actions';

const dockerHost = inject('dockerHost');
const PROJECT = `pbactions${process.pid}`;
const NAME = `${PROJECT}-app-1`;
const runtimes: Runtime[] = [];

async function startRuntime(readOnly: boolean): Promise<Runtime> {
  const runtime = await startRuntimeOn(dockerHost, NAME, { readOnly });
  runtimes.push(runtime);
  return runtime;
}

/** Runs `name` with `raw` parameters as a step does, in a context over the runtime. */
async function step(runtime: Runtime, name: string, raw: Record<string, unknown>, options: { dryRun?: boolean; runDirectory?: string } = {}): Promise<StepOutcome> {
  const readOnly = runtime.store.getState().readOnly;
  const { context } = testContext({ store: runtime.store, executor: runtime.executor, readOnly, timeoutMs: 30_000, ...options });
  return action(name).run(action(name).params.parse(raw), context);
}

async function startedAt(): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', NAME])).stdout.trim();
}

async function stateOf(): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', '{{.State.Status}}', NAME])).stdout.trim();
}

const engineActions = (since: string): Promise<string[]> => containerLifecycleEvents(dockerHost, NAME, since);

describe('playbook container actions (real engine)', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    // Exits on SIGTERM at once (a restart takes a moment, not the stop timeout); logs a known line; has data to archive.
    await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=app`,
      IMAGE, 'sh', '-c', "mkdir -p /data && echo hello > /data/hello.txt && echo 'ERROR disk almost full'; echo 'INFO ready'; trap 'exit 0' TERM; while :; do sleep 1; done",
    ]);
    runtime = await startRuntime(false);
  });

  afterAll(async () => {
    for (const each of runtimes) await each.stop();
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  });

  it('restarts the container: StartedAt moves, and resume observes that the restart happened', async () => {
    const before = await startedAt();
    const intentAt = Date.now();
    const restart = action('container.restart').params.parse({ container: NAME, timeout: '5s' });
    const { context } = testContext({ store: runtime.store, executor: runtime.executor, timeoutMs: 30_000 });
    expect(action('container.restart').describe(restart, context)).toEqual([{ type: 'http', method: 'POST', path: expect.stringMatching(/^\/containers\/[0-9a-f]{64}\/restart\?t=5$/) }]);
    const outcome = await action('container.restart').run(restart, context);
    expect(outcome.status).toBe('passed');
    const after = await startedAt();
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(outcome.data).toEqual({ startedAt: after });
    const observed = await action('container.restart').observe?.(restart, context, intentAt);
    expect(observed?.verdict).toBe('happened');
    // An intent written after that restart: not restarted since.
    expect((await action('container.restart').observe?.(restart, context, Date.now()))?.verdict).toBe('not-happened');
  });

  it('in a dry run shows the call and the engine sees no restart', async () => {
    const since = new Date().toISOString();
    const before = await startedAt();
    const outcome = await step(runtime, 'container.restart', { container: NAME }, { dryRun: true });
    expect(outcome).toMatchObject({ status: 'would-do', calls: [{ type: 'http', method: 'POST' }] });
    expect(await startedAt()).toBe(before);
    expect(await engineActions(since)).toEqual([]);
  });

  it('in read-only mode is refused in the adapters and the engine sees nothing', async () => {
    const readOnly = await startRuntime(true);
    const since = new Date().toISOString();
    for (const name of ['container.restart', 'container.stop', 'container.kill']) {
      const outcome = await step(readOnly, name, { container: NAME });
      expect(outcome.status).toBe('refused');
      expect(outcome.error).toMatch(/^read-only mode: refused to (restart|stop|kill) /);
    }
    // A read-only exec still runs.
    expect(await step(readOnly, 'container.exec', { container: NAME, command: ['cat', '/data/hello.txt'], readOnly: true })).toMatchObject({ status: 'passed', stdout: 'hello' });
    expect(await engineActions(since)).toEqual([]);
  });

  it('reads: inspect with require, logs with grep, exec with an inert argv, stats', async () => {
    const inspected = await step(runtime, 'container.inspect', { container: NAME, require: { running: true } });
    expect(inspected).toMatchObject({ status: 'passed', data: { name: NAME, state: 'running' } });
    expect((await step(runtime, 'container.inspect', { container: NAME, require: { state: 'exited' } })).status).toBe('failed');
    const logs = await step(runtime, 'container.logs', { container: NAME, grep: '(?i)error' });
    expect(logs.status).toBe('passed');
    expect(logs.stdout?.split('\n').every((line) => /error/i.test(line))).toBe(true);
    expect(logs.stdout).toContain('ERROR disk almost full');
    const exec = await step(runtime, 'container.exec', { container: NAME, command: ['printf', '%s', '$(id); rm -rf /data'], readOnly: true });
    expect(exec).toMatchObject({ status: 'passed', exitCode: 0, stdout: '$(id); rm -rf /data' });
    expect(await step(runtime, 'container.exec', { container: NAME, command: ['cat', '/data/hello.txt'], readOnly: true })).toMatchObject({ stdout: 'hello' });
    const failing = await step(runtime, 'container.exec', { container: NAME, command: ['sh', '-c', 'exit 4'], readOnly: true });
    expect(failing).toMatchObject({ status: 'failed', exitCode: 4 });
    const stats = await step(runtime, 'container.stats', { container: NAME });
    expect(stats.status).toBe('passed');
    expect(stats.data).toMatchObject({ memoryBytes: expect.any(Number) });
  });

  it('archives a data path into a verified .tar.gz and restores it into another directory', async () => {
    const runDirectory = temporaryDirectory();
    const archived = await step(runtime, 'container.archive', { container: NAME, path: '/data', name: 'app-data' }, { runDirectory });
    expect(archived.status).toBe('passed');
    const { file } = archived.data as { file: string };
    expect(file).toMatch(/app-data-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(execFileSync('sha256sum', ['-c', `${file}.sha256`], { cwd: runDirectory, encoding: 'utf8' })).toMatch(/: OK/);
    const verified = await step(runtime, 'archive.verify', { directory: runDirectory, pattern: 'app-data-*.tar.gz', maxAge: '5m' });
    expect(verified.status).toBe('passed');
    expect(verified.stdout).toContain('data/hello.txt');
    await docker(dockerHost, ['exec', NAME, 'mkdir', '-p', '/restore']);
    expect((await step(runtime, 'container.restore', { container: NAME, archive: file, path: '/restore' })).status).toBe('passed');
    expect((await docker(dockerHost, ['exec', NAME, 'cat', '/restore/data/hello.txt'])).stdout.trim()).toBe('hello');
  });

  it('captures evidence of the project: logs and inspect JSON with a manifest sha256sum accepts', async () => {
    const runDirectory = temporaryDirectory();
    const outcome = await step(runtime, 'evidence.capture', { project: PROJECT }, { runDirectory });
    expect(outcome.status).toBe('passed');
    const { directory } = outcome.data as { directory: string };
    expect(readdirSync(directory).sort()).toEqual(['MANIFEST.sha256', `${NAME}.inspect.json`, `${NAME}.log`]);
    expect(execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: directory, encoding: 'utf8' })).toMatch(new RegExp(`${NAME}\\.log: OK`));
    expect(execFileSync('cat', [join(directory, `${NAME}.log`)], { encoding: 'utf8' })).toContain('INFO ready');
  });

  it('stops, starts and kills, each observed from the engine state', async () => {
    const intentAt = Date.now();
    expect((await step(runtime, 'container.stop', { container: NAME, timeout: '5s' })).status).toBe('passed');
    expect(await stateOf()).toBe('exited');
    const { context } = testContext({ store: runtime.store, executor: runtime.executor, timeoutMs: 30_000 });
    const observe = (name: string) => action(name).observe?.(action(name).params.parse({ container: NAME }), context, intentAt);
    expect((await observe('container.stop'))?.verdict).toBe('happened');
    expect((await observe('container.start'))?.verdict).toBe('not-happened');
    expect((await step(runtime, 'container.start', { container: NAME })).status).toBe('passed');
    expect((await observe('container.start'))?.verdict).toBe('happened');
    expect((await step(runtime, 'container.kill', { container: NAME })).status).toBe('passed');
    await waitFor('the container killed', async () => (await stateOf()) === 'exited');
    expect((await observe('container.kill'))?.verdict).toBe('happened');
    expect((await step(runtime, 'service.start', { service: `${PROJECT}/app` })).status).toBe('passed');
    expect(await stateOf()).toBe('running');
  });
});
