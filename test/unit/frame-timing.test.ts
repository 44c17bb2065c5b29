// The OPSDECK_FRAME_TIMING debug log: off without the variable; with it, keys, Yoga passes (through
// the hook the bundle patch calls), frames and writes are logged with their durations and the
// process's CPU, and the streams are left as they were.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startFrameTiming } from '../../src/terminal/frame-timing';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function streams(): { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stdin: new PassThrough() as unknown as NodeJS.ReadStream, stdout, written };
}

describe('frame timing log', () => {
  it('records nothing and changes nothing without OPSDECK_FRAME_TIMING', () => {
    const { stdin, stdout } = streams();
    const write = stdout.write;
    expect(startFrameTiming({}, { stdin, stdout })).toBeUndefined();
    expect(stdout.write).toBe(write);
    expect(globalThis.__opsdeckFrameTiming).toBeUndefined();
    expect(stdin.listenerCount('readable')).toBe(0);
  });

  it('logs keys, layout passes, frames and writes in time order, then restores the streams', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'opsdeck-timing-'));
    directories.push(directory);
    const path = join(directory, 'frames.log');
    const { stdin, stdout, written } = streams();
    const write = stdout.write;
    const timing = startFrameTiming({ OPSDECK_FRAME_TIMING: path }, { stdin, stdout });
    expect(timing).toBeDefined();
    stdin.on('readable', () => stdin.read());
    stdin.write('j');
    await new Promise((resolve) => setImmediate(resolve));
    const layoutStart = performance.now();
    globalThis.__opsdeckFrameTiming?.('layout', layoutStart);
    timing?.record('output', performance.now());
    stdout.write('frame bytes');
    timing?.stop();
    expect(written).toEqual(['frame bytes']);
    expect(stdout.write).toBe(write);
    expect(globalThis.__opsdeckFrameTiming).toBeUndefined();
    const [origin, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
    expect(origin).toMatch(/^origin \d+$/);
    const events = lines.map((line) => line.split(' ')).filter((fields) => fields[1] !== 'gc');
    expect(events.map((fields) => fields[1])).toEqual(['key', 'layout', 'output', 'write']);
    // `<ms since start> <event> <duration ms> <process CPU ms> [detail]`; the write's detail is its byte count.
    for (const fields of events) {
      expect(Number(fields[0])).toBeGreaterThanOrEqual(0);
      expect(Number(fields[2])).toBeGreaterThanOrEqual(0);
      expect(Number(fields[3])).toBeGreaterThan(0);
    }
    expect(events[3]?.[4]).toBe(String('frame bytes'.length));
    const times = events.map((fields) => Number(fields[0]));
    expect(times).toEqual([...times].sort((left, right) => left - right));
  });
});
