// The informer's paginated list against a loopback HTTP server that writes each page's head
// (metadata with the continue token) at once and holds the rest of the page back: the next page
// must be asked for from that head, before the page has ended, and never more than one ahead.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube } from '../../src/adapters/kubernetes/kube-connection';
import { KubeInformer, type KubeObject } from '../../src/adapters/kubernetes/kube-informer';

const PAGES = 5;
const PER_PAGE = 3;
/** How long a page's body waits for the next page's request before it is written anyway. */
const HOLD_MS = 3000;

let server: http.Server;
let kubeconfig: string;
const events: string[] = [];
let inFlight = 0;
let mostInFlight = 0;
const waiting = new Map<number, () => void>();

function pageItems(page: number): object[] {
  return Array.from({ length: PER_PAGE }, (_, index) => ({ metadata: { uid: `uid-${page}-${index}`, name: `pod-${page}-${index}`, namespace: 'shop', resourceVersion: '7' } }));
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const page = Number(url.searchParams.get('continue')?.replace('page-', '') ?? '1');
    events.push(`asked ${page}`);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    waiting.get(page - 1)?.();
    const next = page < PAGES ? `,"continue":"page-${page + 1}"` : '';
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write(`{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"${next}},"items":[`);
    const finish = (): void => {
      waiting.delete(page);
      const body = JSON.stringify(pageItems(page)).slice(1);
      events.push(`ended ${page}`);
      inFlight -= 1;
      response.end(`${body}}`);
    };
    if (page === PAGES) finish();
    else {
      const timer = setTimeout(finish, HOLD_MS);
      waiting.set(page, () => {
        clearTimeout(timer);
        // The next request is in: end this page a moment later, so both are in flight together.
        setTimeout(finish, 20);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const directory = await mkdtemp(join(tmpdir(), 'opsdeck-informer-pages-'));
  kubeconfig = join(directory, 'kubeconfig');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: pages, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: tester, user: {token: pages-test-token}}]',
      'contexts: [{name: pages, context: {cluster: pages, user: tester}}]',
      'current-context: pages',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the informer list', () => {
  it('asks for the next page from the head of the one arriving, one page ahead at most, and keeps every object', async () => {
    const connection = await connectKube({ kubeconfig: [kubeconfig] });
    const informer = new KubeInformer(connection, { name: 'pods', path: '/api/v1/namespaces/shop/pods', map: (raw: KubeObject) => raw.metadata?.name }, { signal: new AbortController().signal, pageSize: PER_PAGE });
    const started = Date.now();
    const items = await informer.list();
    expect([...items.values()].sort()).toEqual(Array.from({ length: PAGES }, (_, page) => pageItems(page + 1).map((item) => (item as { metadata: { name: string } }).metadata.name)).flat().sort());
    expect(informer.resourceVersion).toBe('7');
    for (let page = 1; page < PAGES; page++) expect(events.indexOf(`asked ${page + 1}`)).toBeLessThan(events.indexOf(`ended ${page}`));
    expect(mostInFlight).toBe(2);
    // No page waited for its hold: each was ended by the next one's request.
    expect(Date.now() - started).toBeLessThan(HOLD_MS);
  });
});
