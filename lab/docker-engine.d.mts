// Types for docker-engine.mjs.
export { isProcessAlive } from './process-state.mjs';

export declare const START_DOCKER_SCRIPT: string;

export interface DockerCliOptions {
  /** Milliseconds before the CLI is killed (default 60 s). */
  timeoutMs?: number;
  /** Throw on a non-zero exit (default true). */
  reject?: boolean;
  /** Written to the CLI's stdin. */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string | undefined>;
}

export interface DockerCliResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  failed: boolean;
}

/** The CLI matching Debian's daemon (20.10, API 1.41) when present, else `docker` on PATH. */
export declare function dockerCliPath(): string;

/** Run the docker CLI against dockerHost (argv array, never a shell string). */
export declare function docker(dockerHost: string, args: string[], options?: DockerCliOptions): Promise<DockerCliResult>;

export interface PrivateDockerd {
  /** e.g. unix:///tmp/od-AbC123/docker.sock */
  readonly dockerHost: string;
  readonly socketPath: string;
  /** The engine directory (socket, data root, pid file, dockerd.log). */
  readonly dir: string;
  /** dockerd's exec root (inside dir unless dir is too long for socket paths). */
  readonly execRoot: string;
  /** The running dockerd's pid, undefined while stopped. */
  pid(): number | undefined;
  /** SIGTERM by its own pid, wait for exit (SIGKILL after stopTimeoutMs), socket gone. */
  stop(): Promise<void>;
  /** Start again on the same socket and data root (containers with restart=always come back). */
  start(): Promise<void>;
  /** Kill all containers, stop, and delete the directory (data root included). */
  dispose(): Promise<void>;
  /** The docker CLI on this engine. */
  docker(args: string[], options?: DockerCliOptions): Promise<DockerCliResult>;
}

export interface StartPrivateDockerdOptions {
  /** Engine directory (created if missing; reused when its dockerd already runs). Default: a new mkdtemp /tmp/od-XXXXXX. */
  dir?: string;
  /** Seconds start-docker.sh waits for _ping (default 30). */
  waitSeconds?: number;
  /** Grace period between SIGTERM and SIGKILL in stop() (default 10 000 ms). */
  stopTimeoutMs?: number;
  /** No line on stderr when dockerd had to be killed. */
  quiet?: boolean;
}

/**
 * Start a private dockerd (installing docker.io / busybox-static when missing, importing
 * local/busybox:latest). Throws with the tail of dockerd.log when it cannot start.
 */
export declare function startPrivateDockerd(options?: StartPrivateDockerdOptions): Promise<PrivateDockerd>;

/** Stop that dockerd by its pid from a detached helper if this process exits before dispose(). */
export declare function stopOnProcessExit(engine: PrivateDockerd): () => void;
