// `opsdeck incident report` (the bundled CLI) on incident and run journals written by the real writers.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIncidentJournal } from '../../src/incident/incident-journal';
import type { IncidentRecord } from '../../src/incident/incident-types';
import { incidentsDirectory, runsDirectory } from '../../src/journal/state-directory';
import { runBundle, type CommandRun } from '../support/bundle-command';
import { temporaryDirectory, writePassedRun } from '../support/journal-fixtures';
import { BUNDLE } from '../support/pty';

const MINUTE = 60_000;
const OLDER = 'INC-20261130T090000Z-0001';
const LATEST = 'INC-20261201T110000Z-0002';
const RUN = '20261201T110500Z-3f2a9c';
let stateHome: string;

function opsdeck(args: string[], home: string = stateHome): Promise<CommandRun> {
  return runBundle(args, { env: { ...process.env, XDG_STATE_HOME: home, HOME: home, OPSDECK_CONFIG: '', NO_COLOR: '1' }, cwd: home, timeoutMs: 30_000 });
}

function writeIncident(directory: string, id: string, declaredAt: number, records: (at: (minutes: number) => number) => IncidentRecord[]): void {
  const journal = createIncidentJournal(directory, id);
  const at = (minutes: number) => declaredAt + minutes * MINUTE;
  journal.append({ type: 'declared', at: at(0), incident: { id, severity: 'P1', title: 'checkout down', services: [{ label: 'local/shop/api' }], declaredAt: at(0), declaredBy: 'alice' } });
  for (const record of records(at)) journal.append(record);
  journal.close();
}

beforeAll(() => {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run node scripts/build.mjs first (npm test does)`);
  stateHome = temporaryDirectory('incident-cli');
  const incidents = incidentsDirectory({ XDG_STATE_HOME: stateHome });
  writeIncident(incidents, OLDER, Date.now() - 24 * 60 * MINUTE, (at) => [{ type: 'resolved', at: at(5), by: 'bob', rootCause: 'disk full' }]);
  const declaredAt = Date.now() - MINUTE;
  writePassedRun(runsDirectory({ XDG_STATE_HOME: stateHome }), RUN);
  writeIncident(incidents, LATEST, declaredAt, (at) => [
    { type: 'alert-raised', at: at(-3), alertId: 'unhealthy:api', severity: 'critical', message: 'shop-api-1 unhealthy' },
    { type: 'escalation', at: at(31), level: 'L2', action: 'escalated', by: 'alice', contacted: 'bob (team lead)' },
    { type: 'resolved', at: at(42), by: 'alice', rootCause: 'pool too small', resolution: 'pool raised to 50', prevention: 'load test before deploys' },
  ]);
});

describe('opsdeck incident report (bundled)', () => {
  it('writes the latest incident in the runbooks shape, then its status updates', async () => {
    const result = await opsdeck(['incident', 'report']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Incident report ${LATEST}: checkout down`);
    const sections = ['Impact', 'Detection', 'Timeline', 'Actions taken', 'Duration', 'Root cause', 'Resolution', 'Prevention', 'Status updates'].map((title) => lines.indexOf(title));
    expect(sections.every((index) => index > 0)).toBe(true);
    expect(sections).toEqual([...sections].sort((left, right) => left - right));
    expect(result.stdout).toMatch(/Detection\n {2}\d\d:\d\d:\d\d {2}alert raised \(critical\): shop-api-1 unhealthy\n/);
    // The run started while the incident was open, from its own journal.
    expect(result.stdout).toContain(`playbook restart-service passed after 5.0 s (run ${RUN})`);
    expect(result.stdout).toContain('escalated to L2 by alice: contacted bob (team lead)');
    expect(result.stdout).toContain('\n🚨 INCIDENT DETECTED\nSeverity: P1\nImpact: checkout down (affected: local/shop/api)\nStatus: RESOLVED (escalated to L2)\nIncident Commander: alice\n');
    expect(result.stdout).toContain('\n✅ INCIDENT RESOLVED\nDuration: 42m\nRoot Cause: pool too small\n');
    expect(result.stdout).not.toContain('**');
  });

  it('writes Markdown with --markdown and the named incident with --incident', async () => {
    const markdown = await opsdeck(['incident', 'report', '--markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout.split('\n')[0]).toBe(`# Incident report ${LATEST}: checkout down`);
    expect(markdown.stdout).toContain('\n## Root cause\n\npool too small\n');
    expect(markdown.stdout).toContain('## Status updates\n\n```text\n🚨 INCIDENT DETECTED\n');
    const older = await opsdeck(['incident', 'report', '--incident', 'INC-20261130']);
    expect(older.code).toBe(0);
    expect(older.stdout.split('\n')[0]).toBe(`Incident report ${OLDER}: checkout down`);
    expect(older.stdout).toContain('Root Cause: disk full');
  });

  it('exits 2 with one line when there is no incident, or none by that name', async () => {
    const empty = await opsdeck(['incident', 'report'], temporaryDirectory('incident-cli-empty'));
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/^opsdeck: no incident journaled in .*incidents \(i in the cockpit declares one\)\n$/);
    const unknown = await opsdeck(['incident', 'report', '--incident', 'INC-1999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no incident "INC-1999"');
    const ambiguous = await opsdeck(['incident', 'report', '--incident', 'INC-2026']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`matches 2 incidents (${LATEST}, ${OLDER})`);
  });
});
