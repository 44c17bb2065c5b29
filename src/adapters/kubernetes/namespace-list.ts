// The namespaces of a context for `:ns` completion (EngineStatus.namespaces, sorted): the
// namespaces informer's list, or, for a user who may not list namespaces, the ones its pods
// and workloads are seen in (and the configured one). Published only when it changes.

import type { EngineSink } from '../engine-sink';

export class NamespaceList {
  /** From the namespaces informer; undefined when it may not list them. */
  private listed: string[] | undefined;
  /** Pods and workloads seen per namespace. */
  private readonly seen = new Map<string, number>();
  private published: string | undefined;
  private maybeChanged = false;

  constructor(
    private readonly engineId: string,
    private readonly sink: Pick<EngineSink, 'engineStateChanged'>,
    private readonly scopeNamespace: string | undefined,
  ) {}

  /** The informer's list; undefined: it may not list them (derived from what is seen). */
  setListed(names: string[] | undefined): void {
    this.listed = names;
    this.maybeChanged = true;
  }

  /** One more (or one fewer) pod or workload in a namespace. */
  count(namespace: string | undefined, delta: 1 | -1): void {
    const name = namespace ?? 'default';
    const count = (this.seen.get(name) ?? 0) + delta;
    if (count > 0) this.seen.set(name, count);
    else this.seen.delete(name);
    if ((count === 1 && delta === 1) || count <= 0) this.maybeChanged = this.maybeChanged || this.listed === undefined;
  }

  /** Publishes the list when it may have changed (`force`: compare anyway). */
  publish(force = false): void {
    if (!force && !this.maybeChanged) return;
    this.maybeChanged = false;
    const names = this.listed ?? [...new Set([...this.seen.keys(), ...(this.scopeNamespace !== undefined ? [this.scopeNamespace] : [])])];
    const sorted = [...names].sort();
    const joined = sorted.join('\n');
    if (joined === this.published) return;
    this.published = joined;
    this.sink.engineStateChanged(this.engineId, { namespaces: sorted });
  }
}
