// Types of the benchmarks' small terminal emulator (vt.mjs), for the TypeScript tests that use it.
export function charWidth(codePoint: number): number;
export class Screen {
  constructor(cols?: number, rows?: number);
  cols: number;
  rows: number;
  inAlt: boolean;
  counts: { clearScreen: number; clearScrollback: number; altOn: number; altOff: number; syncEnd: number; eraseLine: number; eraseEndLine: number };
  /** Feed terminal output (decoded text). */
  write(text: string): void;
  /** The visible screen as text, one line per row, trailing spaces trimmed. */
  text(): string;
}
export function stripAnsi(text: string): string;
