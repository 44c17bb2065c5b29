// CPU and memory from metrics.k8s.io, when the cluster serves it (a metrics-server): pods of
// the watched scope and nodes, every ~15 s (the metrics API has no watch). When it is not
// served the engine says so plainly (EngineStatus.metrics) and it is asked again now and then.
// CPU is reported as the docker CLI does (100 % = one core): millicores / 10.

import { abortableDelay } from '../../domain/abortable-delay';
import type { RefKey } from '../../domain/resource-ref';
import type { EngineStatus, NodeUsage } from '../../domain/types';
import { refKey } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import type { EngineSink } from '../engine-sink';
import { KubeApiError, type KubeConnection } from './kube-connection';
import { KubeInformer, type KubeObject } from './kube-informer';
import type { PodRecord } from './pod-mapping';
import { bytesOf, millicoresOf } from './quantity';

type MetricsSink = Pick<EngineSink, 'statsReceived' | 'statsEnded' | 'nodeUsageReceived' | 'engineStateChanged'>;

export interface MetricsPollerOptions {
  connection: KubeConnection;
  engineId: string;
  /** Undefined: all namespaces. */
  namespace?: string;
  sink: MetricsSink;
  /** The pods the watch holds now, by instance key (for their memory limits). */
  pods(): Map<RefKey, PodRecord>;
  signal: AbortSignal;
  now: () => number;
  /** Between polls (default 15 s). */
  intervalMs?: number;
  /** Between probes while not served (default 60 s). */
  probeIntervalMs?: number;
  onProblem?(problem: string): void;
}

interface Usage {
  cpu?: string;
  memory?: string;
}

interface PodMetricsList {
  items?: Array<{ metadata?: { name?: string; namespace?: string }; containers?: Array<{ usage?: Usage }> }>;
}

interface NodeMetricsList {
  items?: Array<{ metadata?: { name?: string }; usage?: Usage }>;
}

interface RawNode extends KubeObject {
  status?: { allocatable?: Usage };
}

interface NodeCapacity {
  name: string;
  cpuMillicores?: number;
  memoryBytes?: number;
}

const GROUP_PATH = '/apis/metrics.k8s.io/v1beta1';
const NO_METRICS = 'no CPU or memory for pods and nodes';

/** The plain sentence for a metrics API that does not answer; undefined for a failure that is not about the API. */
export function metricsUnavailableDetail(error: unknown): string | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  if (error.status === 404) return `metrics.k8s.io is not served by this cluster (no metrics-server): ${NO_METRICS}`;
  if (error.status === 503) return `metrics.k8s.io is registered but does not answer (its metrics-server is down or not ready): ${NO_METRICS}`;
  if (error.status === 401 || error.status === 403) return `metrics.k8s.io may not be read with these credentials (${error.status} ${toDisplayText(error.reason)}): ${NO_METRICS}`;
  return undefined;
}

export class MetricsPoller {
  private readonly nodes = new Map<string, NodeCapacity>();
  private nodeInformer: Promise<void> | undefined;
  /** Instance keys that had a sample in the last poll. */
  private sampled = new Set<RefKey>();
  private state: NonNullable<EngineStatus['metrics']>['state'] | undefined;

  constructor(private readonly options: MetricsPollerOptions) {}

  /** Probe, then poll while served; probe again while not. Resolves when the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      const served = await this.probe();
      if (served) {
        this.followNodes();
        while (!signal.aborted && (await this.pollOnce())) await abortableDelay(this.options.intervalMs ?? 15_000, signal);
      } else await abortableDelay(this.options.probeIntervalMs ?? 60_000, signal);
    }
  }

  /** Whether metrics.k8s.io answers; the engine's metrics state says so. */
  async probe(): Promise<boolean> {
    try {
      await this.options.connection.request({ path: GROUP_PATH, signal: this.options.signal, timeoutMs: 10_000 });
      this.setState('available');
      return true;
    } catch (error) {
      if (this.options.signal.aborted) return false;
      const detail = metricsUnavailableDetail(error);
      if (detail) this.setState('unavailable', detail);
      else this.options.onProblem?.(`metrics.k8s.io could not be asked: ${describe(error)}`);
      return false;
    }
  }

  /** One read of the pods' and nodes' usage; false when the API stopped answering (probe again). */
  async pollOnce(): Promise<boolean> {
    const { connection, signal, namespace } = this.options;
    const podsPath = namespace === undefined ? `${GROUP_PATH}/pods` : `${GROUP_PATH}/namespaces/${encodeURIComponent(namespace)}/pods`;
    try {
      const [pods, nodes] = await Promise.all([
        connection.request<PodMetricsList>({ path: podsPath, signal, timeoutMs: 30_000 }),
        connection.request<NodeMetricsList>({ path: `${GROUP_PATH}/nodes`, signal, timeoutMs: 30_000 }).catch((error: unknown) => {
          // Nodes are cluster-wide: a namespaced user may read its pods' metrics and not the nodes'.
          if (error instanceof KubeApiError && (error.status === 403 || error.status === 401)) return { items: [] };
          throw error;
        }),
      ]);
      this.receivePods(pods);
      this.receiveNodes(nodes);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      const detail = metricsUnavailableDetail(error);
      if (detail) this.setState('unavailable', detail);
      else this.options.onProblem?.(`metrics.k8s.io could not be read: ${describe(error)}`);
      this.endAll();
      return detail === undefined;
    }
  }

  private receivePods(list: PodMetricsList): void {
    const { engineId, sink, now } = this.options;
    const pods = this.options.pods();
    const sampledAt = now();
    const sampled = new Set<RefKey>();
    for (const item of list.items ?? []) {
      const name = item.metadata?.name;
      if (!name) continue;
      const instanceKey = refKey({ engineId, kind: 'pod', namespace: toDisplayText(item.metadata?.namespace ?? 'default'), name: toDisplayText(name) });
      const pod = pods.get(instanceKey);
      if (!pod) continue;
      let millicores = 0;
      let memoryUsageBytes = 0;
      for (const container of item.containers ?? []) {
        millicores += millicoresOf(container.usage?.cpu) ?? 0;
        memoryUsageBytes += bytesOf(container.usage?.memory) ?? 0;
      }
      const memoryLimitBytes = pod.memoryLimitBytes;
      sampled.add(instanceKey);
      sink.statsReceived({
        instanceKey,
        cpuPercent: millicores / 10,
        memoryUsageBytes,
        memoryLimitBytes,
        memoryPercent: memoryLimitBytes > 0 ? (memoryUsageBytes / memoryLimitBytes) * 100 : 0,
        sampledAt,
      });
    }
    for (const key of this.sampled) if (!sampled.has(key)) sink.statsEnded(key);
    this.sampled = sampled;
  }

  private receiveNodes(list: NodeMetricsList): void {
    const { engineId, sink, now } = this.options;
    const sampledAt = now();
    const nodes: NodeUsage[] = [];
    for (const item of list.items ?? []) {
      const rawName = item.metadata?.name;
      if (!rawName) continue;
      const name = toDisplayText(rawName);
      const capacity = this.nodes.get(name);
      const usage: NodeUsage = {
        engineId,
        name,
        cpuMillicores: millicoresOf(item.usage?.cpu) ?? 0,
        memoryBytes: bytesOf(item.usage?.memory) ?? 0,
        sampledAt,
      };
      if (capacity?.cpuMillicores !== undefined) usage.cpuCapacityMillicores = capacity.cpuMillicores;
      if (capacity?.memoryBytes !== undefined) usage.memoryCapacityBytes = capacity.memoryBytes;
      nodes.push(usage);
    }
    sink.nodeUsageReceived(engineId, nodes.sort((left, right) => left.name.localeCompare(right.name)));
  }

  /** The nodes' allocatable capacity, watched (not polled) once metrics are served. */
  private followNodes(): void {
    if (this.nodeInformer) return;
    const informer = new KubeInformer<NodeCapacity>(
      this.options.connection,
      {
        name: 'nodes',
        path: '/api/v1/nodes',
        map: (raw: RawNode) => {
          const name = raw.metadata?.name;
          if (!name) return undefined;
          const capacity: NodeCapacity = { name: toDisplayText(name) };
          const cpu = millicoresOf(raw.status?.allocatable?.cpu);
          const memory = bytesOf(raw.status?.allocatable?.memory);
          if (cpu !== undefined) capacity.cpuMillicores = cpu;
          if (memory !== undefined) capacity.memoryBytes = memory;
          return capacity;
        },
      },
      { signal: this.options.signal },
    );
    const byUid = new Map<string, NodeCapacity>();
    const rebuild = (): void => {
      this.nodes.clear();
      for (const node of byUid.values()) this.nodes.set(node.name, node);
    };
    this.nodeInformer = informer
      .run({
        replaced: (items) => {
          byUid.clear();
          for (const [uid, node] of items) byUid.set(uid, node);
          rebuild();
        },
        upserted: (uid, node) => {
          byUid.set(uid, node);
          rebuild();
        },
        removed: (uid) => {
          byUid.delete(uid);
          rebuild();
        },
      })
      .catch((error: unknown) => {
        // Without the nodes (403 for a namespaced user), usage is shown without capacity.
        if (!(error instanceof KubeApiError && (error.status === 403 || error.status === 401))) {
          this.options.onProblem?.(`nodes could not be watched for their capacity: ${describe(error)}`);
        }
      })
      .finally(() => {
        this.nodeInformer = undefined;
      });
  }

  private setState(state: 'available' | 'unavailable', detail?: string): void {
    if (this.state === state && state === 'available') return;
    this.state = state;
    this.options.sink.engineStateChanged(this.options.engineId, { metrics: detail === undefined ? { state } : { state, detail } });
  }

  private endAll(): void {
    for (const key of this.sampled) this.options.sink.statsEnded(key);
    this.sampled = new Set();
  }
}

function describe(error: unknown): string {
  return toDisplayText(error instanceof Error ? error.message : String(error));
}
