// Types for stack.mjs (plain ESM JavaScript shared by the tests and scripts/demo.mjs).

export declare const IMAGE: 'local/busybox:latest';
export declare const LABEL_PROJECT: 'com.docker.compose.project';
export declare const LABEL_SERVICE: 'com.docker.compose.service';
export declare const LABEL_NUMBER: 'com.docker.compose.container-number';
/** Extra label (value "1") on every container created by stack.mjs. */
export declare const LABEL_OPSDECK: 'dev.opsdeck.test';

export type DemoService = 'web' | 'api' | 'worker' | 'burner' | 'db';
export declare const DEMO_SERVICES: readonly ['web', 'api', 'worker', 'burner', 'db'];

export interface StackContainer {
  /** <project>-<service>-1 */
  name: string;
  /** Full 64-hex container id. */
  id: string;
}

export interface Stack<S extends string = string> {
  project: string;
  containers: Record<S, StackContainer>;
}

export interface DockerCliOpts {
  /** docker CLI path (default: /usr/bin/docker when present, else `docker` on PATH). */
  docker?: string;
}

export interface InitOpts {
  /** Run containers with --init (default true; false on Podman, whose --init needs catatonit). */
  init?: boolean;
}

/** The docker CLI matching Debian's daemon (20.10, API 1.41) when present, else `docker`. */
export declare function defaultDockerCli(): string;

/** Run the docker CLI against dockerHost (argv, no shell); resolves with trimmed stdout, rejects with stderr. */
export declare function dockerCli(
  dockerHost: string,
  args: string[],
  opts?: DockerCliOpts & { timeoutMs?: number },
): Promise<string>;

/** 'starting' | 'healthy' | 'unhealthy', or '' when the container has no healthcheck. */
export declare function healthStatus(dockerHost: string, nameOrId: string, opts?: DockerCliOpts): Promise<string>;

export interface DemoStackOptions extends DockerCliOpts, InitOpts {
  /** Compose project name (default 'shop'). */
  project?: string;
  /** CPU cap of the burner container (default 0.5; null = no cap). */
  burnerCpus?: number | null;
  /** Resolve only once web is healthy and db unhealthy (default true). */
  wait?: boolean;
  /** Default 20 000. */
  waitTimeoutMs?: number;
}

/**
 * web (healthy), api (ERROR/WARN/INFO logs every 0.2 s, ERROR and WARN on stderr),
 * worker (FATAL then exit 1 after ~1 s, restart always), burner (busy loop), db (unhealthy).
 * Removes existing containers of the project first.
 */
export declare function startDemoStack(dockerHost: string, options?: DemoStackOptions): Promise<Stack<DemoService>>;

export interface HealthyProjectOptions extends DockerCliOpts, InitOpts {
  project: string;
  /** Default ['invoices', 'payments']. */
  services?: string[];
  /** Resolve only once every service is healthy (default true). */
  wait?: boolean;
  waitTimeoutMs?: number;
}

/** A project of quiet, healthy services. Removes existing containers of the project first. */
export declare function startHealthyProject(dockerHost: string, options: HealthyProjectOptions): Promise<Stack>;

/** Force-remove every container labelled com.docker.compose.project=<project>; resolves with the count. */
export declare function removeStack(dockerHost: string, project: string, opts?: DockerCliOpts): Promise<number>;

export interface FillerOptions extends DockerCliOpts {
  project: string;
  count: number;
  /** docker run processes at a time (default 4). */
  concurrency?: number;
  /** First service number (default 1): services svc-001, svc-002, … */
  startAt?: number;
}

export interface Filler {
  project: string;
  containers: Array<StackContainer & { service: string }>;
  /** Wall time to start them all. */
  ms: number;
}

/** Start `count` idle containers (sleep forever) named <project>-svc-NNN-1. */
export declare function startFiller(dockerHost: string, options: FillerOptions): Promise<Filler>;
/** The labels docker compose puts on a service's container (and ours, for the teardown). */
export function composeLabels(project: string, service: string): string[];
