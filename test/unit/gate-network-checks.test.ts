// http and tcp gates against real loopback servers: answers that change between calls, JSON
// bodies compared, a hanging handler cut by the scheduler's abort, TLS verified by default
// (a self-signed or expired certificate fails with a clear reason; caFile trusts it), and a
// TCP listener that is open, then closed.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { GateCheck, GateOutcome, HttpCheck } from '../../src/gates/gate-types';
import { parseComparison } from '../../src/gates/value-comparison';
import { temporaryDirectory } from '../support/action-context';
import { gateContext } from '../support/gate-context';
import { expiredCertificate, selfSignedCertificate } from '../support/test-certificates';

const checkers = createGateCheckers();
const servers: Array<{ close(): void; closeAllConnections?(): void }> = [];

afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections?.();
    server.close();
  }
});

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function run(check: GateCheck, signal?: AbortSignal): Promise<GateOutcome> {
  const checker = checkers.get(check.type);
  if (!checker) throw new Error(`no checker for ${check.type}`);
  return checker.run(check, gateContext(signal ? { signal } : {}));
}

function http(url: string, change: Partial<HttpCheck> = {}): HttpCheck {
  return { type: 'http', method: 'GET', url, tlsVerify: true, ...change };
}

/** A server answering from a list, one answer per request, the last one repeated. */
async function scriptedServer(answers: Array<{ status: number; body: string }>): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)] ?? { status: 500, body: '' };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/health`, requests };
}

describe('http gate', () => {
  it('passes on 200, then fails when the same URL answers 503, with the status and body as evidence', async () => {
    const { url } = await scriptedServer([
      { status: 200, body: '{"status":"UP"}' },
      { status: 503, body: '{"status":"DOWN","reason":"database unreachable"}' },
    ]);
    const first = await run(http(url));
    expect(first).toMatchObject({ status: 'pass', evidence: { statusCode: 200, bodyExcerpt: '{"status":"UP"}' } });
    expect(first.detail).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health: HTTP 200 in \d+ms$/);
    const second = await run(http(url));
    expect(second).toMatchObject({ status: 'fail', evidence: { statusCode: 503, bodyExcerpt: '{"status":"DOWN","reason":"database unreachable"}' } });
    expect(second.detail).toMatch(/HTTP 503, expected 200-399$/);
  });

  it('accepts only the listed codes when written (a 401 login page can be the healthy answer)', async () => {
    const { url } = await scriptedServer([{ status: 401, body: 'login' }]);
    expect((await run(http(url))).status).toBe('fail');
    expect((await run(http(url, { expectStatus: [401] }))).status).toBe('pass');
    expect((await run(http(url, { expectStatus: [200, 204] }))).detail).toMatch(/HTTP 401, expected 200, 204$/);
  });

  it('compares a JSON field of the body, and says which value it got when the answer changes', async () => {
    const { url } = await scriptedServer([
      { status: 200, body: '{"metrics":{"avg_query_time_ms":120.5}}' },
      { status: 200, body: '{"metrics":{"avg_query_time_ms":2300}}' },
      { status: 200, body: '{"metrics":{}}' },
      { status: 200, body: '<html>maintenance</html>' },
    ]);
    const check = http(url, { json: parseComparison('.metrics.avg_query_time_ms < 1000') });
    expect(await run(check)).toMatchObject({ status: 'pass', evidence: { value: '120.5', comparison: '.metrics.avg_query_time_ms < 1000' } });
    const slow = await run(check);
    expect(slow).toMatchObject({ status: 'fail', evidence: { value: '2300' } });
    expect(slow.detail).toMatch(/\.metrics\.avg_query_time_ms < 1000 does not hold \(got 2300\)$/);
    expect((await run(check)).detail).toMatch(/\.metrics\.avg_query_time_ms is missing from the body$/);
    const notJson = await run(check);
    expect(notJson.status).toBe('fail');
    expect(notJson.detail).toMatch(/body is not JSON: /);
  });

  it('matches the body against a regex; a body with escape sequences reaches the evidence sanitised', async () => {
    const { url } = await scriptedServer([
      { status: 200, body: 'status: UP' },
      { status: 200, body: '\u001b]0;pwned\u0007\u001b[2Jstatus: DEGRADED' },
    ]);
    const check = http(url, { bodyMatches: '(?i)status: up' });
    expect((await run(check)).status).toBe('pass');
    const degraded = await run(check);
    expect(degraded.status).toBe('fail');
    expect(degraded.detail).toMatch(/body does not match \/status: up\/i$/);
    expect(degraded.evidence?.bodyExcerpt).toBe('status: DEGRADED');
  });

  it('sends the method, headers and body written', async () => {
    const { url, requests } = await scriptedServer([{ status: 204, body: '' }]);
    expect((await run(http(url, { method: 'POST', headers: { 'x-probe': 'opsdeck' }, body: '{"ping":1}' }))).status).toBe('pass');
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers['x-probe']).toBe('opsdeck');
  });

  it('keeps a bounded excerpt of a large body', async () => {
    const { url } = await scriptedServer([{ status: 200, body: 'x'.repeat(200_000) }]);
    const outcome = await run(http(url));
    expect(outcome.status).toBe('pass');
    expect(outcome.evidence?.bodyExcerpt?.length).toBeLessThanOrEqual(501);
  });

  it('returns promptly when the scheduler aborts a hanging handler', async () => {
    const hanging = createHttpServer(() => undefined);
    const port = await listen(hanging);
    const controller = new AbortController();
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 200);
    const outcome = await run(http(`http://127.0.0.1:${port}/slow`), controller.signal);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(outcome).toMatchObject({ status: 'unknown', detail: 'aborted' });
  });

  it('fails with the socket error when nothing listens', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    closed.close();
    const outcome = await run(http(`http://127.0.0.1:${port}/`));
    expect(outcome.status).toBe('fail');
    expect(outcome.evidence?.error).toMatch(/ECONNREFUSED/);
  });

  it('verifies TLS by default: a self-signed certificate fails with the reason, caFile trusts it, tlsVerify false skips it', async () => {
    const directory = temporaryDirectory('opsdeck-gate-tls-');
    const certificate = selfSignedCertificate(directory, 'server', 30);
    const port = await listen(createHttpsServer({ key: certificate.key, cert: certificate.certificate }, (_request, response) => response.end('{"sealed":false}')) as unknown as Server);
    const url = `https://127.0.0.1:${port}/v1/sys/health`;
    const refused = await run(http(url));
    expect(refused.status).toBe('fail');
    expect(refused.evidence?.error).toMatch(/^GET https:\/\/127\.0\.0\.1:\d+\/v1\/sys\/health: TLS: self[- ]signed certificate$/);
    expect(await run(http(url, { caFile: certificate.certificateFile, json: parseComparison('.sealed == false') }))).toMatchObject({ status: 'pass', evidence: { statusCode: 200, value: 'false' } });
    expect((await run(http(url, { tlsVerify: false }))).status).toBe('pass');
    const unreadable = await run(http(url, { caFile: `${directory}/missing.pem` }));
    expect(unreadable.status).toBe('unknown');
    expect(unreadable.detail).toMatch(/^cannot read caFile .*missing\.pem: ENOENT/);
  });

  it('names an expired certificate, even when its CA is trusted', async () => {
    const directory = temporaryDirectory('opsdeck-gate-tls-');
    const certificate = expiredCertificate(directory, 'old');
    const port = await listen(createHttpsServer({ key: certificate.key, cert: certificate.certificate }, (_request, response) => response.end('ok')) as unknown as Server);
    const outcome = await run(http(`https://127.0.0.1:${port}/`, { caFile: certificate.certificateFile }));
    expect(outcome.status).toBe('fail');
    expect(outcome.evidence?.error).toMatch(/TLS: certificate has expired$/);
  });
});

describe('tcp gate', () => {
  it('passes with the connect time while the listener is open, fails with ECONNREFUSED once it is closed', async () => {
    const listener = createTcpServer((socket) => socket.end());
    const port = await listen(listener);
    const open = await run({ type: 'tcp', host: '127.0.0.1', port });
    expect(open.status).toBe('pass');
    expect(open.detail).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port} in \\d+ms$`));
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    const closed = await run({ type: 'tcp', host: '127.0.0.1', port });
    expect(closed.status).toBe('fail');
    expect(closed.evidence?.error).toMatch(new RegExp(`^connect to 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
  });
});
