import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load-config';

const parse = (text: string) => parseConfigText(text, { fileName: 'opsdeck.yaml', baseDirectory: '/etc/opsdeck' });

async function messageFor(text: string): Promise<string> {
  try {
    await parse(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('prometheus: and alertmanager: in opsdeck.yaml', () => {
  it('resolves token and CA files against the config directory, durations, defaults and queries', async () => {
    const config = await parse(
      [
        'prometheus:',
        '  url: https://prometheus.internal:9090/',
        '  bearerTokenFile: secrets/prometheus.token',
        '  caFile: /etc/ssl/ca.pem',
        '  interval: 5s',
        '  queries:',
        "    - { name: p95 latency, query: 'histogram_quantile(0.95, rate(x[5m]))', unit: ms, warning: 300, critical: 1000, range: 10m }",
    "    - { name: throughput, query: 'sum(rate(requests_total[1m]))', step: 30s }",
        'alertmanager:',
        '  url: http://127.0.0.1:9093',
        '  tlsVerify: false',
        '',
      ].join('\n'),
    );
    expect(config.prometheus).toEqual({
      url: 'https://prometheus.internal:9090',
      bearerTokenFile: '/etc/opsdeck/secrets/prometheus.token',
      caFile: '/etc/ssl/ca.pem',
      tlsVerify: true,
      intervalMs: 5000,
      queries: [
        { name: 'p95 latency', query: 'histogram_quantile(0.95, rate(x[5m]))', unit: 'ms', warning: 300, critical: 1000, rangeMs: 600_000, stepMs: 10_000 },
        { name: 'throughput', query: 'sum(rate(requests_total[1m]))', rangeMs: 1_800_000, stepMs: 30_000 },
      ],
    });
    expect(config.alertmanager).toEqual({ url: 'http://127.0.0.1:9093', tlsVerify: false, intervalMs: 15_000 });
  });

  it('leaves both out when not written', async () => {
    const config = await parse('logs:\n  since: 1h\n');
    expect(config.prometheus).toBeUndefined();
    expect(config.alertmanager).toBeUndefined();
  });

  it('names file, line and field of a bad URL, duration, unknown key or missing query', async () => {
    expect(await messageFor('alertmanager:\n  url: alertmanager:9093\n')).toBe(
      'opsdeck.yaml:2:8: alertmanager.url: expected an http:// or https:// URL, got "alertmanager:9093"',
    );
    expect(await messageFor('prometheus:\n  url: http://p:9090\n  queries:\n    - name: rate\n      query: up\n      range: 30 minutes\n')).toBe(
      'opsdeck.yaml:6:14: prometheus.queries[0].range: invalid duration "30 minutes": use a number and a unit (ms, s, m, h, d), e.g. 30m, 1h or 2h30m',
    );
    expect(await messageFor('prometheus:\n  url: http://p:9090\n  interval: 200ms\n')).toBe('opsdeck.yaml:3:13: prometheus.interval: must be at least 1s, got "200ms"');
    expect(await messageFor('alertmanager:\n  url: http://a:9093\n  token: x\n')).toBe(
      'opsdeck.yaml:3:3: alertmanager.token: unknown key (expected one of: url, bearerTokenFile, tlsVerify, caFile, interval)',
    );
    expect(await messageFor('prometheus:\n  url: http://p:9090\n  queries:\n    - name: errors\n')).toBe('opsdeck.yaml:4:7: prometheus.queries[0].query: required key is missing');
    expect(await messageFor('prometheus:\n  url: http://p:9090\n  tlsVerify: "no"\n')).toBe('opsdeck.yaml:3:14: prometheus.tlsVerify: expected true or false, got "no"');
  });

  it('refuses two queries of one name, pointing at the second', async () => {
    expect(await messageFor('prometheus:\n  url: http://p:9090\n  queries:\n    - { name: errors, query: a }\n    - { name: errors, query: b }\n')).toBe(
      'opsdeck.yaml:5:15: prometheus.queries[1].name: another query is already named "errors"',
    );
  });
});
