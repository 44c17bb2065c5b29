// A read-only map made of a shared base and a few changes over it: the next version of a map of
// 10,000 entries (the restart history) in which a handful changed, without copying the 10,000.
// Versions share the base; each has its own small layer, folded into a new base once it grows.

const GONE = Symbol('gone');

/** Past this many changed entries, a version is folded into a plain map of its own. */
const MAX_LAYER = 256;

class LayeredMap<Key, Value> implements ReadonlyMap<Key, Value> {
  readonly size: number;

  constructor(
    private readonly base: ReadonlyMap<Key, Value>,
    private readonly layer: ReadonlyMap<Key, Value | typeof GONE>,
  ) {
    let size = base.size;
    for (const [key, value] of layer) {
      const inBase = base.has(key);
      if (value === GONE) size -= inBase ? 1 : 0;
      else size += inBase ? 0 : 1;
    }
    this.size = size;
  }

  get(key: Key): Value | undefined {
    const changed = this.layer.get(key);
    if (changed !== undefined) return changed === GONE ? undefined : changed;
    return this.layer.has(key) ? undefined : this.base.get(key);
  }

  has(key: Key): boolean {
    if (this.layer.has(key)) return this.layer.get(key) !== GONE;
    return this.base.has(key);
  }

  /** Base order, changed entries where they were, new ones after (a key deleted and set again keeps its old place: nothing reads the order). */
  *entries(): MapIterator<[Key, Value]> {
    for (const [key, value] of this.base) {
      if (!this.layer.has(key)) yield [key, value];
      else {
        const changed = this.layer.get(key) as Value | typeof GONE;
        if (changed !== GONE) yield [key, changed];
      }
    }
    for (const [key, value] of this.layer) if (value !== GONE && !this.base.has(key)) yield [key, value];
  }

  *keys(): MapIterator<Key> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<Value> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: Value, key: Key, map: ReadonlyMap<Key, Value>) => void, thisArgument?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArgument, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[Key, Value]> {
    return this.entries();
  }

  /** The base and layer a next version starts from. */
  parts(): { base: ReadonlyMap<Key, Value>; layer: ReadonlyMap<Key, Value | typeof GONE> } {
    return { base: this.base, layer: this.layer };
  }
}

/**
 * `previous` with `sets` and `deletes` applied, as a new map that shares what did not change
 * (`previous` itself when there is nothing to apply). `previous` is never modified.
 */
export function withChanges<Key, Value>(previous: ReadonlyMap<Key, Value>, sets: ReadonlyMap<Key, Value>, deletes: Iterable<Key>): ReadonlyMap<Key, Value> {
  const layer = new Map<Key, Value | typeof GONE>(previous instanceof LayeredMap ? previous.parts().layer : undefined);
  const base = previous instanceof LayeredMap ? previous.parts().base : previous;
  let changed = false;
  for (const key of deletes) {
    layer.set(key, GONE);
    changed = true;
  }
  for (const [key, value] of sets) {
    layer.set(key, value);
    changed = true;
  }
  if (!changed) return previous;
  const next = new LayeredMap(base, layer);
  return layer.size > MAX_LAYER ? new Map(next) : next;
}
