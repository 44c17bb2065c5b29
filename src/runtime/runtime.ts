// The one runtime constructor: engines, host sampler, store and action executor, wired the
// same way for the cockpit (live) and the headless twins (`status` now, `run` next).

import type { EngineAdapter } from '../adapters/capabilities';
import { createHostSampler, startHostAdapter } from '../adapters/host/host-adapter';
import type { OpsdeckConfig } from '../config/schema';
import { compileErrorPatterns } from '../domain/fingerprint';
import type { ActionExecutor } from '../domain/engine-action';
import type { DiskUsage } from '../domain/types';
import { createOpsdeckStore, type OpsdeckStore } from '../store/create-opsdeck-store';
import type { StoreOptions } from '../store/store-types';
import { createActionExecutor } from './action-executor';
import { createEngineAdapter } from './engine-factories';
import { createRuntimePlaybooks } from './runtime-playbooks';
import { followSelection } from './selection-follower';
import type { RunnablePlaybookService } from '../playbooks/runner/playbook-service';
import type { GateScheduler } from '../gates/gate-types';
import type { IncidentService } from '../incident/incident-types';

export interface RuntimeOptions {
  /** Its engines already follow --docker-host and --engine (see loadConfig). */
  config: OpsdeckConfig;
  readOnly: boolean;
  /** Actions show the exact call they would make and send nothing. */
  dryRun?: boolean;
  /** Coalescing interval of adapter writes; 0 applies them on the next turn (headless). */
  flushIntervalMs?: number;
  hostIntervalMs?: number;
  /** --playbooks DIR: more playbook directories after the usual ones. */
  playbookDirectories?: readonly string[];
}

export interface Runtime {
  store: OpsdeckStore;
  executor: ActionExecutor;
  /** Configured gates' timers (issue 8: src/runtime/gate-scheduler.ts). */
  gates?: GateScheduler;
  /** Incident mode (issue 8: src/runtime/incident-service.ts). */
  incidents?: IncidentService;
  /** Playbook runs: catalog, start, resume, approvals (loaded by start()). */
  playbooks: RunnablePlaybookService;
  /** Live: connect every engine, keep the store current until stop(). */
  start(): void;
  /** Headless: read every engine and the host once, then return (the store holds the snapshot). */
  collectOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function storeOptionsFrom(config: OpsdeckConfig, readOnly: boolean, flushIntervalMs: number): StoreOptions {
  return {
    thresholds: config.thresholds,
    errorPatterns: compileErrorPatterns(config.errors.patterns),
    maxFingerprints: config.errors.maxFingerprints,
    logBufferLines: config.logs.bufferLines,
    pendingThresholdMs: config.kubernetes.pendingThresholdMs,
    readOnly,
    flushIntervalMs,
  };
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { config, readOnly } = options;
  const store = createOpsdeckStore({ ...storeOptionsFrom(config, readOnly, options.flushIntervalMs ?? 200), dryRun: options.dryRun ?? false });
  const sink = store.getState();
  const dataRoots = new Map<string, string>();
  const answered: Array<Promise<void>> = [];
  const adapters = new Map<string, EngineAdapter>();
  for (const engine of config.engines) {
    let markAnswered: () => void = () => undefined;
    answered.push(new Promise<void>((resolve) => (markAnswered = resolve)));
    const onDataRoot = (dataRoot: string | undefined): void => {
      if (dataRoot) dataRoots.set(engine.name, dataRoot);
      else dataRoots.delete(engine.name);
      markAnswered();
    };
    adapters.set(engine.name, createEngineAdapter({ engine, config, readOnly, sink, onDataRoot }));
  }
  const watchedDisks = (): Array<Pick<DiskUsage, 'path' | 'role'>> => [
    { path: '/', role: 'root' },
    ...[...dataRoots.values()].map((path) => ({ path, role: 'docker-data' as const })),
    ...config.disk.paths.map((path) => ({ path, role: 'configured' as const })),
  ];
  const sampler = createHostSampler({ diskPaths: watchedDisks });
  const executor = createActionExecutor({ store, adapterFor: (engineId) => adapters.get(engineId), readOnly, dryRun: options.dryRun ?? false });
  const playbooks = createRuntimePlaybooks({ store, executor, readOnly, dryRun: options.dryRun ?? false, extraDirectories: options.playbookDirectories ?? [] });
  let host: { stop(): void } | undefined;
  let clock: { stop(): void } | undefined;
  let selection: { stop(): void } | undefined;
  let catalog: { stop(): void } | undefined;

  return {
    store,
    executor,
    playbooks,
    start() {
      for (const adapter of adapters.values()) adapter.start();
      host = startHostAdapter({
        intervalMs: options.hostIntervalMs ?? 3000,
        sampler,
        onSample: (sample) => store.getState().hostSampled(sample),
      });
      clock = startClock(store);
      // The selected Kubernetes workload's logs are followed and its row's actions reviewed.
      selection = followSelection({ store, executor, adapters: [...adapters.values()], readOnly });
      // The catalog and the unfinished runs offered for resume; a bad file is listed, never thrown.
      // Read once the engines have answered: parsing every playbook costs 0.2-0.7 s of CPU,
      // which would otherwise hold back the first frame (and the first list's requests).
      catalog = afterEnginesAnswered(store, () => {
        playbooks.refresh().catch((error: unknown) => store.getState().catalogLoaded({ playbooks: [], invalid: [{ file: '(playbooks)', error: String(error) }] }));
      });
      playbooks.watchApprovals();
    },
    async collectOnce() {
      const collecting = Promise.all([...adapters.values()].map((adapter) => adapter.collectOnce()));
      // The host is sampled while the engines are read, once their data roots are known.
      const hostSample = Promise.race([Promise.all(answered), collecting]).then(() => sampler.sample());
      await collecting;
      store.getState().hostSampled(await hostSample);
      store.getState().flush();
    },
    async stop() {
      catalog?.stop();
      await playbooks.close();
      selection?.stop();
      clock?.stop();
      host?.stop();
      await Promise.all([...adapters.values()].map((adapter) => adapter.stop()));
      store.getState().dispose();
    },
  };
}

/** The catalog is read this long after the engines answered (their first frame is drawn first)... */
const CATALOG_AFTER_ANSWER_MS = 100;
/** ...or this long after the start, whichever comes first (an engine that keeps connecting; the picker reads it at once). */
const CATALOG_AT_THE_LATEST_MS = 10_000;

/** Calls `run` once, shortly after no engine is `connecting` any more, or after a cap. */
function afterEnginesAnswered(store: OpsdeckStore, run: () => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const fire = (): void => {
    unsubscribe?.();
    clearTimeout(timer);
    run();
  };
  const answered = (): boolean => Object.values(store.getState().engines).every((engine) => engine.state !== 'connecting');
  const onAnswer = (): void => {
    if (!answered()) return;
    unsubscribe?.();
    unsubscribe = undefined;
    clearTimeout(timer);
    timer = setTimeout(fire, CATALOG_AFTER_ANSWER_MS);
  };
  timer = setTimeout(fire, CATALOG_AT_THE_LATEST_MS);
  unsubscribe = store.subscribe(onAnswer);
  onAnswer();
  return {
    stop: () => {
      unsubscribe?.();
      clearTimeout(timer);
    },
  };
}

const CLOCK_INTERVAL_MS = 10_000;
const CLOCK_INTERVAL_WHILE_DISCONNECTED_MS = 1000;

/**
 * Ages and uptimes move with a coarse tick (a full frame costs 10-17 ms, so no per-second
 * clock on a quiet screen); while an engine is away the tick is 1 s for its retry countdown.
 */
function startClock(store: OpsdeckStore): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    const state = store.getState();
    const disconnected = Object.values(state.engines).some((engine) => engine.state !== 'connected');
    timer = setTimeout(tick, disconnected ? CLOCK_INTERVAL_WHILE_DISCONNECTED_MS : CLOCK_INTERVAL_MS);
    timer.unref();
  };
  const tick = (): void => {
    store.getState().clockTicked(Date.now());
    schedule();
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
