// Coalesces bursts of adapter writes into one store update per interval.
// Adapters call store actions as often as events arrive; the batcher makes sure the
// views see at most one change per `intervalMs` (the flush applies everything pending).
// After a quiet period the first write is applied on the next turn of the event loop
// (a burst arriving in the same turn still lands together), so the first frame and a
// lone event are not held back by the interval. A write the operator is waiting for (an
// engine's whole list, its connection state) asks for a prompt flush: the next turn, even
// inside the interval (the services list waited up to 200 ms behind a host sample's flush).

export interface UpdateBatcher {
  /** Ask for a flush: on the next turn after a quiet period, else `intervalMs` after the last one. */
  request(): void;
  /** Ask for a flush on the next turn, even when the last one was less than `intervalMs` ago. */
  requestPrompt(): void;
  /** Flush now (tests, shutdown, headless snapshots). */
  flushNow(): void;
  dispose(): void;
}

export function createUpdateBatcher(flush: () => void, intervalMs: number, now: () => number = Date.now): UpdateBatcher {
  let timer: NodeJS.Timeout | undefined;
  /** The pending timer fires on the next turn (not at the end of an interval). */
  let timerIsPrompt = false;
  let disposed = false;
  let lastFlushAt = Number.NEGATIVE_INFINITY;

  const run = (): void => {
    timer = undefined;
    if (disposed) return;
    lastFlushAt = now();
    flush();
  };

  const schedule = (wait: number): void => {
    timerIsPrompt = wait === 0;
    timer = setTimeout(run, wait);
    timer.unref?.();
  };

  return {
    request() {
      if (disposed || timer) return;
      schedule(Math.max(0, lastFlushAt + intervalMs - now()));
    },
    requestPrompt() {
      if (disposed || (timer && timerIsPrompt)) return;
      if (timer) clearTimeout(timer);
      schedule(0);
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
