import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface JsonLinesHandlers {
  onObject(value: unknown): void;
  /** A line that is not JSON, or longer than `maxLineBytes` (its text cut to 200 characters). */
  onMalformed?(line: string, reason: string): void;
  /** `onObject` threw: a bug in the consumer, never mistaken for malformed input. */
  onConsumerError(error: unknown): void;
  /** Longest line kept while waiting for its newline; the rest of a longer line is dropped. */
  maxLineBytes?: number;
}

/** Docker events and stats objects are a few KB; anything this long is not one of them. */
export const DEFAULT_MAX_JSON_LINE_BYTES = 1024 * 1024;

/**
 * Calls `onObject` for each newline-delimited JSON object of a stream (Docker events, stats).
 * Chunks may split objects anywhere. A malformed line is reported, not fatal; a stream that
 * never sends a newline cannot grow the buffer past `maxLineBytes`.
 */
export function readJsonLines(stream: Readable, handlers: JsonLinesHandlers): void {
  const decoder = new StringDecoder('utf8');
  const maxLength = handlers.maxLineBytes ?? DEFAULT_MAX_JSON_LINE_BYTES;
  let rest = '';
  /** Inside an over-long line: drop everything up to its newline. */
  let skipping = false;

  const handleLine = (line: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      handlers.onMalformed?.(line.slice(0, 200), 'not JSON');
      return;
    }
    try {
      handlers.onObject(value);
    } catch (error) {
      handlers.onConsumerError(error);
    }
  };

  stream.on('data', (chunk: Buffer | string) => {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (skipping) skipping = false;
      else if (line) handleLine(line);
      newline = rest.indexOf('\n');
    }
    if (rest.length > maxLength) {
      if (!skipping) handlers.onMalformed?.(rest.slice(0, 200), `line longer than ${maxLength} bytes`);
      skipping = true;
      rest = '';
    }
  });
}
