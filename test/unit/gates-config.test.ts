import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load-config';
import { createBuiltInActionRegistry } from '../../src/playbooks/actions/built-in-actions';
import { loadPlaybookCatalog, shippedPlaybooksDirectory } from '../../src/playbooks/load-playbooks';
import { resolveGates } from '../../src/config/gates-config';
import { parseYamlSource } from '../../src/config/located-problems';

/** The gates of an opsdeck.yaml text, as loading the file resolves them (relative paths against /etc/opsdeck). */
function gatesOf(text: string) {
  const source = parseYamlSource(text, 'opsdeck.yaml');
  return resolveGates((source.data as { gates?: unknown[] }).gates, source, '/etc/opsdeck');
}

/** The invalid entries' messages, as the panel and `opsdeck check` print them. */
function messagesOf(text: string): string[] {
  return gatesOf(text).invalid.map((gate) => gate.message);
}

describe('gates: valid entries', () => {
  it('resolves a runbook pipeline gate with its defaults: critical, 30s interval, 10s timeout, TLS verified', () => {
    const { specs, invalid } = gatesOf(`gates:
  - id: G6
    title: Runtime contract
    stage: 6
    failureCode: G6_RUNTIME_CONTRACT
    check:
      type: http
      url: https://127.0.0.1:8443/health
      json: .metrics.avg_query_time_ms < 1000
`);
    expect(invalid).toEqual([]);
    expect(specs).toEqual([
      {
        id: 'G6',
        title: 'Runtime contract',
        stage: 6,
        failureCode: 'G6_RUNTIME_CONTRACT',
        severity: 'critical',
        intervalMs: 30_000,
        timeoutMs: 10_000,
        origin: { file: 'opsdeck.yaml', line: 2 },
        check: {
          type: 'http',
          method: 'GET',
          url: 'https://127.0.0.1:8443/health',
          tlsVerify: true,
          json: { source: '.metrics.avg_query_time_ms < 1000', path: ['metrics', 'avg_query_time_ms'], operator: '<', value: 1000 },
        },
      },
    ]);
  });

  it('parses durations, resolves relative paths against the config directory and binds the recovery inputs as written', () => {
    const { specs, invalid } = gatesOf(`gates:
  - id: backups
    title: Database backup fresh
    severity: warning
    interval: 5m
    timeout: 20s
    recovery: { playbook: verify-latest-backup, inputs: { service: '{{ gate.workload }}', keep: '7' } }
    check: { type: backup, glob: backups/db/*.sql.gz, maxAge: 26h, minimumBytes: 1024 }
  - id: G9
    title: Determinism
    stage: 9
    check: { type: file, path: exports/deterministic-status.json, json: .exit_code == 0, maxAge: 1d }
  - id: vault
    title: Vault unsealed
    check: { type: command, argv: [vault, status, -format=json], exec: vault, expectExit: [0, 2], json: .sealed == false }
  - id: cert
    title: API certificate
    check: { type: certificate, endpoint: '127.0.0.1:8443', warningDays: 14 }
  - id: G2
    title: Podman connection
    stage: 2
    check: { type: built-in, gate: engine-reachable }
`);
    expect(invalid).toEqual([]);
    const [backup, determinism, vault, cert, connection] = specs;
    expect(backup).toMatchObject({
      severity: 'warning',
      intervalMs: 300_000,
      timeoutMs: 20_000,
      recovery: { playbook: 'verify-latest-backup', inputs: { service: '{{ gate.workload }}', keep: '7' } },
      check: { type: 'backup', glob: '/etc/opsdeck/backups/db/*.sql.gz', maxAgeMs: 26 * 3_600_000, minimumBytes: 1024 },
    });
    expect(determinism?.check).toEqual({
      type: 'file',
      path: '/etc/opsdeck/exports/deterministic-status.json',
      maxAgeMs: 86_400_000,
      json: { source: '.exit_code == 0', path: ['exit_code'], operator: '==', value: 0 },
    });
    expect(vault?.check).toMatchObject({ type: 'command', argv: ['vault', 'status', '-format=json'], exec: { target: 'vault' }, expectExit: [0, 2], json: { value: false } });
    expect(cert?.check).toEqual({ type: 'certificate', endpoint: { host: '127.0.0.1', port: 8443 }, warningDays: 14, criticalDays: 7 });
    expect(connection).toMatchObject({ id: 'G2', stage: 2, check: { type: 'built-in', gate: 'engine-reachable' } });
  });

  it('takes tlsVerify: false only when written', () => {
    const { specs } = gatesOf(`gates:
  - { id: a, title: A, check: { type: http, url: 'https://127.0.0.1/', tlsVerify: false, expectStatus: 204 } }
`);
    expect(specs[0]?.check).toMatchObject({ tlsVerify: false, expectStatus: [204] });
  });
});

describe('gates: a bad entry is one located line, the others still load', () => {
  it('names file, line, column and field of each bad entry and keeps the good ones', async () => {
    const config = await parseConfigText(
      `engines:
  - { name: local, host: 'unix:///var/run/docker.sock' }
gates:
  - id: G0
    title: Preflight
    stage: 0
    check: { type: file, path: exports/preflight.ok }
  - id: G3
    title: Reset
    check:
      type: http
      url: ftp://127.0.0.1/reset
  - id: G5
    title: Deploy vault
    check: { type: tcp, host: 127.0.0.1, port: 8200 }
`,
      { fileName: 'opsdeck.yaml', baseDirectory: '/srv/demo', env: {} },
    );
    expect(config.gates.specs.map((spec) => spec.id)).toEqual(['G0', 'G5']);
    expect(config.gates.invalid).toEqual([
      { id: 'G3', file: 'opsdeck.yaml', line: 8, message: 'opsdeck.yaml:12:12: gates[1].check.url: expected an http:// or https:// URL, got "ftp://127.0.0.1/reset"' },
    ]);
    expect(config.gates.specs[0]?.check).toMatchObject({ path: '/srv/demo/exports/preflight.ok' });
  });

  it('makes the later of two entries with the same id invalid, and a configured gate may not take a built-in id', () => {
    expect(
      messagesOf(`gates:
  - { id: G5, title: First, check: { type: tcp, host: 127.0.0.1, port: 1 } }
  - { id: G5, title: Second, check: { type: tcp, host: 127.0.0.1, port: 2 } }
  - { id: host-disk, title: Mine, check: { type: disk, path: / } }
`),
    ).toEqual([
      'opsdeck.yaml:3:11: gates[1].id: duplicate gate id "G5" (also gates[0])',
      'opsdeck.yaml:4:11: gates[2].id: "host-disk" is a built-in gate\'s id (place it with check: {type: built-in, gate: host-disk})',
    ]);
    expect(gatesOf(`gates:
  - { id: G5, title: First, check: { type: tcp, host: 127.0.0.1, port: 1 } }
  - { id: G5, title: Second, check: { type: tcp, host: 127.0.0.1, port: 2 } }
`).specs.map((spec) => spec.title)).toEqual(['First']);
  });

  it('explains unknown check types, unknown keys, bad comparisons, shell strings and missing keys', () => {
    expect(
      messagesOf(`gates:
  - id: a
    title: A
    check: { type: smoke }
  - id: b
    title: B
    retries: 3
    check: { type: tcp, host: 127.0.0.1, port: 80 }
  - id: c
    title: C
    check: { type: command, argv: [vault, status], json: 'sealed == false' }
  - id: d
    title: D
    check: { type: command, argv: 'vault status' }
  - id: e
    title: E
  - just a word
`),
    ).toEqual([
      'opsdeck.yaml:4:20: gates[0].check.type: expected "http" or "tcp" or "command" or "container" or "certificate" or "backup" or "disk" or "file" or "prometheus" or "alertmanager" or "built-in", got "smoke"',
      'opsdeck.yaml:7:5: gates[1].retries: unknown key (expected one of: id, title, stage, failureCode, severity, interval, timeout, recovery, check)',
      'opsdeck.yaml:11:58: gates[2].check.json: expected a path starting with "." before the operator, got "sealed == false"',
      'opsdeck.yaml:14:35: gates[3].check.argv: expected the command as a list of arguments (never a shell string), got "vault status"',
      'opsdeck.yaml:15:5: gates[4].check: required key is missing',
      'opsdeck.yaml:17:5: gates[5]: expected a mapping, got "just a word"',
    ]);
  });

  it('checks durations, the timeout against the interval, stages, regexes, recovery bindings and certificate days', () => {
    const invalid = gatesOf(`gates:
  - { id: a, title: A, interval: 5s, timeout: 10s, check: { type: tcp, host: 127.0.0.1, port: 80 } }
  - { id: b, title: B, interval: 5, check: { type: tcp, host: 127.0.0.1, port: 80 } }
  - { id: c, title: C, interval: 8s, check: { type: tcp, host: 127.0.0.1, port: 80 } }
  - { id: d, title: D, stage: -1, check: { type: tcp, host: 127.0.0.1, port: 80 } }
  - { id: e, title: E, check: { type: file, path: out.log, contentMatches: '(unclosed' } }
  - { id: f, title: F, recovery: { playbook: restart-service, inputs: { service: '{{ inputs.service }}' } }, check: { type: disk, path: / } }
  - { id: g, title: G, check: { type: certificate, file: api.pem, warningDays: 5, criticalDays: 7 } }
  - { id: h, title: H, check: { type: built-in, gate: vault-ok } }
  - { id: i, title: I, check: { type: prometheus, query: up, comparison: '.value < 1' } }
`).invalid;
    expect(invalid.map((gate) => [gate.id, gate.line, gate.message])).toEqual([
      ['a', 2, 'opsdeck.yaml:2:47: gates[0].timeout: timeout (10s) must be shorter than interval (5s)'],
      ['b', 3, 'opsdeck.yaml:3:34: gates[1].interval: expected a duration such as 30s, 5m or 26h, got 5'],
      ['c', 4, 'opsdeck.yaml:4:34: gates[2].interval: timeout (10s) must be shorter than interval (8s)'],
      ['d', 5, 'opsdeck.yaml:5:31: gates[3].stage: must be at least 0, got -1'],
      ['e', 6, 'opsdeck.yaml:6:76: gates[4].check.contentMatches: invalid regular expression: /(unclosed/: Unterminated group'],
      ['f', 7, 'opsdeck.yaml:7:82: gates[5].recovery.inputs.service: {{ inputs.service }}: a recovery input binds gate.id, gate.detail or gate.workload only'],
      ['g', 8, 'opsdeck.yaml:8:80: gates[6].check.warningDays: warningDays (5) must be more than criticalDays (7)'],
      ['h', 9, 'opsdeck.yaml:9:55: gates[7].check.gate: expected "engine-reachable" or "no-restarting" or "no-unhealthy" or "deployments-available" or "no-pod-crash-loop" or "no-pod-pending" or "host-disk" or "host-memory", got "vault-ok"'],
      ['i', 10, 'opsdeck.yaml:10:74: gates[8].check.comparison: expected "<operator> <value>" such as "< 0.05" (no path: each sample\'s value is compared), got ".value < 1"'],
    ]);
  });
});

describe('the shipped example', () => {
  it('examples/opsdeck.yaml loads with every gate valid: runbook 001 pipeline G0-G9 with failure codes, runbook 000 health checks', async () => {
    const file = path.join(__dirname, '..', '..', 'examples', 'opsdeck.yaml');
    const { config } = await loadConfig({ path: file, env: { HOME: os.tmpdir() } });
    expect(config.gates.invalid).toEqual([]);
    const pipeline = config.gates.specs.filter((spec) => spec.stage !== undefined);
    expect(pipeline.map((spec) => spec.failureCode)).toEqual(['G0_PRECHECK', 'G2_CONNECTION', 'G3_RESET', 'G5_DEPLOY_VAULT', 'G6_RUNTIME_CONTRACT', 'G7_SEED', 'G8_NOTEBOOKS', 'G9_DETERMINISM']);
    expect(config.gates.specs.find((spec) => spec.id === 'G5')?.check).toMatchObject({ type: 'command', argv: ['vault', 'status', '-format=json'], json: { path: ['sealed'], value: false } });
    expect(config.gates.specs.find((spec) => spec.id === 'G9')?.check).toMatchObject({ type: 'file', path: path.join(path.dirname(file), 'exports', 'deterministic-status.json') });
    expect(new Set(config.gates.specs.map((spec) => spec.check.type))).toEqual(new Set(['command', 'built-in', 'http', 'file', 'certificate', 'backup', 'disk', 'prometheus', 'alertmanager']));
    expect(config.prometheus?.queries.map((query) => query.name)).toEqual(['p95 latency', 'error rate', 'throughput']);
    expect(config.alertmanager?.url).toBe('http://127.0.0.1:9093');
    expect(config.gates.specs.find((spec) => spec.id === 'critical-alerts')?.check).toEqual({ type: 'alertmanager', matchers: { severity: 'critical' } });
    // Every recovery names a shipped playbook and only inputs it declares.
    const catalog = await loadPlaybookCatalog({ directories: [shippedPlaybooksDirectory()], registry: createBuiltInActionRegistry() });
    for (const spec of config.gates.specs) {
      if (!spec.recovery) continue;
      const playbook = catalog.playbooks.find((candidate) => candidate.id === spec.recovery?.playbook);
      expect(playbook, `${spec.id}: playbook ${spec.recovery.playbook}`).toBeDefined();
      for (const input of Object.keys(spec.recovery.inputs)) expect(playbook?.inputs.map((declared) => declared.name), `${spec.id}: input ${input}`).toContain(input);
    }
  });
});
