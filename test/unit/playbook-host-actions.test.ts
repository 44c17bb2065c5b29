// shell.run, http.check, tcp.check and wait.until as a step runs them: parameters validated,
// the exact argv described, outcomes mapped, dry-run and read-only honoured (nothing spawned),
// and wait.until repeating a real check against a server that comes up late.
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeOutcome } from '../../src/playbooks/actions/expect-match';
import { temporaryDirectory, testContext } from '../support/action-context';
import { createTestStore } from '../support/test-store';
import { builtInAction as action, paramsProblem as problemOf } from '../support/built-in-actions';

const store = createTestStore();
const closers: Array<() => void> = [];

afterAll(() => {
  for (const close of closers) close();
});

/** Parses `params` as the runner does, failing the test with zod's message when invalid. */
function params(name: string, raw: Record<string, unknown>): Record<string, unknown> {
  return action(name).params.parse(raw);
}

async function listen(server: Server | ReturnType<typeof createTcpServer>, port = 0): Promise<number> {
  closers.push(() => server.close());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('shell.run', () => {
  it('validates its parameters strictly', () => {
    expect(problemOf('shell.run', { command: 'rm -rf /' })).toMatch(/^command: /);
    expect(problemOf('shell.run', { command: [] })).toMatch(/needs at least the program/);
    expect(problemOf('shell.run', { command: ['ls'], shell: true })).toMatch(/shell/);
    expect(params('shell.run', { command: ['ls'], readOnly: 'true' })).toMatchObject({ readOnly: true });
  });

  it('mutates unless marked read-only, and describes the exact argv', () => {
    const { context } = testContext({ store });
    expect(action('shell.run').mutates(params('shell.run', { command: ['systemctl', 'restart', 'nginx'] }))).toBe(true);
    expect(action('shell.run').mutates(params('shell.run', { command: ['df', '-h'], readOnly: true }))).toBe(false);
    expect(action('shell.run').describe(params('shell.run', { command: ['df', '-h', '$(id)'] }), context)).toEqual([{ type: 'argv', argv: ['df', '-h', '$(id)'] }]);
  });

  it('passes templated hostile values inert and keeps the output', async () => {
    const { context, record } = testContext({ store });
    const outcome = await action('shell.run').run(params('shell.run', { command: ['printf', '%s', '`id`; rm -rf / $(id)'], readOnly: true }), context);
    expect(outcome).toMatchObject({ status: 'passed', exitCode: 0, stdout: '`id`; rm -rf / $(id)', calls: [{ type: 'argv', argv: ['printf', '%s', '`id`; rm -rf / $(id)'] }] });
    expect(record.output).toContainEqual({ stream: 'stdout', text: '`id`; rm -rf / $(id)' });
  });

  it('fails with the exit code, which a step expect can accept', async () => {
    const { context } = testContext({ store });
    const outcome = await action('shell.run').run(params('shell.run', { command: ['sh', '-c', 'echo no >&2; exit 3'], readOnly: true }), context);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 3, stderr: 'no', error: 'exit code 3' });
    expect(judgeOutcome(outcome, { exitCode: [0, 3] }).status).toBe('passed');
    expect(judgeOutcome(outcome, { exitCode: [0] })).toMatchObject({ status: 'failed', error: 'expect: exit code 3, expected 0' });
  });

  it('is refused in read-only mode and spawns nothing', async () => {
    const marker = join(temporaryDirectory(), 'would-be-created');
    const { context } = testContext({ store, readOnly: true });
    const outcome = await action('shell.run').run(params('shell.run', { command: ['touch', marker] }), context);
    expect(outcome).toMatchObject({ status: 'refused', calls: [{ type: 'argv', argv: ['touch', marker] }] });
    expect(outcome.error).toMatch(/read-only mode: refused to run touch/);
    expect(existsSync(marker)).toBe(false);
  });

  it('in a dry run says what it would run and spawns nothing; a read-only command still runs', async () => {
    const marker = join(temporaryDirectory(), 'would-be-created');
    const { context } = testContext({ store, dryRun: true });
    expect(await action('shell.run').run(params('shell.run', { command: ['touch', marker] }), context)).toEqual({ status: 'would-do', calls: [{ type: 'argv', argv: ['touch', marker] }] });
    expect(existsSync(marker)).toBe(false);
    const reading = await action('shell.run').run(params('shell.run', { command: ['printf', 'real'], readOnly: true }), context);
    expect(reading).toMatchObject({ status: 'passed', stdout: 'real' });
  });

  it('fails a command that outlives the step timeout, without an exit code to accept', async () => {
    const { context } = testContext({ store, timeoutMs: 200 });
    const outcome = await action('shell.run').run(params('shell.run', { command: ['sleep', '20'], readOnly: true }), context);
    expect(outcome).toMatchObject({ status: 'failed', error: 'timed out after 200ms' });
    expect(outcome.exitCode).toBeUndefined();
  });
});

describe('http.check and tcp.check', () => {
  it('passes 200-399 by default, or the statuses given, and keeps the body', async () => {
    const port = await listen(
      createHttpServer((request, response) => {
        response.statusCode = request.url === '/up' ? 200 : request.url === '/moved' ? 302 : 503;
        response.end(request.url === '/up' ? '{"status":"UP"}' : 'maintenance');
      }),
    );
    const { context } = testContext({ store });
    const check = (raw: Record<string, unknown>) => action('http.check').run(params('http.check', raw), context);
    expect(await check({ url: `http://127.0.0.1:${port}/up` })).toMatchObject({ status: 'passed', httpStatus: 200, body: '{"status":"UP"}' });
    expect((await check({ url: `http://127.0.0.1:${port}/moved` })).status).toBe('passed');
    expect(await check({ url: `http://127.0.0.1:${port}/down` })).toMatchObject({ status: 'failed', httpStatus: 503, error: 'HTTP status 503, expected 200-399' });
    expect((await check({ url: `http://127.0.0.1:${port}/down`, status: [503] })).status).toBe('passed');
    // The step's expect: body regex, and a status it accepts.
    expect(judgeOutcome(await check({ url: `http://127.0.0.1:${port}/up` }), { body: '"status":"UP"' }).status).toBe('passed');
    expect(judgeOutcome(await check({ url: `http://127.0.0.1:${port}/up` }), { body: '(?i)"status":"down"' })).toMatchObject({ status: 'failed', error: 'expect: body does not match /(?i)"status":"down"/' });
    expect(judgeOutcome(await check({ url: `http://127.0.0.1:${port}/down` }), { status: [503] }).status).toBe('passed');
  });

  it('rejects a URL that is not http(s) and describes the request', () => {
    const { context } = testContext({ store });
    expect(problemOf('http.check', { url: 'file:///etc/passwd' })).toMatch(/^url: an http:\/\/ or https:\/\/ URL/);
    expect(problemOf('http.check', { url: 'http://x', method: 'TRACE' })).toMatch(/^method: /);
    expect(action('http.check').describe(params('http.check', { url: 'http://127.0.0.1:8200/v1/sys/health' }), context)).toEqual([{ type: 'http', method: 'GET', path: 'http://127.0.0.1:8200/v1/sys/health' }]);
    expect(action('http.check').mutates(params('http.check', { url: 'http://x/', method: 'POST' }))).toBe(false);
  });

  it('tcp.check reports the connect time, or the socket error', async () => {
    const port = await listen(createTcpServer((socket) => socket.end()));
    const { context } = testContext({ store });
    const passed = await action('tcp.check').run(params('tcp.check', { host: '127.0.0.1', port: String(port) }), context);
    expect(passed).toMatchObject({ status: 'passed', data: { connectMs: expect.any(Number) } });
    const closed = createTcpServer();
    const closedPort = await listen(closed);
    closed.close();
    const failed = await action('tcp.check').run(params('tcp.check', { host: '127.0.0.1', port: closedPort }), context);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/ECONNREFUSED/);
    expect(problemOf('tcp.check', { host: '127.0.0.1', port: 70_000 })).toMatch(/^port: /);
  });
});

describe('wait.until', () => {
  it('accepts only registered actions that change nothing', () => {
    expect(problemOf('wait.until', { action: 'container.restart', with: { container: 'x' } })).toMatch(/repeats only actions that change nothing/);
    expect(problemOf('wait.until', { action: 'shell.run', with: { command: ['touch', 'x'] } })).toMatch(/shell.run with these parameters mutates/);
    expect(problemOf('wait.until', { action: 'nope.check' })).toMatch(/unknown action nope.check/);
    expect(problemOf('wait.until', { action: 'tcp.check', with: { host: 'x' } })).toMatch(/tcp.check: port: /);
    expect(params('wait.until', { action: 'tcp.check', with: { host: 'x', port: 1 }, interval: '500ms', timeout: '2m' })).toMatchObject({ interval: 500, timeout: 120_000 });
    expect(action('wait.until').defaultTimeoutMs?.(params('wait.until', { action: 'tcp.check', with: { host: 'x', port: 1 }, timeout: '5m' }))).toBeGreaterThan(300_000);
  });

  it('repeats a tcp check until the port opens, reporting attempts and time left', async () => {
    // Find a free port, then open it only after a few attempts.
    const probe = createTcpServer();
    const port = await listen(probe);
    probe.close();
    const { context, record } = testContext({ store, timeoutMs: 2000 });
    setTimeout(() => void listen(createTcpServer((socket) => socket.end()), port), 700);
    const outcome = await action('wait.until').run(params('wait.until', { action: 'tcp.check', with: { host: '127.0.0.1', port }, interval: '200ms', timeout: '20s' }), context);
    expect(outcome.status).toBe('passed');
    expect(record.progress[0]).toBe('attempt 1, 20 s left');
    expect(record.progress.filter((line) => /^attempt \d+, \d+ s left$/.test(line)).length).toBeGreaterThanOrEqual(3);
    expect(record.output.some((line) => line.text.startsWith('attempt 1: connect to 127.0.0.1'))).toBe(true);
  });

  it('applies expect to each attempt and fails when the time is up', async () => {
    let calls = 0;
    const port = await listen(
      createHttpServer((_request, response) => {
        calls += 1;
        response.end('{"sealed":true}');
      }),
    );
    const { context, record } = testContext({ store });
    const startedAt = Date.now();
    const outcome = await action('wait.until').run(
      params('wait.until', { action: 'http.check', with: { url: `http://127.0.0.1:${port}/v1/sys/seal-status` }, expect: { body: '"sealed":false' }, interval: '200ms', timeout: '1s' }),
      context,
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^still not passing after \d+ attempts in 1s: expect: body does not match \/"sealed":false\/$/);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(record.progress.at(-1)).toMatch(/^attempt \d+/);
  });

  it('stops waiting when the step is aborted', async () => {
    const controller = new AbortController();
    const { context } = testContext({ store, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const outcome = await action('wait.until').run(params('wait.until', { action: 'tcp.check', with: { host: '127.0.0.1', port: 9 }, interval: '5s', timeout: '1m' }), context);
    expect(outcome).toMatchObject({ status: 'failed', error: 'aborted after 1 attempt' });
  });
});
