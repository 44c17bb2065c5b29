// One factory per engine kind: configuration in, adapter out. Docker and Podman share the
// Docker-compatible adapter; Kubernetes has its own (one adapter per context), loaded by a
// dynamic import only when a Kubernetes engine is configured (a chunk of its own in the bundle).

import type { EngineAdapter } from '../adapters/capabilities';
import { DockerEngineAdapter } from '../adapters/docker/docker-adapter';
import type { EngineSink } from '../adapters/engine-sink';
import type { EngineConfig, OpsdeckConfig } from '../config/schema';
import type { EngineKind } from '../domain/types';

export interface EngineFactoryInput {
  engine: EngineConfig;
  config: OpsdeckConfig;
  readOnly: boolean;
  sink: EngineSink;
  /** The engine's data root when it runs on this host (a disk worth watching), or undefined. */
  onDataRoot(dataRoot: string | undefined): void;
}

/** An adapter at once, or once its module is loaded. */
export type EngineFactory = (input: EngineFactoryInput) => EngineAdapter | Promise<EngineAdapter>;

function dockerCompatible(kind: 'docker' | 'podman'): EngineFactory {
  return ({ engine, config, readOnly, sink, onDataRoot }) =>
    new DockerEngineAdapter({
      engineId: engine.name,
      kind,
      label: engine.name,
      host: engine.host,
      ...(engine.type === 'docker' && engine.sshConfig ? { sshConfig: engine.sshConfig } : {}),
      readOnly,
      sink,
      logs: { backfillMs: config.logs.sinceMs, maxLineBytes: config.logs.maxLineBytes },
      onDataRoot,
    });
}

const kubernetes: EngineFactory = async ({ engine, readOnly, sink, onDataRoot }) => {
  if (engine.type !== 'kubernetes') throw new Error(`engine ${engine.name} is not a kubernetes engine`);
  // A cluster has no data root on this host: the host's disks are sampled without waiting for it.
  onDataRoot(undefined);
  const { KubernetesEngineAdapter } = await import('../adapters/kubernetes/kubernetes-adapter');
  return new KubernetesEngineAdapter({
    engineId: engine.name,
    label: engine.name,
    kubeconfig: engine.kubeconfig,
    context: engine.context,
    host: engine.host,
    ...(engine.namespace !== undefined ? { namespace: engine.namespace } : {}),
    readOnly,
    sink,
  });
};

export const ENGINE_FACTORIES: Partial<Record<EngineKind, EngineFactory>> = {
  docker: dockerCompatible('docker'),
  podman: dockerCompatible('podman'),
  kubernetes,
};

export function createEngineAdapter(input: EngineFactoryInput): EngineAdapter | Promise<EngineAdapter> {
  const factory = ENGINE_FACTORIES[input.engine.type];
  if (!factory) throw new Error(`engine ${input.engine.name}: type ${input.engine.type} is not supported yet`);
  return factory(input);
}
