// Two operators on one bastion, as separate processes: the target lock holds across them and
// names its holder, a dead holder's lock is taken, and `opsdeck approve` (the bundled CLI)
// is refused for the requester's own step and accepted from another operator, which the
// waiting process sees.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '../support/pty';
import { temporaryDirectory } from '../support/journal-fixtures';
import { runBundle, type CommandRun } from '../support/bundle-command';

const TARGET = 'local/container/shop/shop-api-1';
let childScript: string;
let sharedDirectory: string;
const children: ChildProcessWithoutNullStreams[] = [];

/** The environment of an operator's process: their USER, no SUDO_USER, the test's shared directory. */
function operatorEnvironment(user: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, USER: user, OPSDECK_SHARED_DIR: sharedDirectory };
  delete env.SUDO_USER;
  return env;
}

interface Child {
  process: ChildProcessWithoutNullStreams;
  /** The next JSON event line the child prints. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startChild(user: string, args: string[]): Child {
  const child = spawn(process.execPath, [childScript, ...args], { env: operatorEnvironment(user) });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    async next() {
      const line = await lines.next();
      if (line.done) throw new Error(`child ${args.join(' ')} ended without output: ${stderr}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
    exited,
  };
}

function opsdeck(user: string, args: string[]): Promise<CommandRun> {
  return runBundle(args, { env: operatorEnvironment(user), timeoutMs: 30_000 });
}

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first (npm test does)`);
  const directory = temporaryDirectory('journal-child');
  childScript = path.join(directory, 'journal-child.mjs');
  await build({ entryPoints: [path.resolve(import.meta.dirname, '../support/journal-child.ts')], outfile: childScript, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('target locks across processes', () => {
  it('a second process is told who holds the target, and gets it once the holder releases', async () => {
    sharedDirectory = temporaryDirectory('shared');
    const alice = startChild('alice', ['lock', TARGET, 'alice', 'run-a', 'restart']);
    const acquired = await alice.next();
    expect(acquired).toMatchObject({ event: 'acquired' });

    const bob = startChild('bob', ['lock', TARGET, 'bob', 'run-b', 'stop']);
    expect(await bob.next()).toEqual({ event: 'held', holder: { operator: 'alice', runId: 'run-a', stepId: 'restart', pid: acquired.pid, host: os.hostname(), since: expect.any(Number) } });
    expect(await bob.exited).toBe(3);

    alice.process.stdin.write('release\n');
    expect(await alice.next()).toEqual({ event: 'released' });
    const bobAgain = startChild('bob', ['lock', TARGET, 'bob', 'run-b', 'stop']);
    expect(await bobAgain.next()).toMatchObject({ event: 'acquired' });
  });

  it('the lock of a holder killed with SIGKILL is stale and taken by the next process', async () => {
    sharedDirectory = temporaryDirectory('shared');
    const alice = startChild('alice', ['lock', TARGET, 'alice', 'run-a', 'restart']);
    expect(await alice.next()).toMatchObject({ event: 'acquired' });
    alice.process.kill('SIGKILL');
    await alice.exited;
    const bob = startChild('bob', ['lock', TARGET, 'bob', 'run-b', 'stop']);
    expect(await bob.next()).toMatchObject({ event: 'acquired' });
    const lockFiles = fs.readdirSync(path.join(sharedDirectory, 'locks'));
    expect(lockFiles).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(sharedDirectory, 'locks', lockFiles[0]!), 'utf8'))).toMatchObject({ operator: 'bob', runId: 'run-b' });
  });

  it('an explicit takeover names the previous holder, whose release then leaves the new lock alone', async () => {
    sharedDirectory = temporaryDirectory('shared');
    const alice = startChild('alice', ['lock', TARGET, 'alice', 'run-a', 'restart']);
    await alice.next();
    const bob = startChild('bob', ['takeover', TARGET, 'bob', 'run-b', 'stop']);
    expect(await bob.next()).toMatchObject({ event: 'taken-over', previous: { operator: 'alice', runId: 'run-a', stepId: 'restart' } });
    alice.process.stdin.write('release\n');
    await alice.next();
    const carol = startChild('carol', ['lock', TARGET, 'carol', 'run-c', 'start']);
    expect(await carol.next()).toMatchObject({ event: 'held', holder: { operator: 'bob', runId: 'run-b' } });
  });
});

describe('second-operator approval across processes', () => {
  it('opsdeck approve by the requester is refused; by another operator it is accepted and the waiting run sees it', async () => {
    sharedDirectory = temporaryDirectory('shared');
    const runner = startChild('alice', ['wait-approval', '20261201T112649Z-3f2a9c', 'stop-db', 'alice', 'Stop shop-db-1 for the restore?', 'POST /containers/shop-db-1/stop?t=10']);
    expect(await runner.next()).toEqual({ event: 'waiting' });

    const own = await opsdeck('alice', ['approve', '20261201T112649Z']);
    expect(own.code).toBe(1);
    expect(own.stderr).toBe('opsdeck: not approved: the same operator cannot approve their own step\n');
    expect(own.stdout).toContain('run 20261201T112649Z-3f2a9c, step stop-db');

    const other = await opsdeck('bob', ['approve', '20261201T112649Z-3f2a9c', '--step', 'stop-db']);
    expect(other.stderr).toBe('');
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/^run 20261201T112649Z-3f2a9c, step stop-db\nrequested by alice on .* at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n {2}Stop shop-db-1 for the restore\?\n {2}call: POST \/containers\/shop-db-1\/stop\?t=10\napproved by bob\n$/);
    expect(await runner.next()).toEqual({ event: 'approved', approver: 'bob', at: expect.any(Number) });
    expect(await runner.exited).toBe(0);

    const again = await opsdeck('carol', ['approve', '20261201T112649Z-3f2a9c']);
    expect(again).toMatchObject({ code: 1, stderr: 'opsdeck: not approved: nothing in run 20261201T112649Z-3f2a9c is waiting for approval\n' });
  });
});
