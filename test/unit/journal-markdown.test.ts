// The timeline an operator pastes into an incident report: who, what, when (UTC), outputs, verdicts.
import { describe, expect, it } from 'vitest';
import { formatJournalMarkdown, formatJournalText } from '../../src/journal/journal-markdown';
import { readJournal, verifyJournal } from '../../src/journal/journal-reader';
import { continueJournal } from '../../src/journal/journal-writer';
import { journalRestartIntent, startRestartRun, temporaryDirectory, writePassedRun } from '../support/journal-fixtures';

function utc(at: number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

describe('formatJournalMarkdown', () => {
  it('names who ran what, when, the calls, confirmations, outputs in a fence and the verdict', () => {
    const file = writePassedRun(temporaryDirectory('markdown'), '20261201T112649Z-3f2a9c');
    const { records } = readJournal(file);
    const markdown = formatJournalMarkdown(records, { path: file, verification: verifyJournal(file) });
    expect(markdown).toMatch(/^# Restart a service gracefully: run `20261201T112649Z-3f2a9c`\n/);
    expect(markdown).toContain('- **Operator:** alice on');
    expect(markdown).toContain('- **SSH client:** 10.0.0.5 port 52344');
    expect(markdown).toContain(`- **Started:** ${utc(records[0]!.at)} UTC`);
    expect(markdown).toContain(`- **Ended:** ${utc(records.at(-1)!.at)} UTC (5.0 s)`);
    expect(markdown).toContain('- **Verdict:** passed');
    expect(markdown).toContain('- **Hash chain:** verified (8 records)');
    expect(markdown).toContain(`- **Journal:** ${file}`);
    expect(markdown).toContain('- `service`: `shop-api`');
    expect(markdown).toMatch(/### \d\d:\d\d:\d\d · step restart · container\.restart · mutating\n\n- \d\d:\d\d:\d\d confirmed by alice \(typed the target's name\): "shop-api-1"\n- \d\d:\d\d:\d\d intent: POST \/containers\/shop-api-1\/restart\?t=10\n- \d\d:\d\d:\d\d result: passed in 1\.2 s/);
    // The journaled output, redacted when it was written, in a fenced block.
    expect(markdown).toContain('stdout:\n\n```text\nGET /health 500\nconnecting to db with password=[redacted]\nconnection refused\n```');
    expect(markdown).toContain('result: passed in 120 ms, exit code 0');
    expect(markdown).toMatch(/run ended: passed after 5\.0 s\n$/);
  });

  it('says an unfinished run did not end, names its last record, and shows a broken chain', () => {
    const writer = startRestartRun(temporaryDirectory('markdown'), 'run-1');
    journalRestartIntent(writer);
    writer.close();
    const { records } = readJournal(writer.path);
    const markdown = formatJournalMarkdown(records, { verification: { ok: false, records: 3, problem: 'seq 1 was edited' } });
    expect(markdown).toContain(`- **Verdict:** unfinished: run did not end (last record: seq 2, step-intent of step restart, at ${utc(records[2]!.at)} UTC)`);
    expect(markdown).toContain('- **Hash chain:** NOT verified: seq 1 was edited');
    expect(markdown).toMatch(/run did not end \(last record: seq 2, step-intent/);
  });

  it('shows the resume, the second operator and the lock with both names', () => {
    const writer = startRestartRun(temporaryDirectory('markdown'), 'run-1');
    journalRestartIntent(writer);
    writer.close();
    const resumed = continueJournal(writer.path);
    resumed.append({ type: 'resume', operator: 'bob', host: 'bastion-1', pid: 42, sshConnection: '10.0.0.9 40000 10.0.0.1 22', observations: [{ stepId: 'restart', attempt: 1, verdict: 'happened', detail: 'StartedAt 2026-12-01T11:26:51Z is after the intent' }] });
    resumed.append({ type: 'step-result', stepId: 'restart', attempt: 1, phase: 'main', verdict: 'passed', durationMs: 0, reason: 'already happened on resume' });
    resumed.append({ type: 'lock', stepId: 'stop', target: 'local/container/shop/shop-api-1', event: 'held-by-other', holder: { operator: 'carol', runId: 'run-9', stepId: 'drain' } });
    resumed.append({ type: 'approval', stepId: 'stop', requestedBy: 'bob', approver: 'alice', accepted: true });
    resumed.append({ type: 'step-output', stepId: 'stop', attempt: 1, stream: 'stderr', text: 'a ``` fence in the output\nsecond line' });
    resumed.append({ type: 'run-end', verdict: 'failed', durationMs: 65_000, reason: 'stop refused' });
    resumed.close();
    const markdown = formatJournalMarkdown(readJournal(writer.path).records);
    expect(markdown).toContain('resumed by bob on bastion-1 (SSH from 10.0.0.9): step restart (container.restart) had happened: StartedAt 2026-12-01T11:26:51Z is after the intent');
    expect(markdown).toContain('result: passed in 0 ms: already happened on resume');
    expect(markdown).toContain('lock on local/container/shop/shop-api-1 held by carol (run run-9, step drain)');
    expect(markdown).toContain('second operator: requested by bob, approved by alice');
    // Output holding a fence cannot close the block early.
    expect(markdown).toContain('````text\na ``` fence in the output\nsecond line\n````');
    expect(markdown).toContain('- **Verdict:** failed: stop refused');
    expect(markdown).toContain('(1 min 5 s)');
  });

  it('gives a retried step a section per attempt, each with its own confirmation and result', () => {
    const writer = startRestartRun(temporaryDirectory('markdown'), 'run-1');
    journalRestartIntent(writer);
    writer.append({ type: 'step-result', stepId: 'restart', attempt: 1, phase: 'main', verdict: 'failed', durationMs: 30_000, exitCode: 1, error: 'timeout' });
    writer.append({ type: 'confirmation', stepId: 'restart', mode: 'yes-no', operator: 'alice', answer: 'y', accepted: true });
    writer.append({ type: 'step-intent', stepId: 'restart', attempt: 2, phase: 'main', action: 'container.restart', params: {}, mutates: true, calls: [{ type: 'http', method: 'POST', path: '/containers/shop-api-1/restart?t=30' }], dryRun: false });
    writer.append({ type: 'step-result', stepId: 'restart', attempt: 2, phase: 'main', verdict: 'passed', durationMs: 2000 });
    writer.close();
    const sections = formatJournalMarkdown(readJournal(writer.path).records).split('\n### ').slice(1);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toMatch(/step restart · container\.restart · mutating\n\n.*typed the target's name.*\n.*intent: POST \/containers\/shop-api-1\/restart\?t=10\n.*result: failed in 30\.0 s, exit code 1: timeout/);
    expect(sections[1]).toMatch(/step restart \(attempt 2\) · container\.restart · mutating\n\n.*confirmed by alice \(answered\): "y"\n.*intent: POST \/containers\/shop-api-1\/restart\?t=30\n.*result: passed in 2\.0 s/);
    expect(sections[2]).toContain('run did not end');
  });

  it('bounds a long output block and says how many lines only the journal has', () => {
    const writer = startRestartRun(temporaryDirectory('markdown'), 'run-1');
    writer.append({ type: 'step-output', stepId: 'logs', attempt: 1, stream: 'stdout', text: Array.from({ length: 250 }, (_, index) => `line ${index}`).join('\n') });
    writer.append({ type: 'step-output', stepId: 'logs', attempt: 1, stream: 'stdout', text: 'line 250\nline 251' });
    writer.close();
    const markdown = formatJournalMarkdown(readJournal(writer.path).records);
    expect(markdown).toContain('line 199\n```');
    expect(markdown).not.toContain('line 200');
    expect(markdown).toContain('_(52 more lines in the journal)_');
  });

  it('strips terminal escapes a container logged, in text form too', () => {
    const writer = startRestartRun(temporaryDirectory('markdown'), 'run-1');
    writer.append({ type: 'step-output', stepId: 'logs', attempt: 1, stream: 'stdout', text: 'ok \u001b]0;pwned\u0007done \u001b[2Jclear' });
    writer.close();
    const text = formatJournalText(readJournal(writer.path).records);
    expect(text).toContain('    | ok done clear');
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/ {2}Verdict: +unfinished: run did not end/);
  });
});
