// Stand-ins for the runtime's services while their module loads (src/runtime/runtime-services.ts,
// a chunk of its own imported after the first frame). The views get these from the first frame
// on, so every key and `:` command is available at once: a call that needs no answer (a gate's
// refresh, an incident note) waits for the service and then runs; a question with an answer
// gets the one the service itself gives before its first read (no catalog yet, no pending
// approval, no run, no incident); a run cannot start before the catalog it names is listed.

import type { GateScheduler } from '../gates/gate-types';
import type { PlaybookCatalog } from '../playbooks/playbook-types';
import type { RunnablePlaybookService } from '../playbooks/runner/playbook-service';
import type { RuntimeIncidentService } from './incident-service';
import type { RuntimeServices } from './runtime-services';

export interface DeferredServices extends RuntimeServices {
  /** Resolves once `provide` handed the real services over (every call since then goes straight to them). */
  readonly ready: Promise<RuntimeServices>;
  /** The real services, or undefined while they load. */
  current(): RuntimeServices | undefined;
  provide(services: RuntimeServices): void;
  /** The module could not be loaded: calls waiting for it fail with this error. */
  fail(error: unknown): void;
}

const STILL_LOADING = 'playbooks are still loading; try again in a moment';
const EMPTY_CATALOG: PlaybookCatalog = { playbooks: [], invalid: [], directories: [] };

export function createDeferredServices(): DeferredServices {
  let real: RuntimeServices | undefined;
  let provide: (services: RuntimeServices) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const ready = new Promise<RuntimeServices>((resolve, reject) => {
    provide = resolve;
    fail = reject;
  });
  // A caller that never awaits must not turn a failed load into an unhandled rejection.
  ready.catch(() => undefined);
  const later = <T>(call: (services: RuntimeServices) => T | Promise<T>): Promise<T> => ready.then(call);

  const playbooks: RunnablePlaybookService = {
    start: (playbookId, options) => {
      if (!real) throw new Error(STILL_LOADING);
      return real.playbooks.start(playbookId, options);
    },
    control: (runId) => real?.playbooks.control(runId),
    resume: (runId, options) => {
      if (!real) throw new Error(STILL_LOADING);
      return real.playbooks.resume(runId, options);
    },
    approve: (runId, stepId) => (real ? real.playbooks.approve(runId, stepId) : { accepted: false, reason: STILL_LOADING }),
    pendingApprovals: () => real?.playbooks.pendingApprovals() ?? [],
    refresh: () => later((services) => services.playbooks.refresh()),
    close: () => (real ? real.playbooks.close() : Promise.resolve()),
    catalog: () => real?.playbooks.catalog() ?? EMPTY_CATALOG,
    watchApprovals: (intervalMs) => {
      if (real) real.playbooks.watchApprovals(intervalMs);
      else void later((services) => services.playbooks.watchApprovals(intervalMs)).catch(() => undefined);
    },
  };

  const incidents: RuntimeIncidentService = {
    declare: (input) => later((services) => services.incidents.declare(input)),
    note: (text) => later((services) => services.incidents.note(text)),
    changeSeverity: (severity) => later((services) => services.incidents.changeSeverity(severity)),
    answerEscalation: (level, answer) => later((services) => services.incidents.answerEscalation(level, answer)),
    resolve: (input) => later((services) => services.incidents.resolve(input)),
    recordSilence: (input) => later((services) => services.incidents.recordSilence?.(input)),
    texts: () => real?.incidents.texts(),
    start: () => real?.incidents.start(),
    stop: () => real?.incidents.stop(),
    checkEscalations: () => real?.incidents.checkEscalations(),
  };

  const gates: GateScheduler = {
    start: () => real?.gates.start(),
    runOnce: (options) => later((services) => services.gates.runOnce(options)),
    runNow: (gateId) => {
      if (real) real.gates.runNow(gateId);
      else void later((services) => services.gates.runNow(gateId)).catch(() => undefined);
    },
    stop: () => real?.gates.stop(),
  };

  return {
    playbooks,
    incidents,
    gates,
    ready,
    current: () => real,
    provide: (services) => {
      real = services;
      provide(services);
    },
    fail: (error) => fail(error),
  };
}
