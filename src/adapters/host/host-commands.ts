// Host-side effects of playbook steps and gate checks: argv commands spawned without a shell (run-process.ts),
// HTTP and TCP checks. Read-only is enforced here, as the engine adapters enforce it for theirs.
// Implemented by create-host-commands.ts.

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** The HTTP statuses a check accepts unless it lists its own: 200-399, as curl -f. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status <= 399;
}

export interface HttpResult {
  status: number;
  body: string;
  durationMs: number;
}

export interface HostCommands {
  /** Runs argv[0] with argv[1..] as arguments; `mutates` commands are refused in read-only mode (ReadOnlyError). */
  run(
    argv: readonly string[],
    options: {
      mutates: boolean;
      cwd?: string;
      env?: Record<string, string>;
      timeoutMs: number;
      signal?: AbortSignal;
      onOutput?(stream: 'stdout' | 'stderr', text: string): void;
      /** Characters of each stream kept (default about 1 MiB); the rest still streams to onOutput. */
      maxOutputCharacters?: number;
    },
  ): Promise<CommandResult>;
  /** Rejects with the socket error; a certificate that fails verification says `TLS: <reason>`. */
  http(request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    insecure?: boolean;
    /** PEM certificates trusted for this request instead of the default CAs (a private CA). */
    ca?: string;
    signal?: AbortSignal;
  }): Promise<HttpResult>;
  /** Resolves with the connect time in ms; rejects with the socket error. */
  tcp(target: { host: string; port: number; timeoutMs: number; signal?: AbortSignal }): Promise<number>;
}
