// Fixed-capacity buffer that keeps the newest `capacity` items.
// Push is O(1); once full, each push overwrites the oldest item.
// Logical index 0 is the oldest retained item, size - 1 the newest.

export class RingBuffer<T> {
  readonly capacity: number;
  private readonly items: Array<T | undefined>;
  /** Physical index of the oldest item. */
  private head = 0;
  private count = 0;
  private pushedTotal = 0;
  private mutationCount = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity);
  }

  /** Number of items currently held (at most capacity). */
  get size(): number {
    return this.count;
  }

  /**
   * Items pushed since construction, never reset (not even by clear).
   * Views compare it with the value they rendered to detect new items.
   */
  get totalPushed(): number {
    return this.pushedTotal;
  }

  /** Increases on every change, including clear(). */
  get version(): number {
    return this.mutationCount;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  push(item: T): void {
    const tail = (this.head + this.count) % this.capacity;
    this.items[tail] = item;
    if (this.count < this.capacity) {
      this.count += 1;
    } else {
      this.head = (this.head + 1) % this.capacity;
    }
    this.pushedTotal += 1;
    this.mutationCount += 1;
  }

  pushMany(items: readonly T[]): void {
    if (items.length === 0) return;
    // Only the newest `capacity` items can survive; skip the rest without copying them.
    const firstKept = Math.max(0, items.length - this.capacity);
    for (let index = firstKept; index < items.length; index += 1) {
      this.push(items[index] as T);
    }
    // Items that were skipped still count as pushed.
    this.pushedTotal += firstKept;
  }

  /** Item at a logical index (negative counts from the newest), or undefined. */
  at(index: number): T | undefined {
    const logicalIndex = index < 0 ? this.count + index : index;
    if (!Number.isInteger(logicalIndex) || logicalIndex < 0 || logicalIndex >= this.count) return undefined;
    return this.items[(this.head + logicalIndex) % this.capacity];
  }

  /** Newest item, or undefined when empty. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  /** Oldest item, or undefined when empty. */
  first(): T | undefined {
    return this.count === 0 ? undefined : this.at(0);
  }

  /** All items, oldest first. */
  toArray(): T[] {
    return this.slice(0, this.count);
  }

  /**
   * Items between logical indexes [start, end), oldest first, with the same
   * rules as Array.prototype.slice (negative indexes count from the newest).
   */
  slice(start = 0, end = this.count): T[] {
    const from = clampSliceIndex(start, this.count);
    const to = clampSliceIndex(end, this.count);
    const result: T[] = [];
    for (let logicalIndex = from; logicalIndex < to; logicalIndex += 1) {
      result.push(this.items[(this.head + logicalIndex) % this.capacity] as T);
    }
    return result;
  }

  clear(): void {
    // Drop references so cleared items can be garbage collected.
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.mutationCount += 1;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let logicalIndex = 0; logicalIndex < this.count; logicalIndex += 1) {
      yield this.items[(this.head + logicalIndex) % this.capacity] as T;
    }
  }
}

function clampSliceIndex(index: number, length: number): number {
  if (Number.isNaN(index)) return 0;
  const truncated = Math.trunc(index);
  if (truncated < 0) return Math.max(0, length + truncated);
  return Math.min(truncated, length);
}
