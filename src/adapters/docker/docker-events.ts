// What one `/events` message means for the adapter: forget a container, refresh it, or nothing.
import { toDisplayText } from '../../domain/untrusted-text';
import type { DockerApiDialect } from './container-mapping';

export interface DockerEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export type ContainerEventEffect = { containerId: string; effect: 'removed' | 'changed' } | undefined;

/** Docker: exec_create/start/die, attach, resize, top change nothing an operator sees. */
const IGNORED_ACTIONS = new Set(['attach', 'detach', 'resize', 'top', 'export', 'commit', 'copy', 'archive-path', 'extract-to-dir']);
/** Podman adds `init` (before every start) and `cleanup` (after every died/die); both are followed by the event that matters. */
const IGNORED_PODMAN_ACTIONS = new Set(['init', 'cleanup', 'mount', 'unmount', 'sync']);

export function containerEventEffect(event: DockerEvent, dialect: DockerApiDialect): ContainerEventEffect {
  // Event fields are untrusted text too: the id is looked up, the action matched.
  const containerId = toDisplayText(String(event.id ?? event.Actor?.ID ?? ''));
  if (!containerId || (event.Type && event.Type !== 'container')) return undefined;
  // Docker: "health_status: healthy", "exec_start: sh -c ..."; Podman: plain "health_status".
  const action = toDisplayText(String(event.Action ?? event.status ?? '')).split(':')[0]?.trim() ?? '';
  if (action === 'destroy' || (dialect === 'podman' && action === 'remove')) return { containerId, effect: 'removed' };
  // exec_create, exec_start, exec_die (Docker), exec_died (Podman): a healthcheck or `exec` ran.
  if (action.startsWith('exec') || IGNORED_ACTIONS.has(action)) return undefined;
  if (dialect === 'podman' && IGNORED_PODMAN_ACTIONS.has(action)) return undefined;
  return { containerId, effect: 'changed' };
}
