// A small real HTTP server in front of the real apiserver: every request is passed through
// (watches stream through), except metrics.k8s.io, which the shared control plane does not
// serve (no metrics-server): the front answers it itself with the usage a test sets, as a
// metrics-server would. It can also expire every watch, as an apiserver does for a compacted
// resourceVersion.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConnection } from '../../src/adapters/kubernetes/kube-connection';

export interface PodUsageFixture {
  namespace: string;
  name: string;
  /** Per container, e.g. [{ cpu: '250m', memory: '64Mi' }]. */
  containers: Array<{ cpu: string; memory: string }>;
}

export interface NodeUsageFixture {
  name: string;
  cpu: string;
  memory: string;
}

export interface ApiFront {
  /** http://127.0.0.1:PORT */
  url: string;
  /** A kubeconfig whose context `front` reaches the front. */
  kubeconfig: string;
  /** What metrics.k8s.io answers; undefined: not served (404, as on a cluster without metrics-server). */
  metrics: { pods: PodUsageFixture[]; nodes: NodeUsageFixture[] } | undefined;
  /**
   * Watches answered as the apiserver answers one from a compacted resourceVersion: an ERROR
   * event with code 410 (`event`) or an HTTP 410 (`status`); undefined: passed through.
   */
  expireWatches: 'event' | 'status' | undefined;
  /** Paths asked, in order. */
  readonly requests: string[];
  /** Stops listening and cuts every open request (watches too). */
  close(): Promise<void>;
}

const METRICS = '/apis/metrics.k8s.io/v1beta1';

export async function startApiFront(upstream: KubeConnection): Promise<ApiFront> {
  const sockets = new Set<Socket>();
  const upstreamRequests = new Set<http.ClientRequest>();
  const front: ApiFront = {
    url: '',
    kubeconfig: '',
    metrics: undefined,
    expireWatches: undefined,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const request of upstreamRequests) request.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };

  const answerMetrics = (path: string, response: http.ServerResponse): void => {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const metrics = front.metrics;
    if (!metrics) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
    const timestamp = new Date().toISOString();
    if (path === METRICS) return send(200, { kind: 'APIResourceList', groupVersion: 'metrics.k8s.io/v1beta1', resources: [{ name: 'nodes' }, { name: 'pods' }] });
    if (path === `${METRICS}/nodes`) {
      return send(200, { kind: 'NodeMetricsList', items: metrics.nodes.map((node) => ({ metadata: { name: node.name }, timestamp, window: '30s', usage: { cpu: node.cpu, memory: node.memory } })) });
    }
    const scoped = /^\/apis\/metrics\.k8s\.io\/v1beta1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(path);
    if (scoped) {
      const pods = metrics.pods.filter((pod) => scoped[1] === undefined || pod.namespace === scoped[1]);
      return send(200, {
        kind: 'PodMetricsList',
        items: pods.map((pod) => ({
          metadata: { name: pod.name, namespace: pod.namespace },
          timestamp,
          window: '30s',
          containers: pod.containers.map((usage, index) => ({ name: `c${index}`, usage })),
        })),
      });
    }
    send(404, { kind: 'Status', reason: 'NotFound', code: 404, message: 'not found' });
  };

  const expire = (how: 'event' | 'status', response: http.ServerResponse): void => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 };
    if (how === 'status') {
      response.writeHead(410, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ ...status, reason: 'Gone' }));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
  };

  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    front.requests.push(path);
    if (path.split('?')[0]?.startsWith(METRICS)) return answerMetrics(path.split('?')[0] ?? path, response);
    if (front.expireWatches && /[?&]watch=(1|true)/.test(path)) return expire(front.expireWatches, response);
    void forward(request, response, path);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const forward = async (request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> => {
    const options: https.RequestOptions = { method: request.method ?? 'GET', headers: {} };
    await upstream.config.applyToHTTPSOptions(options);
    const headers = options.headers as Record<string, string>;
    for (const name of ['accept', 'content-type']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const outgoing = https.request(new URL(upstream.server + path), options, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstreamRequests.add(outgoing);
    outgoing.on('close', () => upstreamRequests.delete(outgoing));
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  front.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const directory = mkdtempSync(join(tmpdir(), 'opsdeck-front-'));
  front.kubeconfig = join(directory, 'kubeconfig');
  writeFileSync(
    front.kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses http:// unless TLS verification is off (there is no TLS to verify).
      clusters: [{ name: 'front', cluster: { server: front.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'front', user: { token: 'the-front-adds-the-real-credentials' } }],
      contexts: [{ name: 'front', context: { cluster: 'front', user: 'front' } }],
      'current-context': 'front',
    }),
  );
  return front;
}
