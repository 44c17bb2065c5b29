// Follows the logs of ONE workload's pods (the selected one), every container, into the
// store's log buffers and error fingerprints; following every pod of a cluster would not scale,
// nor would every pod of a 500-replica Deployment: at most MAX_FOLLOWED_PODS of them, as kubectl
// logs -l follows at most --max-log-requests (5) streams.
// New pods of the workload are followed as the informer sees them; gone pods are dropped.
// A stream that ends (the container restarted, the connection broke) is opened again from the
// last line's time (sinceTime), and the lines already read are not delivered twice.

import { abortableDelay } from '../../domain/abortable-delay';
import { refKey, type RefKey, type ResourceRef, type WorkloadKind } from '../../domain/resource-ref';
import { createLineDemultiplexer, DEFAULT_MAX_LINE_BYTES, parseTimestampPrefix, type SplitLine } from '../docker/log-decoder';
import type { EngineSink } from '../engine-sink';
import { LogResumePoint, newLogLines } from '../log-resume';
import { namespaceOf, resourcePath, withQuery } from './kube-calls';
import { rfc3339 } from './template-patches';
import type { KubeConnection } from './kube-connection';
import type { KubernetesWatch, WatchedPod } from './kubernetes-watch';

export interface KubernetesLogFollowerOptions {
  sink: EngineSink;
  connect(): Promise<KubeConnection>;
  pods: Pick<KubernetesWatch, 'podsOf' | 'onPodsChanged'>;
  now?: () => number;
  /** Backfill when a pod is first followed (default 1 h, like the docker adapter's logs.since). */
  backfillSeconds?: number;
  /** Longer lines keep their beginning (default 4 KiB, the docker adapter's logs.maxLineBytes). */
  maxLineBytes?: number;
  /** Wait before a stream is opened again (default 1 s doubling to 30 s; back to the start after lines arrived). */
  backoff?: { initialMs: number; maxMs: number };
}

const DEFAULT_BACKFILL_SECONDS = 60 * 60;
const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000 };
/**
 * Pods followed at once, the first by name: each is a stream through the API server to a kubelet,
 * and 500 of them (a selected 500-replica Deployment) cost the cockpit a second of CPU a second.
 */
export const MAX_FOLLOWED_PODS = 10;

interface FollowedContainer {
  pod: WatchedPod;
  container: string;
  stop: AbortController;
}

/** RFC 3339 to the second (what sinceTime takes), at or before the raw timestamp. */
function sinceTimeOf(rawTimestamp: string): string | undefined {
  const parsed = parseTimestampPrefix(rawTimestamp);
  return parsed ? rfc3339(parsed.timestamp) : undefined;
}

export class KubernetesLogFollower {
  private workloadKey: RefKey | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly followed = new Map<string, FollowedContainer>();
  /** Kept per pod uid and container while the pod is followed, so a reopened stream resumes. */
  private readonly resumePoints = new Map<string, LogResumePoint>();
  private readonly running = new Set<Promise<void>>();

  constructor(protected readonly options: KubernetesLogFollowerOptions) {}

  /** Replaces what is followed (undefined: nothing). */
  follow(workload: (ResourceRef & { kind: WorkloadKind }) | undefined): void {
    const key = workload ? refKey(workload) : undefined;
    if (key === this.workloadKey) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.closeAll();
    this.workloadKey = key;
    if (key === undefined) return;
    this.unsubscribe = this.options.pods.onPodsChanged(() => this.reconcile());
    this.reconcile();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.workloadKey = undefined;
    this.closeAll();
    await Promise.all([...this.running]);
  }

  /** Follows every container of the workload's started pods; stops following what is gone. */
  private reconcile(): void {
    if (this.workloadKey === undefined) return;
    const wanted = new Map<string, { pod: WatchedPod; container: string }>();
    const started = this.options.pods.podsOf(this.workloadKey).filter((pod) => pod.started);
    const followed = started.length <= MAX_FOLLOWED_PODS ? started : started.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0)).slice(0, MAX_FOLLOWED_PODS);
    for (const pod of followed) {
      for (const container of pod.containers) wanted.set(`${pod.uid}/${container}`, { pod, container });
    }
    for (const [key, entry] of this.followed) {
      if (wanted.has(key)) continue;
      entry.stop.abort();
      this.followed.delete(key);
      this.resumePoints.delete(key);
    }
    for (const [key, { pod, container }] of wanted) {
      if (this.followed.has(key)) continue;
      const entry: FollowedContainer = { pod, container, stop: new AbortController() };
      this.followed.set(key, entry);
      const running = this.keepFollowing(key, entry).finally(() => this.running.delete(running));
      this.running.add(running);
    }
  }

  private closeAll(): void {
    for (const entry of this.followed.values()) entry.stop.abort();
    this.followed.clear();
    this.resumePoints.clear();
  }

  private async keepFollowing(key: string, entry: FollowedContainer): Promise<void> {
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    let delay = backoff.initialMs;
    const signal = entry.stop.signal;
    while (!signal.aborted) {
      let delivered = false;
      try {
        delivered = await this.followOnce(key, entry);
      } catch {
        // Not started yet, the pod went away, the connection broke: tried again after the backoff.
      }
      if (signal.aborted) return;
      delay = delivered ? backoff.initialMs : delay;
      await abortableDelay(delay, signal);
      delay = Math.min(backoff.maxMs, delay * 2);
    }
  }

  /** One follow stream to its end; whether it delivered any line. */
  private async followOnce(key: string, entry: FollowedContainer): Promise<boolean> {
    const point = this.resumePoints.get(key) ?? new LogResumePoint();
    this.resumePoints.set(key, point);
    const { pod, container } = entry;
    const since = point.last !== undefined ? sinceTimeOf(point.last) : undefined;
    const path = withQuery(`${resourcePath('pod', namespaceOf(pod), pod.name)}/log`, {
      container,
      follow: true,
      timestamps: true,
      ...(since !== undefined ? { sinceTime: since } : { sinceSeconds: this.options.backfillSeconds ?? DEFAULT_BACKFILL_SECONDS }),
    });
    const connection = await this.options.connect();
    const stream = await connection.openStream({ path, signal: entry.stop.signal }, 'text/plain');
    point.streamStarted();
    let delivered = false;
    // Kubernetes merges a container's streams: every line is stdout.
    const emit = (_source: unknown, lines: SplitLine[]): void => {
      const out = newLogLines(lines, point, { instanceKey: pod.instanceKey, workloadKey: pod.workloadKey, stream: 'stdout' });
      if (out.length === 0 || entry.stop.signal.aborted) return;
      delivered = true;
      this.options.sink.logLinesReceived(out);
    };
    const lines = createLineDemultiplexer(emit, { raw: true, maxLineBytes: this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => lines.push(chunk));
      stream.once('end', () => {
        lines.flush();
        resolve();
      });
      stream.once('error', reject);
      stream.once('close', resolve);
    });
    return delivered;
  }
}
