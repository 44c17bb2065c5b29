// The host side of playbook steps and gates. Commands are argv arrays spawned without a shell (run-process.ts),
// so an input such as `api; rm -rf /` or `$(id)` stays one inert argument. Read-only mode is
// enforced here, before anything is spawned, as the engine adapters enforce it for theirs.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { constants } from 'node:os';
import { ReadOnlyError } from '../capabilities';
import { formatDuration } from '../../domain/duration';
import { toDisplayText } from '../../domain/untrusted-text';
import { BoundedLines } from './bounded-lines';
import type { CommandResult, HostCommands, HttpResult } from './host-commands';
import { ProcessStartError, runProcess, type ProcessEnd } from './run-process';

export interface HostCommandsOptions {
  readOnly: boolean;
  /** Characters of an HTTP body kept (the rest is read no further). */
  maxBodyCharacters?: number;
  now?: () => number;
}

const DEFAULT_MAX_BODY_CHARACTERS = 256 * 1024;

export function createHostCommands(options: HostCommandsOptions): HostCommands {
  const now = options.now ?? Date.now;
  const maxBody = options.maxBodyCharacters ?? DEFAULT_MAX_BODY_CHARACTERS;
  // The cockpit's environment as it was when these commands were made (opsdeck never changes its own).
  const inherited: Readonly<Record<string, string | undefined>> = { ...process.env };

  return {
    async run(argv, runOptions): Promise<CommandResult> {
      const [program, ...args] = argv;
      if (program === undefined || program === '') throw new Error('no command: the argv is empty');
      if (options.readOnly && runOptions.mutates) throw new ReadOnlyError('run', toDisplayText(argv.join(' ')));
      const startedAt = now();
      const stdout = new BoundedLines((line) => runOptions.onOutput?.('stdout', line), runOptions.maxOutputCharacters);
      const stderr = new BoundedLines((line) => runOptions.onOutput?.('stderr', line), runOptions.maxOutputCharacters);
      let end: ProcessEnd;
      try {
        end = await runProcess(program, args, {
          ...(runOptions.cwd !== undefined ? { cwd: runOptions.cwd } : {}),
          ...(runOptions.env !== undefined ? { env: runOptions.env } : {}),
          inherited,
          timeoutMs: runOptions.timeoutMs,
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          onStdout: (chunk) => stdout.push(chunk),
          onStderr: (chunk) => stderr.push(chunk),
        });
      } catch (error) {
        if (!(error instanceof ProcessStartError)) throw error;
        throw new Error(`cannot run ${toDisplayText(program)}: ${toDisplayText(error.message)}`);
      }
      return {
        // A process ended by a signal has no exit code; 128 + signal is what a shell would say.
        exitCode: end.exitCode ?? 128 + signalNumber(end.signal),
        stdout: stdout.finish(),
        stderr: stderr.finish(),
        durationMs: now() - startedAt,
        timedOut: end.timedOut,
      };
    },

    http(request): Promise<HttpResult> {
      const startedAt = now();
      const url = new URL(request.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new Error(`unsupported URL scheme ${url.protocol} (http or https)`));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise<HttpResult>((resolve, reject) => {
        const outgoing = send(url, {
          method: request.method,
          headers: request.headers,
          ...(url.protocol === 'https:' ? { rejectUnauthorized: request.insecure !== true, ...(request.ca !== undefined ? { ca: request.ca } : {}) } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const timer = setTimeout(() => outgoing.destroy(new Error(`no answer from ${url.host} within ${formatDuration(request.timeoutMs)}`)), request.timeoutMs);
        const fail = (error: Error): void => {
          clearTimeout(timer);
          const reason = isCertificateError(error) ? `TLS: ${error.message}` : error.message;
          reject(new Error(`${request.method} ${url.origin}${url.pathname}: ${toDisplayText(reason)}`));
        };
        outgoing.on('error', fail);
        outgoing.on('response', (response: IncomingMessage) => {
          const body = new BoundedLines(undefined, maxBody);
          let read = 0;
          response.setEncoding('utf8');
          const done = (): void => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, body: body.finish(), durationMs: now() - startedAt });
          };
          response.on('data', (chunk: string) => {
            read += chunk.length;
            body.push(chunk);
            // Enough for the check: the rest is not read (a health URL that streams forever).
            if (read > maxBody) {
              response.removeAllListeners('data');
              response.destroy();
              done();
            }
          });
          response.on('end', done);
          response.on('error', fail);
        });
        if (request.body !== undefined) outgoing.write(request.body);
        outgoing.end();
      });
    },

    tcp(target): Promise<number> {
      const startedAt = now();
      return new Promise<number>((resolve, reject) => {
        const socket = connect({ host: target.host, port: target.port });
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          target.signal?.removeEventListener('abort', onAbort);
          socket.destroy();
          if (error) reject(new Error(`connect to ${target.host}:${target.port}: ${error.message}`));
          else resolve(now() - startedAt);
        };
        const onAbort = (): void => finish(new Error('aborted'));
        const timer = setTimeout(() => finish(new Error(`no connection within ${formatDuration(target.timeoutMs)}`)), target.timeoutMs);
        if (target.signal?.aborted) return finish(new Error('aborted'));
        target.signal?.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => finish());
        socket.once('error', (error) => finish(error));
      });
    },
  };
}

/** OpenSSL's verification failures as node reports them (`code` on the socket error). */
const CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isCertificateError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && CERTIFICATE_ERROR_CODES.has(code);
}

function signalNumber(signal: string | undefined): number {
  return (signal !== undefined ? (constants.signals as Record<string, number | undefined>)[signal] : undefined) ?? 0;
}
