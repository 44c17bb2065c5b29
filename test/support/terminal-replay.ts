// Replays terminal byte streams through a real terminal emulator (tmux) and reads back what the
// screen shows, cell for cell with styles (capture-pane -e): each stream is `cat` into a pane of
// its own, on a tmux server of its own (a private socket), so they can be compared.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureCommand } from './debian-tools';
import { interactiveEnvironment } from './pty';

const run = promisify(execFile);

export interface ReplaySize {
  columns: number;
  rows: number;
}

/** A private tmux server; close() stops it and deletes the streams written for it. */
export class TerminalReplay {
  private readonly socket = `opsdeck-replay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-replay-'));
  private count = 0;

  constructor() {
    ensureCommand('tmux');
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env: interactiveEnvironment() });
  }

  /**
   * The screens the streams leave, one per stream: capture-pane -e -N -p (styles, trailing blanks kept) of a pane of `size` that
   * was given the stream and nothing else. Each line carries its SGR sequences as tmux renders
   * the cells it holds, so equal captures are equal cells, characters and styles.
   */
  async screens(streams: readonly string[], size: ReplaySize): Promise<string[]> {
    const sessions = streams.map((stream) => {
      const name = `replay-${this.count++}`;
      const file = path.join(this.directory, `${name}.bytes`);
      writeFileSync(file, stream);
      return { name, file };
    });
    for (const session of sessions) {
      // The pane's shell is told nothing but to show the bytes, signal, and stay.
      const command = `cat '${session.file}'; tmux -L ${this.socket} wait-for -S ${session.name}; exec sleep 600`;
      await this.tmux('new-session', '-d', '-s', session.name, '-x', String(size.columns), '-y', String(size.rows), command);
    }
    await Promise.all(sessions.map((session) => this.tmux('wait-for', session.name)));
    return Promise.all(sessions.map(async (session) => (await this.tmux('capture-pane', '-e', '-N', '-p', '-t', session.name)).stdout));
  }

  close(): void {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // no server was started
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

const FLAG_CODES: Record<number, string> = { 1: 'bold', 2: 'dim', 3: 'italic', 4: 'underline', 5: 'blink', 7: 'inverse', 8: 'hidden', 9: 'strike', 53: 'overline' };
const FLAG_RESETS: Record<number, string[]> = { 22: ['bold', 'dim'], 23: ['italic'], 24: ['underline'], 25: ['blink'], 27: ['inverse'], 28: ['hidden'], 29: ['strike'], 55: ['overline'] };

/** tmux's SGR parameters applied to a style (attribute -> value); throws on one it does not know. */
function applyCaptureSgr(style: Map<string, string>, parameters: string): void {
  const codes = parameters === '' ? [0] : parameters.split(';').map(Number);
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] as number;
    const color = (slot: string): void => {
      if (codes[index + 1] === 5) style.set(slot, `5;${codes[index + 2]}`), (index += 2);
      else if (codes[index + 1] === 2) style.set(slot, `2;${codes.slice(index + 2, index + 5).join(';')}`), (index += 4);
      else throw new Error(`capture: colour ${parameters}`);
    };
    if (code === 0) style.clear();
    else if (FLAG_CODES[code]) style.set(FLAG_CODES[code], 'on');
    else if (FLAG_RESETS[code]) for (const flag of FLAG_RESETS[code]) style.delete(flag);
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) style.set('fg', String(code));
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) style.set('bg', String(code));
    else if (code === 38) color('fg');
    else if (code === 48) color('bg');
    else if (code === 58) color('underline-color');
    else if (code === 39) style.delete('fg');
    else if (code === 49) style.delete('bg');
    else if (code === 59) style.delete('underline-color');
    else throw new Error(`capture: SGR ${code} in ${parameters}`);
  }
}

/**
 * A capture as cells: one line per row, each character preceded by `{style}` where the style
 * changes, trailing unstyled blanks dropped. tmux writes a cell it was told to clear and one it
 * never touched differently (the first may carry a reset): both are a blank default cell.
 */
export function captureCells(capture: string): string {
  // tmux carries the style from one line to the next (the first cell of a line has no reset).
  const style = new Map<string, string>();
  return capture
    .split('\n')
    .map((line) => {
      const cells: Array<{ char: string; style: string }> = [];
      // eslint-disable-next-line no-control-regex
      for (const part of line.split(/(\u001b\[[0-9;]*m)/)) {
        if (part.startsWith('\u001b[')) applyCaptureSgr(style, part.slice(2, -1));
        else for (const char of part) cells.push({ char, style: [...style.entries()].sort().map(([key, value]) => `${key}=${value}`).join(',') });
      }
      while (cells.length > 0 && cells.at(-1)?.char === ' ' && cells.at(-1)?.style === '') cells.pop();
      let text = '';
      let previous = '';
      for (const cell of cells) {
        if (cell.style !== previous) text += `{${cell.style}}`;
        previous = cell.style;
        text += cell.char;
      }
      return text;
    })
    .join('\n')
    .replace(/\n+$/, '');
}

/** The text of a capture without its SGR sequences. */
export function captureText(capture: string): string {
  // eslint-disable-next-line no-control-regex
  return capture.replace(/\u001b\[[0-9;:]*m/g, '');
}
