// Memoization for selectors: derived lists keep their identity while their inputs do,
// so `useStore(store, selector)` does not re-render (and useSyncExternalStore gets a
// stable snapshot).

/** Remembers the last result and recomputes only when an argument changed (Object.is). */
export function memoizeLast<Args extends readonly unknown[], Result>(compute: (...args: Args) => Result): (...args: Args) => Result {
  let lastArgs: Args | undefined;
  let lastResult: Result | undefined;
  return (...args: Args): Result => {
    if (lastArgs && lastArgs.length === args.length && lastArgs.every((value, index) => Object.is(value, args[index]))) {
      return lastResult as Result;
    }
    lastResult = compute(...args);
    lastArgs = args;
    return lastResult;
  };
}

/** Same as memoizeLast, but the new result is dropped for the previous one when both hold the same items. */
export function memoizeList<Args extends readonly unknown[], Item>(
  compute: (...args: Args) => Item[],
): (...args: Args) => Item[] {
  let previous: Item[] = [];
  return memoizeLast((...args: Args): Item[] => {
    const next = compute(...args);
    if (next.length === previous.length && next.every((item, index) => Object.is(item, previous[index]))) return previous;
    previous = next;
    return next;
  });
}
