// command gates with `exec` in a real container of the private dockerd, through the runtime's
// one action executor: a JSON comparison of `cat /vault/status.json` that flips when the file
// changes, exit codes and output regex, the target named as a container, a compose service or
// engine/project/service, an aborted `sleep 30`, and read-only mode: the gate's exec (a read)
// still runs while a mutation through the same executor is refused, and the engine's event log
// shows no lifecycle change. The container gate reads the same live state.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { containerLifecycleEvents, startRuntimeOn } from '../support/library-stack';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { CommandCheck, GateCheck, GateOutcome } from '../../src/gates/gate-types';
import { parseComparison } from '../../src/gates/value-comparison';
import type { Runtime } from '../../src/runtime/runtime';

const dockerHost = inject('dockerHost');
const PROJECT = `gateexec${process.pid}`;
const NAME = `${PROJECT}-vault-1`;
const UNSEALED = '{"sealed":false,"version":"1.15.2"}';
const checkers = createGateCheckers();
const runtimes: Runtime[] = [];

async function startRuntime(readOnly: boolean): Promise<Runtime> {
  const runtime = await startRuntimeOn(dockerHost, NAME, { readOnly, ready: (instance) => instance.phase === 'running' });
  runtimes.push(runtime);
  return runtime;
}

function run(runtime: Runtime, check: GateCheck, signal: AbortSignal = new AbortController().signal): Promise<GateOutcome> {
  const checker = checkers.get(check.type);
  if (!checker) throw new Error(`no checker for ${check.type}`);
  return checker.run(check, { signal, now: Date.now, executor: runtime.executor, state: () => runtime.store.getState() });
}

function exec(target: string, argv: string[], change: Partial<CommandCheck> = {}): CommandCheck {
  return { type: 'command', argv, exec: { target }, ...change };
}

async function setStatus(json: string): Promise<void> {
  await docker(dockerHost, ['exec', NAME, 'sh', '-c', `printf '%s' '${json}' > /vault/status.json`]);
}

const lifecycleEvents = (since: string): Promise<string[]> => containerLifecycleEvents(dockerHost, NAME, since);

describe('command gates with exec in a real container', () => {
  let runtime: Runtime;
  let engineId: string;

  beforeAll(async () => {
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
    await docker(dockerHost, [
      'run', '-d', '--name', NAME, '--network', 'none',
      '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=vault`,
      IMAGE, 'sh', '-c', `mkdir -p /vault && printf '%s' '${UNSEALED}' > /vault/status.json; trap 'exit 0' TERM; while :; do sleep 1; done`,
    ]);
    runtime = await startRuntime(false);
    const [first] = Object.keys(runtime.store.getState().engines);
    if (first === undefined) throw new Error('no engine in the runtime');
    engineId = first;
  });

  afterAll(async () => {
    for (const each of runtimes) await each.stop();
    await docker(dockerHost, ['rm', '-f', NAME], { reject: false });
  });

  it('compares a JSON field of the command output, and fails once the status changes', async () => {
    const check = exec(NAME, ['cat', '/vault/status.json'], { json: parseComparison('.sealed == false') });
    const unsealed = await run(runtime, check);
    expect(unsealed).toMatchObject({ status: 'pass', evidence: { exitCode: 0, value: 'false', outputExcerpt: UNSEALED } });
    expect(unsealed.detail).toBe(`cat in ${NAME}: .sealed == false holds (got false)`);
    await setStatus('{"sealed":true}');
    const sealed = await run(runtime, check);
    expect(sealed).toMatchObject({ status: 'fail', evidence: { value: 'true' } });
    await setStatus(UNSEALED);
    expect((await run(runtime, check)).status).toBe('pass');
  });

  it('judges exit codes and output, and binds the service for recovery', async () => {
    const serviceKey = `${engineId}/compose-service/${PROJECT}/vault`;
    const failing = await run(runtime, exec(NAME, ['sh', '-c', 'echo sealed >&2; exit 2']));
    expect(failing).toMatchObject({ status: 'fail', workloadKey: serviceKey, evidence: { exitCode: 2, outputExcerpt: 'sealed' } });
    expect(failing.detail).toBe(`sh in ${NAME}: exit code 2, expected 0`);
    expect((await run(runtime, exec(NAME, ['sh', '-c', 'exit 2'], { expectExit: [0, 2] }))).status).toBe('pass');
    expect((await run(runtime, exec(NAME, ['cat', '/vault/status.json'], { outputMatches: '"version":"1\\.15' }))).status).toBe('pass');
    expect((await run(runtime, exec(NAME, ['cat', '/vault/status.json'], { outputMatches: 'Initialized' }))).status).toBe('fail');
  });

  it('finds the container through its compose service, written as project/service or engine/project/service', async () => {
    for (const target of [`${PROJECT}/vault`, `${engineId}/${PROJECT}/vault`]) {
      const outcome = await run(runtime, exec(target, ['printf', '%s', '$(id); rm -rf /']));
      expect(outcome).toMatchObject({ status: 'pass', evidence: { outputExcerpt: '$(id); rm -rf /' } });
      expect(outcome.detail).toMatch(new RegExp(`^printf in ${NAME}: exit code 0`));
    }
    expect(await run(runtime, exec('no-such-vault', ['true']))).toMatchObject({ status: 'fail', detail: 'no container, service or Deployment named no-such-vault' });
  });

  it('returns at once when the scheduler aborts a hanging exec', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const startedAt = Date.now();
    const outcome = await run(runtime, exec(NAME, ['sleep', '30']), controller.signal);
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(outcome).toMatchObject({ status: 'unknown', detail: 'aborted' });
  });

  it('in read-only mode still runs the gate exec, while a mutation is refused and the engine sees no change', async () => {
    const readOnly = await startRuntime(true);
    const since = new Date().toISOString();
    const check = exec(NAME, ['cat', '/vault/status.json'], { json: parseComparison('.sealed == false') });
    expect((await run(readOnly, check)).status).toBe('pass');
    const target = Object.values(readOnly.store.getState().instances).find((instance) => instance.ref.name === NAME)?.ref;
    if (!target) throw new Error(`${NAME} is not in the read-only runtime`);
    expect(await readOnly.executor.execute({ verb: 'restart', target })).toMatchObject({ status: 'refused', error: expect.stringMatching(/^read-only mode: refused to restart /) });
    expect(await readOnly.executor.execute({ verb: 'exec', target, argv: ['touch', '/vault/x'], mutates: true })).toMatchObject({ status: 'refused' });
    expect(await lifecycleEvents(since)).toEqual([]);
  });

  it('the container gate sees the same container running and binds its service', async () => {
    const outcome = await run(runtime, { type: 'container', target: `${PROJECT}/vault`, expect: 'running' });
    expect(outcome).toMatchObject({ status: 'pass', workloadKey: `${engineId}/compose-service/${PROJECT}/vault`, detail: `${PROJECT}/vault: 1/1 running` });
  });
});
