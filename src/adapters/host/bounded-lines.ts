// Output of a host command or an HTTP body: untrusted bytes cut into lines, each line sanitised
// once (toDisplayText) where it enters, and kept up to a bound so a chatty command cannot
// fill the memory of the cockpit. Lines past the bound still stream to the listener.

import { toDisplayText } from '../../domain/untrusted-text';

/** About 1 MiB of text kept per stream, as for engine output. */
export const DEFAULT_MAX_KEPT_CHARACTERS = 1024 * 1024;
/** A single line longer than this is cut (a binary blob without newlines). */
const MAX_LINE_CHARACTERS = 64 * 1024;

export function truncationMarker(droppedLines: number): string {
  return `[… ${droppedLines} more line${droppedLines === 1 ? '' : 's'} not kept]`;
}

export class BoundedLines {
  private readonly kept: string[] = [];
  private keptCharacters = 0;
  private dropped = 0;
  private partial = '';

  constructor(
    private readonly onLine?: (line: string) => void,
    private readonly maxCharacters = DEFAULT_MAX_KEPT_CHARACTERS,
  ) {}

  /** Accepts the next chunk of text; complete lines are sanitised, kept and streamed. */
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARACTERS) {
      lines.push(this.partial);
      this.partial = '';
    }
    for (const line of lines) this.accept(line);
  }

  /** The text kept (lines joined by newlines), with a marker when lines were dropped. */
  finish(): string {
    if (this.partial !== '') this.accept(this.partial);
    this.partial = '';
    return this.dropped > 0 ? [...this.kept, truncationMarker(this.dropped)].join('\n') : this.kept.join('\n');
  }

  private accept(raw: string): void {
    const line = toDisplayText(raw.endsWith('\r') ? raw.slice(0, -1) : raw).slice(0, MAX_LINE_CHARACTERS);
    this.onLine?.(line);
    if (this.keptCharacters + line.length + 1 > this.maxCharacters) {
      this.dropped += 1;
      return;
    }
    this.kept.push(line);
    this.keptCharacters += line.length + 1;
  }
}
