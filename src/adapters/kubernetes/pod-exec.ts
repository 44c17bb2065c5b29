// kubectl exec (argv only, no TTY, no stdin): the exec subresource over a WebSocket
// (channel.k8s.io: 1 stdout, 2 stderr, 3 the Status with the exit code), through client-node's
// Exec, loaded on first use. Output is sanitised line by line and keeps its first ~1 MiB.

import { Writable } from 'node:stream';
import type { InstanceKind, ResourceRef } from '../../domain/resource-ref';
import { LineSplitter } from '../docker/log-decoder';
import { BoundedLines, displayLine, OUTPUT_LINE_BYTES } from '../docker/stream-output';
import { ReadOnlyError, type ExecOutcome, type ExecRequest, type OperationOptions } from '../capabilities';
import { execArgv, namespaceOf, resourceWord } from './kube-calls';
import { loadClientNode } from './kube-connection';
import { containerOf, readPod } from './pod-logs';
import { targetAccess } from './access-review';
import type { OperationContext } from './operation-context';
import { toDisplayText } from '../../domain/untrusted-text';

type InstanceRef = ResourceRef & { kind: InstanceKind };

/** The Status sent on the error channel when the command ended. */
interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** The exit code a Status reports (Success: 0; NonZeroExitCode: its ExitCode cause); undefined when it reports a failure to run at all. */
export function exitCodeOfStatus(status: ExecStatus): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return undefined;
  const cause = status.details?.causes?.find((candidate) => candidate.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : undefined;
}

/** A Writable that hands on complete, sanitised lines. */
function lineWriter(onLine: (text: string) => void): { stream: Writable; flush(): void } {
  const splitter = new LineSplitter({ maxLineBytes: OUTPUT_LINE_BYTES });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of splitter.push(chunk)) onLine(displayLine(line));
      callback();
    },
  });
  return { stream, flush: () => splitter.flush().forEach((line) => onLine(displayLine(line))) };
}

export async function execInInstance(context: OperationContext, target: InstanceRef, request: ExecRequest, options: OperationOptions = {}): Promise<ExecOutcome> {
  const word = resourceWord(target);
  if (request.mutates && context.readOnly) throw new ReadOnlyError('exec', target.name);
  if (request.argv.length === 0) throw new Error(`exec in ${word}: no command`);
  if (request.user !== undefined) throw new Error(`exec in ${word}: Kubernetes cannot run a command as another user (user ${JSON.stringify(request.user)})`);
  if (request.workingDir !== undefined) throw new Error(`exec in ${word}: Kubernetes cannot run a command in another directory (workingDir ${JSON.stringify(request.workingDir)})`);
  const pod = await readPod(context, target, options);
  const container = containerOf(pod, target, request.container);
  const output = { stdout: new BoundedLines('first'), stderr: new BoundedLines('first') };
  const writer = (source: 'stdout' | 'stderr') =>
    lineWriter((text) => {
      output[source].add(text);
      options.onOutput?.(source, text);
    });
  const stdout = writer('stdout');
  const stderr = writer('stderr');
  const [{ Exec }, connection] = await Promise.all([loadClientNode(), context.connect()]);
  options.signal?.throwIfAborted();
  let status: ExecStatus | undefined;
  let socket: Awaited<ReturnType<InstanceType<typeof Exec>['exec']>>;
  try {
    socket = await new Exec(connection.config).exec(namespaceOf(target), target.name, container, execArgv(request.argv, request.env), stdout.stream, stderr.stream, null, false, (answer) => {
      status = answer as ExecStatus;
    });
  } catch (error) {
    throw upgradeFailure(context, target, word, error);
  }
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      socket.close();
      reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error(`exec in ${word} was cancelled`));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('close', () => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    socket.on('error', (error: Error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`exec in ${word}: ${toDisplayText(error.message)}`));
    });
  });
  stdout.flush();
  stderr.flush();
  const ended = status as ExecStatus | undefined;
  if (!ended) throw new Error(`exec in ${word}: the connection closed without an exit status`);
  const exitCode = exitCodeOfStatus(ended);
  if (exitCode === undefined) throw new Error(`exec in ${word}: ${toDisplayText(ended.message ?? ended.reason ?? 'the command could not run')}`);
  return { exitCode, stdout: output.stdout.text, stderr: output.stderr.text };
}

/** The WebSocket handshake refused: a 403 reads like the access review's sentence. */
function upgradeFailure(context: OperationContext, target: InstanceRef, word: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (status === '403') return new Error(context.access.forbiddenByServer(targetAccess('create', target, 'exec'), ''));
  if (status !== undefined) return new Error(`exec in ${word}: the API server refused the exec (HTTP ${status})`);
  return new Error(`exec in ${word}: ${toDisplayText(message)}`);
}
