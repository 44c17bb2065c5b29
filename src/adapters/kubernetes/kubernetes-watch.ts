// Keeps the store live for one context: informers (paginated list, then watch from the
// resourceVersion, re-list on 410 Gone) for pods, deployments, statefulsets, replicasets,
// Warning events and namespaces, trimmed to what the cockpit shows (cluster-inventory.ts);
// metrics.k8s.io polling when served (metrics-poller.ts); the engine's state with backoff
// reconnects. The engine is registered before anything is read: a context that is down never
// delays the first frame or the other engines.

import { setMaxListeners } from 'node:events';
import type { RefKey } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import { backoffDelay } from '../../support/concurrency';
import type { EngineSink } from '../engine-sink';
import { ClusterInventory } from './cluster-inventory';
import { eventRecordOf, type RawEvent } from './event-mapping';
import { KubeApiError, type KubeConnection } from './kube-connection';
import { describeKubeconfigError, describeKubeError } from './kube-errors';
import { KubeInformer, type InformerListener, type InformerResource, type KubeObject } from './kube-informer';
import { MetricsPoller } from './metrics-poller';
import { podRecordOf, type RawPod } from './pod-mapping';
import { podOfProtobuf } from './pod-protobuf';
import { deploymentWorkloadOf, replicaSetRecordOf, statefulSetWorkloadOf, type RawDeployment, type RawStatefulSet } from './workload-mapping';

export interface KubernetesWatchOptions {
  engineId: string;
  label: string;
  /** Undefined: all namespaces. */
  namespace?: string;
  sink: EngineSink;
  /** Built lazily (a context that cannot be loaded shows as disconnected with the kubeconfig's problem). */
  connect(): Promise<KubeConnection>;
  now?: () => number;
  /** Reconnect backoff (default 1 s doubling to 30 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** The kubeconfig context, shown before the kubeconfig is read. */
  context?: string;
  /** The API server's URL when the configuration already resolved it (else shown once the kubeconfig is read). */
  endpoint?: string;
  /** Objects per list page (default 500). */
  pageSize?: number;
  /** The watches' server-side timeout (default 300 s). */
  watchTimeoutSeconds?: number;
  /** Between metrics.k8s.io polls (default 15 s). */
  metricsIntervalMs?: number;
}

/** What the log follower needs of a pod. */
export interface WatchedPod {
  namespace: string;
  name: string;
  uid: string;
  instanceKey: RefKey;
  workloadKey: RefKey;
  /** Container names, spec order. */
  containers: string[];
  /** Whether any container has started (logs exist). */
  started: boolean;
}

/** Every informer's requests and watches (and the metrics poll) listen to the connection's one signal. */
function connectionController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(64, controller.signal);
  return controller;
}

/** The lists that may be forbidden without costing the connection (derived or left out instead). */
type Tolerated = 'namespaces' | 'events';

export class KubernetesWatch {
  private readonly inventory: ClusterInventory;
  private readonly now: () => number;
  private generation = 0;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = true;
  /** Set while `collectOnce` reads: no metrics loop once the lists are in. */
  private once = false;
  private connection: KubeConnection | undefined;

  constructor(private readonly options: KubernetesWatchOptions) {
    this.now = options.now ?? Date.now;
    this.inventory = new ClusterInventory(options.engineId, options.sink, options.namespace, () => this.onSynced());
  }

  start(): void {
    this.stopped = false;
    this.register();
    this.running = this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.generation++;
    this.controller?.abort();
    await this.running;
  }

  /** One list of everything (paginated), published, then done (`opsdeck status`). */
  async collectOnce(): Promise<void> {
    this.register();
    this.once = true;
    const controller = connectionController();
    let server: string | undefined;
    try {
      const connection = await this.openConnection();
      server = connection.server;
      await this.readVersion(connection, controller.signal);
      this.inventory.reset();
      const informers = this.informers(connection, controller.signal);
      await Promise.all(informers.map(async ({ informer, listener, tolerated }) => {
        try {
          listener.replaced(await informer.list());
        } catch (error) {
          if (!this.tolerate(tolerated, error)) throw error;
        }
      }));
      const poller = this.metricsPoller(connection, controller.signal);
      if (await poller.probe()) await poller.pollOnce();
    } catch (error) {
      this.options.sink.engineStateChanged(this.options.engineId, { state: 'disconnected', error: this.describe(error, server) });
    } finally {
      controller.abort();
    }
  }

  /** The pods the informer holds now for one workload (for the log follower), in name order. */
  podsOf(workloadKey: RefKey): WatchedPod[] {
    return this.inventory.podsOf(workloadKey);
  }

  /** Called after each informer change to pods (added, changed, deleted, re-listed); returns the unsubscribe. */
  onPodsChanged(listener: () => void): () => void {
    return this.inventory.onPodsChanged(listener);
  }

  private register(): void {
    const { engineId, label, namespace, context, endpoint } = this.options;
    this.options.sink.engineRegistered({
      id: engineId,
      kind: 'kubernetes',
      label,
      endpoint: endpoint ?? '',
      state: 'connecting',
      ...(context !== undefined ? { context } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
    });
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const controller = connectionController();
    this.controller = controller;
    const { sink, engineId } = this.options;
    sink.engineStateChanged(engineId, { state: 'connecting' });
    let server: string | undefined;
    try {
      const connection = await this.openConnection();
      server = connection.server;
      if (this.isStale(generation)) return;
      this.connection = connection;
      this.inventory.reset();
      // Every informer runs until aborted; a failure other than 410 Gone costs the connection.
      // The version is asked beside the lists, not before them: the server starts on the
      // lists one round trip (and one busy start-up turn of ours) earlier.
      await Promise.all([
        this.readVersion(connection, controller.signal),
        ...this.informers(connection, controller.signal).map(({ informer, listener, tolerated }) =>
          informer.run(listener).catch((error: unknown) => {
            if (!this.tolerate(tolerated, error)) throw error;
          }),
        ),
      ]);
    } catch (error) {
      this.onConnectionLost(generation, error, server);
    }
  }

  private async openConnection(): Promise<KubeConnection> {
    let connection: KubeConnection;
    try {
      connection = await this.options.connect();
    } catch (error) {
      throw new KubeconfigError(describeKubeconfigError(error));
    }
    this.options.sink.engineStateChanged(this.options.engineId, { endpoint: toDisplayText(connection.server), context: toDisplayText(connection.contextName) });
    return connection;
  }

  private async readVersion(connection: KubeConnection, signal: AbortSignal): Promise<void> {
    const version = await connection.request<{ gitVersion?: string }>({ path: '/version', signal, timeoutMs: 10_000 });
    if (version?.gitVersion) this.options.sink.engineStateChanged(this.options.engineId, { version: toDisplayText(version.gitVersion) });
  }

  private onSynced(): void {
    const { sink, engineId } = this.options;
    this.attempt = 0;
    sink.engineStateChanged(engineId, { state: 'connected', connectedAt: this.now() });
    const connection = this.connection;
    const controller = this.controller;
    if (this.once || !connection || !controller) return;
    void this.metricsPoller(connection, controller.signal).run();
  }

  private metricsPoller(connection: KubeConnection, signal: AbortSignal): MetricsPoller {
    return new MetricsPoller({
      connection,
      engineId: this.options.engineId,
      ...(this.options.namespace !== undefined ? { namespace: this.options.namespace } : {}),
      sink: this.options.sink,
      pods: () => this.inventory.podsByInstanceKey(),
      signal,
      now: this.now,
      ...(this.options.metricsIntervalMs !== undefined ? { intervalMs: this.options.metricsIntervalMs } : {}),
      onProblem: (problem) => this.reportProblem(problem),
    });
  }

  /** The informers of the scope, each with the inventory's listener for it. */
  private informers(connection: KubeConnection, signal: AbortSignal): Array<{ informer: KubeInformer<unknown>; listener: InformerListener<unknown>; tolerated?: Tolerated }> {
    const { engineId, namespace } = this.options;
    const inventory = this.inventory;
    const scoped = (group: string, plural: string): string => (namespace === undefined ? `${group}/${plural}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${plural}`);
    const informerOptions = {
      signal,
      onProblem: (problem: string) => this.reportProblem(problem),
      ...(this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}),
      ...(this.options.watchTimeoutSeconds !== undefined ? { watchTimeoutSeconds: this.options.watchTimeoutSeconds } : {}),
    };
    const entry = <Item>(resource: InformerResource<Item>, listener: InformerListener<Item>, tolerated?: Tolerated) => ({
      informer: new KubeInformer<Item>(connection, resource, informerOptions) as KubeInformer<unknown>,
      listener: listener as InformerListener<unknown>,
      ...(tolerated !== undefined ? { tolerated } : {}),
    });
    const namespaceNames = new Map<string, string>();
    const publishNamespaces = (): void => inventory.namespacesListed([...namespaceNames.values()]);
    return [
      // ReplicaSets first: the pods that arrive after them find their Deployment at once.
      entry({ name: 'replicasets', path: scoped('/apis/apps/v1', 'replicasets'), map: (raw) => replicaSetRecordOf(raw) }, inventory.replicaSetListener),
      entry({ name: 'pods', path: scoped('/api/v1', 'pods'), map: (raw) => podRecordOf(engineId, raw as RawPod, inventory.resolveWorkload), protobufItem: podOfProtobuf }, inventory.podListener),
      entry({ name: 'deployments', path: scoped('/apis/apps/v1', 'deployments'), map: (raw) => deploymentWorkloadOf(engineId, raw as RawDeployment) }, inventory.deploymentListener),
      entry({ name: 'statefulsets', path: scoped('/apis/apps/v1', 'statefulsets'), map: (raw) => statefulSetWorkloadOf(engineId, raw as RawStatefulSet) }, inventory.statefulSetListener),
      entry(
        { name: 'events', path: scoped('/api/v1', 'events'), query: { fieldSelector: 'type=Warning' }, map: (raw) => eventRecordOf(engineId, raw as RawEvent) },
        inventory.eventListener,
        'events',
      ),
      entry<string>(
        { name: 'namespaces', path: '/api/v1/namespaces', map: (raw: KubeObject) => (raw.metadata?.name ? toDisplayText(raw.metadata.name) : undefined) },
        {
          replaced: (items) => {
            namespaceNames.clear();
            for (const [uid, name] of items) namespaceNames.set(uid, name);
            publishNamespaces();
          },
          upserted: (uid, name) => {
            const known = namespaceNames.get(uid) === name;
            namespaceNames.set(uid, name);
            if (!known) publishNamespaces();
          },
          removed: (uid) => {
            if (namespaceNames.delete(uid)) publishNamespaces();
          },
        },
        'namespaces',
      ),
    ];
  }

  /** A forbidden namespaces list: derived from what is seen; forbidden events: none shown (said once). */
  private tolerate(tolerated: Tolerated | undefined, error: unknown): boolean {
    if (tolerated === undefined || !(error instanceof KubeApiError) || (error.status !== 403 && error.status !== 404)) return false;
    if (tolerated === 'namespaces') this.inventory.namespacesListed(undefined);
    else this.reportProblem(`Warning events are not shown: ${describeKubeError(error)}`);
    return true;
  }

  private reportProblem(problem: string): void {
    this.options.sink.engineStateChanged(this.options.engineId, { problem: toDisplayText(problem) });
  }

  private describe(error: unknown, server: string | undefined): string {
    return error instanceof KubeconfigError ? error.message : describeKubeError(error, server);
  }

  private isStale(generation: number): boolean {
    return this.stopped || generation !== this.generation;
  }

  private onConnectionLost(generation: number, error: unknown, server: string | undefined): void {
    if (this.isStale(generation)) return;
    this.generation++;
    this.controller?.abort();
    this.connection = undefined;
    const backoff = this.options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    const delay = backoffDelay(this.attempt++, backoff.initialMs, backoff.maxMs);
    this.options.sink.engineStateChanged(this.options.engineId, {
      state: 'disconnected',
      error: this.describe(error, server),
      nextRetryAt: this.now() + delay,
    });
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.running = this.connect();
    }, delay);
  }
}

/** The kubeconfig could not be read: its message already says so. */
class KubeconfigError extends Error {}
