// What an engine adapter can do, per resource kind (k9s style). The action executor asks an
// adapter for these; an adapter implements the ones its engine supports.

import type { ActionCall, EngineAction } from '../domain/engine-action';
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

/** Thrown by an adapter when a mutating call is made in read-only mode. Nothing is sent to the engine. */
export class ReadOnlyError extends Error {
  constructor(action: string, target: string) {
    super(`read-only mode: refused to ${action} ${target}`);
    this.name = 'ReadOnlyError';
  }
}
