// Coalesces bursts of adapter writes into one store update per interval.
// Adapters call store actions as often as events arrive; the batcher makes sure the
// views see at most one change per `intervalMs` (the flush applies everything pending).
// After a quiet period the first write is applied on the next turn of the event loop
// (a burst arriving in the same turn still lands together), so the first frame and a
// lone event are not held back by the interval.

export interface UpdateBatcher {
  /** Ask for a flush: on the next turn after a quiet period, else `intervalMs` after the last one. */
  request(): void;
  /** Flush now (tests, shutdown, headless snapshots). */
  flushNow(): void;
  dispose(): void;
}

export function createUpdateBatcher(flush: () => void, intervalMs: number, now: () => number = Date.now): UpdateBatcher {
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  let lastFlushAt = Number.NEGATIVE_INFINITY;

  const run = (): void => {
    timer = undefined;
    if (disposed) return;
    lastFlushAt = now();
    flush();
  };

  return {
    request() {
      if (disposed || timer) return;
      const wait = Math.max(0, lastFlushAt + intervalMs - now());
      timer = setTimeout(run, wait);
      timer.unref?.();
    },
    flushNow() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (disposed) return;
      lastFlushAt = now();
      flush();
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
