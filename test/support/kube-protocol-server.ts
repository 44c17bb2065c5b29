// A protocol-level stand-in for the kubelet side of the Kubernetes API over real HTTP and a
// real WebSocket: the test control plane has no kubelet, so pod logs and exec cannot work
// there. This server answers what the API server forwards to a kubelet, as it answers it:
// GET pods/{name} (so the default container can be found), GET pods/{name}/log with
// container, follow, previous, timestamps, tailLines, sinceSeconds and sinceTime, and the exec
// subresource as a WebSocket (v4.channel.k8s.io: 1 stdout, 2 stderr, 3 the Status), plus
// metrics.k8s.io pod metrics. It keeps what it was asked, so tests can check the requests.

import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProtocolLogLine {
  /** RFC3339Nano, e.g. 2026-12-01T10:00:00.123456789Z. */
  time: string;
  text: string;
}

export interface ExecAnswer {
  stdout?: string[];
  stderr?: string[];
  exitCode?: number;
  /** A Status that is not about an exit code (the command could not run). */
  failure?: { reason: string; message: string };
  /** Keep the socket open until the client closes it (a command that runs on). */
  hang?: boolean;
}

export interface ProtocolPod {
  namespace: string;
  name: string;
  uid: string;
  containers: { name: string; image?: string; memoryLimit?: string }[];
  annotations?: Record<string, string>;
  /** Current container's log lines, by container name. */
  logs: Record<string, ProtocolLogLine[]>;
  /** The previous (terminated) container's lines, by container name. */
  previousLogs?: Record<string, ProtocolLogLine[]>;
  exec?(argv: string[], container: string): ExecAnswer;
  /** Answer the exec upgrade with 403, as the API server does for a user without pods/exec. */
  forbidExec?: boolean;
  usage?: Record<string, { cpu: string; memory: string }>;
}

export interface ProtocolRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface KubeProtocolServer {
  url: string;
  kubeconfigPath: string;
  pods: Map<string, ProtocolPod>;
  requests: ProtocolRequest[];
  addPod(pod: ProtocolPod): void;
  /** Appends a line to a container's log and writes it to the follow streams open on it. */
  appendLog(namespace: string, pod: string, container: string, line: ProtocolLogLine): void;
  /** Ends every open follow stream (as a container restart or a broken connection does). */
  endFollowStreams(): void;
  openFollowStreams(): number;
  /** Exec sockets the client has closed (abort). */
  closedExecSockets(): number;
  close(): Promise<void>;
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function status(response: http.ServerResponse, code: number, reason: string, message: string): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code }));
}

/** One unmasked server frame (opcode 2 binary, 8 close). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

function channel(number: number, text: string): Buffer {
  return frame(2, Buffer.concat([Buffer.from([number]), Buffer.from(text)]));
}

/** The opcodes of the client's (masked) frames in `data`. */
function clientOpcodes(data: Buffer): number[] {
  const opcodes: number[] = [];
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = (data[offset] as number) & 0x0f;
    let length = (data[offset + 1] as number) & 0x7f;
    let header = 2;
    if (length === 126) {
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    const masked = ((data[offset + 1] as number) & 0x80) !== 0;
    opcodes.push(opcode);
    offset += header + (masked ? 4 : 0) + length;
  }
  return opcodes;
}

function selectedLines(lines: ProtocolLogLine[], query: URLSearchParams): ProtocolLogLine[] {
  let selected = lines;
  const sinceSeconds = query.get('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== null) selected = selected.filter((line) => Date.parse(line.time) >= Date.now() - Number(sinceSeconds) * 1000);
  // Inclusive, to the second, as the kubelet reads sinceTime.
  if (sinceTime !== null) selected = selected.filter((line) => Math.floor(Date.parse(line.time) / 1000) >= Math.floor(Date.parse(sinceTime) / 1000));
  const tail = query.get('tailLines');
  if (tail !== null) selected = selected.slice(Math.max(0, selected.length - Number(tail)));
  return selected;
}

export async function startKubeProtocolServer(): Promise<KubeProtocolServer> {
  const pods = new Map<string, ProtocolPod>();
  const requests: ProtocolRequest[] = [];
  const follows = new Set<{ key: string; timestamps: boolean; response: http.ServerResponse }>();
  const sockets = new Set<Socket>();
  let closedExec = 0;
  const podOf = (namespace: string, name: string): ProtocolPod | undefined => pods.get(`${namespace}/${name}`);
  const containerFor = (pod: ProtocolPod, query: URLSearchParams, response: http.ServerResponse): string | undefined => {
    const asked = query.get('container');
    const names = pod.containers.map((container) => container.name);
    if (asked === null || asked === '') {
      if (names.length === 1) return names[0];
      status(response, 400, 'BadRequest', `a container name must be specified for pod ${pod.name}, choose one of: [${names.join(' ')}]`);
      return undefined;
    }
    if (!names.includes(asked)) {
      status(response, 400, 'BadRequest', `container ${asked} is not valid for pod ${pod.name}`);
      return undefined;
    }
    return asked;
  };
  const podJson = (pod: ProtocolPod): unknown => ({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid, annotations: pod.annotations ?? {} },
    spec: {
      containers: pod.containers.map((container) => ({
        name: container.name,
        image: container.image ?? 'local/busybox:latest',
        ...(container.memoryLimit ? { resources: { limits: { memory: container.memoryLimit } } } : {}),
      })),
    },
    status: { phase: 'Running' },
  });

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams });
    const metrics = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (metrics) {
      const pod = podOf(decodeURIComponent(metrics[1] as string), decodeURIComponent(metrics[2] as string));
      if (!pod?.usage) return status(response, 404, 'NotFound', `podmetrics.metrics.k8s.io "${metrics[1]}/${metrics[2]}" not found`);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(JSON.stringify({ metadata: { name: pod.name, namespace: pod.namespace }, containers: Object.entries(pod.usage).map(([name, usage]) => ({ name, usage })) }));
    }
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/log)?$/.exec(url.pathname);
    if (!match) return status(response, 404, 'NotFound', 'the server could not find the requested resource');
    const pod = podOf(decodeURIComponent(match[1] as string), decodeURIComponent(match[2] as string));
    if (!pod) return status(response, 404, 'NotFound', `pods "${match[2]}" not found`);
    if (!match[3]) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return response.end(JSON.stringify(podJson(pod)));
    }
    const container = containerFor(pod, url.searchParams, response);
    if (container === undefined) return;
    const previous = url.searchParams.get('previous') === 'true';
    const source = previous ? pod.previousLogs?.[container] : pod.logs[container];
    if (!source) return status(response, 400, 'BadRequest', `previous terminated container "${container}" in pod "${pod.name}" not found`);
    const timestamps = url.searchParams.get('timestamps') === 'true';
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const line of selectedLines(source, url.searchParams)) response.write(`${timestamps ? `${line.time} ` : ''}${line.text}\n`);
    if (url.searchParams.get('follow') !== 'true' || previous) return response.end();
    const follow = { key: `${pod.namespace}/${pod.name}/${container}`, timestamps, response };
    follows.add(follow);
    response.on('close', () => follows.delete(follow));
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('upgrade', (request, socket: Socket) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams });
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const pod = match ? podOf(decodeURIComponent(match[1] as string), decodeURIComponent(match[2] as string)) : undefined;
    const refuse = (code: number, text: string): void => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ kind: 'Status', status: 'Failure', code, message: text })}`);
    };
    if (!pod) return refuse(404, 'Not Found');
    if (pod.forbidExec) return refuse(403, 'Forbidden');
    const protocols = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((entry) => entry.trim());
    if (!protocols.includes('v4.channel.k8s.io')) return refuse(400, 'Bad Request');
    const container = url.searchParams.get('container') ?? pod.containers[0]?.name ?? '';
    const accept = createHash('sha1').update(`${String(request.headers['sec-websocket-key'])}${WEBSOCKET_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`);
    let closed = false;
    socket.on('data', (data: Buffer) => {
      if (!clientOpcodes(data).includes(8) || closed) return;
      closed = true;
      closedExec += 1;
      socket.end(frame(8, Buffer.from([0x03, 0xe8])));
    });
    socket.on('error', () => undefined);
    const answer = pod.exec?.(url.searchParams.getAll('command'), container) ?? { failure: { reason: 'InternalError', message: 'no exec handler' } };
    for (const line of answer.stdout ?? []) socket.write(channel(1, `${line}\n`));
    for (const line of answer.stderr ?? []) socket.write(channel(2, `${line}\n`));
    if (answer.hang) return;
    const exitStatus = answer.failure
      ? { metadata: {}, status: 'Failure', reason: answer.failure.reason, message: answer.failure.message }
      : answer.exitCode
        ? {
            metadata: {},
            status: 'Failure',
            reason: 'NonZeroExitCode',
            message: `command terminated with non-zero exit code: exit status ${answer.exitCode}`,
            details: { causes: [{ reason: 'ExitCode', message: String(answer.exitCode) }] },
          }
        : { metadata: {}, status: 'Success' };
    socket.write(channel(3, JSON.stringify(exitStatus)));
    // The client's answer to this close is not an abort.
    closed = true;
    socket.end(frame(8, Buffer.from([0x03, 0xe8])));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const directory = await mkdtemp(join(tmpdir(), 'opsdeck-kube-protocol-'));
  const kubeconfigPath = join(directory, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: protocol, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: tester, user: {token: protocol-test-token}}]',
      'contexts: [{name: protocol, context: {cluster: protocol, user: tester, namespace: shop}}]',
      'current-context: protocol',
      '',
    ].join('\n'),
  );

  return {
    url,
    kubeconfigPath,
    pods,
    requests,
    addPod: (pod) => void pods.set(`${pod.namespace}/${pod.name}`, pod),
    appendLog(namespace, name, container, line) {
      const pod = podOf(namespace, name);
      if (!pod) throw new Error(`no pod ${namespace}/${name}`);
      (pod.logs[container] ??= []).push(line);
      for (const follow of follows) {
        if (follow.key === `${namespace}/${name}/${container}`) follow.response.write(`${follow.timestamps ? `${line.time} ` : ''}${line.text}\n`);
      }
    },
    endFollowStreams() {
      for (const follow of follows) follow.response.end();
      follows.clear();
    },
    openFollowStreams: () => follows.size,
    closedExecSockets: () => closedExec,
    async close() {
      for (const follow of follows) follow.response.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
