// The Prometheus and Alertmanager clients against loopback servers of the test's own: TLS
// verified by default (a private CA through caFile), the bearer token file read once, one-line
// errors, aborts, and labels sanitised where they enter.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerClient } from '../../src/adapters/prometheus/alertmanager-client';
import { createPrometheusClient } from '../../src/adapters/prometheus/prometheus-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let directory: string;
const servers: Server[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'opsdeck-sources-'));
  // A private CA and a server certificate for 127.0.0.1 signed by it.
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=opsdeck test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(directory, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  writeFileSync(join(directory, 'token'), 'secret-token\n');
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

async function https(handler: Handler): Promise<string> {
  const server = createHttpsServer({ key: readFileSync(join(directory, 'server.key')), cert: readFileSync(join(directory, 'server.pem')) }, handler);
  return `https://127.0.0.1:${await listen(server as unknown as Server)}`;
}

async function http(handler: Handler): Promise<string> {
  return `http://127.0.0.1:${await listen(createHttpServer(handler))}`;
}

const vector = { status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'api\u001b]0;owned\u0007' }, value: [1700000000.5, '1'] }] } };

describe('Prometheus client', () => {
  it('verifies TLS by default, trusts a private CA from caFile, and sends the token read once', async () => {
    const seen: Array<string | undefined> = [];
    const url = await https((request, response) => {
      seen.push(request.headers.authorization);
      json(response, 200, vector);
    });
    const tokenFile = join(directory, 'token');
    await expect(createPrometheusClient({ url, tlsVerify: true, intervalMs: 1000 }).query('up')).rejects.toThrow(/^Prometheus https:\/\/127\.0\.0\.1:\d+: (self[- ]signed|unable to verify|self signed certificate in certificate chain)/);
    const client = createPrometheusClient({ url, tlsVerify: true, caFile: join(directory, 'ca.pem'), bearerTokenFile: tokenFile, intervalMs: 1000 });
    // The token file is read when the client is made: changing it later changes nothing.
    writeFileSync(tokenFile, 'other-token\n');
    const samples = await client.query('up');
    expect(samples).toEqual([{ labels: { __name__: 'up', job: 'api' }, value: 1, at: 1700000000500 }]);
    expect(seen).toEqual(['Bearer secret-token']);
    writeFileSync(tokenFile, 'secret-token\n');
    expect(await createPrometheusClient({ url, tlsVerify: false, intervalMs: 1000 }).query('up')).toHaveLength(1);
  });

  it('says the HTTP status and Prometheus\' error in one line, and a missing token file by name', async () => {
    const url = await http((_request, response) => json(response, 400, { status: 'error', errorType: 'bad_data', error: 'parse error:\nunclosed \u001b[31mparenthesis' }));
    await expect(createPrometheusClient({ url, tlsVerify: true, intervalMs: 1000 }).query('sum(')).rejects.toThrow(/^Prometheus 400: parse error: unclosed parenthesis$/);
    await expect(createPrometheusClient({ url, tlsVerify: true, bearerTokenFile: '/nonexistent/token', intervalMs: 1000 }).query('up')).rejects.toThrow(
      'Prometheus cannot read bearer token file /nonexistent/token: ENOENT',
    );
  });

  it('reads range queries oldest first with NaN and +Inf kept, and stops at an abort', async () => {
    const url = await http((request, response) => {
      if (request.url?.startsWith('/api/v1/query_range')) {
        const query = new URL(request.url, 'http://x').searchParams;
        expect(query.get('step')).toBe('15.000');
        json(response, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[10, '1'], [25, 'NaN'], [40, '+Inf']] }] } });
        return;
      }
      // Never answers: the caller's abort must end the request.
      request.on('close', () => response.destroy());
    });
    const client = createPrometheusClient({ url, tlsVerify: true, intervalMs: 1000 });
    const [series] = await client.queryRange('x', { start: 10_000, end: 40_000, stepMs: 15_000 });
    expect(series?.points.map((point) => point.at)).toEqual([10_000, 25_000, 40_000]);
    expect(series?.points.map((point) => point.value)).toEqual([1, Number.NaN, Number.POSITIVE_INFINITY]);
    const controller = new AbortController();
    const pending = client.query('up', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/^Prometheus http:\/\/127\.0\.0\.1:\d+: cancelled$/);
  });
});

describe('Alertmanager client', () => {
  it('lists alerts with labels and annotations sanitised, the severity label and silences', async () => {
    let query = '';
    const url = await http((request, response) => {
      query = request.url ?? '';
      json(response, 200, [
        {
          fingerprint: 'abc',
          labels: { alertname: 'Disk\u001b[2JFull', severity: 'warning', team: 'ops' },
          annotations: { summary: 'disk\r\nfull\u009b31m' },
          startsAt: '2024-05-01T10:00:00Z',
          status: { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] },
          generatorURL: 'http://prometheus/graph',
        },
      ]);
    });
    const [alert] = await createAlertmanagerClient({ url, tlsVerify: true, intervalMs: 1000 }).alerts({ filter: { team: 'o"ps' } });
    expect(alert).toEqual({
      fingerprint: 'abc',
      name: 'DiskFull',
      labels: { alertname: 'DiskFull', severity: 'warning', team: 'ops' },
      annotations: { summary: 'disk full' },
      severity: 'warning',
      state: 'suppressed',
      silencedBy: ['s1'],
      startsAt: Date.parse('2024-05-01T10:00:00Z'),
      source: 'http://prometheus/graph',
    });
    expect(new URL(query, 'http://x').searchParams.getAll('filter')).toEqual(['team="o\\"ps"']);
    expect(new URL(query, 'http://x').searchParams.get('silenced')).toBe('true');
  });

  it('posts a silence as the v2 API wants it and gives back its id; a refusal is one line', async () => {
    const bodies: unknown[] = [];
    const url = await http((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const body = JSON.parse(text) as { comment: string };
        bodies.push(body);
        if (body.comment === '') json(response, 400, 'silence invalid: comment missing');
        else json(response, 200, { silenceID: 'new-silence' });
      });
    });
    const client = createAlertmanagerClient({ url, tlsVerify: true, intervalMs: 1000 });
    const request = { matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }], startsAt: 0, endsAt: 7_200_000, createdBy: 'alice', comment: 'ack' };
    expect(await client.createSilence(request)).toBe('new-silence');
    expect(bodies[0]).toEqual({ ...request, startsAt: '1970-01-01T00:00:00.000Z', endsAt: '1970-01-01T02:00:00.000Z' });
    await expect(client.createSilence({ ...request, comment: '' })).rejects.toThrow(/^Alertmanager 400: silence invalid: comment missing$/);
  });
});
