// Types for podman-engine.mjs.

export declare const START_PODMAN_SCRIPT: string;

export interface PodmanCliOptions {
  /** Milliseconds before the CLI is killed (default 60 s). */
  timeoutMs?: number;
  /** Throw on a non-zero exit (default true). */
  reject?: boolean;
  input?: string;
  env?: Record<string, string | undefined>;
}

export interface PodmanCliResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  failed: boolean;
}

/** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF of the engine in `dir`. */
export declare function podmanEnvironment(dir: string): { CONTAINERS_CONF: string; CONTAINERS_STORAGE_CONF: string };

/** Run the podman CLI on the engine in `dir` (argv, never a shell string). */
export declare function podman(dir: string, args: string[], options?: PodmanCliOptions): Promise<PodmanCliResult>;

export interface PrivatePodman {
  /** e.g. unix:///tmp/op-AbC123/podman.sock */
  readonly podmanHost: string;
  readonly socketPath: string;
  /** The engine directory (socket, configuration, storage, pid files, podman.log). */
  readonly dir: string;
  /** CONTAINERS_CONF / CONTAINERS_STORAGE_CONF for a podman CLI on this engine. */
  readonly env: { CONTAINERS_CONF: string; CONTAINERS_STORAGE_CONF: string };
  /** The service's pid, undefined while stopped. */
  pid(): number | undefined;
  /** The healthcheck loop's pid (it ends with the service). */
  healthcheckPid(): number | undefined;
  /** Start again on the same socket and storage. */
  start(): Promise<void>;
  /** SIGTERM the loop and the service by their pids (SIGKILL after the timeout), socket gone. */
  stop(): Promise<void>;
  /** Remove all containers, stop, and delete the directory (storage included). */
  dispose(): Promise<void>;
  /** The podman CLI on this engine. */
  podman(args: string[], options?: PodmanCliOptions): Promise<PodmanCliResult>;
}

export interface StartPrivatePodmanOptions {
  /** Engine directory (created if missing). Default: a new mkdtemp /tmp/op-XXXXXX. */
  dir?: string;
  /** Seconds start-podman.sh waits for _ping (default 30). */
  waitSeconds?: number;
  /** Grace period between SIGTERM and SIGKILL in stop() (default 10 000 ms). */
  stopTimeoutMs?: number;
}

export declare function startPrivatePodman(options?: StartPrivatePodmanOptions): Promise<PrivatePodman>;

/** Stop the service by its pid from a detached helper if this process exits before dispose(). */
export declare function stopPodmanOnProcessExit(engine: PrivatePodman): () => void;
