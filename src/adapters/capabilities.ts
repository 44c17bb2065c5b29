// Small capability interfaces per resource (k9s style): a view or a playbook step asks
// for what it needs, and an engine adapter implements the ones it supports.

export interface Restartable {
  restartContainer(containerId: string): Promise<void>;
}

export interface Stoppable {
  stopContainer(containerId: string): Promise<void>;
}

export interface Startable {
  startContainer(containerId: string): Promise<void>;
}

export type ContainerController = Restartable & Stoppable & Startable;

export interface EngineAdapter extends ContainerController {
  readonly engineId: string;
  /** Connects and keeps the store live until `stop()`; reconnects on its own. */
  start(): void;
  stop(): Promise<void>;
}

/** Thrown by an adapter when a mutating call is made in read-only mode. Nothing is sent to the engine. */
export class ReadOnlyError extends Error {
  constructor(action: string, target: string) {
    super(`read-only mode: refused to ${action} ${target}`);
    this.name = 'ReadOnlyError';
  }
}
