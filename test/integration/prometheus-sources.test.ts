// Prometheus and Alertmanager as live sources, against the real servers of the global setup
// (lab/prometheus-engine.mjs): Debian's Prometheus scraping the test exporter every second with a
// HighErrorRate rule, and Alertmanager receiving it. Each test uses a scenario label of its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { setScenario, startPrometheusLab, type PrometheusLab } from '../../lab/prometheus-engine.mjs';
import { createAlertmanagerClient } from '../../src/adapters/prometheus/alertmanager-client';
import { silenceActionFor } from '../../src/store/selectors/source-rows';
import type { AlertmanagerConfig, PrometheusConfig } from '../../src/adapters/prometheus/source-types';
import { DEFAULT_CONFIG } from '../../src/config/load-config';
import type { EngineAction } from '../../src/domain/engine-action';
import { alertmanagerChecker } from '../../src/gates/checks/alertmanager-check';
import { prometheusChecker } from '../../src/gates/checks/prometheus-check';
import type { GateCheckContext, PrometheusCheck } from '../../src/gates/gate-types';
import { parseComparison } from '../../src/gates/value-comparison';
import { createRuntime, type Runtime } from '../../src/runtime/runtime';
import { waitFor } from '../support/wait-for';

const prometheusUrl = inject('prometheusUrl');
const alertmanagerUrl = inject('alertmanagerUrl');
const exporterUrl = inject('exporterUrl');

const scenarioName = (what: string): string => `${what}-${randomBytes(3).toString('hex')}`;
const errorRatio = (scenario: string): string => `opsdeck_lab_error_ratio{scenario="${scenario}"}`;

const prometheusConfig = (url = prometheusUrl, queries: PrometheusConfig['queries'] = []): PrometheusConfig => ({ url, tlsVerify: true, intervalMs: 1000, queries });
const alertmanagerConfig: AlertmanagerConfig = { url: alertmanagerUrl, tlsVerify: true, intervalMs: 1000 };

const runtimes: Runtime[] = [];
const labs: PrometheusLab[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
  await Promise.all(labs.splice(0).map((lab) => lab.dispose()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A state directory of the test's own (incident journals, runs). */
function stateEnvironment(): NodeJS.ProcessEnv {
  const directory = mkdtempSync(join(tmpdir(), 'opsdeck-sources-state-'));
  directories.push(directory);
  return { ...process.env, HOME: directory, XDG_STATE_HOME: join(directory, 'state'), OPSDECK_SHARED_DIR: join(directory, 'shared') };
}

/** The cockpit's runtime with only the two sources (no engines), its pollers running every second. */
function startSources(options: { readOnly?: boolean; dryRun?: boolean; prometheus?: PrometheusConfig } = {}): Runtime {
  const runtime = createRuntime({
    config: { ...DEFAULT_CONFIG, engines: [], prometheus: options.prometheus ?? prometheusConfig(), alertmanager: alertmanagerConfig },
    readOnly: options.readOnly ?? false,
    dryRun: options.dryRun ?? false,
    flushIntervalMs: 20,
    env: stateEnvironment(),
  });
  runtimes.push(runtime);
  runtime.sources.start();
  return runtime;
}

function gateContext(runtime: Runtime): GateCheckContext {
  return {
    signal: AbortSignal.timeout(5000),
    now: Date.now,
    executor: runtime.executor,
    state: () => runtime.store.getState(),
    ...(runtime.sources.prometheus ? { prometheus: runtime.sources.prometheus } : {}),
    ...(runtime.sources.alertmanager ? { alertmanager: runtime.sources.alertmanager } : {}),
  };
}

/** The acknowledge action the cockpit makes for an external alert. */
function silenceAction(runtime: Runtime, fingerprint: string, comment: string): Extract<EngineAction, { verb: 'silence' }> {
  const alert = runtime.store.getState().externalAlerts[fingerprint];
  if (!alert) throw new Error(`no alert ${fingerprint}`);
  return silenceActionFor(alert, 2 * 60 * 60 * 1000, comment, 'test-operator');
}

/** The firing alert of a scenario, once Alertmanager has it in the store. */
function waitForStoreAlert(runtime: Runtime, scenario: string, timeoutMs = 30_000) {
  return waitFor(`HighErrorRate of ${scenario} in the store`, () => Object.values(runtime.store.getState().externalAlerts).find((alert) => alert.labels.scenario === scenario), { timeoutMs, intervalMs: 200 });
}

const silencesWith = async (comment: string) => (await createAlertmanagerClient(alertmanagerConfig).silences()).filter((silence) => silence.comment === comment);

describe('Prometheus and Alertmanager sources (real servers)', () => {
  it('a query gate sees the exporter change: pass, then fail with the series as evidence', async () => {
    const scenario = scenarioName('gate');
    await setScenario(exporterUrl, scenario, { errorRatio: 0.1 });
    const runtime = startSources();
    const check: PrometheusCheck = { type: 'prometheus', query: errorRatio(scenario), comparison: { ...parseComparison('< 0.5', { pathAllowed: false }), path: [] } };
    const passed = await waitFor('the gate to pass', async () => {
      const outcome = await prometheusChecker.run(check, gateContext(runtime));
      return outcome.status === 'pass' ? outcome : undefined;
    });
    expect(passed.evidence?.items).toEqual([`opsdeck_lab_error_ratio{instance="${new URL(exporterUrl).host}", job="opsdeck-lab", scenario="${scenario}"} = 0.1`]);
    await setScenario(exporterUrl, scenario, { errorRatio: 0.9 });
    const failed = await waitFor('the gate to fail', async () => {
      const outcome = await prometheusChecker.run(check, gateContext(runtime));
      return outcome.status === 'fail' ? outcome : undefined;
    });
    expect(failed.detail).toMatch(/^1 of 1 series fail < 0\.5: opsdeck_lab_error_ratio\{.*scenario=".*"\} = 0\.9$/);
    expect(failed.evidence).toMatchObject({ value: '0.9', comparison: '< 0.5' });

    const empty = await prometheusChecker.run({ ...check, query: errorRatio('nobody-has-this') }, gateContext(runtime));
    expect(empty.status).toBe('unknown');
    expect((await prometheusChecker.run({ ...check, query: errorRatio('nobody-has-this'), emptyPasses: true }, gateContext(runtime))).status).toBe('pass');
    const broken = await prometheusChecker.run({ ...check, query: 'sum(' }, gateContext(runtime));
    expect(broken).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/^Prometheus 400: invalid parameter "query": .*unclosed left parenthesis/) });
  });

  it('review queries reach the store with a value and a sparkline from the range query', async () => {
    const scenario = scenarioName('metrics');
    await setScenario(exporterUrl, scenario, { errorRatio: 0.2, requestsPerSecond: 50, latencySeconds: 0.3 });
    const queries = [
      { name: 'error ratio', query: errorRatio(scenario), unit: '%', warning: 0.1, critical: 0.5, rangeMs: 60_000, stepMs: 1000 },
      { name: 'throughput', query: `sum(rate(opsdeck_lab_requests_total{scenario="${scenario}"}[5s]))`, unit: 'req/s', rangeMs: 60_000, stepMs: 1000 },
    ];
    const runtime = startSources({ prometheus: prometheusConfig(prometheusUrl, queries) });
    const readings = await waitFor(
      'both readings with points',
      () => {
        const { metricReadings } = runtime.store.getState();
        const ratio = metricReadings['error ratio'];
        const throughput = metricReadings.throughput;
        // rate() over the first seconds of a series extrapolates low: wait until it has settled near 50/s.
        const settled = throughput?.value !== undefined && throughput.value > 40 && throughput.value < 60;
        return ratio?.value === 0.2 && ratio.points.length >= 2 && settled ? { ratio, throughput } : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(readings.ratio.points.every((point) => point === 0.2)).toBe(true);
    expect(readings.throughput.points.length).toBeGreaterThanOrEqual(2);
    expect(runtime.store.getState().prometheusStatus).toMatchObject({ state: 'connected', url: prometheusUrl });
  });

  it('the rule fires, Alertmanager reports it, the cockpit shows it; a silence from the cockpit suppresses it', async () => {
    const scenario = scenarioName('alert');
    await setScenario(exporterUrl, scenario, { errorRatio: 0.9 });
    const runtime = startSources();
    const started = performance.now();
    const alert = await waitForStoreAlert(runtime, scenario);
    const firingMs = Math.round(performance.now() - started);
    expect(alert).toMatchObject({ name: 'HighErrorRate', severity: 'critical', state: 'active', silencedBy: [], annotations: { summary: `error ratio 0.9 in ${scenario}` } });
    expect(runtime.store.getState().alertmanagerStatus).toMatchObject({ state: 'connected' });
    const gate = { type: 'alertmanager' as const, matchers: { alertname: 'HighErrorRate', scenario } };
    const firing = await alertmanagerChecker.run(gate, gateContext(runtime));
    expect(firing).toMatchObject({ status: 'fail', detail: '1 firing: HighErrorRate' });
    expect(firing.evidence?.items?.[0]).toContain(`scenario="${scenario}"`);

    // During an incident the acknowledgement is journaled in it.
    await runtime.incidents.declare({ severity: 'P1', title: `checkout errors ${scenario}`, services: [] });
    const comment = `acknowledged by the test ${scenario}`;
    const action = silenceAction(runtime, alert.fingerprint, comment);
    const silenceStarted = performance.now();
    const result = await runtime.executor.execute(action);
    expect(result).toMatchObject({ status: 'done', call: { type: 'http', method: 'POST', path: `${alertmanagerUrl}/api/v2/silences` } });
    const [silence] = await silencesWith(comment);
    expect(silence).toMatchObject({ id: result.output?.silenceId, createdBy: 'test-operator', state: 'active' });
    expect(silence?.matchers).toContainEqual({ name: 'scenario', value: scenario, isRegex: false, isEqual: true });
    expect((silence?.endsAt ?? 0) - (silence?.startsAt ?? 0)).toBeGreaterThan(2 * 60 * 60 * 1000 - 5000);
    const suppressed = await waitFor('the alert suppressed in the store', () => {
      const current = runtime.store.getState().externalAlerts[alert.fingerprint];
      return current?.state === 'suppressed' ? current : undefined;
    });
    const suppressedMs = Math.round(performance.now() - silenceStarted);
    expect(suppressed.silencedBy).toEqual([result.output?.silenceId]);
    expect(runtime.store.getState().incidentRecords).toContainEqual({ type: 'silence', at: expect.any(Number), alert: 'HighErrorRate', silenceId: result.output?.silenceId, by: 'test-operator' });
    expect(await alertmanagerChecker.run(gate, gateContext(runtime))).toMatchObject({ status: 'pass', detail: expect.stringContaining('(1 silenced or inhibited)') });
    console.log(`[prometheus] rule to alert in the store ${firingMs} ms; silence to suppressed in the store ${suppressedMs} ms`);
    await setScenario(exporterUrl, scenario, { errorRatio: 0 });
  });

  it('read-only refuses the silence and dry-run shows the exact call; neither sends anything', async () => {
    const scenario = scenarioName('refuse');
    await setScenario(exporterUrl, scenario, { errorRatio: 0.95 });
    const readOnly = startSources({ readOnly: true });
    const alert = await waitForStoreAlert(readOnly, scenario);
    const comment = `must not exist ${scenario}`;
    const refused = await readOnly.executor.execute(silenceAction(readOnly, alert.fingerprint, comment));
    expect(refused).toMatchObject({ status: 'refused', error: 'read-only mode: refused to silence HighErrorRate' });

    const dryRun = startSources({ dryRun: true });
    const dryAlert = await waitForStoreAlert(dryRun, scenario);
    const action = silenceAction(dryRun, dryAlert.fingerprint, comment);
    const wouldDo = await dryRun.executor.execute(action);
    expect(wouldDo.status).toBe('would-do');
    expect(wouldDo.call).toMatchObject({
      type: 'http',
      method: 'POST',
      path: `${alertmanagerUrl}/api/v2/silences`,
      body: { matchers: action.matchers, createdBy: 'test-operator', comment, startsAt: expect.any(String), endsAt: expect.any(String) },
    });
    expect(await silencesWith(comment)).toEqual([]);
    expect(dryRun.store.getState().externalAlerts[dryAlert.fingerprint]?.state).toBe('active');
    await setScenario(exporterUrl, scenario, { errorRatio: 0 });
  });

  it('Prometheus stopped shows the source disconnected with its error, restarted shows it connected again', async () => {
    const lab = await startPrometheusLab({ alertmanager: false });
    labs.push(lab);
    const runtime = startSources({ prometheus: prometheusConfig(lab.prometheusUrl, [{ name: 'up', query: 'up', rangeMs: 30_000, stepMs: 1000 }]) });
    await waitFor('connected', () => runtime.store.getState().prometheusStatus?.state === 'connected');
    const stopped = performance.now();
    await lab.stopPrometheus();
    const away = await waitFor('disconnected', () => {
      const status = runtime.store.getState().prometheusStatus;
      return status?.state === 'disconnected' ? status : undefined;
    });
    const disconnectedMs = Math.round(performance.now() - stopped);
    expect(away.error).toMatch(new RegExp(`^Prometheus ${lab.prometheusUrl.replace(/[.:/]/g, '\\$&')}: connect ECONNREFUSED`));
    // The status is written at once, the readings with the next flush.
    const reading = await waitFor('the reading failed', () => runtime.store.getState().metricReadings.up?.error);
    expect(reading).toContain('ECONNREFUSED');
    const restarted = performance.now();
    await lab.startPrometheus();
    await waitFor('connected again', () => runtime.store.getState().prometheusStatus?.state === 'connected', { timeoutMs: 15_000 });
    await waitFor('a reading without error', () => runtime.store.getState().metricReadings.up?.error === undefined);
    console.log(`[prometheus] own lab started in ${lab.startMs} ms; stop to disconnected ${disconnectedMs} ms; restart to connected ${Math.round(performance.now() - restarted)} ms`);
  });
});
