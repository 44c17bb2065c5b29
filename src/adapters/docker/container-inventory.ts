// What one Docker-compatible engine has, as the adapter knows it: containers by the engine's id,
// and the compose services they make. Every change is published to the sink as engine-neutral
// instances and workloads; a compose service disappears with its last container.

import type { InstanceKind, ResourceRef } from '../../domain/resource-ref';
import type { RefKey } from '../../domain/types';
import type { EngineSink } from '../engine-sink';
import { sameInstance } from '../same-instance';
import { workloadOf, type DockerContainer } from './container-mapping';

type InventorySink = Pick<EngineSink, 'inventoryReplaced' | 'instanceUpserted' | 'instanceRemoved' | 'workloadUpserted' | 'workloadRemoved'>;

export class ContainerInventory {
  /** By container id. */
  private readonly containers = new Map<string, DockerContainer>();
  /** Container ids per workload. */
  private readonly workloadMembers = new Map<RefKey, Set<string>>();

  constructor(
    private readonly engineId: string,
    private readonly sink: InventorySink,
  ) {}

  get(containerId: string): DockerContainer | undefined {
    return this.containers.get(containerId);
  }

  ids(): string[] {
    return [...this.containers.keys()];
  }

  /** The engine's container id for a ref: its uid when known, else by name. */
  idOf(target: ResourceRef & { kind: InstanceKind }): string | undefined {
    if (target.uid && this.containers.has(target.uid)) return target.uid;
    for (const container of this.containers.values()) if (container.instance.ref.name === target.name) return container.id;
    return target.uid;
  }

  /** The engine's whole list (connect, one-shot read): replaces everything and publishes it. */
  replace(containers: DockerContainer[]): void {
    this.containers.clear();
    this.workloadMembers.clear();
    for (const container of containers) {
      this.containers.set(container.id, container);
      this.link(container);
    }
    const instances = containers.map((container) => container.instance);
    const workloads = new Map(instances.map((instance) => [instance.workloadKey, workloadOf(instance)]));
    this.sink.inventoryReplaced(this.engineId, { workloads: [...workloads.values()], instances });
  }

  /** One container as inspect sees it now; published only when something shown changed. */
  remember(container: DockerContainer): void {
    const previous = this.containers.get(container.id);
    // Renamed or relabelled: it is now another resource.
    if (previous && previous.instance.key !== container.instance.key) this.forget(container.id);
    const known = this.containers.get(container.id);
    this.containers.set(container.id, container);
    if (this.link(container)) this.sink.workloadUpserted(workloadOf(container.instance));
    // Podman sends health_status after every check (each second here): publish changes only.
    if (!known || !sameInstance(known.instance, container.instance)) this.sink.instanceUpserted(container.instance);
  }

  forget(containerId: string): void {
    const container = this.containers.get(containerId);
    if (!container) return;
    this.containers.delete(containerId);
    this.sink.instanceRemoved(container.instance.key);
    const members = this.workloadMembers.get(container.instance.workloadKey);
    members?.delete(containerId);
    if (members && members.size === 0) {
      this.workloadMembers.delete(container.instance.workloadKey);
      this.sink.workloadRemoved(container.instance.workloadKey);
    }
  }

  /** Records the container under its workload; true when the workload is new. */
  private link(container: DockerContainer): boolean {
    const key = container.instance.workloadKey;
    const members = this.workloadMembers.get(key);
    if (members) {
      members.add(container.id);
      return false;
    }
    this.workloadMembers.set(key, new Set([container.id]));
    return true;
  }
}
