// Incident mode on a real terminal: the bundled cockpit in a tmux server of its own with
// `set -g set-clipboard on` (tmux 3.3 then keeps an application's OSC 52 copy as a paste buffer;
// with its default, `external`, it keeps nothing). Declared through the `i` form, the header shows
// the severity and the time since; a note and the acknowledgement reach the incident screen's
// timeline; `y` puts the INCIDENT DETECTED update in tmux's buffer; the hash-chained journal under
// $XDG_STATE_HOME has every record; a quit, and then a SIGKILL, lose nothing: each restarted
// cockpit shows the open incident again.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIncidentRecords } from '../../src/incident/incident-journal';
import { ensureCommand } from '../support/debian-tools';
import { TmuxSession } from '../support/tmux-session';

const HEADER_INCIDENT = /P2 INCIDENT (?:(\d+)m)?(\d+)s\b/;

/** Seconds since the declaration as the header shows them (`P2 INCIDENT 1m5s`), or undefined. */
function headerElapsedSeconds(header: string): number | undefined {
  const match = HEADER_INCIDENT.exec(header);
  return match ? Number(match[1] ?? 0) * 60 + Number(match[2]) : undefined;
}

describe('incident mode in the cockpit (tmux with set-clipboard on)', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-incident-terminal-'));
  const stateHome = path.join(directory, 'state');
  const incidents = path.join(stateHome, 'opsdeck', 'incidents');
  const session = new TmuxSession({ directory, cwd: directory, configuration: ['set -g set-clipboard on'], env: { XDG_STATE_HOME: stateHome, HOME: directory } });
  const start = () => session.run(['--config', 'opsdeck.yaml']);
  const header = (lines: string[]) => lines[0] ?? '';
  let declaredElapsed = 0;

  function buffer(): string {
    try {
      return session.tmux('show-buffer');
    } catch {
      return ''; // no buffer yet
    }
  }

  function journalFile(): string {
    const files = readdirSync(incidents).filter((name) => name.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    return path.join(incidents, files[0]!);
  }

  beforeAll(() => {
    ensureCommand('pgrep', 'procps');
    // No engine is needed: a socket that does not exist (the engine shows disconnected).
    writeFileSync(path.join(directory, 'opsdeck.yaml'), `engines:\n  - { name: local, type: docker, host: 'unix://${path.join(directory, 'no-docker.sock')}' }\n`);
    start();
  });

  afterAll(() => {
    session.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  it('declares a P2 through the i form: the header shows the severity, the time since and the next level', { timeout: 90_000 }, async () => {
    await session.waitForScreen('the cockpit drawn', (screen, lines) => header(lines).includes('opsdeck') && screen.includes('i incident'), 60_000);
    session.keys('i');
    await session.waitForScreen('the declare form on P1', (screen) => screen.includes('Declare an incident') && /› severity\s+P1\b/.test(screen));
    // tab cycles the classification: P1 -> P2.
    session.keys('Tab');
    await session.waitForScreen('P2 chosen', (screen) => /› severity\s+P2\b/.test(screen));
    session.keys('Down');
    await session.waitForScreen('the title field focused', (screen) => /› title\b/.test(screen));
    session.type('checkout down');
    session.keys('Down', 'Down');
    await session.waitForScreen('the impact field focused', (screen) => /› impact\b/.test(screen) && /title\s+checkout down/.test(screen));
    session.type('customers cannot pay');
    session.keys('Enter');
    // L1 is due at once: the cockpit asks; a acknowledges.
    const due = await session.waitForScreen('the L1 escalation asked', (screen, lines) => (screen.includes('Escalation L1 due') && HEADER_INCIDENT.test(header(lines)) ? lines : undefined));
    expect(header(due)).toMatch(/P2 INCIDENT \d+s\s+L1 DUE/);
    session.keys('a');
    const acknowledged = await session.waitForScreen('L2 next in the header', (screen, lines) => (!screen.includes('Escalation L1 due') && /P2 INCIDENT \d+s\s+L2 in 29m/.test(header(lines)) ? lines : undefined));
    declaredElapsed = headerElapsedSeconds(header(acknowledged))!;
    // The time since keeps counting on screen.
    await session.waitForScreen('the elapsed time moving', (_screen, lines) => (headerElapsedSeconds(header(lines)) ?? 0) >= declaredElapsed + 2);
    expect(header(session.lines()).length).toBeLessThanOrEqual(120);
  });

  it('adds a note with n and shows the declaration, the acknowledgement and the note on the incident screen', { timeout: 60_000 }, async () => {
    session.keys('n');
    await session.waitForScreen('the note form', (screen) => screen.includes('Note on the incident'));
    session.type('rolled back api to v41');
    session.keys('Enter');
    await session.waitForScreen('the note journaled', (screen) => screen.includes('note journaled') && !screen.includes('Note on the incident'));
    session.keys('i');
    const screen = await session.waitForScreen('the incident screen', (text) => (text.includes('INCIDENT P2  checkout down') && text.includes('Timeline (') ? text : undefined));
    const timeline = screen.slice(screen.indexOf('Timeline ('));
    const declared = timeline.search(/\d\d:\d\d:\d\d\s+declared P2 by \S+: checkout down/);
    const acknowledgedAt = timeline.search(/\d\d:\d\d:\d\d\s+L1 acknowledged by \S+/);
    const note = timeline.search(/\d\d:\d\d:\d\d\s+note by \S+: rolled back api to v41/);
    expect(declared).toBeGreaterThanOrEqual(0);
    expect(acknowledgedAt).toBeGreaterThan(declared);
    expect(note).toBeGreaterThan(acknowledgedAt);
    expect(screen).toMatch(/escalation: L1 acknowledged │ L2 in \d+m/);
  });

  it('copies the INCIDENT DETECTED update with y into the terminal clipboard (tmux buffer)', { timeout: 60_000 }, async () => {
    expect(buffer()).not.toContain('INCIDENT DETECTED');
    session.keys('y');
    await session.waitForScreen('the copy confirmed', (screen) => /copied the INCIDENT DETECTED update \(\d+ bytes\)/.test(screen));
    const copied = await session.waitForScreen('the update in the tmux buffer', () => (buffer().includes('INCIDENT DETECTED') ? buffer() : undefined), 15_000);
    expect(copied).toMatch(/Severity: P2/);
    expect(copied).toMatch(/Impact: customers cannot pay/);
    expect(copied).toMatch(/Status: INVESTIGATING/);
    expect(copied).toMatch(/Started: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // Only the text: no escape sequence travelled into the buffer.
    expect(copied).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('has every record in the hash-chained journal under XDG_STATE_HOME', () => {
    const { records, problems } = readIncidentRecords(journalFile());
    expect(problems).toEqual([]);
    expect(records.find((record) => record.type === 'declared')).toMatchObject({ incident: { severity: 'P2', title: 'checkout down', impact: 'customers cannot pay' } });
    expect(records.find((record) => record.type === 'escalation')).toMatchObject({ level: 'L1', action: 'acknowledged' });
    expect(records.find((record) => record.type === 'note')).toMatchObject({ text: 'rolled back api to v41' });
  });

  it('shows the open incident again after q and a restart, and after a SIGKILL, with a note written just before it', { timeout: 150_000 }, async () => {
    session.keys('Escape');
    await session.waitForScreen('the panels back', (screen) => screen.includes('Services (') && !screen.includes('Timeline ('));
    session.keys('q');
    expect(await session.exitStatus()).toBe(0);
    expect(session.format('alternate_on')).toBe('0');
    expect(session.format('cursor_flag')).toBe('1');

    start();
    const restarted = await session.waitForScreen('the incident in the restarted header', (_screen, lines) => (HEADER_INCIDENT.test(header(lines)) ? lines : undefined), 60_000);
    expect(header(restarted)).toMatch(/P2 INCIDENT \d+(m\d+)?s\s+L2 in \d+m/);
    expect(headerElapsedSeconds(header(restarted))).toBeGreaterThan(declaredElapsed);
    session.keys('n');
    await session.waitForScreen('the note form', (screen) => screen.includes('Note on the incident'));
    session.type('db pool raised to 50');
    session.keys('Enter');
    await session.waitForScreen('the note journaled', (screen) => screen.includes('note journaled'));
    // A crash right after: the note was fsynced before the cockpit said so.
    process.kill(session.programPid(), 'SIGKILL');
    expect(await session.exitStatus()).toBe(128 + 9);

    start();
    await session.waitForScreen('the incident in the header after the crash', (_screen, lines) => HEADER_INCIDENT.test(header(lines)), 60_000);
    session.keys('i');
    const screen = await session.waitForScreen('the incident screen with both notes', (text) =>
      text.includes('INCIDENT P2  checkout down') && text.includes('note by') && text.includes('db pool raised to 50') ? text : undefined,
    );
    // `i` showed the open incident, not a new declaration form; one journal, still chained.
    expect(screen).not.toContain('Declare an incident');
    expect(screen).toMatch(/note by \S+: rolled back api to v41/);
    const { records, problems } = readIncidentRecords(journalFile());
    expect(problems).toEqual([]);
    expect(records.filter((record) => record.type === 'note').map((record) => (record as { text: string }).text)).toEqual(['rolled back api to v41', 'db pool raised to 50']);
    session.keys('Escape');
    await session.waitForScreen('the panels back', (text) => text.includes('Services (') && !text.includes('Timeline ('));
    session.keys('q');
    expect(await session.exitStatus()).toBe(0);
    expect(session.format('alternate_on')).toBe('0');
  });
});
