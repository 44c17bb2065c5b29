import { createHostSampler } from '../adapters/host/host-adapter';
import type { OpsdeckConfig } from '../config/schema';
import type {
  Alert,
  ContainerInfo,
  ContainerStatsSample,
  EngineStatus,
  ErrorFingerprint,
  GateResult,
  HostSample,
} from '../domain/types';
import { createOpsdeckStore } from '../store/create-opsdeck-store';
import { createEngineSet, storeOptionsFrom } from './runtime-options';

export interface ServiceSnapshot {
  engine: string;
  project: string;
  service: string;
  containers: Array<ContainerInfo & { stats?: ContainerStatsSample }>;
  cpuPercent: number;
  memoryUsageBytes: number;
}

export interface StatusSnapshot {
  takenAt: string;
  readOnly: boolean;
  engines: EngineStatus[];
  services: ServiceSnapshot[];
  host: HostSample | undefined;
  alerts: Alert[];
  gates: GateResult[];
  /** Error fingerprints over the log window (config logs.since, default 1 h). */
  errors: ErrorFingerprint[];
  errorLineCount: number;
}

/** The headless twin: the same adapters and store as the cockpit, read once. */
export async function collectStatusSnapshot(options: {
  config: OpsdeckConfig;
  readOnly: boolean;
}): Promise<StatusSnapshot> {
  const store = createOpsdeckStore(storeOptionsFrom(options.config, options.readOnly, 0));
  const actions = store.getState();
  const { adapters, watchedDisks, dataRootsKnown } = createEngineSet({
    config: options.config,
    readOnly: true,
    sink: actions,
  });
  const sampler = createHostSampler({ diskPaths: watchedDisks });
  const collecting = Promise.all(adapters.map((adapter) => adapter.collectOnce()));
  // The host is sampled while the engines are read, once their data roots are known.
  const hostSample = Promise.race([dataRootsKnown, collecting]).then(() => sampler.sample());
  await collecting;
  actions.hostSampled(await hostSample);
  actions.flush();
  const state = store.getState();
  state.dispose();
  return {
    takenAt: new Date().toISOString(),
    readOnly: options.readOnly,
    engines: state.engineOrder.map((id) => state.engines[id]).filter((engine): engine is EngineStatus => !!engine),
    services: groupServices(Object.values(state.containers), state.statsByContainer),
    host: state.host,
    alerts: state.alerts,
    gates: state.gates,
    errors: state.fingerprints,
    errorLineCount: state.errorLineCount,
  };
}

function groupServices(containers: ContainerInfo[], stats: Record<string, ContainerStatsSample>): ServiceSnapshot[] {
  const byKey = new Map<string, ServiceSnapshot>();
  for (const container of containers) {
    const key = `${container.engineId}/${container.project}/${container.service}`;
    let service = byKey.get(key);
    if (!service) {
      service = { engine: container.engineId, project: container.project, service: container.service, containers: [], cpuPercent: 0, memoryUsageBytes: 0 };
      byKey.set(key, service);
    }
    const sample = stats[container.id];
    service.containers.push(sample ? { ...container, stats: sample } : container);
    service.cpuPercent += sample?.cpuPercent ?? 0;
    service.memoryUsageBytes += sample?.memoryUsageBytes ?? 0;
  }
  return [...byKey.values()].sort(
    (left, right) => left.project.localeCompare(right.project) || left.service.localeCompare(right.service),
  );
}
