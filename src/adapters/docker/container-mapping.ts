import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { STANDALONE_PROJECT, type ContainerInfo, type ContainerState, type HealthState } from '../../domain/types';
import { toDisplayText } from '../../domain/untrusted-text';

// Names, images and label values come from the engine: untrusted text, cleaned here, once.

const PROJECT_LABELS = ['com.docker.compose.project', 'io.podman.compose.project'];
const SERVICE_LABELS = ['com.docker.compose.service', 'io.podman.compose.service'];
const CONTAINER_STATES: readonly ContainerState[] = ['created', 'running', 'restarting', 'paused', 'exited', 'dead', 'removing'];

function firstLabel(labels: Record<string, string> | undefined, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = labels?.[key];
    const clean = typeof value === 'string' ? toDisplayText(value) : '';
    if (clean) return clean;
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
  return toDisplayText(name ?? '').replace(/^\//, '') || toDisplayText(id.slice(0, 12));
}

/** From `GET /containers/json`: enough for a first frame; restart count and times come from inspect. */
export function containerFromListItem(engineId: string, item: DockerListItem, previous?: ContainerInfo): ContainerInfo {
  const name = cleanName(item.Names?.[0], item.Id);
  const project = firstLabel(item.Labels, PROJECT_LABELS) ?? STANDALONE_PROJECT;
  const service = firstLabel(item.Labels, SERVICE_LABELS) ?? name;
  const state = toState(item.State);
  return {
    id: toDisplayText(item.Id),
    engineId,
    name,
    image: toDisplayText(item.Image ?? ''),
    project,
    service,
    state,
    health: healthFromStatus(item.Status),
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
export function containerFromInspect(engineId: string, info: ContainerInspectInfo): ContainerInfo {
  const labels = info.Config?.Labels ?? {};
  const name = cleanName(info.Name, info.Id);
  const state = info.State;
  const health = (state as { Health?: { Status?: string } }).Health?.Status;
  return {
    id: toDisplayText(info.Id),
    engineId,
    name,
    image: toDisplayText(info.Config?.Image ?? info.Image ?? ''),
    project: firstLabel(labels, PROJECT_LABELS) ?? STANDALONE_PROJECT,
    service: firstLabel(labels, SERVICE_LABELS) ?? name,
    state: state.Restarting ? 'restarting' : toState(state.Status),
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
