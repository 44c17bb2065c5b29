// What one context has, as its informers tell it: pods, ReplicaSets, Deployments,
// StatefulSets and Warning events, as small records by uid. Every change is published to the
// sink as engine-neutral workloads, instances and events once all four inventory lists are in
// (the first frame of a context is whole, never a Deployment without its pods); a re-list
// replaces. A pod is put under its Deployment through its ReplicaSet, under its StatefulSet
// directly, and otherwise is a workload of its own (as the docker adapter's standalone containers).

import { refKey, type RefKey } from '../../domain/resource-ref';
import type { Instance, Workload } from '../../domain/types';
import type { EngineSink } from '../engine-sink';
import { resolveEvent, type EventRecord, type EventResolver } from './event-mapping';
import type { WatchedPod } from './kubernetes-watch';
import { standaloneWorkloadOf, withWorkload, type PodOwner, type PodRecord, type WorkloadResolver } from './pod-mapping';
import { sameWorkload, type ReplicaSetRecord } from './workload-mapping';
import type { InformerListener } from './kube-informer';
import { NamespaceList } from './namespace-list';
import { sameInstance } from '../same-instance';

type InventorySink = Pick<
  EngineSink,
  | 'inventoryReplaced'
  | 'workloadUpserted'
  | 'workloadRemoved'
  | 'instanceUpserted'
  | 'instanceRemoved'
  | 'warningEventsReplaced'
  | 'warningEventsUpserted'
  | 'warningEventsRemoved'
  | 'engineStateChanged'
>;

/** The lists that make the inventory whole. */
type InventoryPart = 'pods' | 'deployments' | 'statefulsets' | 'replicasets';
const INVENTORY_PARTS: readonly InventoryPart[] = ['pods', 'deployments', 'statefulsets', 'replicasets'];

function addTo<Key, Value>(index: Map<Key, Set<Value>>, key: Key, value: Value): void {
  const members = index.get(key);
  if (members) members.add(value);
  else index.set(key, new Set([value]));
}

/** Removes and tells whether the set became empty. */
function removeFrom<Key, Value>(index: Map<Key, Set<Value>>, key: Key, value: Value): boolean {
  const members = index.get(key);
  if (!members?.delete(value)) return false;
  if (members.size > 0) return false;
  index.delete(key);
  return true;
}

export class ClusterInventory implements EventResolver {
  private readonly pods = new Map<string, PodRecord>();
  /** Pod uids by their controller's uid (a ReplicaSet that changes re-parents them). */
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** Pod uids by workload key. */
  private readonly podsByWorkload = new Map<RefKey, Set<string>>();
  private readonly replicaSets = new Map<string, ReplicaSetRecord>();
  private readonly deployments = new Map<string, Workload>();
  private readonly statefulSets = new Map<string, Workload>();
  private readonly events = new Map<string, EventRecord>();
  private readonly listed = new Set<InventoryPart>();
  private eventsListed = false;
  /** True once this connection's four lists are in: changes go to the sink as they come. */
  private publishing = false;
  private readonly namespaces: NamespaceList;
  private readonly podListeners = new Set<() => void>();
  private readonly workloadRefs = new Map<string, Instance['workload']>();

  constructor(
    private readonly engineId: string,
    private readonly sink: InventorySink,
    scopeNamespace: string | undefined,
    /** Called once per connection when the inventory is whole and published. */
    private readonly onSynced: () => void,
  ) {
    this.namespaces = new NamespaceList(engineId, sink, scopeNamespace);
  }

  /** A new connection: its lists replace what is kept; nothing is published until they are in. */
  reset(): void {
    this.listed.clear();
    this.eventsListed = false;
    this.publishing = false;
  }

  get synced(): boolean {
    return this.publishing;
  }

  /** The workload of a pod's controller, shared among its pods. */
  readonly resolveWorkload: WorkloadResolver = (namespace: string, owner: PodOwner | undefined, podName: string) => {
    let kind: 'deployment' | 'statefulset' | undefined;
    let name: string | undefined;
    if (owner?.kind === 'ReplicaSet') {
      const deployment = this.replicaSets.get(owner.uid)?.deployment;
      if (deployment !== undefined) [kind, name] = ['deployment', deployment];
    } else if (owner?.kind === 'StatefulSet') [kind, name] = ['statefulset', owner.name];
    if (kind === undefined || name === undefined) return standaloneWorkloadOf(this.engineId, namespace, podName);
    const cacheKey = `${kind}/${namespace}/${name}`;
    let ref = this.workloadRefs.get(cacheKey);
    if (!ref) {
      if (this.workloadRefs.size > 50_000) this.workloadRefs.clear();
      ref = { engineId: this.engineId, kind, namespace, name };
      this.workloadRefs.set(cacheKey, ref);
    }
    return ref;
  };

  workloadOfPod(uid: string): RefKey | undefined {
    return this.pods.get(uid)?.instance.workloadKey;
  }

  workloadOfReplicaSet(uid: string): RefKey | undefined {
    const replicaSet = this.replicaSets.get(uid);
    return replicaSet?.deployment === undefined ? undefined : refKey({ engineId: this.engineId, kind: 'deployment', namespace: replicaSet.namespace, name: replicaSet.deployment });
  }

  // ---- pods

  readonly podListener: InformerListener<PodRecord> = {
    replaced: (items) => {
      this.pods.clear();
      this.podsByOwner.clear();
      this.podsByWorkload.clear();
      for (const [uid, record] of items) this.keepPod(uid, record);
      this.partListed('pods');
      this.notifyPods();
    },
    upserted: (uid, record) => {
      const previous = this.pods.get(uid);
      if (previous) this.dropPod(uid, previous);
      this.keepPod(uid, record);
      this.publishPodChange(previous, record);
      this.notifyPods();
    },
    removed: (uid) => {
      const previous = this.pods.get(uid);
      if (!previous) return;
      this.dropPod(uid, previous);
      if (this.publishing) {
        this.sink.instanceRemoved(previous.instance.key);
        this.publishStandaloneGone(previous.instance.workloadKey, previous.instance.workload.kind);
      }
      this.notifyPods();
    },
  };

  private keepPod(uid: string, record: PodRecord): void {
    this.pods.set(uid, record);
    if (record.owner) addTo(this.podsByOwner, record.owner.uid, uid);
    addTo(this.podsByWorkload, record.instance.workloadKey, uid);
    this.namespaces.count(record.instance.ref.namespace, 1);
  }

  private dropPod(uid: string, record: PodRecord): void {
    this.pods.delete(uid);
    if (record.owner) removeFrom(this.podsByOwner, record.owner.uid, uid);
    removeFrom(this.podsByWorkload, record.instance.workloadKey, uid);
    this.namespaces.count(record.instance.ref.namespace, -1);
  }

  private publishPodChange(previous: PodRecord | undefined, record: PodRecord): void {
    if (!this.publishing) return;
    const instance = record.instance;
    if (previous?.instance.workloadKey !== instance.workloadKey) {
      if (instance.workload.kind === 'compose-service' && this.podsByWorkload.get(instance.workloadKey)?.size === 1) {
        this.sink.workloadUpserted({ ref: instance.workload, key: instance.workloadKey });
      }
      if (previous) this.publishStandaloneGone(previous.instance.workloadKey, previous.instance.workload.kind);
    }
    if (!previous || !sameInstance(previous.instance, instance) || previous.instance.workloadKey !== instance.workloadKey) this.sink.instanceUpserted(instance);
  }

  /** A pod's own workload goes with its last pod. */
  private publishStandaloneGone(workloadKey: RefKey, kind: Instance['workload']['kind']): void {
    if (kind === 'compose-service' && !this.podsByWorkload.has(workloadKey)) this.sink.workloadRemoved(workloadKey);
  }

  /** Puts the pods of one controller (or of every ReplicaSet) under the workload they resolve to now. */
  private reparent(podUids: Iterable<string>): void {
    for (const uid of [...podUids]) {
      const record = this.pods.get(uid);
      if (!record) continue;
      const workload = this.resolveWorkload(record.instance.ref.namespace ?? 'default', record.owner, record.instance.ref.name);
      if (refKey(workload) === record.instance.workloadKey) continue;
      const moved = withWorkload(record, workload);
      this.dropPod(uid, record);
      this.keepPod(uid, moved);
      this.publishPodChange(record, moved);
    }
  }

  // ---- ReplicaSets, Deployments, StatefulSets

  readonly replicaSetListener: InformerListener<ReplicaSetRecord> = {
    replaced: (items) => {
      this.replicaSets.clear();
      for (const [uid, record] of items) this.replicaSets.set(uid, record);
      const owned: string[] = [];
      for (const [uid, pod] of this.pods) if (pod.owner?.kind === 'ReplicaSet') owned.push(uid);
      const wasPublishing = this.publishing;
      this.publishing = false;
      this.reparent(owned);
      this.publishing = wasPublishing;
      this.partListed('replicasets');
      if (owned.length > 0) this.notifyPods();
    },
    upserted: (uid, record) => {
      const previous = this.replicaSets.get(uid);
      this.replicaSets.set(uid, record);
      if (previous?.deployment === record.deployment) return;
      const pods = this.podsByOwner.get(uid);
      if (!pods) return;
      this.reparent(pods);
      this.notifyPods();
    },
    // Its pods keep their workload: they are on their way out with it (garbage collection).
    removed: (uid) => void this.replicaSets.delete(uid),
  };

  readonly deploymentListener = this.workloadListener(this.deployments, 'deployments');
  readonly statefulSetListener = this.workloadListener(this.statefulSets, 'statefulsets');

  private workloadListener(kept: Map<string, Workload>, part: InventoryPart): InformerListener<Workload> {
    return {
      replaced: (items) => {
        for (const workload of kept.values()) this.namespaces.count(workload.ref.namespace, -1);
        kept.clear();
        for (const [uid, workload] of items) {
          kept.set(uid, workload);
          this.namespaces.count(workload.ref.namespace, 1);
        }
        this.partListed(part);
      },
      upserted: (uid, workload) => {
        const previous = kept.get(uid);
        kept.set(uid, workload);
        if (!previous) this.namespaces.count(workload.ref.namespace, 1);
        if (this.publishing && !sameWorkload(previous, workload)) this.sink.workloadUpserted(workload);
        this.settleNamespaces();
      },
      removed: (uid) => {
        const previous = kept.get(uid);
        if (!previous) return;
        kept.delete(uid);
        this.namespaces.count(previous.ref.namespace, -1);
        if (this.publishing) this.sink.workloadRemoved(previous.key);
        this.settleNamespaces();
      },
    };
  }

  // ---- Warning events

  readonly eventListener: InformerListener<EventRecord> = {
    replaced: (items) => {
      this.events.clear();
      for (const [uid, record] of items) this.events.set(uid, record);
      this.eventsListed = true;
      if (this.publishing) this.sink.warningEventsReplaced(this.engineId, this.resolvedEvents());
    },
    upserted: (uid, record) => {
      this.events.set(uid, record);
      if (this.publishing) this.sink.warningEventsUpserted([resolveEvent(record, this)]);
    },
    removed: (uid) => {
      const previous = this.events.get(uid);
      if (!previous) return;
      this.events.delete(uid);
      if (this.publishing) this.sink.warningEventsRemoved([previous.event.key]);
    },
  };

  private resolvedEvents(): ReturnType<typeof resolveEvent>[] {
    return [...this.events.values()].map((record) => resolveEvent(record, this));
  }

  // ---- namespaces

  /** The namespaces informer's list (undefined: it may not list them, derive them from what is seen). */
  namespacesListed(names: string[] | undefined): void {
    this.namespaces.setListed(names);
    this.settleNamespaces();
  }

  private settleNamespaces(): void {
    if (this.publishing) this.namespaces.publish();
  }

  // ---- publishing

  private partListed(part: InventoryPart): void {
    this.listed.add(part);
    if (this.publishing) return this.publishAll();
    if (INVENTORY_PARTS.every((each) => this.listed.has(each))) {
      this.publishing = true;
      this.publishAll();
      this.onSynced();
    }
  }

  private publishAll(): void {
    const instances: Instance[] = [];
    const standalone = new Map<RefKey, Workload>();
    for (const record of this.pods.values()) {
      instances.push(record.instance);
      const workload = record.instance.workload;
      if (workload.kind === 'compose-service') standalone.set(record.instance.workloadKey, { ref: workload, key: record.instance.workloadKey });
    }
    const workloads = [...this.deployments.values(), ...this.statefulSets.values(), ...standalone.values()];
    this.sink.inventoryReplaced(this.engineId, { workloads, instances });
    if (this.eventsListed) this.sink.warningEventsReplaced(this.engineId, this.resolvedEvents());
    this.namespaces.publish(true);
  }

  // ---- pods for the log follower and the metrics

  podsOf(workloadKey: RefKey): WatchedPod[] {
    const pods: WatchedPod[] = [];
    for (const uid of this.podsByWorkload.get(workloadKey) ?? []) {
      const record = this.pods.get(uid);
      if (!record) continue;
      const instance = record.instance;
      pods.push({
        namespace: instance.ref.namespace ?? 'default',
        name: instance.ref.name,
        uid,
        instanceKey: instance.key,
        workloadKey: instance.workloadKey,
        containers: instance.containers ?? [],
        started: record.started,
      });
    }
    return pods.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  }

  /** Every pod record by its instance key (built on demand: the metrics poll, every 15 s). */
  podsByInstanceKey(): Map<RefKey, PodRecord> {
    const byKey = new Map<RefKey, PodRecord>();
    for (const record of this.pods.values()) byKey.set(record.instance.key, record);
    return byKey;
  }

  onPodsChanged(listener: () => void): () => void {
    this.podListeners.add(listener);
    return () => void this.podListeners.delete(listener);
  }

  private notifyPods(): void {
    this.settleNamespaces();
    for (const listener of [...this.podListeners]) listener();
  }

  /** How many records are kept (for the status line and the tests). */
  get counts(): { pods: number; replicaSets: number; deployments: number; statefulSets: number; events: number } {
    return { pods: this.pods.size, replicaSets: this.replicaSets.size, deployments: this.deployments.size, statefulSets: this.statefulSets.size, events: this.events.size };
  }

  podRecord(uid: string): PodRecord | undefined {
    return this.pods.get(uid);
  }
}
