// `opsdeck check` as a script calls it (the bundle, dist/opsdeck.mjs): gates against a loopback
// HTTP server whose answer the test changes, a TCP listener and a status report file; exit 0
// when all pass, 1 naming the first failure code with later stages blocked, 2 on a configuration
// error; --report writes the JSON report, --json prints it.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/cli/commands/check-command';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';
import { runBundle } from '../support/bundle-command';

const servers: Array<Server | TcpServer> = [];
const vault = { status: 200, body: '{"sealed":false,"version":"1.15.2"}' };
let httpPort = 0;
let tcpPort = 0;
let directory = '';

function listen(server: Server | TcpServer): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  httpPort = await listen(
    createHttpServer((_request, response) => {
      response.writeHead(vault.status, { 'content-type': 'application/json' });
      response.end(vault.body);
    }),
  );
  tcpPort = await listen(createTcpServer((socket) => socket.end()));
  directory = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-check-'));
  await writeFile(path.join(directory, 'deterministic-status.json'), JSON.stringify({ timestamp_utc: '2026-02-19T12:00:00.000Z', exit_code: 0 }));
});

afterAll(() => {
  for (const server of servers) {
    (server as Server).closeAllConnections?.();
    server.close();
  }
});

/** The runbook 001 pipeline in small: G0 a status file, G5 the vault's health over HTTP, G6 a TCP port; and an independent gate. */
function pipelineConfig(extra = ''): string {
  return `gates:
  - id: G0
    title: Preflight
    stage: 0
    failureCode: G0_PRECHECK
    check: { type: file, path: deterministic-status.json, json: .exit_code == 0 }
  - id: G5
    title: Deploy vault
    stage: 5
    failureCode: G5_DEPLOY_VAULT
    timeout: 2s
    check: { type: http, url: 'http://127.0.0.1:${httpPort}/v1/sys/health', json: .sealed == false }
  - id: G6
    title: Runtime contract
    stage: 6
    failureCode: G6_RUNTIME_CONTRACT
    check: { type: tcp, host: 127.0.0.1, port: ${tcpPort} }
  - id: api-port
    title: API port open
    check: { type: tcp, host: 127.0.0.1, port: ${tcpPort} }
${extra}`;
}

/** Whether the process is gone (or a zombie left for its adopter to reap) within the time. */
async function stoppedWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readFile(`/proc/${pid}/stat`, 'utf8').then(
      (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
      () => 'gone',
    );
    if (state === 'gone' || state === 'Z') return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function check(config: string, args: string[] = []) {
  const file = path.join(directory, `opsdeck-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, config);
  return runBundle(['--config', file, 'check', ...args], { cwd: directory, env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 30_000 });
}

describe('opsdeck check', () => {
  it('exits 0 when every gate passes, one line per gate in pipeline order, and writes the report', async () => {
    vault.status = 200;
    vault.body = '{"sealed":false}';
    const report = path.join(directory, 'reports', '..', 'status-pass.json');
    const result = await check(pipelineConfig(), ['--report', report]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual(['PASS G0', 'PASS G5', 'PASS G6', 'PASS api-port']);
    expect(lines.slice(4)).toEqual(['', 'all 4 gates pass']);
    expect(lines[1]).toContain('.sealed == false holds (got false)');
    const written = JSON.parse(await readFile(report, 'utf8')) as CheckReport;
    expect(written.firstFailureCode).toBeNull();
    expect(written.gates.map((gate) => [gate.id, gate.stage, gate.status])).toEqual([
      ['G0', 0, 'pass'],
      ['G5', 5, 'pass'],
      ['G6', 6, 'pass'],
      ['api-port', null, 'pass'],
    ]);
    expect(written.gates[1]?.evidence).toMatchObject({ statusCode: 200, comparison: '.sealed == false', value: 'false' });
    expect(written.gates[1]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(written.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    // Written whole under a temporary name and renamed: no temporary file is left beside it.
    expect((await readdir(directory)).filter((name) => name.startsWith('status-pass.json'))).toEqual(['status-pass.json']);
  });

  it('exits 1 when a gate fails, naming the first failure code, with the later stages blocked and not run', async () => {
    vault.status = 503;
    vault.body = '{"sealed":true}';
    const result = await check(pipelineConfig());
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual(['PASS G0', 'FAIL G5', 'BLOCKED G6', 'PASS api-port']);
    expect(lines[2]).toContain('blocked: G5 Deploy vault failed (G5_DEPLOY_VAULT)');
    expect(lines.slice(4)).toEqual(['', 'first failure: G5_DEPLOY_VAULT (G5 Deploy vault)']);
  });

  it('--json prints the report, and --gate checks only the gates named', async () => {
    vault.status = 200;
    vault.body = '{"sealed":true}';
    const result = await check(pipelineConfig(), ['--json', '--gate', 'G5', '--gate', 'api-port']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.firstFailureCode).toBe('G5_DEPLOY_VAULT');
    expect(report.gates.map((gate) => `${gate.id}:${gate.status}`)).toEqual(['G5:fail', 'api-port:pass']);
    expect(report.gates[0]?.detail).toBe(`GET http://127.0.0.1:${httpPort}/v1/sys/health: .sealed == false does not hold (got true)`);
  });

  it('exits 2 on a configuration error: an invalid gate entry named by file, line and field, or an unknown --gate', async () => {
    const invalid = await check(pipelineConfig(`  - id: G9
    title: Determinism
    stage: 9
    check: { type: http, url: 'ftp://127.0.0.1/' }
`));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^opsdeck: opsdeck-\w+\.yaml:24:31: gates\[4\]\.check\.url: expected an http:\/\/ or https:\/\/ URL, got "ftp:\/\/127\.0\.0\.1\/"\n$/);
    expect(invalid.stdout).toBe('');
    const unknown = await check(pipelineConfig(), ['--gate', 'G7']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('opsdeck: unknown gate G7 (gates: G0, G5, G6, api-port)\n');
  });

  it('runs command gates: the exit code judged, a missing program failing, a hanging command stopped with what it started', async () => {
    const background = path.join(directory, 'background.pid');
    const config = `gates:
  - { id: ready, title: Ready, check: { type: command, argv: [sh, -c, 'echo ready; exit 0'], outputMatches: ready } }
  - { id: exit-3, title: Exit 3, check: { type: command, argv: [sh, -c, 'exit 3'] } }
  - { id: missing, title: Missing, check: { type: command, argv: [no-such-program-opsdeck] } }
  - { id: hangs, title: Hangs, timeout: 1s, check: { type: command, argv: [sh, -c, 'sleep 30 & echo $! > ${background}; wait'] } }
`;
    const startedAt = Date.now();
    const result = await check(config, ['--json']);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.gates.map((gate) => `${gate.id}:${gate.status}`)).toEqual(['ready:pass', 'exit-3:fail', 'missing:fail', 'hangs:fail']);
    expect(report.gates[1]?.detail).toBe('sh on the host: exit code 3, expected 0');
    expect(report.gates[2]?.detail).toBe('cannot run no-such-program-opsdeck: spawn no-such-program-opsdeck ENOENT');
    expect(report.gates[3]?.detail).toBe('timed out after 1s');
    // The timeout stopped the command's process group: the sleep its shell started is gone too.
    const sleeper = Number(await readFile(background, 'utf8'));
    expect(sleeper).toBeGreaterThan(0);
    expect(await stoppedWithin(sleeper, 5000)).toBe(true);
  });

  it('status --json lists the configured gates, checked once, beside the built-in ones, and the invalid entries', async () => {
    vault.status = 200;
    vault.body = '{"sealed":false}';
    const file = path.join(directory, 'opsdeck-status.yaml');
    await writeFile(file, pipelineConfig(`  - { id: broken, title: Broken, check: { type: tcp, host: 127.0.0.1 } }\n`));
    const result = await runBundle(['--config', file, 'status', '--json', '--docker-host', 'unix:///tmp/opsdeck-no-such-engine.sock'], { cwd: directory });
    const snapshot = JSON.parse(result.stdout) as StatusSnapshot;
    expect(snapshot.gates.map((gate) => `${gate.id}:${gate.status}`)).toEqual(expect.arrayContaining(['G0:pass', 'G5:pass', 'G6:pass', 'api-port:pass', 'engine-reachable:fail']));
    expect(snapshot.gates.slice(0, 3).map((gate) => gate.id)).toEqual(['G0', 'G5', 'G6']);
    expect(snapshot.gates.find((gate) => gate.id === 'G5')).toMatchObject({ stage: 5, failureCode: 'G5_DEPLOY_VAULT', origin: 'configured', evidence: { statusCode: 200 } });
    expect(snapshot.invalidGates?.map((gate) => gate.message)).toEqual(['opsdeck-status.yaml:21:41: gates[4].check.port: required key is missing']);
  });
});
