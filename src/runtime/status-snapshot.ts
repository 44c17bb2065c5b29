import type { OpsdeckConfig } from '../config/schema';
import type {
  Alert,
  ContainerStatsSample,
  EngineStatus,
  ErrorFingerprint,
  GateResult,
  HostSample,
  Instance,
  RefKey,
} from '../domain/types';
import { groupOf } from '../domain/types';
import type { OpsdeckState } from '../store/store-types';
import type { InvalidGate } from '../gates/gate-types';
import { selectGatePipeline } from '../store/selectors/gate-rows';
import { createRuntime } from './runtime';

/** One instance as scripts read it: flat, with its latest usage. */
export interface InstanceSnapshot extends Omit<Instance, 'ref' | 'workload' | 'workloadKey'> {
  /** The configured engine it runs on. */
  engine: string;
  name: string;
  /** The engine's own id (container id). */
  id: string | undefined;
  stats?: ContainerStatsSample;
}

export interface ServiceSnapshot {
  engine: string;
  /** Compose project or namespace. */
  project: string;
  service: string;
  key: RefKey;
  containers: InstanceSnapshot[];
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
  /** Built-in and configured gates (each configured one checked once), in pipeline order. */
  gates: GateResult[];
  /** `gates:` entries that failed validation, each with its located message. */
  invalidGates?: InvalidGate[];
  /** Error fingerprints over the log window (config logs.since, default 1 h). */
  errors: ErrorFingerprint[];
  errorLineCount: number;
}

/** The headless twin: the same runtime, adapters and store as the cockpit, read once. */
export async function collectStatusSnapshot(options: {
  config: OpsdeckConfig;
  readOnly: boolean;
}): Promise<StatusSnapshot> {
  // Reading is all `status` does: its adapters are read-only whatever the flag says.
  const runtime = createRuntime({ config: options.config, readOnly: true, flushIntervalMs: 0 });
  await runtime.collectOnce();
  // Configured gates are checked once, in pipeline order, after the engines answered (built-in entries read them).
  await runtime.gates.runOnce();
  const state = runtime.store.getState();
  await runtime.stop();
  return {
    takenAt: new Date().toISOString(),
    readOnly: options.readOnly,
    engines: state.engineOrder.map((id) => state.engines[id]).filter((engine): engine is EngineStatus => !!engine),
    services: groupServices(state),
    host: state.host,
    alerts: state.alerts,
    gates: [...selectGatePipeline(state).gates],
    invalidGates: state.invalidGates,
    errors: state.fingerprints,
    errorLineCount: state.errorLineCount,
  };
}

function groupServices(state: Pick<OpsdeckState, 'workloads' | 'instances' | 'statsByInstance' | 'engines'>): ServiceSnapshot[] {
  const byKey = new Map<RefKey, ServiceSnapshot>();
  for (const workload of Object.values(state.workloads)) {
    byKey.set(workload.key, {
      engine: workload.ref.engineId,
      project: groupOf(workload),
      service: workload.ref.name,
      key: workload.key,
      containers: [],
      cpuPercent: 0,
      memoryUsageBytes: 0,
    });
  }
  for (const instance of Object.values(state.instances)) {
    const service = byKey.get(instance.workloadKey);
    if (!service) continue;
    const sample = state.statsByInstance[instance.key];
    const { ref, workload: _workload, workloadKey: _workloadKey, ...fields } = instance;
    const flat: InstanceSnapshot = { ...fields, engine: ref.engineId, name: ref.name, id: ref.uid };
    if (sample) flat.stats = sample;
    service.containers.push(flat);
    service.cpuPercent += sample?.cpuPercent ?? 0;
    service.memoryUsageBytes += sample?.memoryUsageBytes ?? 0;
  }
  return [...byKey.values()].sort(
    (left, right) =>
      left.engine.localeCompare(right.engine) || left.project.localeCompare(right.project) || left.service.localeCompare(right.service),
  );
}
