// The informer's paginated list against a loopback HTTP server that writes each page's head
// (metadata with the continue token) at once and holds the rest of the page back: the next page
// must be asked for from that head, before the page has ended, and never more than one ahead; in
// JSON and in the protobuf encoding (asked for by a resource that reads it), and in JSON again
// from a server that answers only JSON whatever is asked.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube } from '../../src/adapters/kubernetes/kube-connection';
import { KubeInformer, type KubeObject } from '../../src/adapters/kubernetes/kube-informer';
import { podOfProtobuf } from '../../src/adapters/kubernetes/pod-protobuf';
import { PROTOBUF_MEDIA_TYPE } from '../../src/adapters/kubernetes/protobuf-list';
import { protobufListParts } from '../support/protobuf-writer';

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
/** Whether the server answers in protobuf when asked to (false: JSON whatever the Accept header says). */
let speaksProtobuf = true;
const encodings: string[] = [];

function pageItems(page: number): Array<{ metadata: { uid: string; name: string; namespace: string; resourceVersion: string } }> {
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
    const protobuf = speaksProtobuf && (request.headers.accept ?? '').startsWith(PROTOBUF_MEDIA_TYPE);
    encodings.push(protobuf ? 'protobuf' : 'json');
    const token = page < PAGES ? `page-${page + 1}` : undefined;
    let rest: string | Buffer;
    if (protobuf) {
      // The metadata (and so the continue token) first, the items held back.
      const items = pageItems(page).map((item) => [{ field: 1, value: [{ field: 1, value: item.metadata.name }, { field: 3, value: item.metadata.namespace }, { field: 5, value: item.metadata.uid }] }]);
      const { answer, headLength } = protobufListParts('PodList', { resourceVersion: '7', ...(token ? { continue: token } : {}) }, items);
      response.writeHead(200, { 'Content-Type': PROTOBUF_MEDIA_TYPE });
      response.write(answer.subarray(0, headLength));
      rest = answer.subarray(headLength);
    } else {
      const next = token ? `,"continue":"${token}"` : '';
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write(`{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"${next}},"items":[`);
      rest = `${JSON.stringify(pageItems(page)).slice(1)}}`;
    }
    const finish = (): void => {
      waiting.delete(page);
      events.push(`ended ${page}`);
      inFlight -= 1;
      response.end(rest);
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
  const cases = [
    { title: 'in JSON', protobuf: false, server: true, encoding: 'json' },
    { title: 'in protobuf, when the resource reads it', protobuf: true, server: true, encoding: 'protobuf' },
    { title: 'in JSON from a server that answers only JSON, when protobuf was asked for', protobuf: true, server: false, encoding: 'json' },
  ];
  for (const { title, protobuf, server: answersProtobuf, encoding } of cases) {
    it(`asks for the next page from the head of the one arriving, one page ahead at most, and keeps every object (${title})`, async () => {
      events.length = 0;
      encodings.length = 0;
      mostInFlight = 0;
      speaksProtobuf = answersProtobuf;
      const connection = await connectKube({ kubeconfig: [kubeconfig] });
      const resource = { name: 'pods', path: '/api/v1/namespaces/shop/pods', map: (raw: KubeObject) => raw.metadata?.name, ...(protobuf ? { protobufItem: podOfProtobuf } : {}) };
      const informer = new KubeInformer(connection, resource, { signal: new AbortController().signal, pageSize: PER_PAGE });
      const started = Date.now();
      const items = await informer.list();
      expect([...items.values()].sort()).toEqual(Array.from({ length: PAGES }, (_, page) => pageItems(page + 1).map((item) => item.metadata.name)).flat().sort());
      expect(encodings).toEqual(Array.from({ length: PAGES }, () => encoding));
      expect(informer.resourceVersion).toBe('7');
      for (let page = 1; page < PAGES; page++) expect(events.indexOf(`asked ${page + 1}`)).toBeLessThan(events.indexOf(`ended ${page}`));
      expect(mostInFlight).toBe(2);
      // No page waited for its hold: each was ended by the next one's request.
      expect(Date.now() - started).toBeLessThan(HOLD_MS);
    });
  }
});
