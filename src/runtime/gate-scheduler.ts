// The configured gates' timers: each gate checked every `interval` (first checks staggered over
// the first few seconds, no jitter), cut at its `timeout` (a check that does not answer in time
// FAILS with `timed out after 5s`: the runbooks treat a timeout as a failure), at most
// `concurrency` checks at once, never two of the same gate, and never a gate the pipeline blocks
// (it waits, and runs as soon as the earlier stage passes). Results go through the store's
// buffered write like an adapter's. `built-in` entries are not run here: their result is the
// health slice's, decorated by the gate list.

import { formatDuration } from '../domain/duration';
import type { GateResult } from '../domain/types';
import { toDisplayText } from '../domain/untrusted-text';
import { composeGates } from '../gates/gate-list';
import type { GateCheckContext, GateCheckType, GateChecker, GateOutcome, GateScheduler, GateSpec } from '../gates/gate-types';
import { pipelineOrder } from '../gates/pipeline';
import type { OpsdeckStore } from '../store/create-opsdeck-store';

export interface SchedulerTimers {
  now(): number;
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (callback, milliseconds) => {
    const timer = setTimeout(callback, milliseconds);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const DEFAULT_GATE_CONCURRENCY = 4;
/** First checks are spread over this much time (or the gate's interval, when shorter). */
const STAGGER_WINDOW_MS = 2000;

export interface GateSchedulerOptions {
  store: OpsdeckStore;
  specs: readonly GateSpec[];
  checkers: ReadonlyMap<GateCheckType, GateChecker>;
  /** What checkers share besides the signal, the clock and the state. */
  context: Pick<GateCheckContext, 'executor' | 'prometheus' | 'alertmanager'>;
  concurrency?: number;
  timers?: SchedulerTimers;
}

export interface RuntimeGateScheduler extends GateScheduler {
  /** Configured gates the scheduler runs (every entry but the `built-in` ones). */
  readonly checkedIds: readonly string[];
}

interface GateState {
  spec: GateSpec;
  timer?: unknown;
  running?: { controller: AbortController; done: Promise<void> };
  queued?: Promise<void>;
}

class StoppedError extends Error {}

export function createGateScheduler(options: GateSchedulerOptions): RuntimeGateScheduler {
  const { store, checkers } = options;
  const timers = options.timers ?? REAL_TIMERS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_GATE_CONCURRENCY);
  const gates = new Map<string, GateState>();
  for (const spec of options.specs) if (spec.check.type !== 'built-in') gates.set(spec.id, { spec });
  /** The scheduler's own latest results (the store's copy lags by one flush). */
  const latest = new Map<string, GateResult>();
  const queue: Array<{ gate: GateState; finished: () => void }> = [];
  /** Gates due while their pipeline stage could not run: run as soon as it can. */
  const waiting = new Set<string>();
  let running = 0;
  let started = false;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  /** Without a staged gate nothing is ever blocked: every gate may always run (no pipeline to compose on each tick). */
  const everyGate: ReadonlySet<string> | undefined = options.specs.some((spec) => spec.stage !== undefined) ? undefined : new Set(options.specs.map((spec) => spec.id));

  /** Which gates may run now, over the given specs (all of them live; the selection for runOnce). */
  const runnable = (specs: readonly GateSpec[]): ReadonlySet<string> => {
    if (everyGate) return everyGate;
    const state = store.getState();
    return composeGates(state.gates, specs, { ...state.configuredGateResults, ...Object.fromEntries(latest) }).runnable;
  };

  /**
   * Starts the next queued check, one per turn of the event loop: starting a check (a command's
   * fork) blocks for a moment, and between two of them a keystroke waiting in the poll phase is
   * handled first.
   */
  let pumpPending = false;
  const pump = (): void => {
    if (pumpPending || stopped || running >= concurrency) return;
    const entry = queue.shift();
    if (!entry) return;
    startRun(entry.gate, entry.finished);
    if (running >= concurrency || queue.length === 0) return;
    pumpPending = true;
    setImmediate(() => {
      pumpPending = false;
      pump();
    });
  };

  const startRun = (gate: GateState, finished: () => void): void => {
    gate.queued = undefined;
    running += 1;
    const controller = new AbortController();
    const done = runGate(gate.spec, controller).finally(() => {
      running -= 1;
      gate.running = undefined;
      finished();
      if (stopped) return;
      pump();
      if (started) recheckWaiting();
    });
    gate.running = { controller, done };
  };

  /** Runs a gate behind the concurrency bound; resolves when that run ends (the same promise while it is queued or running). */
  const enqueue = (gate: GateState): Promise<void> => {
    if (gate.running) return gate.running.done;
    if (gate.queued) return gate.queued;
    const queued = new Promise<void>((resolve) => queue.push({ gate, finished: resolve }));
    gate.queued = queued;
    pump();
    return queued;
  };

  const runGate = async (spec: GateSpec, controller: AbortController): Promise<void> => {
    const startedAt = timers.now();
    const outcome = await checkWithTimeout(spec, controller);
    if (stopped) return;
    const checkedAt = timers.now();
    // `since` is the gate slice's to keep (it knows the status the operator saw).
    const result: GateResult = {
      id: spec.id,
      title: spec.title,
      status: outcome.status,
      detail: outcome.detail,
      checkedAt,
      durationMs: checkedAt - startedAt,
      origin: 'configured',
    };
    if (outcome.evidence) result.evidence = outcome.evidence;
    if (outcome.workloadKey !== undefined) result.workloadKey = outcome.workloadKey;
    latest.set(spec.id, result);
    store.getState().gateChecked(result);
  };

  const checkWithTimeout = (spec: GateSpec, controller: AbortController): Promise<GateOutcome> => {
    const checker = checkers.get(spec.check.type);
    if (!checker) return Promise.resolve({ status: 'unknown', detail: `no checker for ${spec.check.type} gates`, evidence: { error: `no checker for ${spec.check.type} gates` } });
    const context: GateCheckContext = { ...options.context, signal: controller.signal, now: timers.now, state: () => store.getState() };
    return new Promise<GateOutcome>((resolve) => {
      const timedOut = `timed out after ${formatDuration(spec.timeoutMs)}`;
      const timer = timers.setTimeout(() => {
        controller.abort(new Error(timedOut));
        resolve({ status: 'fail', detail: timedOut, evidence: { error: timedOut } });
      }, spec.timeoutMs);
      controller.signal.addEventListener('abort', () => {
        timers.clearTimeout(timer);
        if (controller.signal.reason instanceof StoppedError) resolve({ status: 'unknown', detail: 'stopped', evidence: { error: 'stopped' } });
      });
      let answer: Promise<GateOutcome>;
      try {
        answer = checker.run(spec.check, context);
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (outcome) => {
          timers.clearTimeout(timer);
          resolve(outcome);
        },
        (error: unknown) => {
          timers.clearTimeout(timer);
          const message = toDisplayText(error instanceof Error ? error.message : String(error));
          resolve({ status: 'unknown', detail: `check failed: ${message}`, evidence: { error: message } });
        },
      );
    });
  };

  /** A tick of a gate's timer: run it, or wait for its stage; never a second run. */
  const due = (gate: GateState): void => {
    if (gate.running || gate.queued) return;
    if (!runnable(options.specs).has(gate.spec.id)) {
      waiting.add(gate.spec.id);
      return;
    }
    waiting.delete(gate.spec.id);
    void enqueue(gate);
  };

  const recheckWaiting = (): void => {
    if (waiting.size === 0) return;
    const allowed = runnable(options.specs);
    for (const id of [...waiting]) {
      const gate = gates.get(id);
      if (!gate || !allowed.has(id)) continue;
      waiting.delete(id);
      void enqueue(gate);
    }
  };

  const schedule = (gate: GateState, delay: number): void => {
    gate.timer = timers.setTimeout(() => {
      if (stopped) return;
      schedule(gate, gate.spec.intervalMs);
      due(gate);
    }, delay);
  };

  return {
    checkedIds: [...gates.keys()],
    start() {
      if (started || stopped) return;
      started = true;
      const ordered = pipelineOrder([...gates.values()].map((gate) => ({ gate, stage: gate.spec.stage })));
      ordered.forEach(({ gate }, index) => {
        const window = Math.min(STAGGER_WINDOW_MS, gate.spec.intervalMs);
        schedule(gate, Math.floor((index * window) / ordered.length));
      });
      // A built-in gate of an earlier stage passing (its engine connected) lets the waiting ones run.
      unsubscribe = store.subscribe((state, previous) => {
        if (waiting.size > 0 && state.gates !== previous.gates) timers.setTimeout(recheckWaiting, 0);
      });
    },
    async runOnce(runOptions = {}) {
      const ids = runOptions.gateIds;
      const unknown = ids?.filter((id) => !options.specs.some((spec) => spec.id === id)) ?? [];
      if (unknown.length > 0) throw new Error(`unknown gate ${unknown.join(', ')}`);
      const specs = ids ? options.specs.filter((spec) => ids.includes(spec.id)) : [...options.specs];
      const checked = specs.map((spec) => gates.get(spec.id)).filter((gate): gate is GateState => gate !== undefined);
      const independent = checked.filter((gate) => gate.spec.stage === undefined).map((gate) => enqueue(gate));
      const stages = [...new Set(checked.flatMap((gate) => (gate.spec.stage === undefined ? [] : [gate.spec.stage])))].sort((left, right) => left - right);
      for (const stage of stages) {
        const allowed = runnable(specs);
        const ofStage = checked.filter((gate) => gate.spec.stage === stage && allowed.has(gate.spec.id));
        await Promise.all(ofStage.map((gate) => enqueue(gate)));
      }
      await Promise.all(independent);
      store.getState().flush();
      const state = store.getState();
      const selected = new Set(specs.map((spec) => spec.id));
      return composeGates(state.gates, specs, { ...state.configuredGateResults, ...Object.fromEntries(latest) }).gates.filter((gate) => selected.has(gate.id));
    },
    runNow(gateId) {
      const gate = gates.get(gateId);
      if (!gate || stopped || gate.running || gate.queued) return;
      if (!runnable(options.specs).has(gateId)) return;
      void enqueue(gate);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      queue.length = 0;
      waiting.clear();
      for (const gate of gates.values()) {
        if (gate.timer !== undefined) timers.clearTimeout(gate.timer);
        gate.running?.controller.abort(new StoppedError('stopped'));
      }
    },
  };
}
