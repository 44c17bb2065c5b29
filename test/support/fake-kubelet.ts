// A small stand-in for the kubelet the test control plane does not have: it registers a Node
// (Ready, room for 20,000 pods) and moves the pods the real scheduler binds to it through the
// phases a cockpit sees on a real cluster, by patching their /status: Running and Ready;
// CrashLoopBackOff with rising restarts (and BackOff Warning events); OOMKilled; not ready
// (Unhealthy events); ImagePullBackOff. It also finishes deletions as a kubelet does (a pod
// with a deletionTimestamp is deleted with grace period 0), so `delete pod` completes.

import { KubeApiError, type KubeConnection } from '../../src/adapters/kubernetes/kube-connection';

export type PodBehaviour =
  | { kind: 'running' }
  | { kind: 'crash-loop'; restartEveryMs?: number }
  | { kind: 'oom-killed'; restartEveryMs?: number }
  | { kind: 'not-ready' }
  | { kind: 'image-pull-backoff' };

interface RawPod {
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string; creationTimestamp?: string };
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status?: { phase?: string; containerStatuses?: { restartCount?: number }[] };
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: RawPod;
}

export interface FakeKubeletOptions {
  /** An admin connection (nodes are cluster-wide). */
  connection: KubeConnection;
  /** Only pods of this namespace are played. */
  namespace: string;
  /** Default: a unique `fake-node-…`. */
  nodeName?: string;
  /** Status patches in flight at once (10,000 pods in the benchmark). */
  concurrency?: number;
}

type Matcher = (pod: RawPod) => boolean;

const CRASH_RESTART_MS = 2_000;

function matcherOf(match: string | Record<string, string> | Matcher): Matcher {
  if (typeof match === 'function') return match;
  if (typeof match === 'string') return (pod) => pod.metadata.name.startsWith(match);
  return (pod) => Object.entries(match).every(([key, value]) => pod.metadata.labels?.[key] === value);
}

export class FakeKubelet {
  readonly nodeName: string;
  private readonly rules: { matcher: Matcher; behaviour: PodBehaviour }[] = [];
  private readonly pods = new Map<string, RawPod>();
  /** What was last written per pod uid (a signature), so a MODIFIED echo does not patch again. */
  private readonly applied = new Map<string, string>();
  private readonly restarts = new Map<string, number>();
  private readonly abort = new AbortController();
  private readonly queue: (() => Promise<void>)[] = [];
  private active = 0;
  private ticker: NodeJS.Timeout | undefined;
  private watching: Promise<void> | undefined;
  /** Problems seen (a failed patch), for a test to show when something does not move. */
  readonly problems: string[] = [];

  private constructor(private readonly options: FakeKubeletOptions) {
    this.nodeName = options.nodeName ?? `fake-node-${Math.random().toString(36).slice(2, 8)}`;
  }

  static async start(options: FakeKubeletOptions): Promise<FakeKubelet> {
    const kubelet = new FakeKubelet(options);
    await kubelet.registerNode();
    kubelet.watching = kubelet.watchPods();
    kubelet.ticker = setInterval(() => kubelet.tick(), 250);
    return kubelet;
  }

  /** Pods matching (a name prefix, labels, or a predicate) behave so from now on; later rules win. */
  behave(match: string | Record<string, string> | Matcher, behaviour: PodBehaviour): void {
    this.rules.push({ matcher: matcherOf(match), behaviour });
    for (const pod of this.pods.values()) this.schedule(pod);
  }

  /** Deletes the Node and stops watching. Pods it played are left as they are. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.abort.abort();
    await this.watching?.catch(() => undefined);
    await this.options.connection.request({ method: 'DELETE', path: `/api/v1/nodes/${this.nodeName}` }).catch(() => undefined);
  }

  private behaviourOf(pod: RawPod): PodBehaviour {
    for (let index = this.rules.length - 1; index >= 0; index -= 1) {
      const rule = this.rules[index];
      if (rule && rule.matcher(pod)) return rule.behaviour;
    }
    return { kind: 'running' };
  }

  private async registerNode(): Promise<void> {
    const connection = this.options.connection;
    await connection.request({
      method: 'POST',
      path: '/api/v1/nodes',
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName } }, spec: {} },
    });
    // The NodeRestriction-era admission taints a new Node not-ready until its kubelet reports: we are that kubelet.
    await connection.request({ method: 'PATCH', path: `/api/v1/nodes/${this.nodeName}`, patchType: 'merge', body: { spec: { taints: null } } });
    const now = new Date().toISOString();
    const capacity = { cpu: '8', memory: '32Gi', pods: '20000' };
    await connection.request({
      method: 'PATCH',
      path: `/api/v1/nodes/${this.nodeName}/status`,
      patchType: 'merge',
      body: {
        status: {
          capacity,
          allocatable: capacity,
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          nodeInfo: { kubeletVersion: 'v1.20.2-fake', containerRuntimeVersion: 'fake://1', kubeProxyVersion: 'v1.20.2', operatingSystem: 'linux', architecture: 'amd64', osImage: 'fake', kernelVersion: 'fake', machineID: '', systemUUID: '', bootID: '' },
        },
      },
    });
  }

  private async watchPods(): Promise<void> {
    const { connection, namespace } = this.options;
    const selector = encodeURIComponent(`spec.nodeName=${this.nodeName}`);
    while (!this.abort.signal.aborted) {
      try {
        // No resourceVersion: the server first sends every existing pod as ADDED.
        await connection.stream(
          { path: `/api/v1/namespaces/${namespace}/pods?watch=true&fieldSelector=${selector}&timeoutSeconds=240`, signal: this.abort.signal },
          (line) => this.onEvent(JSON.parse(line) as WatchEvent),
        );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.problems.push(`watch: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private onEvent(event: WatchEvent): void {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
    const pod = event.object;
    if (event.type === 'DELETED') {
      this.pods.delete(pod.metadata.uid);
      this.applied.delete(pod.metadata.uid);
      return;
    }
    this.pods.set(pod.metadata.uid, pod);
    this.schedule(pod);
  }

  /** Crash loops restart on a clock, as the kubelet's back-off does. */
  private tick(): void {
    const now = Date.now();
    for (const pod of this.pods.values()) {
      const behaviour = this.behaviourOf(pod);
      if (behaviour.kind !== 'crash-loop' && behaviour.kind !== 'oom-killed') continue;
      const every = behaviour.restartEveryMs ?? CRASH_RESTART_MS;
      const started = Date.parse(pod.metadata.creationTimestamp ?? '') || now;
      const restarts = Math.max(1, Math.floor((now - started) / every));
      if (restarts !== this.restarts.get(pod.metadata.uid)) {
        this.restarts.set(pod.metadata.uid, restarts);
        this.schedule(pod);
      }
    }
  }

  private schedule(pod: RawPod): void {
    this.queue.push(() => this.play(pod));
    this.drain();
  }

  private drain(): void {
    const limit = this.options.concurrency ?? 16;
    while (this.active < limit && this.queue.length > 0) {
      const job = this.queue.shift();
      if (!job) break;
      this.active += 1;
      void job()
        .catch((error: unknown) => {
          if (!(error instanceof KubeApiError && error.status === 404)) this.problems.push((error as Error).message);
        })
        .finally(() => {
          this.active -= 1;
          this.drain();
        });
    }
  }

  private async play(pod: RawPod): Promise<void> {
    if (this.abort.signal.aborted) return;
    const { connection } = this.options;
    const { namespace, name, uid } = pod.metadata;
    const path = `/api/v1/namespaces/${namespace}/pods/${name}`;
    if (pod.metadata.deletionTimestamp) {
      // What a kubelet does once the containers are gone: the final delete, with grace period 0.
      if (this.applied.get(uid) === 'deleted') return;
      this.applied.set(uid, 'deleted');
      await connection.request({ method: 'DELETE', path: `${path}?gracePeriodSeconds=0`, body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } } });
      return;
    }
    const behaviour = this.behaviourOf(pod);
    const restarts = behaviour.kind === 'crash-loop' || behaviour.kind === 'oom-killed' ? (this.restarts.get(uid) ?? 1) : 0;
    const signature = `${behaviour.kind}:${restarts}`;
    if (this.applied.get(uid) === signature) return;
    this.applied.set(uid, signature);
    await connection.request({ method: 'PATCH', path: `${path}/status`, patchType: 'merge', body: { status: statusFor(pod, behaviour, restarts) } });
    if (behaviour.kind === 'crash-loop' || behaviour.kind === 'oom-killed') {
      await this.recordEvent(pod, 'BackOff', `Back-off restarting failed container ${pod.spec.containers[0]?.name ?? ''} in pod ${name}`, restarts);
    } else if (behaviour.kind === 'not-ready') {
      await this.recordEvent(pod, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 1);
    } else if (behaviour.kind === 'image-pull-backoff') {
      await this.recordEvent(pod, 'Failed', `Failed to pull image "${pod.spec.containers[0]?.image ?? ''}": rpc error: code = NotFound`, 1);
    }
  }

  /** A Warning event about the pod, with the count a kubelet's event recorder would keep. */
  private async recordEvent(pod: RawPod, reason: string, message: string, count: number): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    const eventName = `${name}.${reason.toLowerCase()}`;
    const now = new Date().toISOString();
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName, namespace },
      involvedObject: { kind: 'Pod', namespace, name, uid, apiVersion: 'v1', fieldPath: `spec.containers{${pod.spec.containers[0]?.name ?? ''}}` },
      reason,
      message,
      type: 'Warning',
      count,
      firstTimestamp: pod.metadata.creationTimestamp ?? now,
      lastTimestamp: now,
      source: { component: 'kubelet', host: this.nodeName },
    };
    const path = `/api/v1/namespaces/${namespace}/events`;
    try {
      await this.options.connection.request({ method: 'PATCH', path: `${path}/${eventName}`, patchType: 'merge', body: { count, lastTimestamp: now, message } });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
      await this.options.connection.request({ method: 'POST', path, body });
    }
  }
}

function statusFor(pod: RawPod, behaviour: PodBehaviour, restarts: number): Record<string, unknown> {
  const now = new Date().toISOString();
  const started = pod.metadata.creationTimestamp ?? now;
  const ready = behaviour.kind === 'running';
  const condition = (type: string, status: boolean, reason?: string) => ({
    type,
    status: status ? 'True' : 'False',
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
  });
  const containerStatuses = pod.spec.containers.map((container, index) => {
    const base = { name: container.name, image: container.image, imageID: `fake://${container.image}`, containerID: `fake://${pod.metadata.uid}-${index}` };
    switch (behaviour.kind) {
      case 'running':
        return { ...base, ready: true, started: true, restartCount: 0, state: { running: { startedAt: started } } };
      case 'not-ready':
        return { ...base, ready: false, started: true, restartCount: 0, state: { running: { startedAt: started } } };
      case 'image-pull-backoff':
        return { ...base, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } } };
      case 'crash-loop':
      case 'oom-killed': {
        const oom = behaviour.kind === 'oom-killed';
        return {
          ...base,
          ready: false,
          started: false,
          restartCount: restarts,
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${container.name} pod=${pod.metadata.name}` } },
          lastState: { terminated: { exitCode: oom ? 137 : 1, reason: oom ? 'OOMKilled' : 'Error', startedAt: started, finishedAt: now } },
        };
      }
    }
  });
  return {
    phase: behaviour.kind === 'image-pull-backoff' ? 'Pending' : 'Running',
    hostIP: '127.0.0.1',
    podIP: '10.0.0.1',
    startTime: started,
    conditions: [
      condition('Initialized', true),
      condition('Ready', ready, ready ? undefined : 'ContainersNotReady'),
      condition('ContainersReady', ready, ready ? undefined : 'ContainersNotReady'),
      condition('PodScheduled', true),
    ],
    containerStatuses,
  };
}
