// A tmux server of the test's own (its own socket, `tmux -L`, no ~/.tmux.conf) running the built
// bundle in one pane: server options such as `set-clipboard on` touch no other test's tmux, a
// shell stays in the pane after the program exits (printing its exit code, then sleeping) so the
// terminal it gave back can be read, and `run` starts the program again in the same pane. (Not
// remain-on-exit: tmux 3.3 reports a dead pane's cursor as hidden whatever the program left.)
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCommand } from './debian-tools';
import { BUNDLE, interactiveEnvironment } from './pty';
import { waitFor } from './wait-for';

export interface TmuxSessionOptions {
  /** Where the tmux configuration is written. */
  directory: string;
  columns?: number;
  rows?: number;
  /** Lines added to the server's configuration (`set -g set-clipboard on`). */
  configuration?: string[];
  /** The program's working directory (default: the test's). */
  cwd?: string;
  /** The program's environment, besides the test's (CI markers removed: Ink draws every frame). */
  env?: Record<string, string>;
}


const quote = (part: string): string => `'${part.replaceAll("'", "'\\''")}'`;

export class TmuxSession {
  readonly socket = `opsdeck-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly session = 'cockpit';
  private started = false;
  /** Runs so far: each run's exit line names it, so an earlier run's line is never taken for this one's. */
  private runs = 0;

  constructor(private readonly options: TmuxSessionOptions) {
    // Installed when missing; a failed install throws, so the test fails rather than skips.
    ensureCommand('tmux');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: interactiveEnvironment(), timeout: 30_000, stdio: 'pipe' });
  }

  /** Runs the bundle with these arguments in the pane (a new server on the first call, the same pane after). */
  run(args: string[]): void {
    const environment = Object.entries(this.options.env ?? {}).map(([name, value]) => `${name}=${quote(value)}`);
    const program = `env ${environment.join(' ')} ${[process.execPath, BUNDLE, ...args].map(quote).join(' ')}`;
    this.runs += 1;
    const command = `${program}; echo "${this.exitMark()}$?."; sleep 3600`;
    if (!this.started) {
      const configuration = path.join(this.options.directory, 'tmux.conf');
      writeFileSync(configuration, ['set -g history-limit 0', ...(this.options.configuration ?? [])].join('\n') + '\n');
      const cwd = this.options.cwd ? ['-c', this.options.cwd] : [];
      this.tmux('-f', configuration, 'new-session', '-d', '-s', this.session, ...cwd, '-x', String(this.options.columns ?? 120), '-y', String(this.options.rows ?? 40), command);
      this.started = true;
    } else {
      this.tmux('respawn-pane', '-k', '-t', this.session, ...(this.options.cwd ? ['-c', this.options.cwd] : []), command);
    }
  }

  private exitMark(): string {
    return `run ${this.runs} exited with status `;
  }

  /** What the pane shows now, one string per row. */
  lines(): string[] {
    return this.tmux('capture-pane', '-p', '-t', this.session).split('\n');
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** A pane format variable: alternate_on, cursor_flag, pane_pid, pane_title. */
  format(name: string): string {
    return this.tmux('display-message', '-p', '-t', this.session, `#{${name}}`).trim();
  }

  /** Named keys (Enter, Tab, Escape, Down) one by one. */
  keys(...names: string[]): void {
    for (const name of names) this.tmux('send-keys', '-t', this.session, name);
  }

  /** Text typed as it is (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Polls the screen until `probe` returns something; the screen is in the error when it times out. */
  async waitForScreen<T>(what: string, probe: (screen: string, lines: string[]) => T | undefined | false, timeoutMs = 30_000): Promise<NonNullable<T>> {
    try {
      return await waitFor<T | undefined | false>(what, () => {
        const lines = this.lines();
        return probe(lines.join('\n'), lines);
      }, { timeoutMs, intervalMs: 200 }) as NonNullable<T>;
    } catch (error) {
      throw new Error(`${(error as Error).message}\nscreen:\n${this.screen()}`);
    }
  }

  /** Waits for the program to end; its exit status (as the shell after it printed it). */
  async exitStatus(timeoutMs = 20_000): Promise<number> {
    const pattern = new RegExp(`${this.exitMark()}(\\d+)\\.`);
    const status = await this.waitForScreen('the program to exit', (screen) => pattern.exec(screen)?.[1], timeoutMs);
    return Number(status);
  }

  /** The pid of the program (the child of the pane's shell). */
  programPid(): number {
    const shell = this.format('pane_pid');
    return Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
  }

  /** Ends the tmux server (and the program in it), and removes its socket (kill-server leaves it). */
  dispose(): void {
    if (!this.started) return;
    try {
      const socketPath = this.tmux('display-message', '-p', '#{socket_path}').trim();
      this.tmux('kill-server');
      if (socketPath !== '') rmSync(socketPath, { force: true });
    } catch {
      // already gone
    }
  }
}
