import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../src/adapters/docker/json-lines';

function collect(maxLineBytes?: number) {
  const stream = new PassThrough();
  const objects: unknown[] = [];
  const malformed: string[] = [];
  const consumerErrors: string[] = [];
  readJsonLines(stream, {
    onObject: (value) => {
      if ((value as { explode?: boolean }).explode) throw new Error('mapping bug');
      objects.push(value);
    },
    onMalformed: (_line, reason) => malformed.push(reason),
    onConsumerError: (error) => consumerErrors.push((error as Error).message),
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
  });
  return { stream, objects, malformed, consumerErrors };
}

describe('readJsonLines', () => {
  it('parses objects split across chunks anywhere, including inside a UTF-8 character', () => {
    const { stream, objects } = collect();
    const bytes = Buffer.from('{"a":1}\n{"name":"é"}\n');
    for (const byte of bytes) stream.write(Buffer.from([byte]));
    expect(objects).toEqual([{ a: 1 }, { name: 'é' }]);
  });

  it('reports an error thrown by the consumer as such, not as malformed input, and goes on', () => {
    const { stream, objects, malformed, consumerErrors } = collect();
    stream.write('{"explode":true}\n{"b":2}\n');
    expect(consumerErrors).toEqual(['mapping bug']);
    expect(malformed).toEqual([]);
    expect(objects).toEqual([{ b: 2 }]);
  });

  it('reports malformed lines and keeps reading', () => {
    const { stream, objects, malformed } = collect();
    stream.write('not json\n{"c":3}\n');
    expect(malformed).toEqual(['not JSON']);
    expect(objects).toEqual([{ c: 3 }]);
  });

  it('bounds the buffer of a stream that never sends a newline, then resynchronises', () => {
    const { stream, objects, malformed } = collect(1024);
    for (let index = 0; index < 100; index += 1) stream.write('x'.repeat(500));
    expect(malformed).toEqual(['line longer than 1024 bytes']);
    stream.write('tail of the long line\n{"d":4}\n');
    expect(objects).toEqual([{ d: 4 }]);
  });
});
