// What an exec or a log read hands back: sanitised lines, bounded, saying what was left out.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BoundedLines, OUTPUT_LIMIT_BYTES, readOutputLines } from '../../src/adapters/docker/stream-output';

/** One frame of Docker's multiplexed format. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('stream output', () => {
  it('keeps the first MiB of an exec and says how many lines came after', () => {
    const lines = new BoundedLines('first');
    const line = 'x'.repeat(1023);
    for (let index = 0; index < 1100; index += 1) lines.add(line);
    const text = lines.text.split('\n');
    expect(text.slice(0, -1)).toHaveLength(OUTPUT_LIMIT_BYTES / 1024);
    expect(text.at(-1)).toBe('[output truncated: 76 later line(s) left out, 1 MiB kept]');
  });

  it('keeps the newest MiB of a log read and says how many earlier lines were left out', () => {
    const lines = new BoundedLines('last');
    for (let index = 0; index < 3000; index += 1) lines.add(`${String(index).padStart(4, '0')} ${'y'.repeat(1018)}`);
    const text = lines.text.split('\n');
    expect(text[0]).toBe('[output truncated: 1976 earlier line(s) left out, 1 MiB kept]');
    expect(text[1]?.startsWith('1976 ')).toBe(true);
    expect(text.at(-1)?.startsWith('2999 ')).toBe(true);
    const small = new BoundedLines('last');
    small.add('only');
    expect(small.text).toBe('only');
  });

  it('reads both streams of a multiplexed stream as sanitised lines, however the chunks are cut', async () => {
    const bytes = Buffer.concat([frame(1, 'hello\n\u001b]0;pwned\u0007wor'), frame(2, 'oops\n'), frame(1, 'ld\nno newline')]);
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    const seen: string[] = [];
    await readOutputLines(Readable.from(chunks), { raw: false, onLine: (stream, text) => seen.push(`${stream}: ${text}`) });
    expect(seen).toEqual(['stdout: hello', 'stderr: oops', 'stdout: world', 'stdout: no newline']);
  });

  it('stops reading and rejects when aborted', async () => {
    const stream = new Readable({ read() {} });
    const controller = new AbortController();
    const reading = readOutputLines(stream, { raw: true, signal: controller.signal, onLine: () => undefined });
    controller.abort(new Error('step timed out'));
    await expect(reading).rejects.toThrow('step timed out');
    expect(stream.destroyed).toBe(true);
  });
});
