// archive.verify on archives made by the system's tar (an independent producer), and damaged
// copies of them; container.archive and container.restore around the executor; files.prune in
// a temporary directory.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256OfFile } from '../../src/playbooks/actions/archive-files';
import { temporaryDirectory, testContext } from '../support/action-context';
import { container, inventoryOf } from '../support/domain-fixtures';
import { ScriptedExecutor } from '../support/scripted-executor';
import { createTestStore } from '../support/test-store';
import { utcStamp } from '../../src/domain/utc-stamp';
import { builtInAction as action, parsedParams as params } from '../support/built-in-actions';

const store = createTestStore();
store.getState().inventoryReplaced('local', inventoryOf([container('db', { id: 'db1' })]));
store.getState().flush();

const verify = (raw: Record<string, unknown>, now?: () => number) => action('archive.verify').run(params('archive.verify', raw), testContext({ store, ...(now ? { now } : {}) }).context);

/** A .tar.gz of a few files made by tar, with its .sha256 in sha256sum format. */
function makeArchive(directory: string, name = 'backup.tar.gz'): string {
  const source = join(directory, `source-${name}`);
  mkdirSync(join(source, 'data'), { recursive: true });
  writeFileSync(join(source, 'data', 'users.csv'), 'id,name\n1,ada\n');
  writeFileSync(join(source, 'data', 'orders.json'), JSON.stringify({ orders: Array.from({ length: 2000 }, (_, index) => index) }));
  const file = join(directory, name);
  execFileSync('tar', ['-czf', file, '-C', source, 'data']);
  writeChecksum(file);
  return file;
}

function writeChecksum(file: string): void {
  const digest = execFileSync('sha256sum', [basename(file)], { cwd: join(file, '..'), encoding: 'utf8' });
  writeFileSync(`${file}.sha256`, digest);
}

function corruptByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

describe('archive.verify', () => {
  it('passes a whole archive and reports its entries, size and checksum', async () => {
    const file = makeArchive(temporaryDirectory());
    const outcome = await verify({ file, maxAge: '1h', minBytes: 100 });
    expect(outcome.status).toBe('passed');
    expect(outcome.data).toMatchObject({ file, entries: 3, bytes: readFileSync(file).length, sha256: (await sha256OfFile(file)).sha256 });
    expect(outcome.stdout).toContain('  data/users.csv');
  });

  it('fails a corrupted byte even when the checksum file was rewritten to match', async () => {
    const file = makeArchive(temporaryDirectory());
    corruptByte(file, Math.floor(readFileSync(file).length / 2));
    writeChecksum(file);
    const outcome = await verify({ file });
    expect(outcome.status).toBe('failed');
    // Whichever notices first: the deflate data, a tar header's checksum, or the gzip CRC.
    expect(outcome.error).toMatch(/^backup\.tar\.gz: (gzip stream is damaged: |tar header \d+ has a bad checksum)/);
  });

  it('fails an archive whose gzip CRC does not match its content', async () => {
    const file = makeArchive(temporaryDirectory());
    // The trailer: CRC32 then the length, 4 bytes each.
    corruptByte(file, readFileSync(file).length - 6);
    writeChecksum(file);
    expect((await verify({ file })).error).toMatch(/^backup\.tar\.gz: gzip stream is damaged: incorrect data check/);
  });

  it('fails a checksum mismatch, and a missing checksum file', async () => {
    const directory = temporaryDirectory();
    const file = makeArchive(directory);
    writeFileSync(`${file}.sha256`, `${'0'.repeat(64)}  backup.tar.gz\n`);
    expect((await verify({ file })).error).toMatch(/checksum mismatch: the file's sha256 is [0-9a-f]{64}, backup\.tar\.gz\.sha256 says 0{64}/);
    const other = makeArchive(directory, 'other.tar.gz');
    execFileSync('rm', [`${other}.sha256`]);
    expect((await verify({ file: other })).error).toBe('other.tar.gz: no checksum file other.tar.gz.sha256');
  });

  it('fails a gzip whose tar inside is cut short', async () => {
    const directory = temporaryDirectory();
    const file = makeArchive(directory);
    const tar = execFileSync('gzip', ['-dc', file]);
    const cut = join(directory, 'cut.tar.gz');
    writeFileSync(cut, execFileSync('gzip', ['-c'], { input: tar.subarray(0, 1024 + 100) }));
    writeChecksum(cut);
    expect((await verify({ file: cut })).error).toMatch(/tar is cut short inside an entry|tar ends without/);
  });

  it('fails an archive older than maxAge or smaller than minBytes', async () => {
    const file = makeArchive(temporaryDirectory());
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(file, twoDaysAgo, twoDaysAgo);
    const outcome = await verify({ file, maxAge: '25h', minBytes: 10_000_000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/fewer than 10000000; 2d\w* old, older than 1d1h/);
  });

  it('checks the newest match of a glob in a directory', async () => {
    const directory = temporaryDirectory();
    const old = makeArchive(directory, 'db-20270101T000000Z.tar.gz');
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(old, yesterday, yesterday);
    const newest = makeArchive(directory, 'db-20270102T000000Z.tar.gz');
    writeFileSync(join(directory, 'notes.txt'), 'not an archive');
    expect((await verify({ directory, pattern: 'db-*.tar.gz' })).data).toMatchObject({ file: newest });
    expect((await verify({ directory: join(directory, 'empty'), pattern: '*.tar.gz' })).status).toBe('failed');
    expect((await verify({ directory, pattern: 'none-*.tar.gz' })).error).toMatch(/^no file matching none-\*\.tar\.gz in /);
  });

  it('needs either a file or a directory', () => {
    expect(action('archive.verify').params.safeParse({}).success).toBe(false);
    expect(action('archive.verify').params.safeParse({ file: 'a', directory: 'b' }).success).toBe(false);
    expect(action('archive.verify').params.safeParse({ file: 'a', pattern: '*.tgz' }).success).toBe(false);
    expect(action('archive.verify').mutates(params('archive.verify', { file: 'a' }))).toBe(false);
  });
});

describe('container.archive and container.restore', () => {
  /** An executor whose engine "archive" copies a prepared .tar.gz to the destination it is given. */
  function archivingExecutor(prepared: string) {
    return new ScriptedExecutor(async (sent) => {
      if (sent.verb !== 'archive') return {};
      copyFileSync(prepared, sent.destinationFile);
      const { sha256, bytes } = await sha256OfFile(sent.destinationFile);
      return { output: { file: { path: sent.destinationFile, sha256, bytes } } };
    });
  }

  it('writes a new timestamped archive and its .sha256 that archive.verify accepts; observe sees it', async () => {
    const prepared = makeArchive(temporaryDirectory());
    const runDirectory = join(temporaryDirectory(), 'run');
    const now = Date.now();
    const executor = archivingExecutor(prepared);
    const { context } = testContext({ store, executor, runDirectory, now: () => now });
    const archive = params('container.archive', { container: 'shop-db-1', path: '/var/lib/data', name: 'db' });
    expect(action('container.archive').describe(archive, context)).toEqual([{ type: 'http', method: 'GET', path: '/containers/db1/archive?path=%2Fvar%2Flib%2Fdata' }]);
    expect(await action('container.archive').observe?.(archive, context, now - 10)).toMatchObject({ verdict: 'not-happened' });
    const outcome = await action('container.archive').run(archive, context);
    const file = join(runDirectory, `db-${utcStamp(now)}.tar.gz`);
    expect(outcome).toMatchObject({ status: 'passed', data: { file, sha256File: `${file}.sha256` } });
    expect(readFileSync(`${file}.sha256`, 'utf8')).toBe(readFileSync(`${prepared}.sha256`, 'utf8').replace('backup.tar.gz', basename(file)));
    expect((await verify({ file })).status).toBe('passed');
    expect(await action('container.archive').observe?.(archive, context, now - 10)).toEqual({ verdict: 'happened', detail: `${file} exists and matches its .sha256` });
    // The same second again: the file exists, and it is not overwritten.
    const again = await action('container.archive').run(archive, context);
    expect(again).toMatchObject({ status: 'failed', error: `${file} already exists: an archive is never overwritten` });
    expect(executor.sent.filter((sent) => sent.verb === 'archive')).toHaveLength(1);
  });

  it('restore verifies the checksum before sending anything, and mutates', async () => {
    const directory = temporaryDirectory();
    const file = makeArchive(directory);
    const executor = new ScriptedExecutor(() => ({}));
    const { context } = testContext({ store, executor });
    const restore = params('container.restore', { container: 'shop-db-1', archive: file, path: '/var/lib/data' });
    expect(action('container.restore').mutates(restore)).toBe(true);
    expect((await action('container.restore').run(restore, context)).status).toBe('passed');
    expect(executor.sent).toEqual([expect.objectContaining({ verb: 'restore', sourceFile: file, path: '/var/lib/data' })]);
    writeFileSync(`${file}.sha256`, `${'1'.repeat(64)}  backup.tar.gz\n`);
    const refused = await action('container.restore').run(restore, context);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/checksum mismatch.*; nothing restored$/);
    expect(executor.sent).toHaveLength(1);
  });
});

describe('files.prune', () => {
  const HOUR = 3600 * 1000;

  /** Six logs aged 1 to 6 days, and one file the glob does not match. */
  function logDirectory(): string {
    const directory = temporaryDirectory();
    for (let day = 1; day <= 6; day += 1) {
      const file = join(directory, `app-${day}.log`);
      writeFileSync(file, `day ${day}\n`);
      const time = new Date(Date.now() - day * 24 * HOUR);
      utimesSync(file, time, time);
    }
    const other = join(directory, 'keep-me.txt');
    writeFileSync(other, 'x');
    utimesSync(other, new Date(0), new Date(0));
    return directory;
  }

  it('describes one unlink per file that would go; the dry run deletes nothing', async () => {
    const directory = logDirectory();
    const { context } = testContext({ store, dryRun: true });
    const prune = params('files.prune', { directory, pattern: '*.log', olderThan: '3d12h', keep: 1 });
    const expected = [4, 5, 6].map((day) => ({ type: 'argv', argv: ['unlink', join(directory, `app-${day}.log`)] }));
    expect(action('files.prune').describe(prune, context)).toEqual(expected);
    expect(await action('files.prune').run(prune, context)).toEqual({ status: 'would-do', calls: expected });
    expect(readdirSync(directory)).toHaveLength(7);
  });

  it('deletes only the old matching files and keeps the newest N', async () => {
    const directory = logDirectory();
    const { context } = testContext({ store });
    // keep 5: of the six, only the oldest may go, though five are older than 1.5 days.
    const outcome = await action('files.prune').run(params('files.prune', { directory, pattern: 'app-*.log', olderThan: '36h', keep: 5 }), context);
    expect(outcome).toMatchObject({ status: 'passed', data: { deleted: [join(directory, 'app-6.log')] } });
    expect(readdirSync(directory).sort()).toEqual(['app-1.log', 'app-2.log', 'app-3.log', 'app-4.log', 'app-5.log', 'keep-me.txt']);
    const second = await action('files.prune').run(params('files.prune', { directory, pattern: 'app-*.log', olderThan: '36h' }), context);
    expect(second.status).toBe('passed');
    expect(readdirSync(directory).sort()).toEqual(['app-1.log', 'keep-me.txt']);
    expect(await action('files.prune').observe?.(params('files.prune', { directory, pattern: 'app-*.log', olderThan: '36h' }), context, Date.now())).toMatchObject({ verdict: 'happened' });
  });

  it('is refused in read-only mode and deletes nothing', async () => {
    const directory = logDirectory();
    const { context } = testContext({ store, readOnly: true });
    const outcome = await action('files.prune').run(params('files.prune', { directory, pattern: '*.log', olderThan: '1h' }), context);
    expect(outcome.status).toBe('refused');
    expect(outcome.error).toMatch(/^read-only mode: refused to run unlink /);
    expect(readdirSync(directory)).toHaveLength(7);
    expect(existsSync(join(directory, 'app-6.log'))).toBe(true);
  });

  it('rejects a pattern with a directory in it', () => {
    expect(action('files.prune').params.safeParse({ directory: '/var/log', pattern: '../*.log', olderThan: '1d' }).success).toBe(false);
    expect(action('files.prune').params.safeParse({ directory: '/var/log', pattern: '*.log' }).success).toBe(false);
  });
});
