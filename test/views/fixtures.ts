// A real store fed through its adapter actions, the real action executor over a recording
// adapter, and helpers to drive ink-testing-library with real keystrokes.

import type { ContainerAdapter, EngineAdapter } from '../../src/adapters/capabilities';
import type { ActionCall, ActionExecutor, ActionVerb, EngineAction } from '../../src/domain/engine-action';
import type { InstanceKind, ResourceRef } from '../../src/domain/resource-ref';
import type { ContainerStatsSample, EngineStatus, HostSample, Instance, LogLine, RefKey } from '../../src/domain/types';
import { createActionExecutor } from '../../src/runtime/action-executor';
import { createOpsdeckStore, type OpsdeckStore } from '../../src/store/create-opsdeck-store';
import type { StoreOptions } from '../../src/store/store-types';
import { buildInstance, inventoryOf, type InstanceSpec } from '../support/domain-fixtures';

export const KEYS = {
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export function createViewStore(options: Partial<StoreOptions> = {}): OpsdeckStore {
  return createOpsdeckStore({
    thresholds: { cpu: { warning: 70, critical: 80 }, memory: { warning: 80, critical: 90 }, disk: { warning: 85, critical: 95 } },
    errorPatterns: [/error/i, /fatal/i],
    maxFingerprints: 100,
    logBufferLines: 500,
    readOnly: false,
    flushIntervalMs: 0,
    ...options,
  });
}

export const NOW = Date.now();
const MINUTE = 60_000;

export function engine(change: Partial<EngineStatus> = {}): EngineStatus {
  return {
    id: 'local',
    kind: 'docker',
    label: 'local',
    endpoint: 'unix:///var/run/docker.sock',
    state: 'connected',
    connectedAt: NOW - 10 * MINUTE,
    ...change,
  };
}

export const DEMO_PROJECT = 'janusgraph-demo';

/** Container of `service` (project janusgraph-demo unless the spec says otherwise), running for 5 minutes. */
export function container(service: string, change: InstanceSpec = {}): Instance {
  const project = change.project ?? DEMO_PROJECT;
  return buildInstance({
    id: `${service}-id`,
    image: `demo/${service}:latest`,
    startedAt: NOW - 5 * MINUTE,
    createdAt: NOW - 60 * MINUTE,
    ...change,
    name: change.name ?? `${project}-${service}-1`,
    project,
    service: change.service ?? service,
  });
}

/** Instance key of the container of `service`. */
export function instanceKeyOf(service: string, project = DEMO_PROJECT): RefKey {
  return container(service, { project }).key;
}

/** Workload key of `service`. */
export function workloadKeyOf(service: string, project = DEMO_PROJECT): RefKey {
  return container(service, { project }).workloadKey;
}

export function stats(instanceKey: RefKey, cpuPercent: number, memoryPercent = 10): ContainerStatsSample {
  return {
    instanceKey,
    cpuPercent,
    memoryPercent,
    memoryUsageBytes: memoryPercent * 1024 * 1024 * 10,
    memoryLimitBytes: 1024 * 1024 * 1000,
    sampledAt: NOW,
  };
}

export function host(change: Partial<HostSample> = {}): HostSample {
  return {
    cpuPercent: 48,
    cpuCount: 4,
    load1: 1.92,
    load5: 1.5,
    load15: 1.2,
    memoryTotalBytes: 16 * 1024 ** 3,
    memoryAvailableBytes: 6 * 1024 ** 3,
    memoryUsedPercent: 61,
    disks: [{ path: '/', role: 'root', totalBytes: 100 * 1024 ** 3, usedBytes: 50 * 1024 ** 3, usedPercent: 50 }],
    sampledAt: NOW,
    ...change,
  };
}

export function logLine(service: string, text: string, index: number, change: Partial<LogLine> = {}): LogLine {
  const timestamp = NOW - 1000 * (1000 - index);
  return {
    instanceKey: instanceKeyOf(service),
    workloadKey: workloadKeyOf(service),
    stream: 'stdout',
    timestamp,
    rawTimestamp: new Date(timestamp).toISOString(),
    text,
    ...change,
  };
}

/** The incident of the screen sketch: a restarting vault, an unhealthy jupyter, a busy pulsar, errors. */
export function feedIncident(store: OpsdeckStore): void {
  const actions = store.getState();
  actions.engineRegistered(engine());
  actions.inventoryReplaced('local', inventoryOf([
    container('hcd-server', { health: 'healthy', startedAt: NOW - 3 * 24 * 60 * MINUTE }),
    container('vault', { state: 'restarting', restartCount: 14, startedAt: NOW - 2000 }),
    container('jupyter', { health: 'unhealthy' }),
    container('analytics-api'),
    container('pulsar'),
    container('api', { project: 'jivs' }),
    container('worker', { project: 'jivs' }),
    container('db', { project: 'jivs', health: 'healthy' }),
  ]));
  for (const [service, cpu] of [
    ['pulsar', 97],
    ['analytics-api', 4],
    ['hcd-server', 2],
    ['jupyter', 12],
    ['api', 1],
  ] as const) {
    const key = instanceKeyOf(service, service === 'api' ? 'jivs' : DEMO_PROJECT);
    for (let sample = 0; sample < 10; sample += 1) actions.statsReceived(stats(key, Math.max(0, cpu - 9 + sample), 12));
  }
  actions.hostSampled(host());
  const lines: LogLine[] = [];
  for (let index = 0; index < 60; index += 1) {
    lines.push(logLine('analytics-api', `INFO request ${index} served in ${index} ms`, index * 3));
    if (index % 2 === 0) lines.push(logLine('analytics-api', `ERROR Connection refused to 10.0.0.${index}:5432`, index * 3 + 1, { stream: 'stderr' }));
    if (index % 10 === 0) lines.push(logLine('vault', 'FATAL vault sealed: unable to unseal', index * 3 + 2, { stream: 'stderr' }));
  }
  actions.logLinesReceived(lines);
  actions.flush();
}

export interface RecordedRun {
  verb: ActionVerb;
  /** Container name. */
  target: string;
}

type InstanceRef = ResourceRef & { kind: InstanceKind };

/** An engine adapter that records the actions it is asked to perform (and performs none). */
export class RecordingAdapter implements ContainerAdapter {
  readonly runs: RecordedRun[] = [];
  /** While set, calls stay in flight until release() (what a slow engine does). */
  holdCalls = false;
  private readonly held: Array<() => void> = [];
  constructor(readonly engineId = 'local') {}
  release(): void {
    for (const finish of this.held.splice(0)) finish();
  }
  start(): void {}
  stop(): Promise<void> {
    return Promise.resolve();
  }
  collectOnce(): Promise<void> {
    return Promise.resolve();
  }
  describeCall(action: EngineAction): ActionCall {
    return { type: 'http', method: 'POST', path: `/containers/${action.target.uid ?? action.target.name}/${action.verb}` };
  }
  restartInstance(target: InstanceRef): Promise<void> {
    return this.record('restart', target);
  }
  stopInstance(target: InstanceRef): Promise<void> {
    return this.record('stop', target);
  }
  startInstance(target: InstanceRef): Promise<void> {
    return this.record('start', target);
  }
  private record(verb: ActionVerb, target: InstanceRef): Promise<void> {
    this.runs.push({ verb, target: target.name });
    if (!this.holdCalls) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }
}

/** The real action executor over a recording adapter (and any others given), read-only and dry-run as the store says. */
export function recordingExecutor(store: OpsdeckStore, others: readonly EngineAdapter[] = []): { executor: ActionExecutor; adapter: RecordingAdapter } {
  const adapter = new RecordingAdapter();
  const adapters = new Map<string, EngineAdapter>([[adapter.engineId, adapter], ...others.map((other): [string, EngineAdapter] => [other.engineId, other])]);
  const executor = createActionExecutor({
    store,
    adapterFor: (engineId) => adapters.get(engineId),
    readOnly: store.getState().readOnly,
    dryRun: store.getState().dryRun,
  });
  return { executor, adapter };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Lets Ink subscribe useInput (effects run after the first render) before keys are written. */
export function nextTick(): Promise<void> {
  return sleep(20).then(() => undefined);
}

/** Polls lastFrame() until the predicate holds; fails with the last frame when it never does. */
export async function waitForFrame(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`frame never matched within ${timeoutMs} ms; last frame:\n${frame}`);
    await sleep(10);
  }
}

/** Frame lines without trailing spaces, for width checks and line searches. */
export function frameLines(frame: string): string[] {
  return frame.split('\n');
}

/** The line of the frame containing `text`, or undefined. */
export function lineWith(frame: string, text: string | RegExp): string | undefined {
  return frameLines(frame).find((line) => (typeof text === 'string' ? line.includes(text) : text.test(line)));
}
