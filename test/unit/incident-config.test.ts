// `incident:` in opsdeck.yaml: the runbooks' defaults when not written, SEV1-SEV4 written as a
// table of their own, and every mistake one line naming file, line and field.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load-config';
import { DEFAULT_INCIDENT_CONFIG, parseResponseTime } from '../../src/config/incident-config';

async function errorFor(text: string): Promise<string> {
  try {
    await parseConfigText(text, { fileName: 'opsdeck.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const SEV_TABLE = `incident:
  classification:
    - { id: SEV1, title: Critical - System down, responseTime: 15 minutes }
    - { id: SEV2, title: High - Major functionality impaired, responseTime: 1 hour }
    - { id: SEV3, title: Medium - Partial functionality affected, responseTime: 4 hours }
    - { id: SEV4, title: Low - Minor issue, responseTime: 24 hours, description: "UI bug, logging issue" }
  escalation:
    - { level: L1, role: On-call Platform Engineer, contact: PagerDuty, after: 0m }
    - { level: L2, role: Engineering Manager, contact: +1-555-0789, after: 15m }
    - { level: L3, role: CTO, contact: cto@example.com, after: 30m, severities: [SEV1] }
  snooze: 5m
`;

describe('incident config', () => {
  it('takes the runbooks defaults when the section is not written', async () => {
    const config = await parseConfigText('logs:\n  since: 1h\n', { fileName: 'opsdeck.yaml' });
    expect(config.incident).toEqual(DEFAULT_INCIDENT_CONFIG);
    expect(config.incident.classification.map((severity) => [severity.id, severity.responseMs])).toEqual([
      ['P0', 15 * 60_000],
      ['P1', 3_600_000],
      ['P2', 4 * 3_600_000],
      ['P3', 24 * 3_600_000],
    ]);
  });

  it('expresses SEV1-SEV4 with worded response times, after durations, a severity-triggered level and the snooze', async () => {
    const config = await parseConfigText(SEV_TABLE, { fileName: 'opsdeck.yaml' });
    expect(config.incident.classification.map((severity) => [severity.id, severity.responseTime, severity.responseMs])).toEqual([
      ['SEV1', '15 minutes', 15 * 60_000],
      ['SEV2', '1 hour', 3_600_000],
      ['SEV3', '4 hours', 4 * 3_600_000],
      ['SEV4', '24 hours', 24 * 3_600_000],
    ]);
    expect(config.incident.classification[3]?.description).toBe('UI bug, logging issue');
    expect(config.incident.escalation).toEqual([
      { level: 'L1', role: 'On-call Platform Engineer', contact: 'PagerDuty', afterMs: 0 },
      { level: 'L2', role: 'Engineering Manager', contact: '+1-555-0789', afterMs: 15 * 60_000 },
      { level: 'L3', role: 'CTO', contact: 'cto@example.com', afterMs: 30 * 60_000, severities: ['SEV1'] },
    ]);
    expect(config.incident.snoozeMs).toBe(5 * 60_000);
  });

  it('reads response times as the runbooks write them', () => {
    expect(parseResponseTime('1 business day')).toBe(24 * 3_600_000);
    expect(parseResponseTime('2 business days')).toBe(48 * 3_600_000);
    expect(parseResponseTime('2h30m')).toBe(9_000_000);
    expect(() => parseResponseTime('asap')).toThrow('invalid response time "asap"');
  });

  it('names the line of an escalation level naming a severity the classification lacks', async () => {
    const text = SEV_TABLE.replace('severities: [SEV1]', 'severities: [SEV1, P0]');
    expect(await errorFor(text)).toBe('opsdeck.yaml:10:88: incident.escalation[2].severities[1]: unknown severity "P0" (the classification has SEV1, SEV2, SEV3, SEV4)');
  });

  it('names a severity the default table lacks when only the escalation is written', async () => {
    const text = 'incident:\n  escalation:\n    - level: L5\n      role: CTO\n      contact: cto@example.com\n      severities: [SEV1]\n';
    expect(await errorFor(text)).toBe('opsdeck.yaml:6:20: incident.escalation[0].severities[0]: unknown severity "SEV1" (the classification has P0, P1, P2, P3)');
  });

  it('locates a bad response time, a bad duration, a duplicate id, a level never due and an unknown key', async () => {
    expect(await errorFor('incident:\n  classification:\n    - id: P0\n      title: Down\n      responseTime: soon\n')).toBe(
      'opsdeck.yaml:5:21: incident.classification[0].responseTime: invalid response time "soon": write a duration (15m, 1h, 2h30m) or "N minutes", "N hours", "N business days"',
    );
    expect(await errorFor('incident:\n  escalation:\n    - { level: L1, role: On-call, contact: ops, after: soon }\n')).toBe(
      'opsdeck.yaml:3:56: incident.escalation[0].after: invalid duration "soon": use a number and a unit (ms, s, m, h, d), e.g. 30m, 1h or 2h30m',
    );
    expect(await errorFor('incident:\n  classification:\n    - { id: P0, title: Down, responseTime: 15m }\n    - { id: P0, title: Again, responseTime: 1h }\n')).toBe(
      'opsdeck.yaml:4:13: incident.classification[1].id: duplicate id "P0" (also classification[0])',
    );
    expect(await errorFor('incident:\n  escalation:\n    - { level: L1, role: On-call, contact: ops }\n')).toBe(
      'opsdeck.yaml:3:16: incident.escalation[0].level: say when the level is due: after (a duration since declared) or severities (at once for these)',
    );
    expect(await errorFor('incident:\n  snooze: 10m\n  sevrity: P1\n')).toBe('opsdeck.yaml:3:3: incident.sevrity: unknown key (expected one of: classification, escalation, snooze)');
  });
});
