// The limiter the headless read uses for log reads started as inspects arrive: never more in
// flight than its limit, every task run once in the order given, a failure passed to its caller.
import { describe, expect, it } from 'vitest';
import { createLimiter, mapWithConcurrency } from '../../src/support/concurrency';

describe('createLimiter', () => {
  it('keeps at most `limit` tasks in flight and runs every one in order', async () => {
    const limit = createLimiter(3);
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        limit(async () => {
          started.push(index);
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5 + (index % 3) * 5));
          inFlight -= 1;
          return index * 2;
        }),
      ),
    );
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('passes a failure to its caller and goes on with the next task', async () => {
    const limit = createLimiter(1);
    const failing = limit(() => Promise.reject(new Error('engine went away')));
    const next = limit(async () => 'read');
    await expect(failing).rejects.toThrow('engine went away');
    await expect(next).resolves.toBe('read');
  });
});

describe('mapWithConcurrency', () => {
  it('maps every item in input order with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, item * 3));
      inFlight -= 1;
      return item * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
