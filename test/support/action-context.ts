// An ActionContext for unit tests of playbook actions: a real store, any executor (the real one
// over a recording adapter, or a scripted one), real host commands, and a record of what the
// action streamed, reported and asked.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostCommands } from '../../src/adapters/host/create-host-commands';
import type { HostCommands } from '../../src/adapters/host/host-commands';
import type { ActionExecutor } from '../../src/domain/engine-action';
import { refKey, type ResourceRef } from '../../src/domain/resource-ref';
import type { ActionContext, InteractionAnswer, InteractionRequest } from '../../src/playbooks/actions/action-registry';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';

export interface ContextRecord {
  output: Array<{ stream: 'stdout' | 'stderr' | 'info'; text: string }>;
  progress: string[];
  asked: InteractionRequest[];
}

export interface TestContextOptions {
  store: OpsdeckStore;
  executor?: ActionExecutor;
  host?: HostCommands;
  dryRun?: boolean;
  readOnly?: boolean;
  runDirectory?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  answer?: (request: InteractionRequest) => InteractionAnswer;
}

/** An executor that refuses every action (a test that must not reach an engine). */
export const refuseEverything: ActionExecutor = {
  execute: (action) => Promise.resolve({ action, status: 'refused', error: 'no executor in this test', durationMs: 0 }),
  describe: () => undefined,
  refusal: () => 'no executor in this test',
  authorize: () => Promise.resolve('no executor in this test'),
};

/** Finds a container by name or key, a service by key, `project/service` or name: what the runner's resolver does. */
export function resolveIn(store: OpsdeckStore) {
  return (nameOrKey: string, kind: ResourceRef['kind']): ResourceRef | undefined => {
    const state = store.getState();
    if (kind === 'container' || kind === 'pod') {
      const byKey = state.instances[nameOrKey];
      if (byKey) return byKey.ref;
      const named = Object.values(state.instances).filter((instance) => instance.ref.name === nameOrKey);
      return named.length === 1 ? named[0]?.ref : undefined;
    }
    const workloads = Object.values(state.workloads);
    const found = workloads.filter((workload) => workload.key === nameOrKey || `${workload.ref.namespace}/${workload.ref.name}` === nameOrKey || workload.ref.name === nameOrKey);
    return found.length === 1 ? found[0]?.ref : undefined;
  };
}

export function temporaryDirectory(prefix = 'opsdeck-actions-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testContext(options: TestContextOptions): { context: ActionContext; record: ContextRecord } {
  const record: ContextRecord = { output: [], progress: [], asked: [] };
  const readOnly = options.readOnly ?? false;
  const context: ActionContext = {
    executor: options.executor ?? refuseEverything,
    host: options.host ?? createHostCommands({ readOnly }),
    resolveTarget: resolveIn(options.store),
    state: () => options.store.getState(),
    dryRun: options.dryRun ?? false,
    readOnly,
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs ?? 10_000,
    onOutput: (stream, text) => record.output.push({ stream, text }),
    onProgress: (text) => record.progress.push(text),
    ask(request) {
      record.asked.push(request);
      if (!options.answer) return Promise.reject(new Error('this test answers nothing'));
      return Promise.resolve(options.answer(request));
    },
    runDirectory: options.runDirectory ?? temporaryDirectory('opsdeck-run-'),
    now: options.now ?? Date.now,
  };
  return { context, record };
}

export { refKey };
