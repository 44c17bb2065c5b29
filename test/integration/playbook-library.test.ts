// The shipped playbook library (playbooks/*.yaml) run end to end through the bundled CLI
// (`opsdeck run <id> --input k=v --yes`) against the private dockerd: the shop stack plus the
// workloads of test/support/library-stack.ts. Each test checks what an operator would check
// afterwards: the engine's own view (StartedAt, state, OOMKilled), the files on disk (archives
// and their sha256, pruned and kept files, the evidence manifest) and the run's journal.
// The Podman procedures of runbook 001 are in playbook-library-podman.test.ts.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { dockerCli } from '../../lab/stack.mjs';
import {
  DATA_FILES,
  dockerState,
  INCIDENT_PROJECT,
  LIBRARY_PROJECT,
  removeLibraryStack,
  startLibraryStack,
  type LibraryStack,
} from '../support/library-stack';
import { checklistOf, describeRun, opsdeckCli, playbookRunner, runVerdict, stepOutput, stepsStarted, stepVerdicts, tickAll, type PlaybookRun } from '../support/playbook-runs';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const execute = promisify(execFile);
const LIBRARY = path.resolve(import.meta.dirname, '../../playbooks');
const DAY = 24 * 60 * 60 * 1000;

let scratch: string;
let stack: LibraryStack;
let runner: ReturnType<typeof playbookRunner>;

async function sha256Of(file: string): Promise<string> {
  return (await execute('sha256sum', [file])).stdout.split(' ')[0] as string;
}

async function ageFile(file: string, ageMs: number, text = 'x'): Promise<void> {
  await writeFile(file, text);
  const when = new Date(Date.now() - ageMs);
  await utimes(file, when, when);
}

/** A backup as backup-container-data writes it: archive plus `<archive>.sha256` in sha256sum format. */
async function writeBackup(directory: string, name: string, ageMs: number): Promise<string> {
  await mkdir(directory, { recursive: true });
  const source = await mkdtemp(path.join(scratch, 'backup-source-'));
  await writeFile(path.join(source, 'orders.txt'), 'order-1\n');
  const archive = path.join(directory, name);
  await execute('tar', ['-czf', archive, '-C', source, 'orders.txt']);
  await writeFile(`${archive}.sha256`, `${await sha256Of(archive)}  ${name}\n`);
  const when = new Date(Date.now() - ageMs);
  for (const file of [archive, `${archive}.sha256`]) await utimes(file, when, when);
  return archive;
}

async function certificate(days: number): Promise<string> {
  const directory = await mkdtemp(path.join(scratch, 'certificate-'));
  const file = path.join(directory, 'service.crt');
  await execute('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(directory, 'service.key'), '-out', file, '-days', String(days), '-subj', '/CN=opsdeck-test']);
  return file;
}

/**
 * The run stopped at `stepId`, which needs an operator (a decision or checklist: without a
 * terminal it fails instead of waiting), and nothing after it started.
 */
/** The error a step's (last) result was journaled with. */
function errorOf(run: PlaybookRun, stepId: string): string {
  const results = run.records.filter((record) => record.type === 'step-result' && record.stepId === stepId);
  const last = results[results.length - 1];
  return last?.type === 'step-result' ? (last.error ?? '') : '';
}

function expectStoppedAt(run: PlaybookRun, stepId: string, later: readonly string[]): void {
  const result = run.records.find((record) => record.type === 'step-result' && record.stepId === stepId);
  expect(result, describeRun(run)).toMatchObject({ verdict: 'failed', error: expect.stringMatching(/needs an operator/) });
  const started = stepsStarted(run);
  for (const step of later) expect(started, describeRun(run)).not.toContain(step);
  expect(run.code, describeRun(run)).toBe(1);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'opsdeck-library-'));
  stack = await startLibraryStack(dockerHost);
  runner = playbookRunner(scratch, ['--docker-host', dockerHost]);
  await waitFor('lib-web-1 healthy and broken-flaky-1 crashed', async () => {
    const [web, flaky, oom] = await Promise.all([dockerState(dockerHost, 'lib-web-1'), dockerState(dockerHost, 'broken-flaky-1'), dockerState(dockerHost, 'broken-oom-1')]);
    return web.Health?.Status === 'healthy' && flaky.Status === 'exited' && oom.Status === 'exited';
  });
});

afterAll(async () => {
  await removeLibraryStack(dockerHost);
  await rm(scratch, { recursive: true, force: true });
});

describe('the shipped library', () => {
  it('validates, and every playbook names its runbook section', async () => {
    const validate = await opsdeckCli(['playbooks', 'validate', LIBRARY]);
    expect(validate.code, validate.stderr + validate.stdout).toBe(0);
    const files = (await readdir(LIBRARY)).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const playbook = parse(await readFile(path.join(LIBRARY, file), 'utf8')) as { id: string; description: string; source: { runbook: string; section: string } };
      expect(playbook.id).toBe(file.replace(/\.yaml$/, ''));
      expect(playbook.description.startsWith(`Runbook ${playbook.source.runbook}, `), file).toBe(true);
      expect(playbook.description).toContain(playbook.source.section.split(/[:;]/)[0]!.trim());
    }
    const list = await opsdeckCli(['playbooks', 'list', '--json'], { cwd: scratch, env: { XDG_CONFIG_HOME: scratch } });
    expect(list.code, list.stderr).toBe(0);
    const listed = (JSON.parse(list.stdout) as { playbooks: Array<{ id: string; valid: boolean; file: string }> }).playbooks;
    for (const file of files) {
      expect(listed.find((entry) => entry.id === file.replace(/\.yaml$/, '')), file).toMatchObject({ valid: true, file: path.join(LIBRARY, file) });
    }
  });
});

describe('daily operations (runbook 000, 1.1 and 5.1)', () => {
  it('morning-health-check reports every section, all passing on a healthy project', async () => {
    const backups = path.join(scratch, 'morning-backups');
    await writeBackup(backups, 'backup-20260101T000000Z.tar.gz', 60_000);
    const run = await runner.run('morning-health-check', {
      project: LIBRARY_PROJECT,
      diskPath: scratch,
      backupDirectory: backups,
      backupMaxAge: '1h',
      certificate: await certificate(60),
      healthUrl: `http://127.0.0.1:${stack.healthPort}/health`,
    });
    expect(run.code, describeRun(run)).toBe(0);
    expect(runVerdict(run)).toBe('passed');
    const verdicts = stepVerdicts(run);
    for (const section of ['services', 'disk', 'memory', 'errors', 'backup', 'certificate', 'health', 'report']) expect(verdicts[section], section).toBe('passed');
    expect(verdicts['services-all']).toBe('skipped');
    expect(stepOutput(run, 'services')).toContain('lib-web-1');
    expect(stepOutput(run, 'disk')).toMatch(/Filesystem/);
    expect(stepOutput(run, 'memory')).toMatch(/Mem:/);
    expect(stepOutput(run, 'certificate')).toMatch(/notAfter=.*[\s\S]*Certificate will not expire/);
    expect(stepOutput(run, 'report')).toMatch(/services passed.*disk passed.*memory passed.*errors passed.*backup passed.*certificate passed.*health URL passed/s);
  });

  it('morning-health-check names what is wrong: unhealthy services, a stale backup, an expiring certificate, a dead URL', async () => {
    const backups = path.join(scratch, 'stale-backups');
    await writeBackup(backups, 'backup-old.tar.gz', 3 * DAY);
    const closedPort = stack.healthPort + 1;
    const run = await runner.run('morning-health-check', {
      project: 'shop',
      diskPath: scratch,
      backupDirectory: backups,
      certificate: await certificate(1),
      healthUrl: `http://127.0.0.1:${closedPort}/health`,
    });
    expect(run.code, describeRun(run)).toBe(1);
    const verdicts = stepVerdicts(run);
    expect(verdicts).toMatchObject({ services: 'failed', disk: 'passed', memory: 'passed', backup: 'failed', certificate: 'failed', health: 'failed', report: 'passed' });
    expect(stepOutput(run, 'services')).toMatch(/shop-db-1.*unhealthy/);
    expect(stepOutput(run, 'certificate')).toContain('Certificate will expire');
  });

  it('verify-latest-backup passes on a good newest archive and fails when its checksum does not match', async () => {
    const directory = path.join(scratch, 'verify-backups');
    await writeBackup(directory, 'backup-a.tar.gz', 2 * 60 * 60 * 1000);
    const newest = await writeBackup(directory, 'backup-b.tar.gz', 60_000);
    const good = await runner.run('verify-latest-backup', { directory, maxAge: '1h' });
    expect(good.code, describeRun(good)).toBe(0);
    expect(stepOutput(good, 'done')).toContain('backup-b.tar.gz');
    await writeFile(`${newest}.sha256`, `${'0'.repeat(64)}  backup-b.tar.gz\n`);
    const corrupt = await runner.run('verify-latest-backup', { directory, maxAge: '1h' });
    expect(corrupt.code, describeRun(corrupt)).toBe(1);
    expect(stepVerdicts(corrupt).newest).toBe('failed');
  });
});

describe('restarts (runbook 000, 3.1 and Appendix A)', () => {
  it('restart-service-gracefully restarts, waits until healthy and finds no new errors (StartedAt moved)', async () => {
    const before = await dockerState(dockerHost, 'lib-web-1');
    const run = await runner.run('restart-service-gracefully', { container: 'lib-web-1', stopTimeout: '2s' });
    expect(run.code, describeRun(run)).toBe(0);
    const after = await dockerState(dockerHost, 'lib-web-1');
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
    expect(after.Health?.Status).toBe('healthy');
    expect(stepVerdicts(run)).toMatchObject({ before: 'passed', restart: 'passed', running: 'passed', healthy: 'passed', after: 'passed', settle: 'passed', stable: 'passed', 'new-errors': 'passed' });
    const confirmation = run.records.find((record) => record.type === 'confirmation' && record.stepId === 'restart');
    expect(confirmation).toMatchObject({ accepted: true });
  });

  it('restart-service-gracefully in dry-run and read-only: the reads run, the engine sees no lifecycle event', async () => {
    const before = await dockerState(dockerHost, 'lib-web-1');
    const since = Math.floor(Date.now() / 1000) - 1;
    const dryRun = await runner.run('restart-service-gracefully', { container: 'lib-web-1' }, { extra: ['--dry-run'] });
    expect(dryRun.code, describeRun(dryRun)).toBe(0);
    // Nothing was restarted: the verification of a restart is skipped, not passed.
    expect(stepVerdicts(dryRun)).toMatchObject({ before: 'passed', restart: 'would-do', running: 'passed', after: 'skipped', settle: 'skipped', stable: 'skipped', 'new-errors': 'skipped' });
    expect(stepOutput(dryRun, 'before')).toContain(`startedAt: ${before.StartedAt}`);
    const readOnly = await runner.run('restart-service-gracefully', { container: 'lib-web-1' }, { extra: ['--read-only'] });
    expect(readOnly.code, describeRun(readOnly)).toBe(1);
    expect(stepVerdicts(readOnly).restart).toBe('refused');
    const until = Math.ceil(Date.now() / 1000) + 1;
    const events = await dockerCli(dockerHost, ['events', '--since', String(since), '--until', String(until), '--filter', 'container=lib-web-1', '--format', '{{.Action}}']);
    expect(events.split('\n').filter((action) => /^(restart|kill|stop|die|start|pause)$/.test(action))).toEqual([]);
    expect((await dockerState(dockerHost, 'lib-web-1')).StartedAt).toBe(before.StartedAt);
  });

  it('restart-service-gracefully fails its verification when the restarted container logs new errors', async () => {
    const run = await runner.run('restart-service-gracefully', { container: 'lib-noisy-1', stopTimeout: '1s' });
    expect(run.code, describeRun(run)).toBe(1);
    expect(stepVerdicts(run)).toMatchObject({ restart: 'passed', running: 'passed', 'new-errors': 'failed' });
    expect(stepOutput(run, 'new-errors')).toContain('cannot reach payments');
  });

  it('service-down restarts a crashed container and verifies it stays up; escalation is skipped', async () => {
    const runStarted = Date.now();
    const run = await runner.run('service-down', { container: 'broken-flaky-1', watchSeconds: 2 });
    expect(run.code, describeRun(run)).toBe(0);
    const state = await dockerState(dockerHost, 'broken-flaky-1');
    expect(state.Running).toBe(true);
    expect(Date.parse(state.StartedAt)).toBeGreaterThan(runStarted - 1000);
    expect(stepVerdicts(run)).toMatchObject({ status: 'passed', logs: 'passed', restart: 'passed', verify: 'passed', stable: 'passed', escalate: 'skipped' });
    expect(stepOutput(run, 'logs')).toContain('FATAL lost the database');
  });

  it('service-down escalates when the container is still down after the restart', async () => {
    const run = await runner.run('service-down', { container: 'broken-dead-1', watchSeconds: 1 });
    const verdicts = stepVerdicts(run);
    expect(verdicts.restart, describeRun(run)).toBe('passed');
    expect([verdicts.verify, verdicts.stable]).toContain('failed');
    expect(verdicts.recovered).toBeUndefined();
    expectStoppedAt(run, 'escalate', []);
    expect(errorOf(run, 'escalate')).toMatch(/still down after the restart.*ops-senior@example\.com/s);
    expect((await dockerState(dockerHost, 'broken-dead-1')).Running).toBe(false);
  });

  it('service-down on a terminal: the operator works through the escalation checklist, and the run still fails while the service is down', async () => {
    const run = await runner.runOnTerminal('service-down', { container: 'broken-dead-1', watchSeconds: 1 }, [
      ...tickAll(await checklistOf('service-down', 'escalate')),
      // The final check fails (still down): on a terminal the operator is asked what next.
      { prompt: /retry, skip, abort\?/, keys: 'abort\r' },
    ]);
    expect(run.code, describeRun(run)).toBe(1);
    expect(stepVerdicts(run)).toMatchObject({ restart: 'passed', escalate: 'passed', 'final-state': 'failed' });
    expect(runVerdict(run)).toBe('failed');
  }, 120_000);
});

describe('troubleshooting (runbook 000, 4.1, 4.2, 4.5 and 3.1)', () => {
  it('high-cpu samples the busy container, looks inside it, and stops at the operator\'s choice', async () => {
    const run = await runner.run('high-cpu', { container: 'lib-burner-1' });
    expect(stepVerdicts(run)).toMatchObject({ stats: 'passed', processes: 'passed', 'slow-work': 'passed' });
    expect(stepOutput(run, 'processes')).toMatch(/while|sh -c/);
    expectStoppedAt(run, 'choose', ['restart', 'scale']);
    expect(errorOf(run, 'choose')).toMatch(/lib-burner-1 uses [1-9][\d.]*% CPU/);
  });

  it('high-cpu on a terminal: the operator chooses the restart, which is verified by StartedAt and a new CPU sample', async () => {
    const before = await dockerState(dockerHost, 'lib-burner-1');
    const run = await runner.runOnTerminal('high-cpu', { container: 'lib-burner-1' }, [{ prompt: /leave: Leave it running[\s\S]*> /, keys: 'restart\r' }]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ choose: 'passed', restart: 'passed', running: 'passed', 'stats-after': 'passed', scale: 'skipped', summary: 'passed' });
    expect(stepOutput(run, 'summary')).toMatch(/resolution restart/);
    expect(Date.parse((await dockerState(dockerHost, 'lib-burner-1')).StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
  });

  it('high-memory gathers OOM evidence: OOMKilled from the engine and OutOfMemoryError from the logs', async () => {
    expect((await dockerState(dockerHost, 'broken-oom-1')).OOMKilled).toBe(true);
    const run = await runner.run('high-memory', { container: 'broken-oom-1' });
    expect(stepVerdicts(run)).toMatchObject({ inspect: 'passed', 'oom-logs': 'passed', evidence: 'passed' });
    expect(stepOutput(run, 'oom-logs')).toContain('java.lang.OutOfMemoryError: Java heap space');
    expect(stepOutput(run, 'evidence')).toMatch(/OOMKilled=true.*1 out-of-memory line/s);
    expectStoppedAt(run, 'choose', ['restart', 'resize']);
  });

  it('high-memory on a terminal: raising the limit is a checklist, and nothing is restarted', async () => {
    const before = await dockerState(dockerHost, 'broken-oom-1');
    const run = await runner.runOnTerminal('high-memory', { container: 'broken-oom-1' }, [
      { prompt: /resize: Raise the heap[\s\S]*> /, keys: 'resize\r' },
      ...tickAll(await checklistOf('high-memory', 'resize')),
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ choose: 'passed', resize: 'passed', summary: 'passed' });
    expect(stepsStarted(run)).not.toContain('restart');
    expect((await dockerState(dockerHost, 'broken-oom-1')).StartedAt).toBe(before.StartedAt);
  });

  it('disk-space shows the largest consumers and prunes only old logs and old backups beyond the newest kept', async () => {
    const logs = path.join(scratch, 'disk', 'log');
    const backups = path.join(scratch, 'disk', 'backups');
    await mkdir(logs, { recursive: true });
    await ageFile(path.join(logs, 'old.log'), 40 * DAY, 'x'.repeat(4096));
    await ageFile(path.join(logs, 'new.log'), DAY);
    await ageFile(path.join(logs, 'old.txt'), 40 * DAY);
    const ages = { b200: 200, b150: 150, b120: 120, b100: 100, b1: 1 };
    for (const [name, days] of Object.entries(ages)) await writeBackup(backups, `${name}.tar.gz`, days * DAY);
    const inputs = { path: scratch, volumesDirectory: path.join(scratch, 'disk'), logDirectory: logs, backupDirectory: backups };

    const dryRun = await runner.run('disk-space', inputs, { extra: ['--dry-run'] });
    expect(dryRun.code, describeRun(dryRun)).toBe(0);
    expect(stepOutput(dryRun, 'volumes')).toContain(logs);
    expect(stepVerdicts(dryRun)['prune-logs']).toBe('would-do');
    expect((await readdir(logs)).sort()).toEqual(['new.log', 'old.log', 'old.txt']);

    const run = await runner.run('disk-space', inputs);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepOutput(run, 'usage')).toMatch(/Filesystem/);
    expect(stepOutput(run, 'logs')).toContain('old.log');
    expect((await readdir(logs)).sort()).toEqual(['new.log', 'old.txt']);
    // The three newest backups stay whatever their age; older ones go with their checksum files.
    expect((await readdir(backups)).sort()).toEqual(
      ['b1', 'b100', 'b120'].flatMap((name) => [`${name}.tar.gz`, `${name}.tar.gz.sha256`]).sort(),
    );
  });

  it('high-error-rate shows the service\'s error patterns and stops at the operator\'s choice', async () => {
    const run = await runner.run('high-error-rate', { service: `${LIBRARY_PROJECT}/noisy` });
    expect(stepVerdicts(run).patterns).toBe('passed');
    expect(stepOutput(run, 'patterns')).toContain('cannot reach payments');
    expectStoppedAt(run, 'choose', ['restart', 'rollback-deployment']);
  });

  it('high-error-rate on a terminal: the operator restarts the service and the errors are counted again', async () => {
    const before = await dockerState(dockerHost, 'lib-noisy-1');
    const run = await runner.runOnTerminal('high-error-rate', { service: `${LIBRARY_PROJECT}/noisy` }, [{ prompt: /investigate: Leave it[\s\S]*> /, keys: 'restart\r' }]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ choose: 'passed', restart: 'passed', 'rollback-deployment': 'skipped', settle: 'passed', 'errors-after': 'passed' });
    // Its start logs the error again: the count after the restart shows it is not fixed by a restart.
    expect(stepOutput(run, 'errors-after')).toContain('cannot reach payments');
    expect(Date.parse((await dockerState(dockerHost, 'lib-noisy-1')).StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
  });
});

describe('backup and recovery (runbook 000, 6.1 and 6.2)', () => {
  let archive: string;

  it('backup-container-data writes a compressed archive of the data path whose sha256 verifies', async () => {
    const destination = path.join(scratch, 'container-backups');
    const run = await runner.run('backup-container-data', { container: 'lib-data-1', path: '/data', destination, name: 'lib-data' });
    expect(run.code, describeRun(run)).toBe(0);
    const files = await readdir(destination);
    const archives = files.filter((name) => /^lib-data-.+\.tar\.gz$/.test(name));
    expect(archives).toHaveLength(1);
    archive = path.join(destination, archives[0] as string);
    expect(files).toContain(`${archives[0]}.sha256`);
    const checksum = await execute('sha256sum', ['-c', `${archives[0]}.sha256`], { cwd: destination });
    expect(checksum.stdout).toMatch(/: OK$/m);
    const listing = (await execute('tar', ['-tzf', archive])).stdout;
    expect(listing).toMatch(/data\/orders\.txt/);
    expect(listing).toMatch(/data\/customers\/list\.txt/);
    expect(stepOutput(run, 'done')).toContain(await sha256Of(archive));
  });

  it('restore-from-backup without a terminal cannot get the typed name: the restore is refused and the rollback starts the container again', async () => {
    expect(archive).toBeDefined();
    await dockerCli(dockerHost, ['exec', 'lib-data-1', 'sh', '-c', 'rm /data/orders.txt; echo tampered > /data/customers/list.txt']);
    const run = await runner.run('restore-from-backup', { container: 'lib-data-1', archive, path: '/' });
    expect(run.code, describeRun(run)).toBe(1);
    expect(stepVerdicts(run)).toMatchObject({ 'verify-archive': 'passed', stop: 'passed', restore: 'failed' });
    expect(run.records.find((record) => record.type === 'step-result' && record.stepId === 'restore')).toMatchObject({ error: expect.stringContaining('type lib-data-1') });
    expect(runVerdict(run)).toBe('rolled-back');
    expect((await dockerState(dockerHost, 'lib-data-1')).Running).toBe(true);
    expect(await dockerCli(dockerHost, ['exec', 'lib-data-1', 'cat', '/data/customers/list.txt'])).toBe('tampered');
  });

  it('restore-from-backup on a terminal: the operator types the name, the files are back and the container runs again', async () => {
    const before = await dockerState(dockerHost, 'lib-data-1');
    const run = await runner.runOnTerminal('restore-from-backup', { container: 'lib-data-1', archive, path: '/' }, [{ prompt: /type lib-data-1 to confirm/, keys: 'lib-data-1\r' }]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ 'verify-archive': 'passed', stop: 'passed', restore: 'passed', start: 'passed', running: 'passed', files: 'passed' });
    for (const [file, text] of Object.entries(DATA_FILES)) expect(await dockerCli(dockerHost, ['exec', 'lib-data-1', 'cat', file])).toBe(text.trimEnd());
    const after = await dockerState(dockerHost, 'lib-data-1');
    expect(after.Running).toBe(true);
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
    const confirmation = run.records.find((record) => record.type === 'confirmation' && record.stepId === 'restore');
    expect(confirmation).toMatchObject({ mode: 'type-target', answer: 'lib-data-1', accepted: true });
  });
});

describe('security and maintenance (runbook 000, 8.2 and 5.2)', () => {
  it('security-evidence-capture writes logs and inspect of every service with a verifying manifest, then isolates once the name is typed', async () => {
    const app = `${INCIDENT_PROJECT}-app-1`;
    const run = await runner.runOnTerminal('security-evidence-capture', { project: INCIDENT_PROJECT, container: app }, [
      { prompt: new RegExp(`type ${app} to confirm`), keys: `${app}\r` },
      ...tickAll(await checklistOf('security-evidence-capture', 'handover')),
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ capture: 'passed', 'evidence-folder': 'passed', manifest: 'passed', affected: 'passed', isolate: 'passed', isolated: 'passed', handover: 'passed' });
    const directory = /written to (\S+)/.exec(stepOutput(run, 'evidence-folder'))?.[1];
    expect(directory, describeRun(run)).toBeDefined();
    const files = await readdir(directory as string);
    expect(files).toContain('MANIFEST.sha256');
    for (const container of [app, `${INCIDENT_PROJECT}-db-1`]) expect(files.some((name) => name.includes(container))).toBe(true);
    const verified = await execute('sha256sum', ['--strict', '-c', 'MANIFEST.sha256'], { cwd: directory });
    expect(verified.stdout.trim().split('\n').length).toBe(files.length - 1);
    expect(verified.stdout).not.toMatch(/FAILED/);
    const appFiles = files.filter((name) => name.includes(app));
    const texts = await Promise.all(appFiles.map((name) => readFile(path.join(directory as string, name), 'utf8')));
    expect(texts.join('\n')).toContain('authentication failed for user admin');
    expect(run.records.find((record) => record.type === 'confirmation' && record.stepId === 'isolate')).toMatchObject({ mode: 'type-target', answer: app, accepted: true });
    expect((await dockerState(dockerHost, app)).Running).toBe(false);
    expect((await dockerState(dockerHost, `${INCIDENT_PROJECT}-db-1`)).Running).toBe(true);
  });

  it('planned-maintenance starts with the pre-maintenance checklist and restarts nothing before it is ticked', async () => {
    const before = await dockerState(dockerHost, 'lib-web-1');
    const run = await runner.run('planned-maintenance', { project: LIBRARY_PROJECT, service: `${LIBRARY_PROJECT}/web` });
    expectStoppedAt(run, 'pre', ['baseline', 'restart', 'post']);
    expect((await dockerState(dockerHost, 'lib-web-1')).StartedAt).toBe(before.StartedAt);
  });

  it('planned-maintenance on a terminal: pre, during and post checklists around a verified restart', async () => {
    const before = await dockerState(dockerHost, 'lib-web-1');
    const run = await runner.runOnTerminal('planned-maintenance', { project: LIBRARY_PROJECT, service: `${LIBRARY_PROJECT}/web` }, [
      ...tickAll(await checklistOf('planned-maintenance', 'pre')),
      ...tickAll(await checklistOf('planned-maintenance', 'during')),
      ...tickAll(await checklistOf('planned-maintenance', 'post')),
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(stepVerdicts(run)).toMatchObject({ pre: 'passed', baseline: 'passed', during: 'passed', restart: 'passed', settle: 'passed', verify: 'passed', errors: 'passed', post: 'passed' });
    expect(stepsStarted(run)).toEqual(['pre', 'baseline', 'during', 'restart', 'settle', 'verify', 'errors', 'post']);
    const after = await dockerState(dockerHost, 'lib-web-1');
    expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before.StartedAt));
    expect(after.Health?.Status).toBe('healthy');
  });
});
