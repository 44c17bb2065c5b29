// The runner's unit-test world: a store with shop containers, a fake engine that records the
// calls it receives (through the real action executor), small test actions, real journals in a
// temporary directory, and in-memory locks and approvals with the agreed semantics.

import { z } from 'zod';
import type { EngineAdapter, Restartable } from '../../src/adapters/capabilities';
import type { HostCommands } from '../../src/adapters/host/host-commands';
import type { EngineAction } from '../../src/domain/engine-action';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { continueJournal, createJournal } from '../../src/journal/journal-writer';
import type { JournalWriter } from '../../src/journal/journal-types';
import { createActionRegistry, type PlaybookActionDefinition } from '../../src/playbooks/actions/action-registry';
import type { Playbook, PlaybookStep } from '../../src/playbooks/playbook-types';
import type { PendingApproval } from '../../src/playbooks/run-types';
import type { Approvals, Journals, LockHolder, RunnerDependencies, TargetLocks } from '../../src/playbooks/runner/runner-dependencies';
import { createActionExecutor } from '../../src/runtime/action-executor';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { container, inventoryOf } from './domain-fixtures';
import { createTestStore } from './test-store';

/** A Docker-like engine that only counts: restarts received, with their time. */
export function fakeEngine(now: () => number) {
  const restarts: Array<{ name: string; at: number }> = [];
  const adapter: EngineAdapter & Restartable = {
    engineId: 'local',
    start: () => undefined,
    stop: async () => undefined,
    collectOnce: async () => undefined,
    describeCall: (action: EngineAction) => ({ type: 'http', method: 'POST', path: `/containers/${action.target.uid ?? action.target.name}/${action.verb}?t=10` }),
    restartInstance: async (target) => {
      restarts.push({ name: target.name, at: now() });
    },
  };
  return { adapter, restarts };
}

/** Real journals in a temporary directory; intents are noted in `log` as they are written. */
export function temporaryJournals(log?: string[]): Journals & { directory: string; opened: Map<string, string> } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-runner-journal-'));
  const opened = new Map<string, string>();
  const noting = (writer: JournalWriter): JournalWriter => ({
    runId: writer.runId,
    path: writer.path,
    close: () => writer.close(),
    append(record) {
      if (log && record.type === 'step-intent') log.push(`intent ${record.stepId}`);
      return writer.append(record);
    },
  });
  return {
    directory,
    opened,
    create: (runId) => {
      const writer = createJournal({ directory, runId });
      opened.set(runId, writer.path);
      return noting(writer);
    },
    continue: (file) => noting(continueJournal(file)),
  };
}

export function memoryLocks(): TargetLocks & { held: Map<string, LockHolder> } {
  const held = new Map<string, LockHolder>();
  return {
    held,
    acquire(target, holder) {
      const current = held.get(target);
      if (current && current.runId !== holder.runId) return { acquired: false, holder: current };
      held.set(target, { ...holder, since: Date.now() });
      return { acquired: true, release: () => held.get(target)?.runId === holder.runId && held.delete(target) };
    },
    takeOver(target, holder) {
      const previous = held.get(target);
      held.set(target, { ...holder, since: Date.now() });
      return { release: () => held.get(target)?.runId === holder.runId && held.delete(target), ...(previous ? { previous } : {}) };
    },
  };
}

export function memoryApprovals(): Approvals & { approveAs(runId: string, approver: string): void } {
  const waiting = new Map<string, (value: { approver: string; at: number }) => void>();
  const requests = new Map<string, PendingApproval>();
  const approvals: Approvals & { approveAs(runId: string, approver: string): void } = {
    request: (request) => requests.set(`${request.runId}/${request.stepId}`, { ...request, requestedAt: Date.now(), host: 'bastion' }),
    wait: ({ runId, stepId }) => new Promise((resolve) => waiting.set(`${runId}/${stepId}`, resolve)),
    withdraw: (runId, stepId) => {
      waiting.delete(`${runId}/${stepId}`);
      requests.delete(`${runId}/${stepId}`);
    },
    pending: () => [...requests.values()],
    approve({ runId, stepId, approver }) {
      const request = [...requests.values()].find((candidate) => candidate.runId === runId && (stepId === undefined || candidate.stepId === stepId));
      if (!request) return { accepted: false, reason: `nothing in run ${runId} is waiting for approval` };
      if (request.requestedBy === approver) return { accepted: false, reason: 'the same operator cannot approve their own step' };
      requests.delete(`${request.runId}/${request.stepId}`);
      waiting.get(`${request.runId}/${request.stepId}`)?.({ approver, at: Date.now() });
      return { accepted: true };
    },
    approveAs(runId, approver) {
      approvals.approve({ runId, approver });
    },
  };
  return approvals;
}

const containerParams = z.object({ container: z.string() }).strict();

/** The test actions: reads that print, a flaky one, a restart through the real executor, interactive ones. */
export function testActions(log: string[], restarts: ReadonlyArray<{ name: string; at: number }> = []) {
  const counts = new Map<string, number>();
  const echo: PlaybookActionDefinition<{ text: string; data?: unknown }> = {
    name: 'test.echo',
    summary: 'prints its text',
    params: z.object({ text: z.string(), data: z.unknown().optional() }).strict(),
    mutates: () => false,
    describe: (params) => [{ type: 'argv', argv: ['echo', params.text] }],
    run: async (params, context) => {
      log.push(`echo ${params.text}`);
      // One line per call, as the real actions stream (exec, logs, shell.run).
      for (const line of params.text.split('\n')) context.onOutput('stdout', line);
      return { status: 'passed', calls: [{ type: 'argv', argv: ['echo', params.text] }], exitCode: 0, stdout: params.text, data: params.data ?? { text: params.text } };
    },
  };
  const exit: PlaybookActionDefinition<{ code: number }> = {
    name: 'test.exit',
    summary: 'exits with a code',
    params: z.object({ code: z.coerce.number() }).strict(),
    mutates: () => false,
    describe: (params) => [{ type: 'argv', argv: ['exit', String(params.code)] }],
    run: async (params) => ({ status: params.code === 0 ? 'passed' : 'failed', calls: [], exitCode: params.code, stdout: `exit ${params.code}` }),
  };
  const flaky: PlaybookActionDefinition<{ key: string; failTimes: number }> = {
    name: 'test.flaky',
    summary: 'fails a number of times, then passes',
    params: z.object({ key: z.string(), failTimes: z.coerce.number() }).strict(),
    mutates: () => false,
    describe: () => [],
    run: async (params, context) => {
      const count = (counts.get(params.key) ?? 0) + 1;
      counts.set(params.key, count);
      log.push(`flaky ${params.key} ${count} at ${context.now()}`);
      return count > params.failTimes ? { status: 'passed', calls: [], stdout: `attempt ${count}` } : { status: 'failed', calls: [], error: `attempt ${count} failed` };
    },
  };
  const restart: PlaybookActionDefinition<{ container: string }> = {
    name: 'test.restart',
    summary: 'restarts a container through the executor',
    params: containerParams,
    targetOf: (params) => ({ name: params.container, kind: 'container' }),
    mutates: () => true,
    describe: (params, context) => {
      const ref = context.resolveTarget(params.container, 'container');
      const call = ref && context.executor.describe({ verb: 'restart', target: { ...ref, kind: 'container' } });
      return call ? [call] : [];
    },
    run: async (params, context) => {
      const ref = context.resolveTarget(params.container, 'container');
      if (!ref) return { status: 'failed', calls: [], error: `no container ${params.container}` };
      log.push(`restart ${ref.name}`);
      const result = await context.executor.execute({ verb: 'restart', target: { ...ref, kind: 'container' } });
      const status = result.status === 'done' ? 'passed' : result.status;
      return { status, calls: result.call ? [result.call] : [], ...(result.error ? { error: result.error } : {}) };
    },
    observe: async (params, _context, intentAt) => {
      const seen = restarts.find((restart) => restart.name === params.container && restart.at >= intentAt);
      return seen ? { verdict: 'happened', detail: `${params.container} restarted at ${seen.at}` } : { verdict: 'not-happened', detail: `${params.container} not restarted since the intent` };
    },
  };
  const poke: PlaybookActionDefinition<{ container: string }> = {
    name: 'test.poke',
    summary: 'a change nobody can observe afterwards',
    params: containerParams,
    targetOf: (params) => ({ name: params.container, kind: 'container' }),
    mutates: () => true,
    describe: (params) => [{ type: 'argv', argv: ['poke', params.container] }],
    run: async (params) => {
      log.push(`poke ${params.container}`);
      return { status: 'passed', calls: [{ type: 'argv', argv: ['poke', params.container] }] };
    },
  };
  const sleep: PlaybookActionDefinition<{ ms: number }> = {
    name: 'test.sleep',
    summary: 'waits',
    params: z.object({ ms: z.coerce.number() }).strict(),
    mutates: () => false,
    describe: () => [],
    run: (params, context) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ status: 'passed', calls: [] }), params.ms);
        context.signal.addEventListener('abort', () => clearTimeout(timer));
      }),
  };
  const decide: PlaybookActionDefinition<{ question: string; options: Array<{ id: string; label: string; goto?: string }> }> = {
    name: 'test.decide',
    summary: 'asks the operator',
    params: z.object({ question: z.string(), options: z.array(z.object({ id: z.string(), label: z.string(), goto: z.string().optional() })) }).strict(),
    mutates: () => false,
    describe: () => [],
    run: async (params, context) => {
      const answer = await context.ask({ kind: 'decision', question: params.question, options: params.options });
      return { status: 'passed', calls: [], ...(answer.kind === 'decision' ? { choice: answer.choice } : {}) };
    },
  };
  return createActionRegistry([echo, exit, flaky, restart, poke, sleep, decide] as unknown as PlaybookActionDefinition<never>[]);
}

export const noHost: HostCommands = {
  run: () => Promise.reject(new Error('no host commands in this test')),
  http: () => Promise.reject(new Error('no host commands in this test')),
  tcp: () => Promise.reject(new Error('no host commands in this test')),
};

/** A step with the loader's defaults. */
export function step(id: string, action: string, withParams: Record<string, unknown>, extra: Partial<PlaybookStep> = {}): PlaybookStep {
  return { id, title: extra.title ?? id, action, with: withParams, confirm: 'none', retries: 0, retryDelayMs: 0, register: false, onFailure: { kind: 'abort' }, line: 1, ...extra };
}

export function playbookOf(steps: PlaybookStep[], extra: Partial<Playbook> = {}): Playbook {
  return { id: 'test-playbook', title: 'Test playbook', description: 'for tests', tags: [], suggest: [], inputs: [], steps, rollback: [], file: '/tmp/test-playbook.yaml', sha256: 'a'.repeat(64), ...extra };
}

export interface RunnerWorld {
  store: OpsdeckStore;
  dependencies: RunnerDependencies;
  journals: ReturnType<typeof temporaryJournals>;
  locks: ReturnType<typeof memoryLocks>;
  approvals: ReturnType<typeof memoryApprovals>;
  engine: ReturnType<typeof fakeEngine>;
  log: string[];
}

export function runnerWorld(options: { readOnly?: boolean; operator?: string; pid?: number; host?: string; journals?: ReturnType<typeof temporaryJournals> } = {}): RunnerWorld {
  const store = createTestStore({ readOnly: options.readOnly ?? false });
  store.getState().inventoryReplaced('local', inventoryOf([container('api', { id: 'c0ffee' }), container('web', { id: 'beef01' })]));
  store.getState().flush();
  const now = Date.now;
  const engine = fakeEngine(now);
  const log: string[] = [];
  const journals = options.journals ?? temporaryJournals(log);
  const locks = memoryLocks();
  const approvals = memoryApprovals();
  const executor = createActionExecutor({ adapterFor: (id) => (id === 'local' ? engine.adapter : undefined), readOnly: options.readOnly ?? false });
  const dependencies: RunnerDependencies = {
    store,
    executor,
    host: noHost,
    registry: testActions(log, engine.restarts),
    journals,
    locks,
    approvals,
    operator: { operator: options.operator ?? 'alice', host: options.host ?? 'bastion', pid: options.pid ?? process.pid },
    readOnly: options.readOnly ?? false,
    runsDirectory: journals.directory,
    now,
  };
  return { store, dependencies, journals, locks, approvals, engine, log };
}
