// `GET /containers/{id}/json` as an engine-neutral InstanceDetails: the fields a playbook reads
// (the same mapping the cockpit uses), and the whole payload for evidence files with every
// text sanitised, every env value and every secret-looking label redacted.

import type { ContainerInspectInfo } from 'dockerode';
import type { InstanceDetails } from '../../domain/engine-action';
import { looksSecret, REDACTED } from '../../domain/secret-names';
import { toDisplayText } from '../../domain/untrusted-text';
import { containerFromInspect, type DockerApiDialect } from './container-mapping';

/** Docker's zero time for "never" (a container that never stopped has FinishedAt 0001-01-01...). */
function engineTime(value: string | undefined): string | undefined {
  return !value || value.startsWith('0001-01-01') ? undefined : toDisplayText(value);
}

export function instanceDetailsOf(engineId: string, info: ContainerInspectInfo, dialect: DockerApiDialect): InstanceDetails {
  const { instance } = containerFromInspect(engineId, info, dialect);
  const memory = info.HostConfig?.Memory;
  const details: InstanceDetails = {
    name: instance.ref.name,
    state: instance.state,
    health: instance.health,
    restartCount: instance.restartCount,
    image: instance.image,
    raw: redactedInspect(info),
  };
  if (info.State?.Status) details.status = toDisplayText(info.State.Status);
  // The engine's own strings (nanoseconds on Docker): a resumed run compares StartedAt with its intent.
  const startedAt = engineTime(info.State?.StartedAt);
  if (startedAt !== undefined) details.startedAt = startedAt;
  const finishedAt = engineTime(info.State?.FinishedAt);
  if (finishedAt !== undefined) details.finishedAt = finishedAt;
  if (instance.exitCode !== undefined) details.exitCode = instance.exitCode;
  if (instance.oomKilled !== undefined) details.oomKilled = instance.oomKilled;
  // 0 means no limit of its own.
  if (typeof memory === 'number' && memory > 0) details.memoryLimitBytes = memory;
  return details;
}

/** A deep copy safe to write to an evidence file and show: sanitised, env and secrets redacted. */
export function redactedInspect(info: ContainerInspectInfo): Record<string, unknown> {
  return sanitised(info, []) as Record<string, unknown>;
}

function sanitised(value: unknown, path: readonly string[]): unknown {
  if (typeof value === 'string') return toDisplayText(value);
  if (Array.isArray(value)) {
    // Env entries are NAME=value: the name stays, every value goes (a password rarely says so).
    if (path.at(-1) === 'Env') return value.map((entry) => (typeof entry === 'string' ? `${toDisplayText(entry.split('=')[0] ?? '')}=${REDACTED}` : sanitised(entry, path)));
    return value.map((entry) => sanitised(entry, path));
  }
  if (value === null || typeof value !== 'object') return value;
  const inLabels = path.at(-1) === 'Labels';
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    copy[toDisplayText(key)] = inLabels && looksSecret(key) ? REDACTED : sanitised(entry, [...path, key]);
  }
  return copy;
}
