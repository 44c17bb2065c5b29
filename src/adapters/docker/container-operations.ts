// What can be done to one container of a Docker-compatible engine (Docker, or Podman through
// its compatible API): lifecycle, kill, exec, logs, inspect, stats, archive and restore, with
// read-only enforced before anything is sent. The adapter keeps the connection and the
// inventory; it hands both here and delegates its capability methods.

import type Docker from 'dockerode';
import type { Exec } from 'dockerode';
import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import type { ActionCall, ActionVerb, EngineAction, InstanceDetails } from '../../domain/engine-action';
import { refKey, type InstanceKind, type ResourceRef } from '../../domain/resource-ref';
import {
  ReadOnlyError,
  type Archivable,
  type ArchiveFile,
  type ContainerAdapter,
  type Executable,
  type ExecOutcome,
  type ExecRequest,
  type Inspectable,
  type InstanceStats,
  type Killable,
  type LogReadable,
  type LogWindow,
  type OperationOptions,
  type StatsReadable,
} from '../capabilities';
import { gunzippedTar, writeGzippedArchive } from './container-archive';
import { describeContainerCall, EXEC_START_BODY, execCreateBody, killSignalOf, logsQuery, STOP_TIMEOUT_SECONDS } from './container-calls';
import type { ContainerInventory } from './container-inventory';
import type { DockerApiDialect } from './container-mapping';
import { engineCall } from './docker-client';
import { instanceDetailsOf } from './instance-details';
import { readStatsCycle } from './stats-once';
import { NO_MEMORY_LIMIT, toContainerStatsSample } from './stats-payload';
import { BoundedLines, readOutputLines } from './stream-output';

type InstanceRef = ResourceRef & { kind: InstanceKind };

export interface ContainerAccess {
  engineId: string;
  label: string;
  readOnly: boolean;
  dialect: DockerApiDialect;
  /** The client while connected. */
  client(): Docker | undefined;
  known: ContainerInventory;
  /** MemTotal of the engine's host, to tell a container without a memory limit. */
  engineMemoryBytes(): number | undefined;
  now(): number;
}

/** An exec's process has ended when its stream has; its exit code can take a moment to show. */
const EXIT_CODE_POLLS = 40;
const EXIT_CODE_POLL_MS = 50;

type ContainerCapabilities = Omit<ContainerAdapter, 'engineId' | 'start' | 'stop' | 'collectOnce'> &
  Killable & Executable & LogReadable & Inspectable & StatsReadable & Archivable;

function signalOption(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}

export class ContainerOperations implements ContainerCapabilities {
  constructor(private readonly access: ContainerAccess) {}

  /** The Engine API request each action makes (what dockerode sends). */
  describeCall(action: EngineAction): ActionCall | undefined {
    const target = action.target;
    if (target.kind !== 'container') return undefined;
    return describeContainerCall(action, this.access.known.idOf({ ...target, kind: 'container' }) ?? target.name, this.access.now());
  }

  async restartInstance(target: InstanceRef, timeoutSeconds = STOP_TIMEOUT_SECONDS): Promise<void> {
    const { docker, id } = this.handle('restart', target, true);
    await engineCall(docker.getContainer(id).restart({ t: timeoutSeconds }));
  }

  async stopInstance(target: InstanceRef, timeoutSeconds = STOP_TIMEOUT_SECONDS): Promise<void> {
    const { docker, id } = this.handle('stop', target, true);
    await engineCall(docker.getContainer(id).stop({ t: timeoutSeconds }));
  }

  async startInstance(target: InstanceRef): Promise<void> {
    const { docker, id } = this.handle('start', target, true);
    await engineCall(docker.getContainer(id).start());
  }

  async killInstance(target: InstanceRef, signal?: string): Promise<void> {
    const { docker, id } = this.handle('kill', target, true);
    await engineCall(docker.getContainer(id).kill({ signal: killSignalOf(signal) }));
  }

  /** Create, start, read both streams to their end, then the exit code from the exec's inspect. */
  async execInInstance(target: InstanceRef, request: ExecRequest, options: OperationOptions = {}): Promise<ExecOutcome> {
    const { docker, id } = this.handle('exec', target, request.mutates);
    if (request.argv.length === 0) throw new Error(`exec in ${target.name}: no command`);
    const exec = await engineCall(docker.getContainer(id).exec({ ...execCreateBody(request), ...signalOption(options.signal) }));
    const stream = await engineCall(exec.start({ ...EXEC_START_BODY, ...signalOption(options.signal) }));
    const output = { stdout: new BoundedLines('first'), stderr: new BoundedLines('first') };
    await readOutputLines(stream, {
      raw: false,
      signal: options.signal,
      onLine: (source, text) => {
        output[source].add(text);
        options.onOutput?.(source, text);
      },
    });
    return { exitCode: await exitCodeOf(exec, target.name, options.signal), stdout: output.stdout.text, stderr: output.stderr.text };
  }

  /** What the engine has now (no follow), streamed rather than buffered whole, the newest ~1 MiB kept. */
  async readInstanceLogs(target: InstanceRef, window: LogWindow, options: OperationOptions = {}): Promise<string> {
    const { docker, id, tty } = this.handle('logs', target, false);
    const query = { stdout: true, stderr: true, follow: false, timestamps: false, ...logsQuery(window, this.access.now()) };
    const stream = await engineCall(
      new Promise<Readable>((resolve, reject) => {
        // dockerode buffers a non-follow read whole; the modem streams it.
        docker.modem.dial(
          {
            path: `/containers/${id}/logs?`,
            method: 'GET',
            isStream: true,
            statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
            options: { ...query, ...signalOption(options.signal) },
          },
          (error: unknown, answer: unknown) => (error ? reject(error) : resolve(Buffer.isBuffer(answer) ? Readable.from([answer]) : (answer as Readable))),
        );
      }),
    );
    const lines = new BoundedLines('last');
    await readOutputLines(stream, {
      raw: tty,
      signal: options.signal,
      onLine: (source, text) => {
        lines.add(text);
        options.onOutput?.(source, text);
      },
    });
    return lines.text;
  }

  async inspectInstance(target: InstanceRef, options: OperationOptions = {}): Promise<InstanceDetails> {
    const { docker, id } = this.handle('inspect', target, false);
    const info = await engineCall(docker.getContainer(id).inspect(signalOption(options.signal)));
    return instanceDetailsOf(this.access.engineId, info, this.access.dialect);
  }

  async readInstanceStats(target: InstanceRef, options: OperationOptions = {}): Promise<InstanceStats> {
    const { docker, id } = this.handle('stats', target, false);
    const payload = await engineCall(readStatsCycle(docker, id, { oneShot: false, abortSignal: options.signal }));
    if (!payload) throw new Error(`${target.name} is not running: no CPU or memory figures`);
    const sample = toContainerStatsSample(refKey(target), payload, this.access.now(), this.access.engineMemoryBytes());
    return {
      cpuPercent: sample.cpuPercent,
      memoryBytes: sample.memoryUsageBytes,
      memoryPercent: sample.memoryPercent,
      // Absent: no limit of its own (the percentage is then of the engine's host).
      ...(sample.memoryLimitBytes !== NO_MEMORY_LIMIT ? { memoryLimitBytes: sample.memoryLimitBytes } : {}),
    };
  }

  async archiveInstancePath(target: InstanceRef, path: string, destinationFile: string, options: OperationOptions = {}): Promise<ArchiveFile> {
    const { docker, id } = this.handle('archive', target, false);
    const openTar = (): Promise<Readable> =>
      engineCall(docker.getContainer(id).getArchive({ path, ...signalOption(options.signal) }) as Promise<unknown> as Promise<Readable>);
    return writeGzippedArchive(openTar, destinationFile, options.signal);
  }

  async restoreInstancePath(target: InstanceRef, path: string, sourceFile: string, options: OperationOptions = {}): Promise<void> {
    const { docker, id } = this.handle('restore', target, true);
    const tar = await gunzippedTar(sourceFile);
    await engineCall(docker.getContainer(id).putArchive(tar, { path, ...signalOption(options.signal) }));
  }

  /** Read-only is enforced here, before anything reaches the engine. */
  private handle(verb: ActionVerb, target: InstanceRef, mutating: boolean): { docker: Docker; id: string; tty: boolean } {
    const { known, label } = this.access;
    if (mutating && this.access.readOnly) throw new ReadOnlyError(verb, target.name);
    if (target.engineId !== this.access.engineId) throw new Error(`${target.name} belongs to engine ${target.engineId}, not ${this.access.engineId}`);
    const docker = this.access.client();
    if (!docker) throw new Error(`engine ${label} is not connected`);
    const id = known.idOf(target);
    if (!id) throw new Error(`no container ${target.name} on engine ${label}`);
    return { docker, id, tty: known.get(id)?.tty ?? false };
  }
}

async function exitCodeOf(exec: Exec, name: string, signal: AbortSignal | undefined): Promise<number> {
  for (let poll = 0; poll < EXIT_CODE_POLLS; poll += 1) {
    const state = await engineCall(exec.inspect(signalOption(signal)));
    if (!state.Running && typeof state.ExitCode === 'number') return state.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, EXIT_CODE_POLL_MS));
  }
  throw new Error(`exec in ${name}: its output ended but the engine reports it still running`);
}
