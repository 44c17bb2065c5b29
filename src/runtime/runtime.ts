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
import { createGateCheckers } from '../gates/checks/checker-registry';
import type { GateScheduler } from '../gates/gate-types';
import { createGateScheduler } from './gate-scheduler';
import path from 'node:path';
import { incidentsDirectory, opsdeckStateDirectory } from '../journal/state-directory';
import { createIncidentService, type RuntimeIncidentService } from './incident-service';
import { ALERTMANAGER_ENGINE_ID } from '../adapters/prometheus/alertmanager-silencer';
import { currentOperator } from '../journal/operator-identity';
import { createSourcePollers, type SourcePollers } from './source-pollers';
import { afterEnginesAnswered } from './engines-answered';

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
  /** Where the state directory is found (XDG_STATE_HOME, HOME) and who the operator is; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The incident service's clock (tests move it); default Date.now. */
  now?: () => number;
}

export interface Runtime {
  store: OpsdeckStore;
  executor: ActionExecutor;
  /** Configured gates' timers (src/runtime/gate-scheduler.ts): started by start(); runOnce for `check` and `status`. */
  gates: GateScheduler;
  /** Incident mode (src/runtime/incident-service.ts): declare, notes, escalations, resolve; started by start(). */
  incidents: RuntimeIncidentService;
  /** Prometheus and Alertmanager (`prometheus:`, `alertmanager:`): their clients (for gates) and pollers. */
  sources: SourcePollers;
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
  let runtime: Runtime | undefined;
  const sources = createSourcePollers({
    ...(config.prometheus ? { prometheus: config.prometheus } : {}),
    ...(config.alertmanager ? { alertmanager: config.alertmanager } : {}),
    store,
    readOnly,
    // An acknowledged alert is journaled in the open incident, when there is one.
    onSilenced: (action, silenceId) => {
      void runtime?.incidents.recordSilence?.({ alert: action.target.name, silenceId, by: action.createdBy ?? currentOperator().operator }).catch(() => undefined);
    },
  });
  // Silences of Alertmanager alerts go to its silencer (a configured engine of that name cannot take them).
  const adapterFor = (engineId: string): EngineAdapter | undefined => (engineId === ALERTMANAGER_ENGINE_ID && sources.silencer ? sources.silencer : adapters.get(engineId));
  const executor = createActionExecutor({ store, adapterFor, readOnly, dryRun: options.dryRun ?? false });
  const env = options.env ?? process.env;
  const playbooks = createRuntimePlaybooks({ store, executor, readOnly, dryRun: options.dryRun ?? false, extraDirectories: options.playbookDirectories ?? [], env });
  // Nothing is read or created until start(): `opsdeck status` builds a runtime too.
  const incidents = createIncidentService({
    store,
    config: config.incident,
    directory: incidentsDirectory(env),
    runsDirectory: path.join(opsdeckStateDirectory(env), 'runs'),
    operator: currentOperator(env).operator,
    ...(options.now ? { now: options.now } : {}),
  });
  // Configured gates: listed (the invalid ones too) at once, checked from start() or runOnce().
  store.getState().gateSpecsLoaded(config.gates.specs, config.gates.invalid);
  const gates = createGateScheduler({ store, specs: config.gates.specs, checkers: createGateCheckers(), context: { executor, ...(sources.prometheus ? { prometheus: sources.prometheus } : {}), ...(sources.alertmanager ? { alertmanager: sources.alertmanager } : {}) } });
  let host: { stop(): void } | undefined;
  let clock: { stop(): void } | undefined;
  let selection: { stop(): void } | undefined;
  let catalog: { stop(): void } | undefined;

  runtime = {
    store,
    executor,
    sources,
    playbooks,
    incidents,
    gates,
    start() {
      for (const adapter of adapters.values()) adapter.start();
      gates.start();
      sources.start();
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
      // The open incident is read back from its journal: a restarted cockpit shows it.
      try {
        incidents.start();
      } catch (error) {
        store.getState().showStatus(`incident journal: ${(error as Error).message}`, 'error');
      }
    },
    async collectOnce() {
      const collecting = Promise.all([...[...adapters.values()].map((adapter) => adapter.collectOnce()), sources.collectOnce()]);
      // The host is sampled while the engines are read, once their data roots are known.
      const hostSample = Promise.race([Promise.all(answered), collecting]).then(() => sampler.sample());
      await collecting;
      store.getState().hostSampled(await hostSample);
      store.getState().flush();
    },
    async stop() {
      gates.stop();
      catalog?.stop();
      await playbooks.close();
      incidents.stop();
      selection?.stop();
      sources.stop();
      clock?.stop();
      host?.stop();
      await Promise.all([...adapters.values()].map((adapter) => adapter.stop()));
      store.getState().dispose();
    },
  };
  return runtime;
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
