// One Kubernetes context, reached as kubectl would: kubeconfig files merged in KUBECONFIG order,
// the context's cluster and user (token, client certificate, exec plugin: client-node's
// KubeConfig applies them). Requests are raw JSON over node's http(s), so no generated model
// classes are built for 10,000 pods; the informers and the actions share this one path.

import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { isProtobufAnswer, readProtobufStatus } from './protobuf-list';

/** What opsdeck uses of client-node (client-node.ts), loaded on first use (the one place src/ imports it at run time). */
export function loadClientNode(): Promise<typeof import('./client-node')> {
  return import('./client-node');
}

export interface KubeContextSelection {
  /** kubeconfig files, KUBECONFIG order (the first file that names a context, user or cluster wins). Empty: $KUBECONFIG, else ~/.kube/config. */
  kubeconfig: readonly string[];
  /** The context to use; the merged config's current-context when absent. */
  context?: string;
}

/** A request the API server answered with an error status (its Status object's reason and message). */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with its query, e.g. `/api/v1/namespaces/shop/pods?limit=500`. */
  path: string;
  body?: unknown;
  /** PATCH: merge (default), strategic or json. */
  patchType?: 'merge' | 'strategic' | 'json';
  signal?: AbortSignal;
  /** Milliseconds without an answer before the request fails (default 30 s; none for streams). */
  timeoutMs?: number;
  /** requestBody: called once with the answer's first bytes (a list page's metadata) and its media type, before the rest arrives. */
  onHead?: (head: Buffer, contentType: string) => void;
}

const PATCH_CONTENT_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/**
 * The kubeconfig merged as kubectl merges it. Rejects with the file's problem. client-node is
 * imported here, on first use, so a cockpit without a Kubernetes engine never loads it
 * (about 130 ms and 18 MB at start).
 */
export async function loadKubeConfig(selection: KubeContextSelection): Promise<KubeConfig> {
  const config = await mergeKubeConfigFiles(selection.kubeconfig);
  if (selection.context !== undefined) {
    if (!config.getContextObject(selection.context)) {
      const known = config.getContexts().map((context) => context.name);
      throw new Error(`no context ${JSON.stringify(selection.context)} in the kubeconfig (known: ${known.join(', ') || 'none'})`);
    }
    config.setCurrentContext(selection.context);
  }
  if (!config.getCurrentCluster()) throw new Error(`context ${JSON.stringify(config.getCurrentContext())} names no cluster`);
  return config;
}

/** The kubeconfig files merged as kubectl merges them, nothing checked yet (empty: $KUBECONFIG, else ~/.kube/config). */
export async function mergeKubeConfigFiles(kubeconfig: readonly string[]): Promise<KubeConfig> {
  const { KubeConfig } = await loadClientNode();
  const config = new KubeConfig();
  const fromEnvironment = (process.env['KUBECONFIG'] ?? '').split(':').filter((file) => file !== '');
  const files = kubeconfig.length > 0 ? kubeconfig : fromEnvironment.length > 0 ? fromEnvironment : undefined;
  if (!files) {
    config.loadFromDefault();
  } else {
    config.loadFromFile(files[0] as string);
    for (const file of files.slice(1)) {
      const other = new KubeConfig();
      other.loadFromFile(file);
      mergeFirstWins(config, other);
    }
  }
  return config;
}

/** Connects to one context: loads the kubeconfig (client-node on first use). */
export async function connectKube(selection: KubeContextSelection): Promise<KubeConnection> {
  return new KubeConnection(await loadKubeConfig(selection));
}

/** kubectl's merge: the first file to set current-context wins, as does the first to name a cluster, user or context. */
function mergeFirstWins(into: KubeConfig, other: KubeConfig): void {
  if (!into.getCurrentContext() && other.getCurrentContext()) into.setCurrentContext(other.getCurrentContext());
  const clusters = new Set(into.getClusters().map((cluster) => cluster.name));
  const users = new Set(into.getUsers().map((user) => user.name));
  const contexts = new Set(into.getContexts().map((context) => context.name));
  for (const cluster of other.getClusters()) if (!clusters.has(cluster.name)) into.addCluster(cluster);
  for (const user of other.getUsers()) if (!users.has(user.name)) into.addUser(user);
  for (const context of other.getContexts()) if (!contexts.has(context.name)) into.addContext(context);
}

/** The TLS settings client-node puts on a request's options (those its agent is made from). */
const TLS_OPTION_NAMES = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'ciphers', 'secureProtocol'] as const;

function tlsSignature(options: https.RequestOptions): string {
  const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('base64') : Array.isArray(value) ? value.map(text).join(',') : String(value));
  return TLS_OPTION_NAMES.map((name) => (options[name] === undefined ? '' : text(options[name]))).join('\n');
}

export class KubeConnection {
  readonly server: string;
  readonly contextName: string;
  /** The context's default namespace (kubectl's when -n is not given). */
  readonly defaultNamespace: string;
  readonly userName: string;

  constructor(readonly config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig context names no cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.contextName = config.getCurrentContext();
    this.defaultNamespace = config.getContextObject(this.contextName)?.namespace ?? 'default';
    this.userName = config.getCurrentUser()?.name ?? '';
  }

  /** One keep-alive agent per TLS settings (see sharedAgent). */
  private agent: { signature: string; agent: https.Agent } | undefined;

  /**
   * client-node makes a new https.Agent for every request it is asked about: every request a new
   * TLS connection whose CA and keys are parsed again (10,000 pods' list pages, one connection per
   * followed log). One agent instead, connections kept alive, its TLS context built once; made
   * again only when the kubeconfig's TLS settings change (a rotated client certificate). A proxy
   * agent client-node chose is kept as it is.
   */
  private sharedAgent(options: https.RequestOptions): https.Agent {
    const signature = tlsSignature(options);
    if (this.agent?.signature === signature) return this.agent.agent;
    this.agent?.agent.destroy();
    const { ca, cert, key, pfx, passphrase, ciphers, secureProtocol, rejectUnauthorized, servername } = options;
    const secureContext = tls.createSecureContext({ ca, cert, key, pfx, passphrase, ciphers, secureProtocol });
    const agent = new https.Agent({ keepAlive: true, secureContext, ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}), ...(servername ? { servername } : {}) });
    this.agent = { signature, agent };
    return agent;
  }

  private async options(request: KubeRequest, accept: string): Promise<{ url: URL; options: https.RequestOptions }> {
    const url = new URL(this.server + request.path);
    const options: https.RequestOptions = { method: request.method ?? 'GET', headers: {} };
    await this.config.applyToHTTPSOptions(options);
    const headers = (options.headers ?? {}) as Record<string, string>;
    headers['Accept'] = accept;
    if (request.body !== undefined) {
      const patchType = request.method === 'PATCH' ? PATCH_CONTENT_TYPES[request.patchType ?? 'merge'] : 'application/json';
      headers['Content-Type'] = patchType;
    }
    options.headers = headers;
    if (url.protocol === 'http:') delete options.agent;
    else if (options.agent?.constructor === https.Agent) options.agent = this.sharedAgent(options);
    return { url, options };
  }

  /** Sends a request and resolves with the parsed JSON answer; rejects with KubeApiError on an error status. */
  async request<T = unknown>(request: KubeRequest): Promise<T> {
    const text = await this.requestText(request, 'application/json');
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The answer as text (pod logs). */
  async requestText(request: KubeRequest, accept = '*/*'): Promise<string> {
    return (await this.requestBody(request, accept)).body.toString('utf8');
  }

  /** The answer's bytes and media type (a list asked for as protobuf may come as JSON). */
  async requestBody(request: KubeRequest, accept = '*/*'): Promise<{ body: Buffer; contentType: string }> {
    const { url, options } = await this.options(request, accept);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) (options.headers as Record<string, string>)['Content-Length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const client = url.protocol === 'http:' ? http : https;
      const outgoing = client.request(url, { ...options, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        const status = response.statusCode ?? 0;
        const okStatus = status >= 200 && status < 300;
        const contentType = response.headers['content-type'] ?? '';
        response.on('data', (chunk: Buffer) => {
          if (chunks.length === 0 && okStatus) request.onHead?.(chunk, contentType);
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const answer = Buffer.concat(chunks);
          if (okStatus) resolve({ body: answer, contentType });
          else reject(apiErrorOf(status, answer, contentType));
        });
      });
      outgoing.setTimeout(request.timeoutMs ?? 30_000, () => outgoing.destroy(new Error(`${url.host} did not answer in ${Math.round((request.timeoutMs ?? 30_000) / 1000)} s`)));
      outgoing.on('error', reject);
      if (body !== undefined) outgoing.write(body);
      outgoing.end();
    });
  }

  /**
   * A streaming GET (watch, follow logs): `onLine` gets each complete line as it arrives.
   * Resolves when the server ends the stream; rejects on an error status or a broken connection.
   */
  async stream(request: KubeRequest, onLine: (line: string) => void): Promise<void> {
    const { url, options } = await this.options(request, 'application/json');
    return new Promise<void>((resolve, reject) => {
      const client = url.protocol === 'http:' ? http : https;
      const outgoing = client.request(url, { ...options, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => reject(apiErrorOf(status, Buffer.concat(chunks), response.headers['content-type'])));
          response.on('error', reject);
          return;
        }
        let rest = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const text = rest + chunk;
          const lines = text.split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line !== '') onLine(line);
        });
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the stream was cut')));
        response.on('end', () => {
          if (rest !== '') onLine(rest);
          resolve();
        });
      });
      if (request.timeoutMs !== undefined) outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error('the stream went silent')));
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /**
   * A GET whose answer is read as bytes (pod logs): resolves with the body stream once the
   * server answered 2xx; rejects with KubeApiError otherwise. Aborting `signal` destroys it.
   */
  async openStream(request: KubeRequest, accept = '*/*'): Promise<Readable> {
    const { url, options } = await this.options(request, accept);
    return new Promise<Readable>((resolve, reject) => {
      const client = url.protocol === 'http:' ? http : https;
      const outgoing = client.request(url, { ...options, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(response);
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => reject(apiErrorOf(status, Buffer.concat(chunks), response.headers['content-type'])));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
}

/**
 * The error of a non-2xx answer, from the Status the server sent: JSON, or protobuf when the
 * request accepted it (a pod list refused with 403 answers in the encoding it asked for).
 */
export function apiErrorOf(status: number, body: Buffer, contentType = ''): KubeApiError {
  const text = body.toString('utf8');
  try {
    const parsed = (isProtobufAnswer(contentType) ? readProtobufStatus(body) : JSON.parse(text)) as { reason?: string; message?: string };
    return new KubeApiError(status, parsed.reason ?? String(status), parsed.message ?? `HTTP ${status}`);
  } catch {
    return new KubeApiError(status, String(status), `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}
