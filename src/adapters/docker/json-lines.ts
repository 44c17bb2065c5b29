import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/**
 * Calls `onObject` for each newline-delimited JSON object of a stream (Docker events, stats).
 * Chunks may split objects anywhere; a malformed line is reported, not fatal.
 */
export function readJsonLines(
  stream: Readable,
  onObject: (value: unknown) => void,
  onMalformed?: (line: string) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  stream.on('data', (chunk: Buffer | string) => {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (line) parseLine(line);
      newline = rest.indexOf('\n');
    }
  });
  const parseLine = (line: string): void => {
    try {
      onObject(JSON.parse(line));
    } catch {
      onMalformed?.(line);
    }
  };
}
