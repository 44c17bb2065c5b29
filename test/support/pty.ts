import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Screen } from '../bench/lib/vt.mjs';

export const BUNDLE = path.resolve(import.meta.dirname, '../../dist/opsdeck.mjs');

/** The environment without CI markers: Ink would otherwise write only the last frame. */
export function interactiveEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) continue;
    env[name] = value;
  }
  return { ...env, TERM: 'xterm-256color', ...extra };
}

export interface PseudoTerminal {
  child: ChildProcess;
  /** Everything the program wrote, escape sequences included. */
  output(): string;
  write(keys: string): void;
  waitForOutput(predicate: (output: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Runs the bundled CLI in a real pseudo-terminal of the given size, through util-linux `script`. */
export function runInPseudoTerminal(
  args: string[],
  options: { columns?: number; rows?: number; env?: Record<string, string> } = {},
): PseudoTerminal {
  const quoted = [process.execPath, BUNDLE, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const command = `stty cols ${options.columns ?? 120} rows ${options.rows ?? 40}; exec ${quoted}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: interactiveEnvironment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  // One decoder per stream: a character whose bytes are split across two reads (every box-drawing
  // glyph, ›, ●, … is three bytes) is decoded whole, not as replacement characters that would
  // shift the rest of its line on the replayed screen.
  const stdoutDecoder = new StringDecoder('utf8');
  const stderrDecoder = new StringDecoder('utf8');
  child.stdout?.on('data', (chunk: Buffer) => (output += stdoutDecoder.write(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (output += stderrDecoder.write(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    write: (keys) => child.stdin?.write(keys),
    async waitForOutput(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(output)) {
        if (Date.now() > deadline) throw new Error(`pseudo-terminal output did not match in ${timeoutMs} ms; last 800 chars:\n${output.slice(-800)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return output;
    },
    exited,
  };
}

/**
 * The output with its escape sequences taken out, as one stream: for programs that write lines
 * (`opsdeck run` on a terminal asks its questions in the scrolling output), where a test looks
 * for the next prompt after what it has already answered.
 */
export function streamText(output: string): string {
  // eslint-disable-next-line no-control-regex
  return output.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]/g, '');
}

/** The last replay, continued when the next output extends it (tests poll a growing output). */
let lastReplay: { output: string; screen: Screen } | undefined;

/**
 * The text the terminal shows after this output: replayed through a terminal emulator
 * (test/bench/lib/vt.mjs), one line per row. The cockpit sends only the cells that change, so
 * a word on the screen need not be one run of the bytes ("connecting" becomes "connected" by
 * writing "ed"): what the operator sees is the screen, not the stream. The emulator is larger
 * than any test's terminal, so nothing the program wrote scrolls or is cut away.
 */
export function visibleText(output: string): string {
  const previous = lastReplay;
  if (previous && output.length >= previous.output.length && output.startsWith(previous.output)) {
    previous.screen.write(output.slice(previous.output.length));
    previous.output = output;
    return previous.screen.text();
  }
  const screen = new Screen(240, 80);
  screen.write(output);
  lastReplay = { output, screen };
  return screen.text();
}

/**
 * The rows of the last frame the cockpit's cell writer was given, as text (OPSDECK_FRAME_LOG=file
 * in its environment), without the row below the frame: what the screen must show once that
 * frame's bytes arrived.
 */
export function lastFrameRows(frameLog: string): string[] {
  const frames = readFileSync(frameLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"call":"render","frame"'))
    .map((line) => (JSON.parse(line) as { frame: string }).frame);
  const frame = frames.at(-1) ?? '';
  // eslint-disable-next-line no-control-regex
  const rows = frame.replace(/\u001b\[[0-9;:]*m|\u001b\]8;[^\u0007]*\u0007/g, '').split('\n').map((row) => row.trimEnd());
  return frame.endsWith('\n') ? rows.slice(0, -1) : rows;
}
