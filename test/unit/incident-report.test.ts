// An incident's journal read back, its timeline merged with the journals of the runs started
// while it was open, and the report and status updates in the runbooks' shape.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_CONFIG } from '../../src/config/incident-config';
import { createIncidentJournal, incidentFromRecords, readIncidentRecords, runsDuring } from '../../src/incident/incident-journal';
import { textsFromRecords } from '../../src/incident/incident-texts';
import { buildIncidentTimeline } from '../../src/incident/incident-timeline';
import type { IncidentRecord } from '../../src/incident/incident-types';
import { verifyJournal } from '../../src/journal/journal-reader';
import { formatTime } from '../../src/journal/journal-timeline';
import { temporaryDirectory, writePassedRun } from '../support/journal-fixtures';

const MINUTE = 60_000;
const ID = 'INC-20261201T110000Z-ab12';
let runsDirectory: string;
let incidentFile: string;
let declaredAt: number;
let records: IncidentRecord[];
const BEFORE_RUN = '20261201T105900Z-000001';
const DURING_RUN = '20261201T110500Z-000002';

beforeAll(async () => {
  const state = temporaryDirectory('incident-report');
  runsDirectory = path.join(state, 'runs');
  writePassedRun(runsDirectory, BEFORE_RUN);
  await new Promise((resolve) => setTimeout(resolve, 5));
  declaredAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5));
  writePassedRun(runsDirectory, DURING_RUN);
  const t = (minutes: number) => declaredAt + minutes * MINUTE;
  const journal = createIncidentJournal(path.join(state, 'incidents'), ID);
  const written: IncidentRecord[] = [
    { type: 'declared', at: t(0), incident: { id: ID, severity: 'P1', title: 'checkout down', services: [{ label: 'local/shop/api', key: 'local:service:shop/api' }], declaredAt: t(0), declaredBy: 'alice', impact: 'customers cannot pay' } },
    { type: 'alert-raised', at: t(-4), alertId: 'unhealthy:shop-api-1', severity: 'critical', message: 'shop-api-1 unhealthy' },
    { type: 'run-started', at: t(0), runId: DURING_RUN, playbook: 'restart-service' },
    { type: 'note', at: t(3), text: 'db pool exhausted \u001b]52;c;ZXZpbA==\u0007 after deploy', by: 'alice' },
    { type: 'escalation', at: t(31), level: 'L2', action: 'escalated', by: 'alice', contacted: 'bob (team lead)' },
    { type: 'run-finished', at: t(32), runId: DURING_RUN, playbook: 'restart-service', verdict: 'passed' },
    { type: 'alert-cleared', at: t(40), alertId: 'unhealthy:shop-api-1', message: 'shop-api-1 unhealthy' },
    { type: 'resolved', at: t(42), by: 'alice', rootCause: 'connection pool too small after 2.3 deploy', resolution: 'restarted api with a larger pool', prevention: 'load test pool size before deploys' },
  ];
  for (const record of written) journal.append(record);
  journal.close();
  incidentFile = journal.path;
  records = readIncidentRecords(incidentFile).records;
});

describe('incident journal and timeline', () => {
  it('reads back a hash-chained journal and folds the incident from it', () => {
    expect(verifyJournal(incidentFile)).toMatchObject({ ok: true, records: 8 });
    const incident = incidentFromRecords(records, DEFAULT_INCIDENT_CONFIG, declaredAt + 50 * MINUTE);
    expect(incident).toMatchObject({ id: ID, severity: 'P1', resolvedAt: declaredAt + 42 * MINUTE, rootCause: 'connection pool too small after 2.3 deploy' });
    expect(incident?.escalations.find((status) => status.level === 'L2')).toMatchObject({ state: 'escalated', contacted: 'bob (team lead)' });
  });

  it('merges the run started while it was open, not the one before, in time order', () => {
    const incident = incidentFromRecords(records, DEFAULT_INCIDENT_CONFIG, Date.now())!;
    const runs = runsDuring(incident, runsDirectory);
    expect(runs.map((run) => run.runId)).toEqual([DURING_RUN]);
    const timeline = buildIncidentTimeline(records, runs);
    const texts = timeline.map((entry) => entry.text);
    expect(texts[0]).toBe('alert raised (critical): shop-api-1 unhealthy');
    expect(texts[1]).toBe('declared P1 by alice: checkout down (local/shop/api)');
    // The run's own journal replaces the incident's run-started/run-finished lines.
    expect(texts.filter((text) => text.includes(DURING_RUN))).toEqual([
      `playbook restart-service started by alice (run ${DURING_RUN})`,
      `playbook restart-service passed after 5.0 s (run ${DURING_RUN})`,
    ]);
    expect(texts).toContain(`playbook restart-service, step restart: confirmed by alice (typed the target's name): "shop-api-1"`);
    expect(texts).toContain('playbook restart-service, step restart (container.restart): passed');
    // The read-only diagnose step is not an action.
    expect(texts.some((text) => text.includes('diagnose'))).toBe(false);
    expect(texts.at(-1)).toBe('resolved by alice: connection pool too small after 2.3 deploy');
    const times = timeline.map((entry) => entry.at);
    expect(times).toEqual([...times].sort((left, right) => left - right));
  });

  it('cleans escape sequences out of a note', () => {
    const note = buildIncidentTimeline(records).find((entry) => entry.kind === 'note');
    expect(note?.text).not.toContain('\u001b');
    expect(note?.text).toMatch(/^note by alice: db pool exhausted .*after deploy$/);
  });
});

describe('incident report', () => {
  it('writes the runbooks sections in order, with detection, actions taken and duration', () => {
    const texts = textsFromRecords({ records, config: DEFAULT_INCIDENT_CONFIG, runsDirectory, now: Date.now() })!;
    const report = texts.report;
    const sections = ['Impact', 'Detection', 'Timeline', 'Actions taken', 'Duration', 'Root cause', 'Resolution', 'Prevention'];
    const positions = sections.map((title) => report.split('\n').indexOf(title));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((left, right) => left - right));
    expect(report.split('\n')[0]).toBe(`Incident report ${ID}: checkout down`);
    expect(report).toContain('  Severity: P1 (Major functionality broken; response within 1h)');
    expect(report).toContain('Impact\n  customers cannot pay (affected: local/shop/api)\n');
    const time = (minutes: number) => formatTime(declaredAt + minutes * MINUTE, declaredAt);
    expect(report).toContain(`Detection\n  ${time(-4)}  alert raised (critical): shop-api-1 unhealthy\n  ${time(0)}  declared P1 by alice: checkout down (local/shop/api)\n`);
    // The run ended right after the declaration (its journal's time), the escalation at 31 minutes.
    const actions = report.slice(report.indexOf('Actions taken\n'), report.indexOf('\n\nDuration\n')).split('\n');
    expect(actions).toEqual([
      'Actions taken',
      expect.stringMatching(new RegExp(`^  \\d\\d:\\d\\d:\\d\\d  playbook restart-service passed after 5.0 s \\(run ${DURING_RUN}\\)$`)),
      `  ${time(31)}  escalated to L2 by alice: contacted bob (team lead)`,
    ]);
    expect(report).toMatch(/Duration\n {2}42m \(.* UTC to .* UTC\)\n {2}Escalated to L2 \(bob \(team lead\)\)\n/);
    expect(report).toContain('Root cause\n  connection pool too small after 2.3 deploy\n');
    expect(report).toContain('Resolution\n  restarted api with a larger pool\n');
    expect(report).toContain('Prevention\n  load test pool size before deploys\n');
    expect(report).not.toContain('\u001b');
  });

  it('writes the two status updates runbook 004 posts', () => {
    const texts = textsFromRecords({ records, config: DEFAULT_INCIDENT_CONFIG, runsDirectory, now: Date.now() })!;
    expect(texts.detected.split('\n')).toEqual([
      '🚨 INCIDENT DETECTED',
      'Severity: P1',
      'Impact: customers cannot pay (affected: local/shop/api)',
      'Status: RESOLVED (escalated to L2)',
      'Incident Commander: alice',
      `Started: ${new Date(declaredAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`,
    ]);
    expect(texts.resolved?.split('\n')).toEqual([
      '✅ INCIDENT RESOLVED',
      'Duration: 42m',
      'Root Cause: connection pool too small after 2.3 deploy',
      `Actions Taken: playbook restart-service passed after 5.0 s (run ${DURING_RUN}); escalated to L2 by alice: contacted bob (team lead)`,
      'Follow-up Required: Yes (load test pool size before deploys)',
    ]);
  });

  it('writes Markdown with the same sections and escapes what Markdown would read', () => {
    const markdown = textsFromRecords({ records, config: DEFAULT_INCIDENT_CONFIG, runsDirectory, now: Date.now(), markdown: true })!.report;
    expect(markdown.split('\n')[0]).toBe(`# Incident report ${ID}: checkout down`);
    expect(markdown).toContain('- **Severity:** P1 (Major functionality broken; response within 1h)');
    for (const title of ['Impact', 'Detection', 'Timeline', 'Actions taken', 'Duration', 'Root cause', 'Resolution', 'Prevention']) expect(markdown).toContain(`\n## ${title}\n`);
    expect(markdown).toContain('- ' + formatTime(declaredAt + 31 * MINUTE, declaredAt) + '  escalated to L2 by alice: contacted bob (team lead)');
    expect(markdown).toContain("step restart (container.restart): passed");
  });
});

describe('gate flips in the timeline', () => {
  it('says a blocked gate is blocked once, with what blocks it', () => {
    const records: IncidentRecord[] = [
      { type: 'declared', at: 1000, incident: { id: 'INC-1', severity: 'P1', title: 'vault down', services: [], declaredAt: 1000, declaredBy: 'alice' } },
      { type: 'gate-flip', at: 2000, gateId: 'G6', from: 'pass', to: 'blocked', detail: 'blocked: G5 Deploy vault failed (G5_DEPLOY_VAULT)' },
      { type: 'gate-flip', at: 3000, gateId: 'G5', from: 'pass', to: 'fail', detail: 'HTTP 503, expected 200' },
    ];
    const texts = buildIncidentTimeline(records).filter((entry) => entry.kind === 'gate').map((entry) => entry.text);
    expect(texts).toEqual(['gate G6 pass -> blocked: G5 Deploy vault failed (G5_DEPLOY_VAULT)', 'gate G5 pass -> fail: HTTP 503, expected 200']);
  });
});
