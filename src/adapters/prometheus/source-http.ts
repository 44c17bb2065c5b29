// The HTTP side of the Prometheus and Alertmanager clients: node http(s) with TLS verification on
// by default (an optional CA bundle), a bearer token file read once when the client is made, a
// timeout and the caller's AbortSignal, a bounded body, and every failure as one line naming the
// source, the HTTP status and the API's own error text (sanitised: it came from the server).

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { toDisplayText } from '../../domain/untrusted-text';
import type { SourceConfig } from './source-types';

export const DEFAULT_SOURCE_TIMEOUT_MS = 10_000;
/** An answer larger than this is cut off and fails (a range query over a huge selector). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_ERROR_TEXT = 300;

export interface SourceRequest {
  method: 'GET' | 'POST';
  /** Path and query after the base URL, e.g. `/api/v1/query?query=up`. */
  path: string;
  body?: unknown;
  signal?: AbortSignal;
}

export interface SourceHttp {
  /** The base URL without a trailing slash, for dry-run calls and errors. */
  readonly baseUrl: string;
  /** The parsed JSON answer of a 2xx; rejects with one line otherwise. */
  requestJson(request: SourceRequest): Promise<unknown>;
}

export interface SourceHttpOptions {
  /** `Prometheus`, `Alertmanager`: the first word of every error. */
  label: string;
  timeoutMs?: number;
  /** Reads the token and CA files (tests hand in their own). */
  readFile?: (file: string) => string;
}

/** A one-line error from a source; `status` is the HTTP status when the server answered. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The query string of a record (undefined values left out). */
export function queryString(parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) if (value !== undefined) search.append(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The API's error text in an answer body: Prometheus' `error`, Alertmanager's JSON string or `message`, else the body. */
function errorTextOf(body: string): string {
  let text = body.trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'string') text = parsed;
    else if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const found = [record.error, record.message].find((value): value is string => typeof value === 'string');
      if (found) text = found;
    }
  } catch {
    /* not JSON: the body as it came */
  }
  const line = toDisplayText(text).replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT)}…` : line;
}

function readOnce(file: string, what: string, read: (file: string) => string): { value?: string; problem?: string } {
  try {
    return { value: read(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `cannot read ${what} ${file}: ${code ?? (error as Error).message}` };
  }
}

/** An HTTP client for one source. The token and CA files are read here, once; a problem reading them fails every request with that sentence. */
export function createSourceHttp(config: SourceConfig, options: SourceHttpOptions): SourceHttp {
  const read = options.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const baseUrl = config.url.replace(/\/+$/, '');
  const base = new URL(baseUrl);
  const token = config.bearerTokenFile ? readOnce(config.bearerTokenFile, 'bearer token file', read) : {};
  const ca = config.caFile ? readOnce(config.caFile, 'CA file', read) : {};
  const setupProblem = token.problem ?? ca.problem;
  const bearer = token.value?.trim();
  const timeoutMs = options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const secure = base.protocol === 'https:';

  const requestJson = (request: SourceRequest): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const fail = (message: string, status?: number): void => reject(new SourceError(`${options.label} ${message}`, status));
      if (setupProblem) {
        fail(setupProblem);
        return;
      }
      if (request.signal?.aborted) {
        fail(`${baseUrl}: cancelled`);
        return;
      }
      const target = new URL(`${base.pathname.replace(/\/+$/, '')}${request.path}`, base);
      const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const requestOptions: https.RequestOptions = { method: request.method, headers, timeout: timeoutMs };
      if (secure) {
        requestOptions.rejectUnauthorized = config.tlsVerify;
        if (ca.value) requestOptions.ca = ca.value;
      }
      const transport = secure ? https : http;
      let settled = false;
      const onAbort = (): void => {
        outgoing.destroy(new Error('cancelled'));
      };
      const finish = (): void => {
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
      };
      const outgoing = transport.request(target, requestOptions, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            response.destroy(new Error(`answer larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => {
          if (settled) return;
          finish();
          fail(`${baseUrl}: ${error.message}`);
        });
        response.on('end', () => {
          if (settled) return;
          finish();
          const body = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            fail(`${status}: ${errorTextOf(body) || (response.statusMessage ?? 'no error text')}`, status);
            return;
          }
          if (body.trim() === '') {
            resolve(undefined);
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            fail(`${status}: the answer is not JSON`, status);
          }
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', (error) => {
        if (settled) return;
        finish();
        fail(`${baseUrl}: ${toDisplayText(error.message)}`);
      });
      request.signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.end(payload);
    });

  return { baseUrl, requestJson };
}
