// What comes first when the cockpit connects to an engine: the services list from one
// `GET /containers/json` reaches the store before any per-container request is even sent (at 200
// containers, inspects and log streams sent first held the list's frame back), the events
// subscription still answers before the list is asked for (nothing that happens in between is
// missed), and an engine that accepts and never answers still reads as a ping timeout (the events request
// sent beside the ping is given up).
// Through a loopback proxy in front of the private dockerd that records every request.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { createTestStore } from '../support/test-store';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const PROJECT = 'first-list';
const NAMES = ['first-list-alpha-1', 'first-list-bravo-1', 'first-list-charlie-1', 'first-list-delta-1'];

/** `GET /containers/{id}/...` (inspect, logs, stats), not `GET /containers/json` (the list). */
const PER_CONTAINER = /^(\/v[\d.]+)?\/containers\/(?!json)[^/]+\//;
const LIST = /^(\/v[\d.]+)?\/containers\/json(\?|$)/;
const EVENTS = /^(\/v[\d.]+)?\/events(\?|$)/;

interface Recorded {
  path: string;
  /** Order of arrival at the proxy, shared with `answered`. */
  arrived: number;
  answered?: number;
}

/** A loopback HTTP proxy to the engine's unix socket that numbers each request's arrival and the moment its answer's headers went back. */
async function recordingProxy(socketPath: string, onRequest: (path: string) => void): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  let sequence = 0;
  const server = http.createServer((request, response) => {
    const entry: Recorded = { path: request.url ?? '', arrived: ++sequence };
    requests.push(entry);
    onRequest(entry.path);
    const upstream = http.request({ socketPath, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      response.flushHeaders();
      entry.answered = ++sequence;
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('first list of an engine (private dockerd behind a recording proxy)', () => {
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  /** Called when the list is asked for. */
  let onList: () => void = () => undefined;

  beforeAll(async () => {
    for (const [index, name] of NAMES.entries()) {
      await docker(dockerHost, ['rm', '-f', name], { reject: false });
      await docker(dockerHost, ['run', '-d', '--name', name, '--network', 'none', '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=s${index}`, IMAGE, 'sleep', '600']);
    }
    proxy = await recordingProxy(dockerHost.replace(/^unix:\/\//, ''), (path) => {
      if (LIST.test(path)) onList();
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await docker(dockerHost, ['rm', '-f', ...NAMES], { reject: false });
  });

  it('puts the listed containers in the store before any inspect or log request is sent, then fills their details in', async () => {
    // The cockpit's coalescing interval, and a flush just before the list comes (in the cockpit the
    // first host sample's): the list waited out the interval while the inspects went out.
    const store = createTestStore({ flushIntervalMs: 200 });
    onList = () => store.getState().clockTicked(Date.now());
    let perContainerWhenListed: string[] | undefined;
    let pendingWhenListed: boolean[] = [];
    const ours = () => Object.values(store.getState().instances).filter((instance) => instance.workload.namespace === PROJECT);
    const unsubscribe = store.subscribe(() => {
      if (perContainerWhenListed || ours().length === 0) return;
      perContainerWhenListed = proxy.requests.filter((request) => PER_CONTAINER.test(request.path)).map((request) => request.path);
      pendingWhenListed = ours().map((instance) => instance.detailsPending === true);
    });
    const adapter = new DockerEngineAdapter({ engineId: 'local', label: 'local', host: proxy.url, readOnly: true, sink: store.getState(), logs: { backfillMs: 60_000, maxLineBytes: 4096 } });
    try {
      adapter.start();
      await waitFor('our containers listed', () => perContainerWhenListed !== undefined, { timeoutMs: 20_000 });
      expect(store.getState().engines.local?.state).toBe('connected');
      expect(perContainerWhenListed).toEqual([]);
      expect(pendingWhenListed).toEqual(NAMES.map(() => true));
      // Then the inspects come and fill every row in.
      await waitFor('details of our containers', () => ours().length === NAMES.length && ours().every((instance) => instance.detailsPending === undefined), { timeoutMs: 20_000 });
      expect(ours().every((instance) => instance.startedAt !== undefined)).toBe(true);
      // The events stream answered before the list was asked for.
      const events = proxy.requests.find((request) => EVENTS.test(request.path));
      const list = proxy.requests.find((request) => LIST.test(request.path));
      expect(events?.answered).toBeDefined();
      expect(list?.arrived).toBeGreaterThan(events!.answered!);
    } finally {
      unsubscribe();
      await adapter.stop();
      store.getState().dispose();
    }
  });

  it('reports an engine that accepts and never answers as a ping timeout, and gives up the events request sent beside the ping', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      // Read (and drop) what comes, so a client's close is seen.
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = createTestStore();
    const adapter = new DockerEngineAdapter({
      engineId: 'silent',
      label: 'silent',
      host: `tcp://127.0.0.1:${port}`,
      readOnly: true,
      sink: store.getState(),
      logs: { backfillMs: 60_000, maxLineBytes: 4096 },
      pingTimeoutMs: 300,
      reconnect: { initialMs: 60_000, maxMs: 60_000 },
    });
    try {
      adapter.start();
      await waitFor('the silent engine disconnected', () => store.getState().engines.silent?.state === 'disconnected', { timeoutMs: 10_000 });
      expect(store.getState().engines.silent?.error).toBe('ping timed out after 300 ms');
      // The events request sent beside the ping is given up with it: only the ping's connection is left.
      await waitFor('the events connection closed', () => sockets.size === 1, { timeoutMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sockets.size).toBe(1);
    } finally {
      await adapter.stop();
      store.getState().dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
