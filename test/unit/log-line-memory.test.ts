// What a kept log line costs: the log buffers hold thousands of lines per workload, and under a
// flood (1,000 lines/s) every line is made once and kept until pushed out. On Node 20 a line made
// with object spreads got a hidden class of its own (~250 bytes more per line, in the old
// generation), which grew the cockpit's heap by tens of MB a minute.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LogResumePoint, newLogLines } from '../../src/adapters/log-resume';
import type { SplitLine } from '../../src/adapters/docker/log-decoder';
import type { LogLine } from '../../src/domain/types';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

describe('log lines in memory', () => {
  it('keeps 20,000 distinct flood lines at under 250 bytes each beside their text', () => {
    const count = 20_000;
    const base = Date.parse('2026-12-01T10:00:00Z');
    // The engine's lines, made before the measurement: only what newLogLines adds is counted.
    const input: SplitLine[] = Array.from({ length: count }, (_, index) => ({
      // Decoded from bytes, as the line splitter does (a flat string, like the engine's).
      text: Buffer.from(`${new Date(base + index).toISOString().replace('Z', '123456Z')} ERROR flood ${index} id=${(index * 7919) % 32768}`).toString('utf8'),
      truncated: index % 1000 === 999,
    }));
    const point = new LogResumePoint();
    const source = { instanceKey: 'docker:local/benchx-flood-1-1', workloadKey: 'docker:local/benchx/benchx-flood-1', stream: 'stdout' as const };
    const kept: LogLine[][] = [];
    const before = heapAfterCollection();
    // In batches, as a follow stream delivers them.
    for (let start = 0; start < count; start += 50) kept.push(newLogLines(input.slice(start, start + 50), point, source));
    const perLine = (heapAfterCollection() - before) / count;
    expect(input).toHaveLength(count); // kept alive until measured: its lines are not freed
    const lines = kept.flat();
    expect(lines).toHaveLength(count);
    expect(lines[123]).toEqual({ ...source, timestamp: base + 123, rawTimestamp: '2026-12-01T10:00:00.123123456Z', text: 'ERROR flood 123 id=23765' });
    expect(lines[999]?.truncated).toBe(true);
    expect(lines[998]).not.toHaveProperty('truncated');
    // The line object, its timestamp and its text (slices of the engine's line): ~150 bytes.
    expect(perLine, `${perLine.toFixed(0)} bytes per line`).toBeLessThan(250);
  });
});
