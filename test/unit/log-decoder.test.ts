import { describe, it, expect } from 'vitest';
import {
  DockerLogDemultiplexer,
  LineSplitter,
  compareRawTimestamps,
  parseTimestampPrefix,
  rawTimestampToSince,
  type DemultiplexedStream,
  type SplitLine,
} from '../../src/adapters/docker/log-decoder';

function frame(streamType: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = streamType;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Feeds chunks and returns the bytes received per stream. */
function demultiplex(chunks: Buffer[], options: { raw?: boolean } = {}): { stdout: string; stderr: string; calls: number; demultiplexer: DockerLogDemultiplexer } {
  const received: Record<string, Buffer[]> = { stdout: [], stderr: [] };
  let calls = 0;
  const demultiplexer = new DockerLogDemultiplexer((stream: DemultiplexedStream, payload: Buffer) => {
    calls += 1;
    (received[stream] ??= []).push(Buffer.from(payload));
  }, options);
  for (const chunk of chunks) demultiplexer.push(chunk);
  return {
    stdout: Buffer.concat(received['stdout'] ?? []).toString('utf8'),
    stderr: Buffer.concat(received['stderr'] ?? []).toString('utf8'),
    calls,
    demultiplexer,
  };
}

/** Deterministic pseudo-random chunk sizes. */
function randomChunks(buffer: Buffer, seed: number, maximumSize: number): Buffer[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; ) {
    const size = 1 + (next() % maximumSize);
    chunks.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

function splitAll(splitter: LineSplitter, chunks: Buffer[]): SplitLine[] {
  const lines: SplitLine[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  lines.push(...splitter.flush());
  return lines;
}

describe('DockerLogDemultiplexer', () => {
  const stream = Buffer.concat([
    frame(1, '2026-11-23T10:00:00.000000001Z hello\n'),
    frame(2, '2026-11-23T10:00:00.000000002Z oops: dépassé 🚀\n'),
    frame(1, ''),
    frame(1, '2026-11-23T10:00:01Z bye\n'),
  ]);

  it('separates stdout and stderr frames', () => {
    const result = demultiplex([stream]);
    expect(result.stdout).toBe('2026-11-23T10:00:00.000000001Z hello\n2026-11-23T10:00:01Z bye\n');
    expect(result.stderr).toBe('2026-11-23T10:00:00.000000002Z oops: dépassé 🚀\n');
    expect(result.demultiplexer.pendingBytes).toBe(0);
  });

  it('gives the same result when the stream is split at every byte offset', () => {
    const whole = demultiplex([stream]);
    for (let offset = 0; offset <= stream.length; offset += 1) {
      const split = demultiplex([stream.subarray(0, offset), stream.subarray(offset)]);
      expect({ offset, stdout: split.stdout, stderr: split.stderr }).toEqual({ offset, stdout: whole.stdout, stderr: whole.stderr });
    }
  });

  it('gives the same result when fed one byte at a time or in random chunks', () => {
    const whole = demultiplex([stream]);
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(demultiplex(bytes)).toMatchObject({ stdout: whole.stdout, stderr: whole.stderr });
    for (let seed = 1; seed <= 20; seed += 1) {
      expect(demultiplex(randomChunks(stream, seed, 13))).toMatchObject({ stdout: whole.stdout, stderr: whole.stderr });
    }
  });

  it('passes a large frame on piece by piece instead of holding it', () => {
    const payload = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const framed = frame(1, payload);
    const sizes: number[] = [];
    const demultiplexer = new DockerLogDemultiplexer((_, piece) => sizes.push(piece.length));
    for (let offset = 0; offset < framed.length; offset += 64 * 1024) {
      demultiplexer.push(framed.subarray(offset, offset + 64 * 1024));
    }
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(payload.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect(demultiplexer.pendingBytes).toBe(0);
  });

  it('reports the bytes of an unfinished frame', () => {
    const result = demultiplex([frame(1, 'abcdef').subarray(0, 10)]);
    expect(result.stdout).toBe('ab');
    expect(result.demultiplexer.pendingBytes).toBe(4);
  });

  it('treats everything as stdout in raw mode (TTY containers)', () => {
    const result = demultiplex([Buffer.from('2026-11-23T10:00:00Z a\n\u0001\u0000'), Buffer.from('b\n')], { raw: true });
    expect(result.stdout).toBe('2026-11-23T10:00:00Z a\n\u0001\u0000b\n');
    expect(result.stderr).toBe('');
  });

  it('falls back to raw mode when the stream is not multiplexed, losing nothing', () => {
    const text = '2026-11-23T10:00:00Z plain tty output\nmore\n';
    const result = demultiplex([Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))]);
    expect(result.stdout).toBe(text);
    expect(result.demultiplexer.isRaw).toBe(true);
  });
});

describe('LineSplitter', () => {
  it('splits on newlines and strips a trailing carriage return', () => {
    const lines = splitAll(new LineSplitter(), [Buffer.from('one\r\ntwo\n\nthree')]);
    expect(lines).toEqual([
      { text: 'one', truncated: false },
      { text: 'two', truncated: false },
      { text: '', truncated: false },
      { text: 'three', truncated: false },
    ]);
  });

  it('joins a line split across chunks and keeps the unfinished end for later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('hel'))).toEqual([]);
    expect(splitter.push(Buffer.from('lo\nwor'))).toEqual([{ text: 'hello', truncated: false }]);
    expect(splitter.flush()).toEqual([{ text: 'wor', truncated: false }]);
    expect(splitter.flush()).toEqual([]);
  });

  it('decodes multi-byte UTF-8 characters split at every byte offset', () => {
    const text = 'héllo wörld — 日本語 🚀 done\nnext ✓\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset <= bytes.length; offset += 1) {
      const lines = splitAll(new LineSplitter(), [bytes.subarray(0, offset), bytes.subarray(offset)]);
      expect(lines.map((line) => line.text)).toEqual(['héllo wörld — 日本語 🚀 done', 'next ✓']);
    }
    const oneByteAtATime = splitAll(new LineSplitter(), [...bytes].map((byte) => Buffer.from([byte])));
    expect(oneByteAtATime.map((line) => line.text)).toEqual(['héllo wörld — 日本語 🚀 done', 'next ✓']);
  });

  it('keeps the first maxLineBytes of a 1 MB line, marks it truncated, and never buffers the rest', () => {
    const longLine = Buffer.alloc(1024 * 1024, 0x78); // "xxxx…"
    const input = Buffer.concat([Buffer.from('before\n'), longLine, Buffer.from('\nafter\n')]);
    for (let seed = 1; seed <= 5; seed += 1) {
      const splitter = new LineSplitter({ maxLineBytes: 4096 });
      const lines: SplitLine[] = [];
      let largestBuffered = 0;
      for (const chunk of randomChunks(input, seed, 70_000)) {
        lines.push(...splitter.push(chunk));
        largestBuffered = Math.max(largestBuffered, splitter.bufferedBytes);
      }
      lines.push(...splitter.flush());
      expect(lines.map((line) => [line.text.length, line.truncated])).toEqual([
        [6, false],
        [4096, true],
        [5, false],
      ]);
      expect(lines[1]?.text).toBe('x'.repeat(4096));
      expect(largestBuffered).toBeLessThanOrEqual(4097);
    }
  });

  it('does not accumulate a 100 MB line', () => {
    const splitter = new LineSplitter({ maxLineBytes: 4096 });
    const megabyte = Buffer.alloc(1024 * 1024, 0x79);
    const heapBefore = process.memoryUsage().heapUsed;
    for (let index = 0; index < 100; index += 1) {
      expect(splitter.push(megabyte)).toEqual([]);
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(4097);
    }
    const [line] = splitter.push(Buffer.from('\n'));
    expect(line).toEqual({ text: 'y'.repeat(4096), truncated: true });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('cuts a truncated line at a character boundary', () => {
    const euros = Buffer.from('€'.repeat(2000), 'utf8'); // 6,000 bytes, 3 per character
    const [line] = splitAll(new LineSplitter({ maxLineBytes: 4096 }), [euros]);
    expect(line?.truncated).toBe(true);
    expect(line?.text).toBe('€'.repeat(1365)); // 4,095 bytes
    expect(line?.text.includes('\uFFFD')).toBe(false);
  });

  it('does not count the \\r of a CRLF line towards the cap', () => {
    const exact = Buffer.from(`${'a'.repeat(16)}\r\n${'b'.repeat(17)}\n`);
    const lines = splitAll(new LineSplitter({ maxLineBytes: 16 }), [exact]);
    expect(lines).toEqual([
      { text: 'a'.repeat(16), truncated: false },
      { text: 'b'.repeat(16), truncated: true },
    ]);
  });

  it('flushes a truncated unfinished line', () => {
    const splitter = new LineSplitter({ maxLineBytes: 8 });
    splitter.push(Buffer.from('0123456789abcdef'));
    expect(splitter.flush()).toEqual([{ text: '01234567', truncated: true }]);
  });
});

describe('parseTimestampPrefix', () => {
  it('splits the RFC3339Nano timestamp from the text and keeps it verbatim', () => {
    expect(parseTimestampPrefix('2026-11-23T10:00:00.123456789Z GET /health 200')).toEqual({
      rawTimestamp: '2026-11-23T10:00:00.123456789Z',
      timestamp: Date.UTC(2026, 10, 23, 10, 0, 0, 123),
      text: 'GET /health 200',
    });
  });

  it('accepts short fractions, no fraction and numeric offsets', () => {
    expect(parseTimestampPrefix('2026-11-23T10:00:00.5Z x')?.timestamp).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 500));
    expect(parseTimestampPrefix('2026-11-23T10:00:00Z x')?.timestamp).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 0));
    expect(parseTimestampPrefix('2026-11-23T11:00:00.25+01:00 x')).toMatchObject({
      rawTimestamp: '2026-11-23T11:00:00.25+01:00',
      timestamp: Date.UTC(2026, 10, 23, 10, 0, 0, 250),
      text: 'x',
    });
  });

  it('keeps the text of an empty line and its inner spacing', () => {
    expect(parseTimestampPrefix('2026-11-23T10:00:00.000000001Z ')?.text).toBe('');
    expect(parseTimestampPrefix('2026-11-23T10:00:00.000000001Z   indented')?.text).toBe('  indented');
  });

  it('returns undefined for a line without a valid timestamp', () => {
    expect(parseTimestampPrefix('hello world')).toBeUndefined();
    expect(parseTimestampPrefix('2026-13-45T99:00:00Z x')).toBeUndefined();
  });
});

describe('compareRawTimestamps', () => {
  it('orders by nanoseconds, beyond millisecond precision', () => {
    expect(compareRawTimestamps('2026-11-23T10:00:00.000000001Z', '2026-11-23T10:00:00.000000002Z')).toBeLessThan(0);
    expect(compareRawTimestamps('2026-11-23T10:00:00.123456789Z', '2026-11-23T10:00:00.123456788Z')).toBeGreaterThan(0);
  });

  it('treats fractions with different digit counts by value, not as text', () => {
    expect(compareRawTimestamps('2026-11-23T10:00:00.5Z', '2026-11-23T10:00:00.500000000Z')).toBe(0);
    expect(compareRawTimestamps('2026-11-23T10:00:00.5Z', '2026-11-23T10:00:00.49999Z')).toBeGreaterThan(0);
    expect(compareRawTimestamps('2026-11-23T10:00:00Z', '2026-11-23T10:00:00.000000001Z')).toBeLessThan(0);
  });

  it('compares across seconds and time zone offsets', () => {
    expect(compareRawTimestamps('2026-11-23T10:00:00.999999999Z', '2026-11-23T10:00:01Z')).toBeLessThan(0);
    expect(compareRawTimestamps('2026-11-23T11:00:00.1+01:00', '2026-11-23T10:00:00.1Z')).toBe(0);
  });

  it('drops exactly the lines already seen after a reconnect', () => {
    const lastSeen = '2026-11-23T10:00:00.000000002Z';
    const resent = ['2026-11-23T10:00:00.000000001Z a', '2026-11-23T10:00:00.000000002Z b', '2026-11-23T10:00:00.000000003Z c'];
    const kept = resent
      .map((line) => parseTimestampPrefix(line))
      .filter((parsed) => parsed !== undefined && compareRawTimestamps(parsed.rawTimestamp, lastSeen) > 0)
      .map((parsed) => parsed?.text);
    expect(kept).toEqual(['c']);
  });
});

describe('rawTimestampToSince', () => {
  it('gives the Docker API since value with nanoseconds', () => {
    expect(rawTimestampToSince('2026-11-23T10:00:00.5Z')).toBe(`${Date.UTC(2026, 10, 23, 10) / 1000}.500000000`);
    expect(rawTimestampToSince('not a timestamp')).toBeUndefined();
  });
});
