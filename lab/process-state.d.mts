// Types for process-state.mjs.

/** True while `pid` exists and is not a zombie. */
export declare function isProcessAlive(pid: number): boolean;
/** The command line of a process, arguments joined by spaces ('' when gone). */
export declare function commandLine(pid: number): string;
/** pid from a pid file, only when alive and its command line contains `mustContain`. */
export declare function pidFromFile(file: string, mustContain: string): number | undefined;
export declare function signal(pid: number, sig: NodeJS.Signals): void;
export declare function sleep(ms: number): Promise<void>;
/** Resolves true once `pid` is gone, false after `timeoutMs`. */
export declare function waitDead(pid: number, timeoutMs: number): Promise<boolean>;
/** SIGTERM, wait `graceMs`, then SIGKILL. Resolves true when it had to SIGKILL. */
export declare function terminate(pid: number, graceMs: number): Promise<boolean>;
/** The last `lines` lines of a log file, without lines containing `drop`. */
export declare function tailFile(file: string, lines?: number, drop?: string): Promise<string>;

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** 0 on success; null when killed or not started. */
  code: number | null;
  signal: string | null;
  error?: Error;
}
/** Run a command (argv, no shell); never rejects. */
export declare function runCommand(
  command: string,
  args: string[],
  options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string; onStderr?: (text: string) => void },
): Promise<CommandResult>;
/** KEY=VALUE lines (as the start-*.sh scripts print them) as a Map. */
export declare function parseKeyValueLines(text: string): Map<string, string>;
/** Lazily unmount everything mounted at or below `prefix` (deepest first). */
export declare function unmountUnder(prefix: string): Promise<void>;

/** Runs a bash script from a detached helper if this process exits before the returned function is called. */
export declare function runOnProcessExit(script: string, args: () => string[]): () => void;
