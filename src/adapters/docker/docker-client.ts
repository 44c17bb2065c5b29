import type Docker from 'dockerode';
import type { DockerOptions } from 'dockerode';
import { toDisplayText } from '../../domain/untrusted-text';
import type { DockerEndpoint } from './docker-connection';

/** dockerode is loaded on first use: its import costs ~200 ms that the first frame should not pay. */
export async function createDockerClient(endpoint: DockerEndpoint): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  if (!endpoint.ssh) return new DockerClient(endpoint.options);
  const { SshDockerAgent } = await import('../ssh/ssh-docker-agent');
  // docker-modem hands `agent` to node:http (its types do not list it).
  return new DockerClient({ ...endpoint.options, agent: new SshDockerAgent(endpoint.ssh) } as DockerOptions);
}

/** Closes the client's connections (for ssh:// engines: its ssh processes and control sockets). */
export function closeDockerClient(docker: Docker | undefined): void {
  (docker?.modem as { agent?: { destroy(): void } } | undefined)?.agent?.destroy();
}

/** One line for the operator; engine error messages are untrusted text, cleaned here. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = toDisplayText(error.message.split('\n')[0] ?? error.message);
    const cleanCode = typeof code === 'string' ? toDisplayText(code) : undefined;
    return cleanCode && !message.includes(cleanCode) ? `${cleanCode}: ${message}` : message;
  }
  return toDisplayText(String(error));
}

export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}

/** Rejects when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** An engine refusal (e.g. 409 "container is paused") reaches the operator as one clean line. */
export async function engineCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw new Error(describeError(error), { cause: error });
  }
}

/** What `GET /info` answers that opsdeck reads. */
export interface EngineInfo {
  ServerVersion?: string;
  DockerRootDir?: string;
  MemTotal?: number;
}

export function memoryTotalOf(info: EngineInfo): number | undefined {
  return typeof info.MemTotal === 'number' && Number.isFinite(info.MemTotal) && info.MemTotal > 0 ? info.MemTotal : undefined;
}
