// The playbook wizard as an operator drives it: the bundled cockpit in a real pseudo-terminal
// (a tmux pane: its screen is what the operator sees, pipe-pane keeps the raw bytes) against
// the private dockerd. `!` on the crash-looping container's alert row opens the suggested
// playbook bound to that container, `a` runs on to the restart's confirmation, `y` restarts it:
// the engine saw exactly one restart, the journal records the confirmation and its hash chain
// verifies. `:run` with a healthy target runs the same playbook to a passed verification. q
// gives the terminal back.
//
// The test brings its own project (a crash loop like the `shop` stack's worker, and a quiet
// web with a healthcheck) rather than restarting `shop` containers: other test files read the
// shared stack at the same time, and the event counts here must be this test's alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../../lab/docker-engine.mjs';
import { IMAGE, LABEL_NUMBER, LABEL_OPSDECK, LABEL_PROJECT, LABEL_SERVICE } from '../../lab/stack.mjs';
import { ensureCommand } from '../support/debian-tools';
import { BUNDLE, interactiveEnvironment } from '../support/pty';
import { waitFor } from '../support/wait-for';

const dockerHost = inject('dockerHost');
const PROJECT = `wizard${process.pid}`;
const WORKER = `${PROJECT}-worker-1`;
const WEB = `${PROJECT}-web-1`;
const SESSION = `opsdeck-wizard-${process.pid}`;
const PLAYBOOK_TITLE = 'Restart a container gracefully and verify it';
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const ENABLE_BRACKETED_PASTE = '\u001b[?2004h';
const DISABLE_BRACKETED_PASTE = '\u001b[?2004l';
// Generous: the machine is shared, a step may wait on a loaded dockerd.
const SCREEN_TIMEOUT_MS = 45_000;

// The shop stack's worker program: one FATAL line, exit 1, restarted by the engine (a crash loop).
const WORKER_SH = 'echo "INFO worker starting"; sleep 1; echo "FATAL cannot connect to queue amqp://queue:5672/jobs" >&2; exit 1';
// Exits on SIGTERM, so a restart takes a moment, not the stop timeout.
const WEB_SH = "trap 'exit 0' TERM; echo \"INFO web ready\"; while :; do sleep 1; done";

const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-wizard-pty-'));
const stateHome = path.join(directory, 'state');
const rawOutputFile = path.join(directory, 'terminal.raw');

interface JournalRecord {
  seq: number;
  type: string;
  stepId?: string;
  [field: string]: unknown;
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8', env: interactiveEnvironment() });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

function hintBar(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Waits until the screen satisfies `predicate`; returns that screen. */
function screenWhere(what: string, predicate: (text: string) => boolean, timeoutMs = SCREEN_TIMEOUT_MS): Promise<string> {
  return waitFor(
    what,
    () => {
      const text = screen();
      return predicate(text) ? text : undefined;
    },
    { timeoutMs },
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nscreen:\n${screen()}`);
  });
}

/** The line of the row the cursor (›) is on, and its index on the screen. */
function selectedRow(text: string): { index: number; line: string } | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes('›'));
  return index < 0 ? undefined : { index, line: lines[index] ?? '' };
}

function lineWith(text: string, needle: string): string | undefined {
  return text.split('\n').find((line) => line.includes(needle));
}

async function inspectField(container: string, template: string): Promise<string> {
  return (await docker(dockerHost, ['inspect', '-f', template, container])).stdout.trim();
}

/** How often the engine reported each action for `container` between `since` and now. */
async function engineActionCounts(container: string, since: string): Promise<Record<string, number>> {
  const until = new Date(Date.now() + 1000).toISOString();
  const events = await docker(dockerHost, ['events', '--since', since, '--until', until, '--filter', `container=${container}`, '--format', '{{.Action}}']);
  const counts: Record<string, number> = {};
  for (const action of events.stdout.split('\n').filter((line) => line !== '')) counts[action] = (counts[action] ?? 0) + 1;
  return counts;
}

function runIdOn(text: string): string {
  const runId = /run (\d{8}T\d{6}Z-[0-9a-f]+)/.exec(text)?.[1];
  if (runId === undefined) throw new Error(`no run id on the screen:\n${text}`);
  return runId;
}

function journalOf(runId: string): JournalRecord[] {
  const file = path.join(stateHome, 'opsdeck', 'runs', `${runId}.jsonl`);
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as JournalRecord);
}

async function verifyJournal(runId: string): Promise<{ exitCode: number | undefined; stdout: string }> {
  const result = await execa(process.execPath, [BUNDLE, 'journal', 'verify', runId], {
    env: { XDG_STATE_HOME: stateHome, HOME: path.join(directory, 'home') },
    reject: false,
  });
  return { exitCode: result.exitCode, stdout: `${result.stdout}${result.stderr}` };
}

/** Asserts the journal's confirmation came before the restart's intent, and the restart passed. */
function expectConfirmedRestart(records: JournalRecord[]): void {
  const operator = records.find((record) => record.type === 'run-start')?.operator;
  expect(operator).toEqual(expect.any(String));
  const confirmation = records.find((record) => record.type === 'confirmation' && record.stepId === 'restart');
  expect(confirmation).toMatchObject({ mode: 'yes-no', answer: 'yes', accepted: true, operator });
  const intent = records.find((record) => record.type === 'step-intent' && record.stepId === 'restart');
  expect(intent).toMatchObject({ action: 'container.restart', mutates: true });
  expect(confirmation?.seq).toBeLessThan(intent?.seq ?? -1);
  const restartResults = records.filter((record) => record.type === 'step-result' && record.stepId === 'restart');
  expect(restartResults).toHaveLength(1);
  expect(restartResults[0]).toMatchObject({ verdict: 'passed' });
  expect(records.at(-1)?.type).toBe('run-end');
}

/** `:`, the command typed as the operator would, enter. */
async function runCommand(command: string): Promise<void> {
  tmux('send-keys', '-t', SESSION, ':');
  await screenWhere('the command prompt', (text) => /^ :/.test(hintBar(text)));
  tmux('send-keys', '-t', SESSION, '-l', command);
  await screenWhere('the typed command', (text) => hintBar(text).includes(command));
  tmux('send-keys', '-t', SESSION, 'Enter');
}

function labels(service: string): string[] {
  return ['--label', `${LABEL_PROJECT}=${PROJECT}`, '--label', `${LABEL_SERVICE}=${service}`, '--label', `${LABEL_NUMBER}=1`, '--label', `${LABEL_OPSDECK}=1`];
}

describe('the playbook wizard in a real terminal (real engine)', () => {
  let workerId = '';
  let webId = '';

  beforeAll(async () => {
    ensureCommand('tmux');
    await docker(dockerHost, ['rm', '-f', WORKER, WEB], { reject: false });
    workerId = (await docker(dockerHost, ['run', '-d', '--name', WORKER, '--network', 'none', '--init', '--restart', 'always', ...labels('worker'), IMAGE, 'sh', '-c', WORKER_SH])).stdout.trim();
    webId = (
      await docker(dockerHost, ['run', '-d', '--name', WEB, '--network', 'none', '--init', '--health-cmd', 'true', '--health-interval', '1s', ...labels('web'), IMAGE, 'sh', '-c', WEB_SH])
    ).stdout.trim();

    // The cockpit waits for a line on stdin, so the raw output is captured from its first byte.
    const cockpit = [
      'env',
      `XDG_STATE_HOME=${stateHome}`,
      `XDG_CONFIG_HOME=${path.join(directory, 'config')}`,
      `HOME=${path.join(directory, 'home')}`,
      process.execPath,
      BUNDLE,
      '--docker-host',
      dockerHost,
    ]
      .map(shellQuote)
      .join(' ');
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', '-c', directory, `read go; ${cockpit}; echo "opsdeck exited $?"; sleep 600`);
    tmux('pipe-pane', '-t', SESSION, '-O', `cat >> ${shellQuote(rawOutputFile)}`);
    tmux('send-keys', '-t', SESSION, 'Enter');
    // The engine's own state ("no engine connected" is on the first frame already).
    await screenWhere('the cockpit connected', (text) => text.includes('● connected'));
    tmux('send-keys', '-t', SESSION, '/', ...PROJECT, 'Enter');
    await screenWhere('the project alone', (text) => text.includes('Services (2/'));
  });

  afterAll(async () => {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
    await docker(dockerHost, ['rm', '-f', WORKER, WEB], { reject: false });
    rmSync(directory, { recursive: true, force: true });
  });

  it('! on the restarting container opens its suggested playbook bound to it; a, y restart it once, and the verification reports the crash loop', { timeout: 180_000 }, async () => {
    // Move down the rows (j) until the cursor is on the worker and its alert is up.
    await waitFor(
      'the worker row selected',
      async () => {
        const text = screen();
        const row = selectedRow(text);
        if (row && /›\s*!?\s*worker\b/.test(row.line)) return true;
        tmux('send-keys', '-t', SESSION, 'j');
        await screenWhere('the cursor moved', (next) => selectedRow(next)?.index !== row?.index, 10_000).catch(() => undefined);
        return false;
      },
      { timeoutMs: SCREEN_TIMEOUT_MS },
    );
    const alertRow = await screenWhere('the alert on the worker row, ! offered', (text) => /›!\s*worker\b/.test(text) && hintBar(text).includes('! fix'));
    expect(lineWith(alertRow, '›')).toMatch(/›!\s*worker/);

    tmux('send-keys', '-t', SESSION, '!');
    const opened = await screenWhere('the run screen of the suggested playbook', (text) => text.includes(PLAYBOOK_TITLE) && hintBar(text).includes('a run on'));
    expect(lineWith(opened, 'Next:')).toContain("Record the container's state before the restart");
    const runId = runIdOn(opened);

    // a: runs the read-only step, then stops at the restart's confirmation with the exact call for the worker.
    tmux('send-keys', '-t', SESSION, 'a');
    const question = await screenWhere('the restart confirmation', (text) => text.includes(`Restart the container (${WORKER})? [y/N]`) && hintBar(text).includes('y yes'));
    expect(question).toContain(`POST /containers/${workerId}/restart?t=10`);
    expect(lineWith(question, "Record the container's state")).toMatch(/✓/);

    const before = await inspectField(WORKER, '{{.State.StartedAt}}');
    const since = new Date().toISOString();
    tmux('send-keys', '-t', SESSION, 'y');
    // The restart step passes; the checks after it fail on a container that keeps crashing.
    const failed = await screenWhere('the restart passed and a verification failed', (text) => /✓ Restart the container/.test(text) && text.includes('Failed:') && hintBar(text).includes('r retry'));
    expect(failed).not.toContain('Run passed');

    const counts = await engineActionCounts(WORKER, since);
    expect(counts.restart).toBe(1);
    expect(await inspectField(WORKER, '{{.State.StartedAt}}')).not.toBe(before);

    // x asks, y aborts: the run ends, not passed, and names its journal.
    tmux('send-keys', '-t', SESSION, 'x');
    await screenWhere('the abort question', (text) => text.includes('[y/N]') && hintBar(text).includes('y yes'));
    tmux('send-keys', '-t', SESSION, 'y');
    const ended = await screenWhere('the run ended', (text) => /Run (failed|aborted)/.test(text));
    expect(lineWith(ended, 'journal:')).toContain(path.join(stateHome, 'opsdeck', 'runs', `${runId}.jsonl`));

    const records = journalOf(runId);
    expectConfirmedRestart(records);
    const restartResult = records.find((record) => record.type === 'step-result' && record.stepId === 'restart');
    const startedAt = (restartResult?.data as { startedAt?: string } | undefined)?.startedAt ?? '';
    expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(Date.parse(since) - 1000);
    const verification = await verifyJournal(runId);
    expect(verification.stdout).toContain('hash chain intact');
    expect(verification.exitCode).toBe(0);
  });

  it(':run with a healthy container runs the playbook to a passed verification: one restart, StartedAt as journaled', { timeout: 180_000 }, async () => {
    tmux('send-keys', '-t', SESSION, 'Escape');
    await screenWhere('back on the panels', (text) => text.includes('Services (2/') && hintBar(text).includes('p playbooks'));
    await runCommand(`run restart-service-gracefully container=${WEB}`);
    const opened = await screenWhere('the run screen', (text) => text.includes(PLAYBOOK_TITLE) && hintBar(text).includes('a run on'));
    const runId = runIdOn(opened);

    tmux('send-keys', '-t', SESSION, 'a');
    const question = await screenWhere('the restart confirmation', (text) => text.includes(`Restart the container (${WEB})? [y/N]`));
    expect(question).toContain(`POST /containers/${webId}/restart?t=10`);
    const before = await inspectField(WEB, '{{.State.StartedAt}}');
    const since = new Date().toISOString();
    tmux('send-keys', '-t', SESSION, 'y');

    const passed = await screenWhere('the run passed', (text) => text.includes('Run passed'));
    expect(lineWith(passed, 'Restart the container')).toMatch(/✓/);
    expect(lineWith(passed, 'Wait until its healthcheck')).toMatch(/✓/);
    expect(lineWith(passed, 'No new errors logged')).toMatch(/✓/);
    expect(lineWith(passed, 'Run passed')).toContain('9 passed');

    const counts = await engineActionCounts(WEB, since);
    expect(counts.restart).toBe(1);
    expect(counts.start).toBe(1);
    const after = await inspectField(WEB, '{{.State.StartedAt}}');
    expect(after).not.toBe(before);

    const records = journalOf(runId);
    expectConfirmedRestart(records);
    const journaledStart = records.find((record) => record.type === 'step-result' && record.stepId === 'after')?.data as { startedAt?: string } | undefined;
    expect(journaledStart?.startedAt).toBe(after);
    expect(records.at(-1)).toMatchObject({ type: 'run-end', verdict: 'passed' });
    const verification = await verifyJournal(runId);
    expect(verification.stdout).toContain('hash chain intact');
    expect(verification.exitCode).toBe(0);
  });

  it('escape and q leave the cockpit with the terminal restored', { timeout: 60_000 }, async () => {
    tmux('send-keys', '-t', SESSION, 'Escape');
    await screenWhere('back on the panels', (text) => text.includes('Services (2/') && hintBar(text).includes('p playbooks'));
    tmux('send-keys', '-t', SESSION, 'q');
    await screenWhere('the cockpit exited', (text) => text.includes('opsdeck exited 0'));
    const raw = await waitFor('the raw output', () => {
      const text = readFileSync(rawOutputFile, 'latin1');
      return text.includes('opsdeck exited') ? text : undefined;
    });
    expect(raw).toContain(ENTER_ALTERNATE_SCREEN);
    expect(raw.lastIndexOf(LEAVE_ALTERNATE_SCREEN)).toBeGreaterThan(raw.lastIndexOf(ENTER_ALTERNATE_SCREEN));
    expect(raw).toContain(ENABLE_BRACKETED_PASTE);
    expect(raw.lastIndexOf(DISABLE_BRACKETED_PASTE)).toBeGreaterThan(raw.lastIndexOf(ENABLE_BRACKETED_PASTE));
    // Nothing of the cockpit is left on the operator's screen.
    expect(screen()).not.toContain('Playbook run');
    expect(screen()).not.toContain('Services (');
  });
});
