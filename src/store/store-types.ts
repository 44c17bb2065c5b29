import type {
  Alert,
  ContainerInfo,
  ContainerStatsSample,
  EngineStatus,
  ErrorFingerprint,
  GateResult,
  HostSample,
  LogLine,
  ServiceKey,
  Thresholds,
} from '../domain/types';
import type { RingBuffer } from '../domain/ring-buffer';
import type { RestartHistory } from '../domain/thresholds';
import type { UiSlice } from './slices/ui-slice';

export interface EnginesSlice {
  engines: Record<string, EngineStatus>;
  /** Engine ids in configuration order. */
  engineOrder: string[];
  engineRegistered(engine: EngineStatus): void;
  engineStateChanged(engineId: string, change: Partial<Omit<EngineStatus, 'id' | 'kind'>>): void;
}

export interface ServicesSlice {
  containers: Record<string, ContainerInfo>;
  /** Full list for one engine (initial load, resync): replaces what the engine had. */
  containersReplaced(engineId: string, containers: ContainerInfo[]): void;
  containerUpserted(container: ContainerInfo): void;
  containerRemoved(containerId: string): void;
}

export interface ResourcesSlice {
  statsByContainer: Record<string, ContainerStatsSample>;
  /** Bounded CPU % history per container, oldest first (sparklines). */
  cpuHistoryByContainer: Record<string, number[]>;
  memoryHistoryByContainer: Record<string, number[]>;
  host: HostSample | undefined;
  hostCpuHistory: number[];
  statsReceived(sample: ContainerStatsSample): void;
  statsEnded(containerId: string): void;
  hostSampled(sample: HostSample): void;
}

export interface ErrorsSlice {
  fingerprints: ErrorFingerprint[];
  /** Error lines seen since start (all fingerprints, including evicted ones). */
  errorLineCount: number;
  /** Bumped per service whenever its log buffer changes. */
  logRevisionByService: Record<ServiceKey, number>;
  /** Log ring buffers per service (mutable, not reactive: watch logRevisionByService). */
  readonly logBuffers: Map<ServiceKey, RingBuffer<LogLine>>;
  logLinesReceived(lines: LogLine[]): void;
}

export interface HealthSlice {
  thresholds: Thresholds;
  /** Restart counts over time per container (crash-loop detection). */
  restartHistory: RestartHistory;
  alerts: Alert[];
  gates: GateResult[];
}

export interface SessionSlice {
  readOnly: boolean;
  /** Coarse wall clock (epoch ms) ticked by the runtime, so ages and uptimes move without per-row timers. */
  clock: number;
  clockTicked(now: number): void;
  /** Apply everything pending now (tests, headless snapshot, shutdown). */
  flush(): void;
  dispose(): void;
}

export type OpsdeckState = EnginesSlice & ServicesSlice & ResourcesSlice & ErrorsSlice & HealthSlice & SessionSlice & UiSlice;

export interface StoreOptions {
  thresholds: Thresholds;
  errorPatterns: RegExp[];
  maxFingerprints: number;
  logBufferLines: number;
  readOnly: boolean;
  /** Flush interval for coalesced adapter writes (100-250 ms in the cockpit). */
  flushIntervalMs: number;
  /** Samples kept per container for sparklines. */
  historyLength?: number;
  now?: () => number;
}

/** Adapter writes waiting for the next flush. */
export interface PendingWrites {
  replacedEngines: Map<string, ContainerInfo[]>;
  upserts: Map<string, ContainerInfo>;
  removals: Set<string>;
  stats: Map<string, ContainerStatsSample[]>;
  statsEnded: Set<string>;
  host: HostSample | undefined;
  logLines: LogLine[];
  engineChanges: Map<string, Partial<EngineStatus>>;
}

export function createPendingWrites(): PendingWrites {
  return {
    replacedEngines: new Map(),
    upserts: new Map(),
    removals: new Set(),
    stats: new Map(),
    statsEnded: new Set(),
    host: undefined,
    logLines: [],
    engineChanges: new Map(),
  };
}
