// Types for kube-engine.mjs.

export declare const START_KUBE_SCRIPT: string;

export interface KubeStartOptions {
  /** start-kube.sh's progress lines (package installs, the first build) as they come. */
  onProgress?: (text: string) => void;
}

/** Context names of one apiserver's kubeconfig: an admin (system:masters) and a viewer (ClusterRole view). */
export interface KubeContexts {
  admin: string;
  viewer: string;
}

/** $OPSDECK_KUBE_CACHE, else $XDG_CACHE_HOME (~/.cache)/opsdeck/kube; the binaries are in its bin/. */
export declare function kubeCacheDirectory(env?: NodeJS.ProcessEnv): string;

/** `count` distinct free loopback ports (never the developers' 16443, 23790, 23800). */
export declare function freeLoopbackPorts(count: number): Promise<number[]>;

/** Install the packages and build the binaries into the cache when missing; resolves with the bin directory. */
export declare function buildKubeBinaries(options?: KubeStartOptions): Promise<string>;

/** The run's bearer tokens by user name (`admin`, `viewer`). */
export declare function kubeTokens(runDir: string): Record<string, string>;

export interface ExtraApiserver {
  /** Also its cluster's name in the kubeconfig. */
  readonly name: string;
  /** Its own kubeconfig: contexts `contexts.admin` (current) and `contexts.viewer`. */
  readonly kubeconfig: string;
  /** e.g. https://127.0.0.1:40123 */
  readonly server: string;
  readonly contexts: KubeContexts;
  readonly port: number;
  pid(): number | undefined;
  /** SIGTERM by its pid (it stops listening at once), SIGKILL after 1 s cuts its open watches; etcd and the other apiservers keep running. */
  stop(): Promise<void>;
  /** Start again on the same port. */
  start(): Promise<void>;
  /** Stop it for good (the control plane's dispose() stops it too). */
  dispose(): Promise<void>;
}

export interface ExtraApiserverOptions extends KubeStartOptions {
  /** Lower-case letters, digits and dashes; default extra-XXXXXX. */
  name?: string;
}

/**
 * A further apiserver on the etcd of the control plane in runDir (from any process that knows
 * runDir, e.g. a test worker given it by the global setup).
 */
export declare function startExtraApiserver(runDir: string, options?: ExtraApiserverOptions): Promise<ExtraApiserver>;

export interface KubeLabOptions extends KubeStartOptions {
  /** Further kube-controller-manager flags (no spaces inside one), e.g. ['--kube-api-qps=500']. */
  controllerManagerFlags?: string[];
}

export interface KubeLab {
  /** Contexts `admin` (current) and `viewer` on one cluster. */
  readonly kubeconfig: string;
  /** The main apiserver, e.g. https://127.0.0.1:40123 */
  readonly server: string;
  readonly contexts: KubeContexts;
  /** Keys, certificates, tokens.csv, etcd data, logs and pid files. */
  readonly runDir: string;
  readonly ports: { etcd: number; etcdPeer: number; apiserver: number };
  /** The main apiserver's pid, undefined while stopped. */
  pid(): number | undefined;
  pids(): { etcd?: number; apiserver?: number; controllerManager?: number; scheduler?: number };
  tokens(): Record<string, string>;
  /** Stop the main apiserver only, as ExtraApiserver.stop() does (etcd, controller-manager and scheduler keep running). */
  stopApiserver(): Promise<void>;
  /** Start it again on the same port (and whatever else of the control plane is not running). */
  startApiserver(): Promise<void>;
  startExtraApiserver(options?: ExtraApiserverOptions): Promise<ExtraApiserver>;
  /** Stop every component by its pid and delete the run directory. */
  dispose(): Promise<void>;
}

/**
 * Start a private control plane in a fresh run directory, on free loopback ports (installing the
 * packages and building the binaries once when missing). Throws with the reason when it cannot.
 */
export declare function startKubeLab(options?: KubeLabOptions): Promise<KubeLab>;

/** Stop that control plane by its pids from a detached helper if this process exits before dispose(). */
export declare function stopKubeOnProcessExit(lab: KubeLab): () => void;
