// Docker (and Podman's Docker-compatible) container payloads -> engine-neutral instances and
// workloads. Nothing of the payload shape leaves this file; Docker-only details (the tty flag
// the log decoder needs, the engine's container id) stay with the adapter in DockerContainer.

import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { refKey } from '../../domain/resource-ref';
import { STANDALONE_PROJECT, type HealthState, type Instance, type InstancePhase, type Workload } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';

// Names, images and label values come from the engine: untrusted text, cleaned here, once.

/**
 * Which engine answers the Docker API: Docker itself, or Podman's compatible service. Podman's
 * differences (measured on 4.3) are handled in these mapping functions and in the event and stats
 * readers, so the store only ever sees the same normalised objects:
 * - `/containers/json`: Status without "(healthy)" (health comes from inspect and events only),
 *   no HostConfig; images as `localhost/<name>` (shown as `<name>`, like the docker CLI would).
 * - inspect: `OOMKilled` stays false and no `oom` event comes: an OOM kill shows as exit 137, which
 *   any SIGKILL (`podman kill`, a stop timeout) also gives, so it is not called OOM here.
 * - events: extra `init`, `cleanup`, `attach`, `exec_died`; plain `health_status` after every check.
 * - stats: one sample every 5 s, the first with the previous reading equal to the current one;
 *   `memory_stats` has only usage and limit; `name` without `/`, id key `Id` (neither is read).
 * - log timestamps to the second only (see LogStreams).
 * podman-compose labels: io.podman.compose.project, and com.docker.compose.project/service.
 */
export type DockerApiDialect = 'docker' | 'podman';

const PROJECT_LABELS = ['com.docker.compose.project', 'io.podman.compose.project'];
const SERVICE_LABELS = ['com.docker.compose.service', 'io.podman.compose.service'];
const DOCKER_STATES = ['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'] as const;
type DockerState = (typeof DOCKER_STATES)[number];

/** A container as the Docker adapter keeps it: the neutral instance plus what only Docker needs. */
export interface DockerContainer {
  /** The engine's container id (API paths use it). */
  id: string;
  /** Created with a TTY: logs are not multiplexed. */
  tty: boolean;
  /** The main process on the engine's host while it runs (inspect only): where its cgroup is found. */
  pid?: number;
  instance: Instance;
}

function firstLabel(labels: Record<string, string> | undefined, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = labels?.[key];
    const clean = typeof value === 'string' ? toDisplayText(value) : '';
    if (clean) return clean;
  }
  return undefined;
}

function toState(value: string | undefined): DockerState {
  const lower = (value ?? '').toLowerCase();
  return (DOCKER_STATES as readonly string[]).includes(lower) ? (lower as DockerState) : 'exited';
}

function toHealth(value: string | undefined): HealthState {
  if (value === 'healthy' || value === 'unhealthy' || value === 'starting') return value;
  return 'none';
}

/** The engine-neutral phase of a Docker state. */
export function phaseOf(state: DockerState, exitCode: number | undefined): InstancePhase {
  switch (state) {
    case 'running':
      return 'running';
    case 'paused':
      return 'waiting';
    case 'restarting':
      return 'restarting';
    case 'created':
      return 'pending';
    case 'dead':
      return 'failed';
    case 'exited':
    case 'removing':
      return exitCode !== undefined && exitCode !== 0 ? 'failed' : 'exited';
  }
}

/** Health as the list endpoint shows it: "Up 3 minutes (unhealthy)". */
export function healthFromStatus(status: string | undefined): HealthState {
  const match = /\((healthy|unhealthy|health: starting)\)/.exec(status ?? '');
  if (!match) return 'none';
  return match[1] === 'health: starting' ? 'starting' : toHealth(match[1]);
}

function parseDockerTime(value: string | undefined): number | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function cleanName(name: string | undefined, id: string): string {
  return toDisplayText(name ?? '').replace(/^\//, '') || toDisplayText(id.slice(0, 12));
}

/** Podman names images of the local store `localhost/<name>` and pulled ones `docker.io/library/<name>`. */
export function imageName(image: string, dialect: DockerApiDialect): string {
  const clean = toDisplayText(image);
  if (dialect !== 'podman') return clean;
  return clean.replace(/^localhost\//, '').replace(/^docker\.io\/library\//, '');
}

interface InstanceFields {
  engineId: string;
  id: string;
  name: string;
  project: string;
  service: string;
  image: string;
  state: DockerState;
  health: HealthState;
  restartCount: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  createdAt: number;
  exitCode?: number | undefined;
  oomKilled?: boolean | undefined;
  error?: string | undefined;
  detailsPending?: boolean;
}

function instanceOf(fields: InstanceFields): Instance {
  const ref = { engineId: fields.engineId, kind: 'container' as const, namespace: fields.project, name: fields.name, uid: fields.id };
  const workload = { engineId: fields.engineId, kind: 'compose-service' as const, namespace: fields.project, name: fields.service };
  const phase = phaseOf(fields.state, fields.exitCode);
  const instance: Instance = {
    ref,
    key: refKey(ref),
    workload,
    workloadKey: refKey(workload),
    image: fields.image,
    phase,
    state: fields.state,
    health: fields.health,
    ready: phase === 'running' && fields.health !== 'unhealthy' && fields.health !== 'starting',
    restartCount: fields.restartCount,
    createdAt: fields.createdAt,
  };
  const reason = fields.oomKilled ? 'OOMKilled' : fields.error || undefined;
  if (reason !== undefined) instance.reason = reason;
  if (fields.startedAt !== undefined) instance.startedAt = fields.startedAt;
  if (fields.finishedAt !== undefined) instance.finishedAt = fields.finishedAt;
  if (fields.exitCode !== undefined) instance.exitCode = fields.exitCode;
  if (fields.oomKilled !== undefined) instance.oomKilled = fields.oomKilled;
  if (fields.detailsPending) instance.detailsPending = true;
  return instance;
}

/** The exit code in the list's Status of a stopped container: "Exited (137) 5 minutes ago". */
export function exitCodeFromStatus(status: string | undefined): number | undefined {
  const match = /^Exited \((-?\d+)\)/.exec(status ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * From `GET /containers/json`: enough for a first frame. Restart count and times come from
 * inspect: until a container was inspected once it is `detailsPending` (its restart count is not
 * 0, it is unknown), after that they are kept from the previous reading.
 */
export function containerFromListItem(
  engineId: string,
  item: DockerListItem,
  previous?: DockerContainer,
  dialect: DockerApiDialect = 'docker',
): DockerContainer {
  const name = cleanName(item.Names?.[0], item.Id);
  const before = previous?.instance;
  const id = toDisplayText(item.Id);
  return {
    id,
    tty: previous?.tty ?? false,
    instance: instanceOf({
      engineId,
      id,
      name,
      project: firstLabel(item.Labels, PROJECT_LABELS) ?? STANDALONE_PROJECT,
      service: firstLabel(item.Labels, SERVICE_LABELS) ?? name,
      image: imageName(item.Image ?? '', dialect),
      state: toState(item.State),
      // Podman's Status never carries the health: keep what inspect and the events said.
      health: dialect === 'podman' ? (before?.health ?? 'none') : healthFromStatus(item.Status),
      restartCount: before?.restartCount ?? 0,
      startedAt: before?.startedAt,
      finishedAt: before?.finishedAt,
      createdAt: item.Created * 1000,
      // The list says how a stopped container ended, so it reads failed or exited at once.
      exitCode: exitCodeFromStatus(item.Status) ?? before?.exitCode,
      oomKilled: before?.oomKilled,
      detailsPending: !before || before.detailsPending === true,
    }),
  };
}

/** From `GET /containers/{id}/json`: the complete picture. */
export function containerFromInspect(engineId: string, info: ContainerInspectInfo, dialect: DockerApiDialect = 'docker'): DockerContainer {
  const labels = info.Config?.Labels ?? {};
  const name = cleanName(info.Name, info.Id);
  const state = info.State;
  const health = (state as { Health?: { Status?: string } }).Health?.Status;
  const id = toDisplayText(info.Id);
  return {
    id,
    tty: info.Config?.Tty ?? false,
    ...(typeof state.Pid === 'number' && state.Pid > 0 ? { pid: state.Pid } : {}),
    instance: instanceOf({
      engineId,
      id,
      name,
      project: firstLabel(labels, PROJECT_LABELS) ?? STANDALONE_PROJECT,
      service: firstLabel(labels, SERVICE_LABELS) ?? name,
      image: imageName(info.Config?.Image ?? info.Image ?? '', dialect),
      state: state.Restarting ? 'restarting' : toState(state.Status),
      // Podman reports Health {Status: ""} for a container without a healthcheck: 'none'.
      health: toHealth(health),
      restartCount: info.RestartCount ?? 0,
      startedAt: parseDockerTime(state.StartedAt),
      finishedAt: parseDockerTime(state.FinishedAt),
      createdAt: parseDockerTime(info.Created) ?? 0,
      exitCode: state.ExitCode,
      oomKilled: state.OOMKilled,
      error: state.Error ? toDisplayText(state.Error) : undefined,
    }),
  };
}

/** The compose service an instance belongs to. */
export function workloadOf(instance: Instance): Workload {
  return { ref: instance.workload, key: instance.workloadKey };
}
