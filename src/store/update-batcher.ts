// Coalesces bursts of adapter writes into one store update per interval.
// Adapters call store actions as often as events arrive; the batcher makes sure the
// views see at most one change per `intervalMs` (the flush applies everything pending).

export interface UpdateBatcher {
  /** Ask for a flush; the first request in a quiet period schedules one after `intervalMs`. */
  request(): void;
  /** Flush now (tests, shutdown, headless snapshots). */
  flushNow(): void;
  dispose(): void;
}

export function createUpdateBatcher(flush: () => void, intervalMs: number): UpdateBatcher {
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;

  const run = (): void => {
    timer = undefined;
    if (!disposed) flush();
  };

  return {
    request() {
      if (disposed || timer) return;
      timer = setTimeout(run, Math.max(0, intervalMs));
      timer.unref?.();
    },
    flushNow() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!disposed) flush();
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
