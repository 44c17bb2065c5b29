// Host commands for playbook steps, on real processes and real sockets: argv passed inert (no
// shell), read-only refused before anything is spawned, output sanitised and bounded, HTTP
// with TLS verified unless insecure, TCP connect with a timeout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadOnlyError } from '../../src/adapters/capabilities';
import { createHostCommands } from '../../src/adapters/host/create-host-commands';
import { temporaryDirectory } from '../support/action-context';

const host = createHostCommands({ readOnly: false });
const readOnlyHost = createHostCommands({ readOnly: true });
const servers: Array<{ close(): void }> = [];

afterAll(() => {
  for (const server of servers) server.close();
});

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const HOSTILE_ARGUMENTS = ['$(id)', '; rm -rf /', '`id`', 'api && touch /tmp/pwned', '../../etc/passwd', '$HOME', "' OR 1=1 --", '|| echo hi'];

describe('host commands: run', () => {
  it.each(HOSTILE_ARGUMENTS)('passes %j to the program as one literal argument', async (argument) => {
    const result = await host.run(['printf', '%s', argument], { mutates: false, timeoutMs: 5000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: argument, stderr: '', timedOut: false });
  });

  it('keeps an embedded newline inside one argument (two output lines, one argv element)', async () => {
    const result = await host.run(['printf', '%s|', 'first\nsecond'], { mutates: false, timeoutMs: 5000 });
    expect(result.stdout).toBe('first\nsecond|');
  });

  it('refuses a mutating command in read-only mode before spawning it', async () => {
    const directory = temporaryDirectory();
    const marker = join(directory, 'created-by-touch');
    await expect(readOnlyHost.run(['touch', marker], { mutates: true, timeoutMs: 5000 })).rejects.toBeInstanceOf(ReadOnlyError);
    expect(existsSync(marker)).toBe(false);
    // The same command, marked as reading only, runs: the refusal was read-only mode.
    await readOnlyHost.run(['touch', marker], { mutates: false, timeoutMs: 5000 });
    expect(existsSync(marker)).toBe(true);
  });

  it('streams sanitised lines as they come and reports the exit code', async () => {
    const lines: string[] = [];
    const script = "printf 'one\\n\\033]0;pwned\\007two\\033[2J\\n'; printf 'oops\\n' >&2; exit 3";
    const result = await host.run(['sh', '-c', script], { mutates: false, timeoutMs: 5000, onOutput: (stream, text) => lines.push(`${stream}:${text}`) });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('one\ntwo');
    expect(result.stderr).toBe('oops');
    expect(lines).toEqual(expect.arrayContaining(['stdout:one', 'stdout:two', 'stderr:oops']));
  });

  it('bounds what it keeps and says how much it dropped', async () => {
    const result = await host.run(['sh', '-c', 'i=0; while [ $i -lt 200000 ]; do echo line-$i-xxxxxxxxxxxxxxxx; i=$((i+1)); done'], { mutates: false, timeoutMs: 30_000 });
    expect(result.stdout.length).toBeLessThanOrEqual(1024 * 1024 + 100);
    expect(result.stdout).toMatch(/\[… \d+ more lines not kept\]$/);
    expect(result.stdout.startsWith('line-0-')).toBe(true);
  });

  it('keeps only maxOutputCharacters of each stream when asked (a gate reads 64 KiB)', async () => {
    const result = await host.run(['sh', '-c', 'i=0; while [ $i -lt 5000 ]; do echo line-$i-xxxxxxxxxxxxxxxx; i=$((i+1)); done'], { mutates: false, timeoutMs: 30_000, maxOutputCharacters: 1000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(1000 + 40);
    expect(result.stdout).toMatch(/^line-0-x+\n[\s\S]*\[… \d+ more lines not kept\]$/);
  });

  it('stops a command at its timeout', async () => {
    const result = await host.run(['sleep', '30'], { mutates: false, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('stops a command when its signal is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await host.run(['sleep', '30'], { mutates: false, timeoutMs: 30_000, signal: controller.signal });
    expect(result.exitCode).not.toBe(0);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('kills a command that ignores SIGTERM with SIGKILL shortly after its timeout', async () => {
    const result = await host.run(['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done'], { mutates: false, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(128 + 9);
    expect(result.stdout).toBe('ready');
    expect(result.durationMs).toBeLessThan(8000);
  });

  it('returns when the command exited even if a background process it started keeps its output open', async () => {
    const result = await host.run(['sh', '-c', 'echo started; sleep 8 & exit 4'], { mutates: false, timeoutMs: 60_000 });
    expect(result).toMatchObject({ exitCode: 4, stdout: 'started', timedOut: false });
    expect(result.durationMs).toBeLessThan(6000);
  });

  it('adds the given variables to the environment and runs in the given directory', async () => {
    const directory = temporaryDirectory();
    const result = await host.run(['sh', '-c', 'printf "%s %s %s" "$OPSDECK_TEST_VALUE" "$(pwd)" "${PATH:+has-path}"'], {
      mutates: false,
      timeoutMs: 5000,
      cwd: directory,
      env: { OPSDECK_TEST_VALUE: 'given' },
    });
    expect(result.stdout).toBe(`given ${directory} has-path`);
  });

  it('passes the cockpit\'s environment, as it was when the host commands were made, to a command run without variables of its own', async () => {
    process.env.OPSDECK_TEST_INHERITED = 'inherited';
    const made = createHostCommands({ readOnly: false });
    delete process.env.OPSDECK_TEST_INHERITED;
    const print = ['sh', '-c', 'printf "%s|%s|%s" "$OPSDECK_TEST_INHERITED" "$OPSDECK_TEST_VALUE" "${PATH:+has-path}"'];
    expect((await made.run(print, { mutates: false, timeoutMs: 5000 })).stdout).toBe('inherited||has-path');
    expect((await made.run(print, { mutates: false, timeoutMs: 5000, env: { OPSDECK_TEST_VALUE: 'given' } })).stdout).toBe('inherited|given|has-path');
  });

  it('rejects a program that does not exist, naming it', async () => {
    await expect(host.run(['no-such-program-opsdeck'], { mutates: false, timeoutMs: 5000 })).rejects.toThrow(/cannot run no-such-program-opsdeck/);
  });
});

describe('host commands: http', () => {
  it('returns the status and the (sanitised) body', async () => {
    const port = await listen(
      createHttpServer((request, response) => {
        response.statusCode = request.url === '/health' ? 200 : 503;
        response.end(request.url === '/health' ? 'status: UP\n\u001b[2Jclean' : 'down');
      }),
    );
    expect(await host.http({ method: 'GET', url: `http://127.0.0.1:${port}/health`, timeoutMs: 5000 })).toMatchObject({ status: 200, body: 'status: UP\nclean' });
    expect((await host.http({ method: 'GET', url: `http://127.0.0.1:${port}/other`, timeoutMs: 5000 })).status).toBe(503);
  });

  it('sends the method, headers and body', async () => {
    let seen = '';
    const port = await listen(
      createHttpServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          seen = `${request.method} ${request.headers['x-token']} ${body}`;
          response.end('ok');
        });
      }),
    );
    await host.http({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: { 'x-token': 'abc' }, body: '{"a":1}', timeoutMs: 5000 });
    expect(seen).toBe('POST abc {"a":1}');
  });

  it('gives up on a server that does not answer in time', async () => {
    const port = await listen(createHttpServer(() => undefined));
    await expect(host.http({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 300 })).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 300ms/);
  });

  it('reads a streaming body only up to its bound', async () => {
    const port = await listen(
      createHttpServer((_request, response) => {
        const timer = setInterval(() => response.write(`${'x'.repeat(1023)}\n`), 1);
        response.on('close', () => clearInterval(timer));
      }),
    );
    const bounded = createHostCommands({ readOnly: false, maxBodyCharacters: 64 * 1024 });
    const result = await bounded.http({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 10_000 });
    expect(result.status).toBe(200);
    expect(result.body.length).toBeLessThanOrEqual(64 * 1024 + 100);
  });

  const hasOpenssl = (() => {
    try {
      execFileSync('sh', ['-c', 'command -v openssl'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // The one case that needs openssl to make a certificate; every other case runs everywhere.
  it.skipIf(!hasOpenssl)('refuses a self-signed certificate unless insecure (needs openssl)', async () => {
    const directory = temporaryDirectory();
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_request, response) => response.end('secret'));
    const port = await listen(server as unknown as Server);
    await expect(host.http({ method: 'GET', url: `https://127.0.0.1:${port}/`, timeoutMs: 5000 })).rejects.toThrow(/self[- ]signed certificate/);
    expect(await host.http({ method: 'GET', url: `https://127.0.0.1:${port}/`, timeoutMs: 5000, insecure: true })).toMatchObject({ status: 200, body: 'secret' });
    // What the insecure request negotiated (its TLS session, kept by the agent) does not let a verifying one through.
    await expect(host.http({ method: 'GET', url: `https://127.0.0.1:${port}/`, timeoutMs: 5000 })).rejects.toThrow(/TLS: self[- ]signed certificate/);
  });
});

describe('host commands: tcp', () => {
  it('resolves with the connect time to a listening port', async () => {
    const port = await listen(createTcpServer((socket) => socket.end()));
    const connectMs = await host.tcp({ host: '127.0.0.1', port, timeoutMs: 5000 });
    expect(connectMs).toBeGreaterThanOrEqual(0);
    expect(connectMs).toBeLessThan(5000);
  });

  it('rejects with the socket error on a closed port', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(host.tcp({ host: '127.0.0.1', port, timeoutMs: 5000 })).rejects.toThrow(new RegExp(`connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(host.tcp({ host: '127.0.0.1', port: 9, timeoutMs: 5000, signal: controller.signal })).rejects.toThrow(/aborted/);
  });
});
