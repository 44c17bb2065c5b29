// Follows the logs of ONE workload's pods (the selected one), every container, into the
// store's log buffers and error fingerprints; following every pod of a cluster would not scale.
// New pods of the workload are followed as the informer sees them; gone pods are dropped.
// (Implementation: see the issue; this file is the contract.)

import type { ResourceRef, WorkloadKind } from '../../domain/resource-ref';
import type { EngineSink } from '../engine-sink';
import type { KubeConnection } from './kube-connection';
import type { KubernetesWatch } from './kubernetes-watch';

export interface KubernetesLogFollowerOptions {
  sink: EngineSink;
  connect(): Promise<KubeConnection>;
  pods: Pick<KubernetesWatch, 'podsOf' | 'onPodsChanged'>;
  now?: () => number;
  /** Backfill when a pod is first followed (default 1 h, like the docker adapter's logs.since). */
  backfillSeconds?: number;
}

export class KubernetesLogFollower {
  constructor(protected readonly options: KubernetesLogFollowerOptions) {}

  /** Replaces what is followed (undefined: nothing). */
  follow(_workload: (ResourceRef & { kind: WorkloadKind }) | undefined): void {}

  async stop(): Promise<void> {}
}
