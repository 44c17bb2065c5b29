import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ActionExecutor } from '../src/domain/engine-action';
import type { PlaybookService } from '../src/playbooks/run-types';
import type { IncidentService } from '../src/incident/incident-types';
import type { GateScheduler } from '../src/gates/gate-types';
import type { OpsdeckStore } from '../src/store/create-opsdeck-store';
import type { OpsdeckState } from '../src/store/store-types';
import type { Clipboard } from '../src/support/osc52';

interface OpsdeckContextValue {
  store: OpsdeckStore;
  executor: ActionExecutor;
  /** The playbook runner (absent where no playbooks are wired: then the wizard says so). */
  playbooks: PlaybookService | undefined;
  /** Incident mode: declare, notes, escalations, resolve (absent: the cockpit says incident mode is not wired). */
  incidents?: IncidentService | undefined;
  /** The gate scheduler, for `runNow` from the gates panel. */
  gates?: Pick<GateScheduler, 'runNow'> | undefined;
  /** The operator's clipboard (OSC 52 through the terminal). */
  clipboard?: Clipboard | undefined;
}

const OpsdeckContext = createContext<OpsdeckContextValue | undefined>(undefined);

export function OpsdeckProvider(props: {
  store: OpsdeckStore;
  executor: ActionExecutor;
  playbooks?: PlaybookService | undefined;
  incidents?: IncidentService | undefined;
  gates?: Pick<GateScheduler, 'runNow'> | undefined;
  clipboard?: Clipboard | undefined;
  children: ReactNode;
}) {
  const { store, executor, playbooks, incidents, gates, clipboard, children } = props;
  return <OpsdeckContext.Provider value={{ store, executor, playbooks, incidents, gates, clipboard }}>{children}</OpsdeckContext.Provider>;
}

function useOpsdeckContext(): OpsdeckContextValue {
  const value = useContext(OpsdeckContext);
  if (!value) throw new Error('opsdeck views must be rendered inside <OpsdeckProvider>');
  return value;
}

export function useOpsdeckStore(): OpsdeckStore {
  return useOpsdeckContext().store;
}

/** The one action path for mutations (restart, stop, start, later playbook steps). */
export function useActionExecutor(): ActionExecutor {
  return useOpsdeckContext().executor;
}

/** Incident mode's side of the runtime (journals first, then the store). */
export function useIncidentService(): IncidentService | undefined {
  return useOpsdeckContext().incidents;
}

/** The operator's clipboard, for `y` (OSC 52). */
export function useClipboard(): Clipboard | undefined {
  return useOpsdeckContext().clipboard;
}

/** The gate scheduler: a gate run now from the panel. */
export function useGateScheduler(): Pick<GateScheduler, 'runNow'> | undefined {
  return useOpsdeckContext().gates;
}

/** Which services the cockpit has, for the keys that need one (the hint bar offers them only then). */
export function useAvailableServices(): { gates: boolean; incidents: boolean; playbooks: boolean } {
  const { gates, incidents, playbooks } = useOpsdeckContext();
  const hasGates = gates !== undefined;
  const hasIncidents = incidents !== undefined;
  const hasPlaybooks = playbooks !== undefined;
  return useMemo(() => ({ gates: hasGates, incidents: hasIncidents, playbooks: hasPlaybooks }), [hasGates, hasIncidents, hasPlaybooks]);
}

/** The playbooks side of the runtime: views send run intents through it, never run steps. */
export function usePlaybookService(): PlaybookService | undefined {
  return useOpsdeckContext().playbooks;
}

/**
 * Subscribes to one slice of the store: the component re-renders only when the selected
 * value changes (Object.is). Return primitives or memoized objects, never fresh ones.
 */
export function useOpsdeck<T>(selector: (state: OpsdeckState) => T): T {
  return useStore(useOpsdeckStore(), selector);
}

/** Like useOpsdeck for derived arrays/objects: re-renders only when their items change (shallow). */
export function useOpsdeckShallow<T>(selector: (state: OpsdeckState) => T): T {
  return useStore(useOpsdeckStore(), useShallow(selector));
}

/**
 * The current time for ages and uptimes. Re-renders on the store's coarse clock ticks
 * (see the runtime), never on a timer of its own: one tick redraws every age at once.
 */
export function useNow(): number {
  const clock = useOpsdeck((state) => state.clock);
  return Math.max(clock, Date.now());
}

/**
 * What a view shows that depends on the time ("up 5m", "3h ago", stale or not), from the
 * store's clock: the component re-renders only when that value changes, not on every clock
 * tick. `compute` gets the state and the current time and returns a primitive (compared by value).
 */
export function useClockValue<T extends string | number | boolean | undefined>(compute: (state: OpsdeckState, now: number) => T): T {
  return useOpsdeck((state) => compute(state, Math.max(state.clock, Date.now())));
}

/**
 * What a view draws from values that change more often than what it shows (a host sample every
 * few seconds, drawn rounded): `compute` turns the state into the drawn lines (plain data), and
 * the component re-renders only when those change (compared as JSON), not on every new sample.
 */
export function useShownValue<T>(compute: (state: OpsdeckState) => T): T {
  const shown = useOpsdeck((state) => JSON.stringify(compute(state)) ?? '');
  return useMemo(() => (shown === '' ? undefined : JSON.parse(shown)) as T, [shown]);
}

/**
 * The current time while `needed` (an open incident, a retry countdown), else 0: a component
 * that shows a time only sometimes does not re-render on clock ticks the rest of the time.
 */
export function useNowWhile(needed: boolean): number {
  const clock = useOpsdeck((state) => (needed ? state.clock : 0));
  return needed ? Math.max(clock, Date.now()) : 0;
}
