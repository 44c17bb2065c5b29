// The services list comes from one `GET /containers/json`; restart counts, start times (and on
// Podman the health) come from one inspect per container, which arrive later. Through a loopback
// proxy in front of the private dockerd that holds every inspect until the test lets them go:
// the rows are listed at once with placeholders, fill in with the engine's values in the same
// order, and a container that restarted before opsdeck started raises no restart alert.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanup } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerEngineAdapter } from '../../src/adapters/docker/docker-adapter';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { waitFor } from '../support/wait-for';
import { createViewStore } from './fixtures';
import { renderApp, type RenderedApp } from './render-app';

const dockerHost = inject('dockerHost');
const PROJECT = 'early-details';
const NAMES = ['early-details-alpha-1', 'early-details-bravo-1', 'early-details-charlie-1'];

/** `GET /containers/{id}/json` (inspect), not `GET /containers/json` (the list). */
const INSPECT = /^(\/v[\d.]+)?\/containers\/(?!json)[^/]+\/json(\?|$)/;

interface HoldingProxy {
  url: string;
  /** Inspect requests waiting. */
  held(): number;
  release(): void;
  close(): Promise<void>;
}

/** A loopback HTTP proxy to the engine's unix socket that holds inspects until released. */
async function holdingProxy(socketPath: string): Promise<HoldingProxy> {
  let holding = true;
  const waiting: Array<() => void> = [];
  const forward = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const upstream = http.request({ socketPath, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      response.flushHeaders();
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  };
  const server = http.createServer((request, response) => {
    if (holding && request.method === 'GET' && INSPECT.test(request.url ?? '')) waiting.push(() => forward(request, response));
    else forward(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    held: () => waiting.length,
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function runContainer(name: string, service: string, options: string[], command: string): Promise<void> {
  await docker(dockerHost, ['rm', '-f', name], { reject: false });
  await docker(dockerHost, ['run', '-d', '--name', name, '--network', 'none', ...options, '--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=${service}`, IMAGE, 'sh', '-c', command]);
}

async function inspectField(name: string, format: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', format, name])).stdout.trim();
}

/** Container rows are labelled by their service under the project row. */
const SERVICES = ['alpha', 'bravo', 'charlie'];
const ROW = /^\s+(alpha|bravo|charlie)\s/;

/** The services panel's rows of our three containers (the panel's part of each line), in screen order. */
function containerLines(frame: string): string[] {
  return frame
    .split('\n')
    .map((line) => line.split('┃')[1] ?? '')
    .filter((row) => ROW.test(row));
}

const serviceOf = (row: string): string | undefined => ROW.exec(row)?.[1];

describe('services listed before their details arrive (private dockerd behind a holding proxy)', () => {
  let proxy: HoldingProxy;
  let store: OpsdeckStore;
  let adapter: DockerEngineAdapter;
  let app: RenderedApp;

  beforeAll(async () => {
    await runContainer(NAMES[0]!, 'alpha', [], 'exec sleep 600');
    // Restarted twice before opsdeck starts, then stays exited(3).
    await runContainer(NAMES[1]!, 'bravo', ['--restart', 'on-failure:2'], 'exit 3');
    await runContainer(NAMES[2]!, 'charlie', [], 'exec sleep 600');
    await waitFor('bravo restarted twice and stopped', async () => (await inspectField(NAMES[1]!, '{{.RestartCount}} {{.State.Status}}')) === '2 exited', { timeoutMs: 30_000 });
    proxy = await holdingProxy(dockerHost.replace(/^unix:\/\//, ''));
    store = createViewStore();
    adapter = new DockerEngineAdapter({ engineId: 'local', label: 'local', host: proxy.url, readOnly: false, sink: store.getState(), logs: { backfillMs: 60_000, maxLineBytes: 4096 } });
    adapter.start();
    app = await renderApp(store);
    await app.press('/', ...'early-details');
  });

  afterAll(async () => {
    cleanup();
    proxy?.release();
    await adapter?.stop();
    await proxy?.close();
    await docker(dockerHost, ['rm', '-f', ...NAMES], { reject: false });
  });

  it('lists every container from the list call while the inspects are held, with placeholders for what only inspect knows', async () => {
    const frame = await app.waitFor((text) => containerLines(text).length === 3 && /connected/.test(text));
    await waitFor('inspects held at the proxy', () => proxy.held() > 0);
    const lines = containerLines(frame);
    const byName = (service: string): string => lines.find((line) => serviceOf(line) === service) ?? '';
    // State from the list: running, and the stopped one's exit code from its Status text.
    expect(byName('alpha')).toMatch(/running/);
    expect(byName('bravo')).toMatch(/exited\(3\)/);
    // Uptime and restarts are not known yet: a placeholder, not "0 rst" and not "-".
    for (const line of lines) {
      expect(line).not.toMatch(/\d+ rst|up \d|down \d| - /);
      expect(line).toMatch(/\s…\s+…\s+…\s*$/);
    }
    const instances = Object.values(store.getState().instances).filter((instance) => instance.workload.namespace === PROJECT);
    expect(instances.map((instance) => instance.detailsPending)).toEqual([true, true, true]);
  });

  it('fills the values in as the inspects arrive, rows staying where they were, and raises no restart alert for restarts from before', async () => {
    const before = containerLines(app.frame()).map(serviceOf);
    expect(before).toEqual(SERVICES);
    proxy.release();
    const frame = await app.waitFor((text) => {
      const lines = containerLines(text);
      return lines.length === 3 && lines.every((line) => /\d+ rst/.test(line));
    });
    const lines = containerLines(frame);
    expect(lines.map(serviceOf)).toEqual(before);
    const byName = (service: string): string => lines.find((line) => serviceOf(line) === service) ?? '';
    expect(byName('alpha')).toMatch(/running\s+up \d+s\s+0 rst/);
    expect(byName('bravo')).toMatch(/exited\(3\)\s+down \d+s\s+2 rst/);
    expect(byName('charlie')).toMatch(/running\s+up \d+s\s+0 rst/);
    const bravo = Object.values(store.getState().instances).find((instance) => instance.ref.name === NAMES[1]);
    expect(bravo?.restartCount).toBe(2);
    expect(bravo?.detailsPending).toBeUndefined();
    // The two restarts happened before opsdeck started: they are the baseline, not an increase.
    expect(store.getState().restartHistory.get(bravo!.key)).toEqual({ restartCount: 2, recentIncreases: [] });
    expect(store.getState().alerts.filter((alert) => alert.target === bravo!.key)).toEqual([]);
  });
});
