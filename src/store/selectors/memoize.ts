// Memoization for selectors: derived lists keep their identity while their inputs do,
// so `useStore(store, selector)` does not re-render (and useSyncExternalStore gets a
// stable snapshot).

interface Entry<Args, Result> {
  args: Args;
  result: Result;
}

function sameArguments(left: readonly unknown[], right: readonly unknown[]): boolean {
  return left.length === right.length && left.every((value, index) => Object.is(value, right[index]));
}

/**
 * Remembers the last result and recomputes only when an argument changed (Object.is).
 * When the first argument is an object (a slice of one store's state), the last result is
 * kept per that object, so several stores (tests, embedding) do not evict each other.
 */
export function memoizeLast<Args extends readonly unknown[], Result>(compute: (...args: Args) => Result): (...args: Args) => Result {
  const byFirstArgument = new WeakMap<object, Entry<Args, Result>>();
  let last: Entry<Args, Result> | undefined;
  return (...args: Args): Result => {
    const first = args[0];
    const keyed = (typeof first === 'object' && first !== null) || typeof first === 'function';
    const entry = keyed ? byFirstArgument.get(first as object) : last;
    if (entry && sameArguments(entry.args, args)) return entry.result;
    const result = compute(...args);
    if (keyed) byFirstArgument.set(first as object, { args, result });
    else last = { args, result };
    return result;
  };
}

/** Same as memoizeLast, but a recomputed list holding the same items as the previous one is replaced by it. */
export function memoizeList<Args extends readonly unknown[], Item>(compute: (...args: Args) => Item[]): (...args: Args) => Item[] {
  let previous: Item[] = [];
  return memoizeLast((...args: Args): Item[] => {
    const next = compute(...args);
    if (next.length === previous.length && next.every((item, index) => Object.is(item, previous[index]))) return previous;
    previous = next;
    return next;
  });
}
