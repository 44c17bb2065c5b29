// The restart history's map: each version (a shared base plus a few changes) reads as a copied
// Map with the same sets and deletes would (same entries, size, get, has), and earlier versions
// stay as they were.
import { describe, expect, it } from 'vitest';
import { randomSource } from '../support/random-frames';
import { withChanges } from '../../src/store/slices/layered-map';

/** Whole numbers below `below` from a seeded generator: the same run every time. */
function randomFrom(seed: number): (below: number) => number {
  const next = randomSource(seed);
  return (below) => Math.floor(next() * below);
}

describe('layered map', () => {
  it('reads, sizes and iterates as a copied Map with the same changes, version after version, past its folding', () => {
    const random = randomFrom(11);
    let reference = new Map<string, number>(Array.from({ length: 2000 }, (_, index) => [`key-${index}`, index]));
    let current: ReadonlyMap<string, number> = new Map(reference);
    const kept: Array<{ map: ReadonlyMap<string, number>; entries: Array<[string, number]> }> = [];
    for (let step = 0; step < 300; step++) {
      const sets = new Map<string, number>();
      const deletes: string[] = [];
      for (let change = random(6); change > 0; change--) {
        const key = `key-${random(2600)}`;
        if (random(3) === 0) deletes.push(key);
        else sets.set(key, step * 10_000 + change);
      }
      const next = new Map(reference);
      for (const key of deletes) next.delete(key);
      for (const [key, value] of sets) next.set(key, value);
      const made = withChanges(current, sets, deletes);
      if (sets.size === 0 && deletes.length === 0) expect(made).toBe(current);
      // Entries as a Map's (their order is not kept for a key deleted and added again: nothing reads it).
      expect(new Map(made)).toEqual(next);
      expect([...made].length).toBe(next.size);
      expect(new Set(made.keys())).toEqual(new Set(next.keys()));
      expect([...made.values()].sort()).toEqual([...next.values()].sort());
      expect(made.size).toBe(next.size);
      for (let probe = 0; probe < 20; probe++) {
        const key = `key-${random(2600)}`;
        expect(made.get(key)).toBe(next.get(key));
        expect(made.has(key)).toBe(next.has(key));
      }
      const seen: string[] = [];
      made.forEach((value, key) => seen.push(`${key}=${value}`));
      expect(seen.sort()).toEqual([...next].map(([key, value]) => `${key}=${value}`).sort());
      if (step % 50 === 0) kept.push({ map: made, entries: [...next] });
      reference = next;
      current = made;
    }
    // Older versions were never changed by the later ones.
    for (const version of kept) expect(new Map(version.map)).toEqual(new Map(version.entries));
  });

  it('deletes a key that is not there as a Map would: nothing changes but the version', () => {
    const base = new Map([['a', 1]]);
    const made = withChanges(base, new Map(), ['b']);
    expect([...made]).toEqual([['a', 1]]);
    expect(made.size).toBe(1);
    expect(made.has('b')).toBe(false);
    expect(base.size).toBe(1);
  });
});
