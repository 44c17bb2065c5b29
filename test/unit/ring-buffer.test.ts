import { describe, it, expect } from 'vitest';
import { RingBuffer } from '../../src/domain/ring-buffer';

describe('RingBuffer', () => {
  it('keeps items oldest first until full', () => {
    const buffer = new RingBuffer<number>(3);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.toArray()).toEqual([1, 2]);
    expect(buffer.size).toBe(2);
    expect(buffer.last()).toBe(2);
  });

  it('overwrites the oldest items once full and keeps counting pushes', () => {
    const buffer = new RingBuffer<number>(3);
    for (let value = 1; value <= 7; value += 1) buffer.push(value);
    expect(buffer.toArray()).toEqual([5, 6, 7]);
    expect(buffer.size).toBe(3);
    expect(buffer.totalPushed).toBe(7);
    expect(buffer.last()).toBe(7);
    expect(buffer.first()).toBe(5);
  });

  it('pushMany keeps only the newest capacity items but counts all of them', () => {
    const buffer = new RingBuffer<number>(4);
    buffer.push(0);
    buffer.pushMany([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(buffer.toArray()).toEqual([6, 7, 8, 9]);
    expect(buffer.totalPushed).toBe(10);
    buffer.pushMany([10]);
    expect(buffer.toArray()).toEqual([7, 8, 9, 10]);
  });

  it('slices by logical index across the wrap point, like Array.slice', () => {
    const buffer = new RingBuffer<string>(5);
    buffer.pushMany(['a', 'b', 'c', 'd', 'e', 'f', 'g']); // holds c d e f g
    expect(buffer.slice(1, 3)).toEqual(['d', 'e']);
    expect(buffer.slice(-2)).toEqual(['f', 'g']);
    expect(buffer.slice(3, 100)).toEqual(['f', 'g']);
    expect(buffer.slice(4, 2)).toEqual([]);
    expect(buffer.at(0)).toBe('c');
    expect(buffer.at(-1)).toBe('g');
    expect(buffer.at(5)).toBeUndefined();
  });

  it('clear empties the buffer without resetting totalPushed, and changes the version', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.pushMany([1, 2, 3]);
    const versionBefore = buffer.version;
    buffer.clear();
    expect(buffer.size).toBe(0);
    expect(buffer.toArray()).toEqual([]);
    expect(buffer.last()).toBeUndefined();
    expect(buffer.totalPushed).toBe(3);
    expect(buffer.version).toBeGreaterThan(versionBefore);
    buffer.push(4);
    expect(buffer.toArray()).toEqual([4]);
  });

  it('iterates oldest first', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.pushMany([1, 2, 3]);
    expect([...buffer]).toEqual([2, 3]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
    expect(() => new RingBuffer(2.5)).toThrow(/positive integer/);
  });

  it('keeps only the newest items once a large buffer wraps many times', () => {
    const buffer = new RingBuffer<number>(100_000);
    for (let value = 0; value < 1_000_000; value += 1) buffer.push(value);
    expect(buffer.size).toBe(100_000);
    expect(buffer.first()).toBe(900_000);
    expect(buffer.last()).toBe(999_999);
  });
});
