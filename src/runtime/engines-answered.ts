// Moments of the start-up that follow the engines' first answers (connected or refused), read
// off the store: the playbook catalog is parsed after them, and the cockpit's first frame is
// drawn with their lists when they come quickly.
import type { OpsdeckStore } from '../store/create-opsdeck-store';

/** The catalog is read this long after the engines answered (their first frame is drawn first, even on a busy machine)... */
const CATALOG_AFTER_ANSWER_MS = 1000;
/** ...or this long after the start, whichever comes first (an engine that keeps connecting; the picker reads it at once). */
const CATALOG_AT_THE_LATEST_MS = 10_000;

const answered = (store: OpsdeckStore): boolean => Object.values(store.getState().engines).every((engine) => engine.state !== 'connecting');

/** Calls `run` once, shortly after no engine is `connecting` any more, or after a cap. */
export function afterEnginesAnswered(store: OpsdeckStore, run: () => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const fire = (): void => {
    unsubscribe?.();
    clearTimeout(timer);
    run();
  };
  const onAnswer = (): void => {
    if (!answered(store)) return;
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

/**
 * Resolves once one engine has answered (its list is in the store, or it refused), every engine
 * has, or after `capMs`. The cockpit waits for it before its first frame: a list that is about to
 * come is drawn in that frame instead of behind a 'connecting' frame that held it back (the
 * first render blocks the event loop while the answer waits to be read).
 */
export function firstEngineAnswer(store: OpsdeckStore, capMs: number): Promise<void> {
  const some = (): boolean => {
    const engines = Object.values(store.getState().engines);
    return engines.length === 0 || engines.some((engine) => engine.state !== 'connecting');
  };
  if (some()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    // At the cap, an answer already read off the socket but not yet flushed still makes it in: one
    // turn for pending I/O (timers run before it in a turn), one for the store's prompt flush.
    const timer = setTimeout(() => setImmediate(() => setTimeout(done, 0)), capMs);
    const unsubscribe = store.subscribe(() => {
      if (some()) done();
    });
  });
}
