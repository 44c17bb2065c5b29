// A real Prometheus (Debian's 2.42) and Alertmanager (0.25) of our own on free loopback ports, in
// a temp directory, scraping a small test exporter (a node http server in this process) every
// second, with a rule that fires (`HighErrorRate`, severity=critical) and Alertmanager receiving it.
// Controlled only through their own pids. Plain node ESM; types in prometheus-engine.d.mts.
//
// The exporter serves one set of series per *scenario* (a label), so test files sharing one lab
// never see each other's values: PUT /scenarios/NAME {"errorRatio":0.9,"requestsPerSecond":20,
// "latencySeconds":0.3} (setScenario below). Counters and the latency histogram advance with time
// at the rates set, so rate() and histogram_quantile() answer as they would for a real service.
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { freeLoopbackPorts } from './kube-engine.mjs';
import { pidFromFile, runCommand, runOnProcessExit, sleep, tailFile, terminate } from './process-state.mjs';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
const APT_INSTALL_SCRIPT = new URL('./apt-install.sh', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** The histogram's bucket bounds, in seconds. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const RULES_YAML = `groups:
  - name: opsdeck-lab
    interval: 1s
    rules:
      - alert: HighErrorRate
        expr: opsdeck_lab_error_ratio > 0.5
        labels:
          severity: critical
        annotations:
          summary: 'error ratio {{ $value }} in {{ $labels.scenario }}'
`;

/** Install prometheus and prometheus-alertmanager when either binary is missing. */
export async function installPrometheusPackages(dir) {
  if (existsSync(PROMETHEUS_BINARY) && existsSync(ALERTMANAGER_BINARY)) return false;
  const log = join(dir, 'apt-install.log');
  const result = await runCommand('bash', [APT_INSTALL_SCRIPT, log, 'prometheus', 'prometheus-alertmanager'], { timeoutMs: 15 * 60_000 });
  if (result.code !== 0) throw new Error(`installing prometheus prometheus-alertmanager failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  return true;
}

/** The exporter's text exposition: one block per metric, every scenario's series in it. */
function exposition(scenarios, now) {
  const lines = [
    '# HELP opsdeck_lab_error_ratio Share of requests that failed.',
    '# TYPE opsdeck_lab_error_ratio gauge',
  ];
  const entries = [...scenarios.entries()];
  for (const [, scenario] of entries) advance(scenario, now);
  for (const [name, scenario] of entries) lines.push(`opsdeck_lab_error_ratio{scenario="${name}"} ${scenario.errorRatio}`);
  lines.push('# HELP opsdeck_lab_requests_total Requests served.', '# TYPE opsdeck_lab_requests_total counter');
  for (const [name, scenario] of entries) lines.push(`opsdeck_lab_requests_total{scenario="${name}"} ${scenario.requests}`);
  lines.push('# HELP opsdeck_lab_errors_total Requests that failed.', '# TYPE opsdeck_lab_errors_total counter');
  for (const [name, scenario] of entries) lines.push(`opsdeck_lab_errors_total{scenario="${name}"} ${scenario.errors}`);
  lines.push('# HELP opsdeck_lab_request_duration_seconds Request latency.', '# TYPE opsdeck_lab_request_duration_seconds histogram');
  for (const [name, scenario] of entries) {
    LATENCY_BUCKETS.forEach((bound, index) => lines.push(`opsdeck_lab_request_duration_seconds_bucket{scenario="${name}",le="${bound}"} ${scenario.buckets[index]}`));
    lines.push(`opsdeck_lab_request_duration_seconds_bucket{scenario="${name}",le="+Inf"} ${scenario.requests}`);
    lines.push(`opsdeck_lab_request_duration_seconds_sum{scenario="${name}"} ${scenario.latencySum}`);
    lines.push(`opsdeck_lab_request_duration_seconds_count{scenario="${name}"} ${scenario.requests}`);
  }
  return `${lines.join('\n')}\n`;
}

function newScenario(now) {
  return { errorRatio: 0, requestsPerSecond: 10, latencySeconds: 0.08, requests: 0, errors: 0, latencySum: 0, buckets: LATENCY_BUCKETS.map(() => 0), at: now, carry: 0 };
}

/** Requests served since the last read at the rates set (whole requests; the fraction carried). */
function advance(scenario, now) {
  const exact = ((now - scenario.at) / 1000) * scenario.requestsPerSecond + scenario.carry;
  const count = Math.floor(exact);
  scenario.carry = exact - count;
  scenario.at = now;
  if (count <= 0) return;
  scenario.requests += count;
  scenario.errors += Math.round(count * scenario.errorRatio);
  scenario.latencySum += count * scenario.latencySeconds;
  LATENCY_BUCKETS.forEach((bound, index) => {
    if (scenario.latencySeconds <= bound) scenario.buckets[index] += count;
  });
}

/** The test exporter: GET /metrics, PUT /scenarios/NAME (JSON), on 127.0.0.1:port. */
export async function startTestExporter(port = 0) {
  const scenarios = new Map();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(exposition(scenarios, Date.now()));
      return;
    }
    const scenarioPath = /^\/scenarios\/([a-z0-9_-]+)$/i.exec(url.pathname);
    if (request.method === 'PUT' && scenarioPath) {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        try {
          const values = JSON.parse(body || '{}');
          const now = Date.now();
          const scenario = scenarios.get(scenarioPath[1]) ?? newScenario(now);
          advance(scenario, now);
          for (const key of ['errorRatio', 'requestsPerSecond', 'latencySeconds']) {
            if (typeof values[key] === 'number') scenario[key] = values[key];
          }
          scenarios.set(scenarioPath[1], scenario);
          response.writeHead(204).end();
        } catch (error) {
          response.writeHead(400).end(String(error));
        }
      });
      return;
    }
    response.writeHead(404).end('not found\n');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Set a scenario's values on an exporter (from any process: it is an HTTP call). */
export async function setScenario(exporterUrl, scenario, values) {
  const response = await fetch(`${exporterUrl}/scenarios/${scenario}`, { method: 'PUT', body: JSON.stringify(values) });
  if (!response.ok) throw new Error(`exporter answered ${response.status}: ${await response.text()}`);
}

function prometheusYaml({ exporterPort, alertmanagerPort }) {
  return `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files:
  - rules.yml
scrape_configs:
  - job_name: opsdeck-lab
    static_configs:
      - targets: ['127.0.0.1:${exporterPort}']
${
  alertmanagerPort
    ? `alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:${alertmanagerPort}']
`
    : ''
}`;
}

const ALERTMANAGER_YAML = `route:
  receiver: nobody
  group_by: ['alertname', 'scenario']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: nobody
`;

/** Spawn a server detached (its own process group, output to a log); its pid goes to NAME.pid. */
async function spawnServer(dir, name, binary, args) {
  const log = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  await writeFile(join(dir, `${name}.pid`), `${child.pid}\n`);
  return child.pid;
}

async function waitReady(dir, name, url, pid) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (pidFromFile(join(dir, `${name}.pid`), dir) === undefined) break;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  const log = await tailFile(join(dir, `${name}.log`), 30);
  throw new Error(`${name} (pid ${pid}) did not become ready at ${url}:\n${log}`);
}

/**
 * Start the exporter, Prometheus and (unless `alertmanager: false`) Alertmanager in a fresh temp
 * directory, installing the packages when missing. Throws with the log's tail when one cannot start.
 * @param {{ alertmanager?: boolean }} [options]
 */
export async function startPrometheusLab(options = {}) {
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'opsdeck-prom-'));
  const withAlertmanager = options.alertmanager !== false;
  let exporter;
  try {
    await installPrometheusPackages(dir);
    exporter = await startTestExporter();
    const [prometheusPort, alertmanagerPort] = await freeLoopbackPorts(2);
    await writeFile(join(dir, 'rules.yml'), RULES_YAML);
    await writeFile(join(dir, 'prometheus.yml'), prometheusYaml({ exporterPort: exporter.port, alertmanagerPort: withAlertmanager ? alertmanagerPort : undefined }));
    await writeFile(join(dir, 'alertmanager.yml'), ALERTMANAGER_YAML);
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    const pidOf = (name) => pidFromFile(join(dir, `${name}.pid`), dir);
    const startPrometheus = async () => {
      if (pidOf('prometheus') !== undefined) return;
      const pid = await spawnServer(dir, 'prometheus', PROMETHEUS_BINARY, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        '--storage.tsdb.retention.time=2h',
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        '--rules.alert.resend-delay=1s',
        '--log.level=warn',
      ]);
      await waitReady(dir, 'prometheus', prometheusUrl, pid);
    };
    const startAlertmanager = async () => {
      if (!withAlertmanager || pidOf('alertmanager') !== undefined) return;
      const pid = await spawnServer(dir, 'alertmanager', ALERTMANAGER_BINARY, [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ]);
      await waitReady(dir, 'alertmanager', alertmanagerUrl, pid);
    };
    const stopServer = async (name) => {
      const pid = pidOf(name);
      if (pid !== undefined) await terminate(pid, STOP_TIMEOUT_MS);
      await rm(join(dir, `${name}.pid`), { force: true });
    };
    await Promise.all([startPrometheus(), startAlertmanager()]);
    const unhook = runOnProcessExit(REAPER_SH, () => [dir]);
    return {
      dir,
      exporterUrl: exporter.url,
      prometheusUrl,
      ...(withAlertmanager ? { alertmanagerUrl } : {}),
      startMs: Math.round(performance.now() - t0),
      pids: () => ({ prometheus: pidOf('prometheus'), alertmanager: pidOf('alertmanager') }),
      setScenario: (scenario, values) => setScenario(exporter.url, scenario, values),
      stopPrometheus: () => stopServer('prometheus'),
      startPrometheus,
      stopAlertmanager: () => stopServer('alertmanager'),
      startAlertmanager,
      dispose: async () => {
        await Promise.all([stopServer('prometheus'), stopServer('alertmanager')]);
        await exporter.close();
        await rm(dir, { recursive: true, force: true });
        unhook();
      },
    };
  } catch (error) {
    for (const name of ['prometheus', 'alertmanager']) {
      const pid = pidFromFile(join(dir, `${name}.pid`), dir);
      if (pid !== undefined) await terminate(pid, STOP_TIMEOUT_MS);
    }
    await exporter?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Kills the lab's servers (only when their command line names its directory) and deletes it. */
const REAPER_SH = `
dir=$1
for name in prometheus alertmanager; do
  pid=$(cat "$dir/$name.pid" 2>/dev/null) || continue
  [ -r /proc/$pid/cmdline ] && tr '\\0' ' ' </proc/$pid/cmdline | grep -qF -- "$dir" && kill -TERM "$pid" 2>/dev/null
done
sleep 1
rm -rf "$dir"
`;
