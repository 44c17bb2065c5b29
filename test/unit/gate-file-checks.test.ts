// backup, disk and file gates on real files: backup folders whose mtimes are set with utimes
// (too old, too small, nothing matching, the newest judged), statfs on a temporary path, and
// runbook 001's status reports (deterministic-status.json with a field compared, failed_gate.txt
// absent then present).
import { mkdirSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateCheckers } from '../../src/gates/checks/checker-registry';
import type { GateCheck, GateOutcome } from '../../src/gates/gate-types';
import { parseComparison } from '../../src/gates/value-comparison';
import { temporaryDirectory } from '../support/action-context';
import { gateContext } from '../support/gate-context';

const checkers = createGateCheckers();
const HOUR = 3_600_000;

function run(check: GateCheck): Promise<GateOutcome> {
  const checker = checkers.get(check.type);
  if (!checker) throw new Error(`no checker for ${check.type}`);
  return checker.run(check, gateContext());
}

/** A file of `bytes` bytes last modified `ageMs` ago. */
function writeAged(path: string, bytes: number, ageMs: number): void {
  writeFileSync(path, Buffer.alloc(bytes, 1));
  const time = new Date(Date.now() - ageMs);
  utimesSync(path, time, time);
}

describe('backup gate', () => {
  it('judges the newest matching file: fresh and large enough passes, with file, age and size as evidence', async () => {
    const directory = temporaryDirectory('opsdeck-backups-');
    writeAged(join(directory, 'db-2024-01-01.sql.gz'), 4096, 50 * HOUR);
    writeAged(join(directory, 'db-2024-01-02.sql.gz'), 8192, 2 * HOUR);
    // Newer, but not a backup the glob names.
    writeAged(join(directory, 'notes.txt'), 10, 0);
    const outcome = await run({ type: 'backup', glob: join(directory, 'db-*.sql.gz'), maxAgeMs: 24 * HOUR, minimumBytes: 1024 });
    expect(outcome).toMatchObject({ status: 'pass', evidence: { file: join(directory, 'db-2024-01-02.sql.gz'), sizeBytes: 8192 } });
    expect(outcome.evidence?.ageMs).toBeGreaterThanOrEqual(2 * HOUR);
    expect(outcome.evidence?.ageMs).toBeLessThan(2 * HOUR + 60_000);
    expect(outcome.detail).toBe('newest backup db-2024-01-02.sql.gz is 2h old, 8 KiB');
  });

  it('fails when the newest backup is older than the maximum age', async () => {
    const directory = temporaryDirectory('opsdeck-backups-');
    writeAged(join(directory, 'db-1.sql.gz'), 4096, 30 * HOUR);
    writeAged(join(directory, 'db-2.sql.gz'), 4096, 26 * HOUR);
    const outcome = await run({ type: 'backup', glob: join(directory, 'db-?.sql.gz'), maxAgeMs: 24 * HOUR });
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toBe('newest backup db-2.sql.gz is 1d2h old, 4 KiB: older than 1d');
  });

  it('fails when the newest backup is smaller than the minimum (an empty dump)', async () => {
    const directory = temporaryDirectory('opsdeck-backups-');
    writeAged(join(directory, 'db-1.sql.gz'), 4096, 30 * HOUR);
    writeAged(join(directory, 'db-2.sql.gz'), 20, HOUR);
    const outcome = await run({ type: 'backup', glob: join(directory, '*.sql.gz'), maxAgeMs: 48 * HOUR, minimumBytes: 1024 });
    expect(outcome).toMatchObject({ status: 'fail', evidence: { sizeBytes: 20 } });
    expect(outcome.detail).toMatch(/db-2\.sql\.gz is 1h old, 20 B: smaller than 1 KiB$/);
  });

  it('fails when nothing matches, or the folder is not there', async () => {
    const directory = temporaryDirectory('opsdeck-backups-');
    writeAged(join(directory, 'db.sql'), 4096, HOUR);
    expect(await run({ type: 'backup', glob: join(directory, '*.sql.gz'), maxAgeMs: HOUR })).toMatchObject({ status: 'fail', detail: `no backup matches ${join(directory, '*.sql.gz')}` });
    const missing = await run({ type: 'backup', glob: join(directory, 'gone', '*.gz'), maxAgeMs: HOUR });
    expect(missing.status).toBe('fail');
    expect(missing.detail).toMatch(/^cannot list .*gone: ENOENT/);
  });
});

describe('disk gate', () => {
  it('reports the used percent of a temporary path and warns or fails at the thresholds', async () => {
    const directory = temporaryDirectory('opsdeck-disk-');
    const stats = statfsSync(directory);
    const used = (stats.blocks - stats.bfree) / (stats.blocks - stats.bfree + stats.bavail) * 100;
    const passing = await run({ type: 'disk', path: directory, warningPercent: 101, criticalPercent: 102 });
    expect(passing.status).toBe('pass');
    expect(Number.parseFloat(passing.evidence?.value ?? '')).toBeCloseTo(used, 0);
    expect(passing.detail).toMatch(new RegExp(`^${directory}: \\d+\\.\\d% used, .* free$`));
    const warning = Math.max(0, Math.floor(used) - 1);
    expect((await run({ type: 'disk', path: directory, warningPercent: warning, criticalPercent: 102 })).status).toBe('warn');
    expect((await run({ type: 'disk', path: directory, warningPercent: warning, criticalPercent: warning })).status).toBe('fail');
  });

  it('is unknown for a path that does not exist', async () => {
    const outcome = await run({ type: 'disk', path: '/no/such/mount', warningPercent: 80, criticalPercent: 90 });
    expect(outcome.status).toBe('unknown');
    expect(outcome.detail).toMatch(/^cannot read the file system of \/no\/such\/mount: ENOENT/);
  });
});

describe('file gate', () => {
  it('compares a field of deterministic-status.json and fails when the report says otherwise', async () => {
    const exports = join(temporaryDirectory('opsdeck-report-'), 'exports');
    mkdirSync(exports);
    const report = join(exports, 'deterministic-status.json');
    const check: GateCheck = { type: 'file', path: report, json: parseComparison('.status == "PASS"'), maxAgeMs: HOUR };
    writeFileSync(report, JSON.stringify({ status: 'PASS', gates: { G9: 'PASS' } }));
    expect(await run(check)).toMatchObject({ status: 'pass', evidence: { file: report, value: '"PASS"', comparison: '.status == "PASS"' } });
    writeFileSync(report, JSON.stringify({ status: 'FAIL', failed: 'G7_NOTEBOOKS' }));
    const failed = await run(check);
    expect(failed.status).toBe('fail');
    expect(failed.detail).toBe(`${report}: .status == "PASS" does not hold (got "FAIL")`);
    expect(failed.evidence?.bodyExcerpt).toContain('G7_NOTEBOOKS');
  });

  it('fails a report older than its maximum age, and one that is missing', async () => {
    const directory = temporaryDirectory('opsdeck-report-');
    const report = join(directory, 'deterministic-status.json');
    writeFileSync(report, '{"status":"PASS"}');
    const old = new Date(Date.now() - 3 * HOUR);
    utimesSync(report, old, old);
    const stale = await run({ type: 'file', path: report, maxAgeMs: HOUR });
    expect(stale.status).toBe('fail');
    expect(stale.detail).toBe(`${report} is 3h old, older than 1h`);
    expect(await run({ type: 'file', path: join(directory, 'absent.json') })).toMatchObject({ status: 'fail', detail: `no file ${join(directory, 'absent.json')}` });
  });

  it('matches the content against a regex', async () => {
    const report = join(temporaryDirectory('opsdeck-report-'), 'seed.log');
    writeFileSync(report, 'seeded 120 rows\nSEED OK\n');
    expect((await run({ type: 'file', path: report, contentMatches: '^SEED OK$' })).status).toBe('fail');
    expect((await run({ type: 'file', path: report, contentMatches: '(?i)seed ok' })).status).toBe('pass');
  });

  it('passes while failed_gate.txt is absent, fails once a script writes it, with its content as evidence', async () => {
    const failedGate = join(temporaryDirectory('opsdeck-report-'), 'failed_gate.txt');
    const check: GateCheck = { type: 'file', path: failedGate, absentPasses: true };
    expect(await run(check)).toMatchObject({ status: 'pass', detail: `${failedGate} is absent` });
    writeFileSync(failedGate, '\u001b[31mG5_DEPLOY_VAULT\u001b[0m\nvault did not unseal within 120s\n');
    const present = await run(check);
    expect(present.status).toBe('fail');
    expect(present.detail).toBe(`${failedGate} is present: G5_DEPLOY_VAULT`);
    expect(present.evidence?.bodyExcerpt).toBe('G5_DEPLOY_VAULT\nvault did not unseal within 120s');
  });
});
