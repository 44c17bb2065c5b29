import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { STANDALONE_PROJECT, type ContainerInfo, type ContainerState, type HealthState } from '../../domain/types';

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
const CONTAINER_STATES: readonly ContainerState[] = ['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'];

function firstLabel(labels: Record<string, string> | undefined, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = labels?.[key];
    if (value) return value;
  }
  return undefined;
}

function toState(value: string | undefined): ContainerState {
  const lower = (value ?? '').toLowerCase();
  return (CONTAINER_STATES as readonly string[]).includes(lower) ? (lower as ContainerState) : 'exited';
}

function toHealth(value: string | undefined): HealthState {
  if (value === 'healthy' || value === 'unhealthy' || value === 'starting') return value;
  return 'none';
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
  return (name ?? '').replace(/^\//, '') || id.slice(0, 12);
}

/** Podman names images of the local store `localhost/<name>` and pulled ones `docker.io/library/<name>`. */
export function imageName(image: string, dialect: DockerApiDialect): string {
  if (dialect !== 'podman') return image;
  return image.replace(/^localhost\//, '').replace(/^docker\.io\/library\//, '');
}

/** From `GET /containers/json`: enough for a first frame; restart count and times come from inspect. */
export function containerFromListItem(
  engineId: string,
  item: DockerListItem,
  previous?: ContainerInfo,
  dialect: DockerApiDialect = 'docker',
): ContainerInfo {
  const name = cleanName(item.Names?.[0], item.Id);
  const project = firstLabel(item.Labels, PROJECT_LABELS) ?? STANDALONE_PROJECT;
  const service = firstLabel(item.Labels, SERVICE_LABELS) ?? name;
  const state = toState(item.State);
  return {
    id: item.Id,
    engineId,
    name,
    image: imageName(item.Image, dialect),
    project,
    service,
    state,
    // Podman's Status never carries the health: keep what inspect and the events said.
    health: dialect === 'podman' ? (previous?.health ?? 'none') : healthFromStatus(item.Status),
    restartCount: previous?.restartCount ?? 0,
    startedAt: previous?.startedAt,
    finishedAt: previous?.finishedAt,
    createdAt: item.Created * 1000,
    exitCode: previous?.exitCode,
    oomKilled: previous?.oomKilled,
    tty: previous?.tty,
  };
}

/** From `GET /containers/{id}/json`: the complete picture. */
export function containerFromInspect(engineId: string, info: ContainerInspectInfo, dialect: DockerApiDialect = 'docker'): ContainerInfo {
  const labels = info.Config?.Labels ?? {};
  const name = cleanName(info.Name, info.Id);
  const state = info.State;
  const health = (state as { Health?: { Status?: string } }).Health?.Status;
  return {
    id: info.Id,
    engineId,
    name,
    image: imageName(info.Config?.Image ?? info.Image, dialect),
    project: firstLabel(labels, PROJECT_LABELS) ?? STANDALONE_PROJECT,
    service: firstLabel(labels, SERVICE_LABELS) ?? name,
    state: state.Restarting ? 'restarting' : toState(state.Status),
    // Podman reports Health {Status: ""} for a container without a healthcheck: 'none'.
    health: toHealth(health),
    restartCount: info.RestartCount ?? 0,
    startedAt: parseDockerTime(state.StartedAt),
    finishedAt: parseDockerTime(state.FinishedAt),
    createdAt: parseDockerTime(info.Created) ?? 0,
    exitCode: state.ExitCode,
    oomKilled: state.OOMKilled,
    tty: info.Config?.Tty ?? false,
  };
}
