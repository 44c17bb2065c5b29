// The journal as a crash and a tamperer leave it: the chain verifies, every edit, removal and
// reordering is found at the right seq, a torn last line costs only itself, and append()
// returns only after the line is fsynced.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readJournal, verifyJournal } from '../../src/journal/journal-reader';
import { continueJournal, createJournal, hashLine, newRunId, ZERO_HASH } from '../../src/journal/journal-writer';
import { journalRestartIntent, startRestartRun, temporaryDirectory, writePassedRun } from '../support/journal-fixtures';

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

function rewrite(file: string, newLines: string[]): void {
  fs.writeFileSync(file, `${newLines.join('\n')}\n`);
}

afterEach(() => vi.restoreAllMocks());

describe('journal writer', () => {
  it('chains each record to the sha256 of the previous line as written, from 64 zeros', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    const written = lines(file);
    expect(written).toHaveLength(8);
    const records = written.map((line) => JSON.parse(line) as { seq: number; prev: string; at: number });
    expect(records[0]!.prev).toBe(ZERO_HASH);
    records.forEach((record, index) => {
      expect(record.seq).toBe(index);
      if (index > 0) expect(record.prev).toBe(hashLine(written[index - 1]!));
    });
    expect(verifyJournal(file)).toEqual({ ok: true, records: 8 });
  });

  it('creates the file exclusively, 0600, in a 0700 directory, and fsyncs the directory', () => {
    const directory = path.join(temporaryDirectory('journal'), 'state', 'runs');
    const realFsync = fs.fsyncSync;
    const synced: string[] = [];
    vi.spyOn(fs, 'fsyncSync').mockImplementation((descriptor) => {
      synced.push(fs.fstatSync(descriptor).isDirectory() ? 'directory' : 'file');
      realFsync(descriptor);
    });
    const writer = createJournal({ directory, runId: 'run-1' });
    // The directory entry of the new file is made durable once, at creation.
    expect(synced).toEqual(['directory']);
    expect(fs.statSync(directory).mode & 0o777).toBe(0o700);
    expect(fs.statSync(writer.path).mode & 0o777).toBe(0o600);
    expect(() => createJournal({ directory, runId: 'run-1' })).toThrow(/EEXIST/);
    expect(() => createJournal({ directory, runId: '../escape' })).toThrow(/invalid run id/);
  });

  it('run ids sort by start time and differ within the same second', () => {
    const early = newRunId(Date.UTC(2026, 11, 1, 11, 26, 49));
    expect(early).toMatch(/^20261201T112649Z-[0-9a-f]{6}$/);
    expect(newRunId(Date.UTC(2026, 11, 1, 11, 26, 50)) > early).toBe(true);
    expect(new Set(Array.from({ length: 50 }, () => newRunId(0))).size).toBeGreaterThan(45);
  });

  it('has the line on disk and fsynced before append() returns', () => {
    const writer = startRestartRun(temporaryDirectory('journal'), 'run-1');
    const events: string[] = [];
    const realWrite = fs.writeSync;
    const realFsync = fs.fsyncSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      events.push('write');
      return (realWrite as (...values: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    vi.spyOn(fs, 'fsyncSync').mockImplementation((descriptor) => {
      // What fsync makes durable: the complete intent line is already in the file.
      events.push(`fsync ${lines(writer.path).at(-1)?.includes('"type":"step-intent"') ? 'with intent' : 'before intent'}`);
      realFsync(descriptor);
    });
    journalRestartIntent(writer);
    events.push('returned');
    expect(events).toEqual(['write', 'fsync before intent', 'write', 'fsync with intent', 'returned']);
  });

  it('fsyncs what resume relies on (a mutating intent and its result, run start and end) and only writes a read\'s records', () => {
    const writer = createJournal({ directory: temporaryDirectory('journal'), runId: 'run-sync' });
    const synced: string[] = [];
    const realFsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((descriptor) => {
      synced.push(lines(writer.path).at(-1)?.match(/"type":"([a-z-]+)"/)?.[1] ?? '?');
      realFsync(descriptor);
    });
    const intent = (stepId: string, mutates: boolean) =>
      writer.append({ type: 'step-intent', stepId, attempt: 1, phase: 'main', action: mutates ? 'container.restart' : 'container.inspect', params: {}, mutates, calls: [], dryRun: false });
    const result = (stepId: string) => writer.append({ type: 'step-result', stepId, attempt: 1, phase: 'main', verdict: 'passed', durationMs: 1 });
    intent('inspect', false);
    writer.append({ type: 'step-output', stepId: 'inspect', attempt: 1, stream: 'stdout', text: 'running\n' });
    result('inspect');
    intent('restart', true);
    result('restart');
    writer.append({ type: 'run-end', verdict: 'passed', durationMs: 5 });
    expect(synced).toEqual(['step-intent', 'step-result', 'run-end']);
    expect(lines(writer.path)).toHaveLength(6);
  });

  it('redacts and bounds output, errors and notes whatever the caller passes', () => {
    const writer = startRestartRun(temporaryDirectory('journal'), 'run-1');
    const output = writer.append({ type: 'step-output', stepId: 's', attempt: 1, stream: 'stdout', text: `VAULT_TOKEN=hvs.secretsecretsecretsecret\n${'x'.repeat(200_000)}` });
    const result = writer.append({ type: 'step-result', stepId: 's', attempt: 1, phase: 'main', verdict: 'failed', durationMs: 1, error: 'login failed: Authorization: Bearer abc.def.ghi' });
    writer.close();
    const [, outputLine, resultLine] = lines(writer.path);
    expect(outputLine).not.toContain('hvs.secret');
    expect(outputLine!.length).toBeLessThan(70 * 1024);
    expect(JSON.parse(outputLine!)).toMatchObject({ truncated: true });
    expect(output).toMatchObject({ text: expect.stringContaining('VAULT_TOKEN=[redacted]\nxxx') });
    expect(result).toMatchObject({ error: 'login failed: Authorization: Bearer [redacted]' });
    expect(resultLine).not.toContain('abc.def');
  });
});

describe('verifyJournal', () => {
  it('finds an edited byte at the record that was changed', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    const edited = lines(file);
    edited[3] = edited[3]!.replace('"exitCode":0', '"exitCode":1');
    rewrite(file, edited);
    const verification = verifyJournal(file);
    expect(verification.ok).toBe(false);
    expect(verification.problem).toMatch(/^seq 3 was edited: .* seq 4 \(line 5\)/);
  });

  it('finds a removed line at the missing seq', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    const removed = lines(file);
    removed.splice(5, 1);
    rewrite(file, removed);
    expect(verifyJournal(file).problem).toBe('seq 5 is missing: line 6 holds seq 6 (a record was removed)');
  });

  it('finds reordered lines at the first seq out of place', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    const reordered = lines(file);
    [reordered[2], reordered[3]] = [reordered[3]!, reordered[2]!];
    rewrite(file, reordered);
    expect(verifyJournal(file).problem).toMatch(/^seq 2 is out of order: line 3 holds seq 3 .*line 4 \(records were reordered\)/);
  });

  it('finds a rewritten record whose seq and prev were kept (a forged output)', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    const forged = lines(file);
    const record = JSON.parse(forged[2]!) as { text: string };
    record.text = 'all good';
    forged[2] = JSON.stringify(record);
    rewrite(file, forged);
    expect(verifyJournal(file).problem).toMatch(/^seq 2 was edited/);
  });

  it('finds a removed first record', () => {
    const file = writePassedRun(temporaryDirectory('journal'), 'run-1');
    rewrite(file, lines(file).slice(1));
    expect(verifyJournal(file).problem).toBe('seq 0 is missing: line 1 holds seq 1 (a record was removed)');
  });
});

describe('a torn last line', () => {
  function crashMidWrite(): string {
    const writer = startRestartRun(temporaryDirectory('journal'), 'run-1');
    journalRestartIntent(writer);
    writer.close();
    // What a SIGKILL in the middle of write() leaves: half of the next record, no newline.
    const next = JSON.stringify({ seq: 3, at: Date.now(), prev: hashLine(lines(writer.path).at(-1)!), type: 'step-result', stepId: 'restart' });
    fs.appendFileSync(writer.path, next.slice(0, Math.floor(next.length / 2)));
    return writer.path;
  }

  it('still parses to the last full record, reports the torn line, and the chain verifies', () => {
    const file = crashMidWrite();
    const journal = readJournal(file);
    expect(journal.records.map((record) => record.type)).toEqual(['run-start', 'confirmation', 'step-intent']);
    expect(journal.problems).toEqual([expect.stringMatching(/^line 4: torn last line \(\d+ bytes/)]);
    const verification = verifyJournal(file);
    expect(verification).toMatchObject({ ok: true, records: 3, notes: [expect.stringMatching(/torn last line/)] });
  });

  it('is cut off by continueJournal, which journals the cut and continues a valid chain', () => {
    const file = crashMidWrite();
    const writer = continueJournal(file);
    const result = writer.append({ type: 'step-result', stepId: 'restart', attempt: 1, phase: 'main', verdict: 'passed', durationMs: 900 });
    writer.close();
    expect(result.seq).toBe(4);
    const journal = readJournal(file);
    expect(journal.problems).toEqual([]);
    expect(journal.records.map((record) => record.type)).toEqual(['run-start', 'confirmation', 'step-intent', 'note', 'step-result']);
    expect(journal.records[3]).toMatchObject({ type: 'note', text: expect.stringMatching(/torn last line \(\d+ bytes.*cut off/) });
    expect(verifyJournal(file)).toEqual({ ok: true, records: 5 });
  });

  it('continueJournal of an intact journal continues seq and prev without a note', () => {
    const writer = startRestartRun(temporaryDirectory('journal'), 'run-1');
    writer.close();
    const continued = continueJournal(writer.path);
    const record = continued.append({ type: 'note', text: 'resumed', operator: 'bob' });
    continued.close();
    expect(record).toMatchObject({ seq: 1, prev: hashLine(lines(writer.path)[0]!) });
    expect(verifyJournal(writer.path).ok).toBe(true);
  });
});
