/** Runs the tasks given to it with at most `limit` in flight, in the order given. */
export function createLimiter(limit: number): <Result>(task: () => Promise<Result>) => Promise<Result> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finished task hands its slot to the next waiting one, so a caller arriving in between
    // cannot take it too.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
export function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const limited = createLimiter(Math.max(1, limit));
  return Promise.all(items.map((item) => limited(() => task(item))));
}

/** Exponential backoff with a ceiling: 0.5 s, 1 s, 2 s ... max. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
}
