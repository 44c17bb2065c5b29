// What an engine adapter can do, per resource kind (k9s style). The action executor asks an
// adapter for these; an adapter implements the ones its engine supports.

import type { ActionCall, ActionOutput, EngineAction, InstanceDetails } from '../domain/engine-action';
import type { InstanceKind, ResourceRef } from '../domain/resource-ref';

type InstanceRef = ResourceRef & { kind: InstanceKind };

export interface Restartable {
  restartInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void>;
}

export interface Stoppable {
  stopInstance(target: InstanceRef, timeoutSeconds?: number): Promise<void>;
}

export interface Startable {
  startInstance(target: InstanceRef): Promise<void>;
}

/** How a reading or streaming operation is cancelled and where its output goes as it arrives. */
export interface OperationOptions {
  /** Aborting closes the operation's requests and streams; it then rejects. */
  signal?: AbortSignal;
  /** One sanitised line per call, without its newline. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

/** A command to run inside an instance (argv, never a shell string). */
export type ExecRequest = Pick<Extract<EngineAction, { verb: 'exec' }>, 'argv' | 'user' | 'workingDir' | 'env' | 'mutates'>;

export interface ExecOutcome {
  exitCode: number;
  /** Sanitised line by line, bounded (the first ~1 MiB, then a truncation marker). */
  stdout: string;
  stderr: string;
}

export interface LogWindow {
  sinceSeconds?: number;
  tail?: number;
}

export type InstanceStats = NonNullable<ActionOutput['stats']>;
export type ArchiveFile = NonNullable<ActionOutput['file']>;

export interface Killable {
  /** `signal`: a name (KILL, SIGTERM, HUP) or number; KILL when absent. */
  killInstance(target: InstanceRef, signal?: string): Promise<void>;
}

export interface Executable {
  /** Runs to completion; a non-zero exit code is an answer, not a failure. A mutating exec is refused in read-only mode. */
  execInInstance(target: InstanceRef, request: ExecRequest, options?: OperationOptions): Promise<ExecOutcome>;
}

export interface LogReadable {
  /** The lines there are now (no follow), both streams in order, sanitised, bounded to the newest ~1 MiB. */
  readInstanceLogs(target: InstanceRef, window: LogWindow, options?: OperationOptions): Promise<string>;
}

export interface Inspectable {
  inspectInstance(target: InstanceRef, options?: OperationOptions): Promise<InstanceDetails>;
}

export interface StatsReadable {
  /** One reading over one collection cycle of the engine. */
  readInstanceStats(target: InstanceRef, options?: OperationOptions): Promise<InstanceStats>;
}

export interface Archivable {
  /** A path inside the instance, as a gzipped tar in a NEW host file (never overwritten), checksummed while written. */
  archiveInstancePath(target: InstanceRef, path: string, destinationFile: string, options?: OperationOptions): Promise<ArchiveFile>;
  /** Extracts a host .tar.gz into a directory inside the instance. */
  restoreInstancePath(target: InstanceRef, path: string, sourceFile: string, options?: OperationOptions): Promise<void>;
}

/** Every adapter: connect, keep the store live, describe the exact call an action makes. */
export interface EngineAdapter {
  readonly engineId: string;
  /** Connects and keeps the store live until `stop()`; reconnects on its own. */
  start(): void;
  stop(): Promise<void>;
  /** One read of everything for the headless twins, then done. */
  collectOnce(): Promise<void>;
  /** The exact API call (method, path, body) or argv the action makes; undefined when unsupported. */
  describeCall(action: EngineAction): ActionCall | undefined;
}

export type ContainerAdapter = EngineAdapter & Restartable & Stoppable & Startable;

export function isRestartable(adapter: EngineAdapter): adapter is EngineAdapter & Restartable {
  return typeof (adapter as Partial<Restartable>).restartInstance === 'function';
}

export function isStoppable(adapter: EngineAdapter): adapter is EngineAdapter & Stoppable {
  return typeof (adapter as Partial<Stoppable>).stopInstance === 'function';
}

export function isStartable(adapter: EngineAdapter): adapter is EngineAdapter & Startable {
  return typeof (adapter as Partial<Startable>).startInstance === 'function';
}

export function isKillable(adapter: EngineAdapter): adapter is EngineAdapter & Killable {
  return typeof (adapter as Partial<Killable>).killInstance === 'function';
}

export function isExecutable(adapter: EngineAdapter): adapter is EngineAdapter & Executable {
  return typeof (adapter as Partial<Executable>).execInInstance === 'function';
}

export function isLogReadable(adapter: EngineAdapter): adapter is EngineAdapter & LogReadable {
  return typeof (adapter as Partial<LogReadable>).readInstanceLogs === 'function';
}

export function isInspectable(adapter: EngineAdapter): adapter is EngineAdapter & Inspectable {
  return typeof (adapter as Partial<Inspectable>).inspectInstance === 'function';
}

export function isStatsReadable(adapter: EngineAdapter): adapter is EngineAdapter & StatsReadable {
  return typeof (adapter as Partial<StatsReadable>).readInstanceStats === 'function';
}

export function isArchivable(adapter: EngineAdapter): adapter is EngineAdapter & Archivable {
  const candidate = adapter as Partial<Archivable>;
  return typeof candidate.archiveInstancePath === 'function' && typeof candidate.restoreInstancePath === 'function';
}

/** Thrown by an adapter when a mutating call is made in read-only mode. Nothing is sent to the engine. */
export class ReadOnlyError extends Error {
  constructor(action: string, target: string) {
    super(`read-only mode: refused to ${action} ${target}`);
    this.name = 'ReadOnlyError';
  }
}
