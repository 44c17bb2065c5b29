// The Engine API requests behind each container action, built in one place: the operations
// send them (through dockerode) and describeCall shows them, so a dry run and the journal's
// intent record name exactly what is (or would be) sent.

import type { ActionCall, EngineAction } from '../../domain/engine-action';
import { looksSecret, REDACTED } from '../../domain/secret-names';
import type { ExecRequest, LogWindow } from '../capabilities';

export const STOP_TIMEOUT_SECONDS = 10;
export const DEFAULT_KILL_SIGNAL = 'KILL';

/** POST /containers/{id}/exec: both streams attached, no TTY (the output is demultiplexed). */
export function execCreateBody(request: ExecRequest, redact = false): Record<string, unknown> {
  const env = Object.entries(request.env ?? {}).map(([name, value]) => `${name}=${redact && looksSecret(name) ? REDACTED : value}`);
  return {
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Cmd: [...request.argv],
    ...(request.user !== undefined ? { User: request.user } : {}),
    ...(request.workingDir !== undefined ? { WorkingDir: request.workingDir } : {}),
    ...(env.length > 0 ? { Env: env } : {}),
  };
}

export const EXEC_START_BODY = { Detach: false, Tty: false } as const;

/** GET /containers/{id}/logs parameters: what is there now (no follow), both streams, no timestamps. */
export function logsQuery(window: LogWindow, nowMs: number): { since?: number; tail?: number } {
  return {
    ...(window.sinceSeconds !== undefined ? { since: Math.max(0, Math.floor(nowMs / 1000 - window.sinceSeconds)) } : {}),
    ...(window.tail !== undefined ? { tail: window.tail } : {}),
  };
}

/** `signal` as the engine takes it: KILL, SIGHUP, 9; anything else is refused before a call. */
export function killSignalOf(signal: string | undefined): string {
  const value = signal ?? DEFAULT_KILL_SIGNAL;
  if (!/^(SIG)?[A-Z][A-Z0-9+-]{0,15}$|^\d{1,2}$/i.test(value)) throw new Error(`not a signal: ${JSON.stringify(value)}`);
  return value.toUpperCase();
}

function query(parameters: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(parameters).filter((pair): pair is [string, string | number] => pair[1] !== undefined);
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('&')}`;
}

/**
 * The request each action makes, `id` being the engine's container id. Env values with
 * secret-looking names are shown redacted (the engine gets them as given).
 */
export function describeContainerCall(action: EngineAction, id: string, nowMs: number): ActionCall | undefined {
  const container = `/containers/${encodeURIComponent(id)}`;
  switch (action.verb) {
    case 'restart':
    case 'stop':
      return { type: 'http', method: 'POST', path: `${container}/${action.verb}${query({ t: action.timeoutSeconds ?? STOP_TIMEOUT_SECONDS })}` };
    case 'start':
      return { type: 'http', method: 'POST', path: `${container}/start` };
    case 'kill':
      // Shown as given (encoded) even when killSignalOf will refuse it before any call.
      return { type: 'http', method: 'POST', path: `${container}/kill${query({ signal: (action.signal ?? DEFAULT_KILL_SIGNAL).toUpperCase() })}` };
    case 'exec':
      return {
        type: 'http',
        method: 'POST',
        path: `${container}/exec`,
        body: execCreateBody(action, true),
        then: { type: 'http', method: 'POST', path: '/exec/{execId}/start', body: EXEC_START_BODY },
      };
    case 'logs':
      return { type: 'http', method: 'GET', path: `${container}/logs${query({ stdout: 1, stderr: 1, ...logsQuery(action, nowMs), timestamps: 0 })}` };
    case 'inspect':
      return { type: 'http', method: 'GET', path: `${container}/json` };
    case 'stats':
      return { type: 'http', method: 'GET', path: `${container}/stats${query({ stream: 'false' })}` };
    case 'archive':
      return { type: 'http', method: 'GET', path: `${container}/archive${query({ path: action.path })}` };
    case 'restore':
      return { type: 'http', method: 'PUT', path: `${container}/archive${query({ path: action.path })}` };
    default:
      // Kubernetes verbs: not a container's.
      return undefined;
  }
}
