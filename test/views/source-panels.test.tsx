// Prometheus' review queries and Alertmanager's alerts on screen, through keystrokes: the metrics
// rows (value, unit, level colour, sparkline, --ascii), the alert beside the cockpit's own errors,
// and `a` acknowledging it: the prompt on `silence 2h `, the y/N dialog with the exact call, and the
// silence posted by the real silencer to a loopback Alertmanager stand-in.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertmanagerClient } from '../../src/adapters/prometheus/alertmanager-client';
import { createAlertmanagerSilencer } from '../../src/adapters/prometheus/alertmanager-silencer';
import type { ExternalAlert, MetricQuery } from '../../src/adapters/prometheus/source-types';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import type { MetricReading } from '../../src/store/slices/sources-slice';
import { createViewStore, feedIncident, KEYS, lineWith, NOW } from './fixtures';
import { renderApp } from './render-app';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const query = (name: string, change: Partial<MetricQuery> = {}): MetricQuery => ({ name, query: `${name}_query`, rangeMs: 1_800_000, stepMs: 30_000, ...change });
const reading = (metric: MetricQuery, value: number | undefined, points: number[]): MetricReading => ({ query: metric, ...(value !== undefined ? { value } : {}), points, at: NOW });

const ALERT: ExternalAlert = {
  fingerprint: 'f00d',
  name: 'HighErrorRate',
  labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'checkout' },
  annotations: { summary: 'error ratio 0.9' },
  severity: 'critical',
  state: 'active',
  silencedBy: [],
  startsAt: NOW - 5 * 60_000,
};

function feedSources(store: OpsdeckStore, alertmanagerUrl: string): void {
  const actions = store.getState();
  actions.sourceStatusChanged('prometheus', { state: 'connected', url: 'http://127.0.0.1:9090' });
  actions.sourceStatusChanged('alertmanager', { state: 'connected', url: alertmanagerUrl });
  actions.metricsRead([
    reading(query('p95 latency', { unit: 'ms', warning: 200, critical: 500 }), 250, [100, 120, 180, 250]),
    reading(query('error rate', { unit: '%', warning: 1, critical: 5 }), 7.5, [0, 0, 2, 7.5]),
    reading(query('throughput', { unit: 'req/s', warning: 50, critical: 10 }), 120, [110, 120, 130, 120]),
  ]);
  actions.externalAlertsReplaced([ALERT]);
  actions.flush();
}

/** A loopback Alertmanager stand-in: records the silences posted and answers an id. */
async function alertmanagerStandIn(): Promise<{ url: string; posted: unknown[] }> {
  const posted: unknown[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/api/v2/silences') {
        posted.push(JSON.parse(body));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ silenceID: 'silence-42' }));
      } else response.writeHead(404).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, posted };
}

async function renderSources(options: { readOnly?: boolean; ascii?: boolean; width?: number; height?: number } = {}) {
  const standIn = await alertmanagerStandIn();
  const store = createViewStore({ readOnly: options.readOnly ?? false });
  feedIncident(store);
  feedSources(store, standIn.url);
  const silencer = createAlertmanagerSilencer({
    client: createAlertmanagerClient({ url: standIn.url, tlsVerify: true, intervalMs: 1000 }),
    baseUrl: standIn.url,
    readOnly: options.readOnly ?? false,
    operator: 'alice',
  });
  const app = await renderApp(store, { adapters: [silencer], width: options.width ?? 120, height: options.height ?? 40, ...(options.ascii ? { ascii: true } : {}) });
  return { app, store, standIn };
}

/** Tab to the errors panel (its title shows focus) with the alert row selected. */
async function focusErrors(app: Awaited<ReturnType<typeof renderSources>>['app']): Promise<void> {
  for (let step = 0; step < 4 && app.store.getState().ui.focusedPanel !== 'errors'; step += 1) await app.press(KEYS.tab);
  expect(app.store.getState().ui.focusedPanel).toBe('errors');
}

describe('Prometheus metrics rows and Alertmanager alerts', () => {
  it('shows each review query with its value, unit, level and sparkline, and the alert beside the errors', async () => {
    const { app } = await renderSources();
    const frame = app.frame();
    expect(lineWith(frame, 'p95 latency')).toMatch(/p95 latency\s+250 ms ▁+▂▃▄▅│/);
    expect(lineWith(frame, 'error rate')).toContain('7.5 %');
    expect(lineWith(frame, 'throughput')).toContain('120 req/s');
    expect(lineWith(frame, 'HighErrorRate')).toMatch(/ALERT critical HighErrorRate 5m ago\s+service=checkout/);
    expect(frame.split('\n')[0]).toContain('am: 1 firing');
    // Critical rows carry the alert marker; a throughput above its levels (lower is worse) does not.
    expect(lineWith(frame, 'error rate')).toMatch(/│ ! error rate/);
    expect(lineWith(frame, 'p95 latency')).toMatch(/│ ! p95 latency/);
    expect(lineWith(frame, 'throughput')).toMatch(/│ {3}throughput/);
  });

  it('keeps to 80x24 and draws the sparklines in plain characters with --ascii', async () => {
    const { app } = await renderSources({ ascii: true, width: 80, height: 24 });
    // Stacked at 80x24: the errors summary line names the firing alert; the resources panel, focused, shows the rows.
    expect(lineWith(app.frame(), 'Recent errors')).toContain('1 firing alert, 2 fingerprints');
    await app.press(KEYS.tab);
    const frame = await app.waitFor((text) => text.includes('p95 latency'));
    expect(frame.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    expect(lineWith(frame, 'p95 latency')).toMatch(/250 ms _+\.\.-=#$/);
    expect(frame).not.toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('a opens :silence 2h, the typed duration and comment go to a y/N dialog with the exact call, y posts the silence', async () => {
    const { app, store, standIn } = await renderSources();
    await focusErrors(app);
    await app.waitFor((frame) => /a ack/.test(frame));
    await app.press('a');
    await app.waitFor((frame) => frame.includes(':silence 2h '));
    // The default duration is typed over: 2h -> 30m, then a comment.
    await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, '30m deploy in progress', KEYS.enter);
    const dialog = await app.waitFor((frame) => frame.includes('Silence alert HighErrorRate? [y/N]'));
    expect(dialog).toContain('for 30m: "deploy in progress"');
    expect(dialog).toContain(`POST ${standIn.url}/api/v2/silences`);
    expect(standIn.posted).toEqual([]);
    await app.press('y');
    await app.waitFor((frame) => frame.includes('silenced HighErrorRate: silence silence-42'));
    expect(standIn.posted).toHaveLength(1);
    const silence = standIn.posted[0] as { matchers: unknown[]; startsAt: string; endsAt: string; comment: string; createdBy: string };
    expect(silence).toMatchObject({ comment: 'deploy in progress', createdBy: 'alice' });
    // The dialog showed the exact call whole, its JSON body wrapped over the dialog's lines.
    const rows = dialog.split('\n');
    const first = rows.findIndex((row) => row.includes(`POST ${standIn.url}/api/v2/silences`));
    const column = rows[first]?.indexOf('POST') ?? -1;
    const right = rows[first]?.indexOf('┃', column) ?? -1;
    const callLines: string[] = [];
    for (let index = first; index < rows.length && (rows[index]?.slice(column, right).trim() ?? '') !== ''; index += 1) callLines.push(rows[index]?.slice(column, right).trimEnd() ?? '');
    expect(callLines.length).toBeGreaterThan(1);
    // (Its times are those of the moment it was drawn; the post is made a moment later.)
    const untimed = (text: string) => text.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"');
    expect(untimed(callLines.join(''))).toBe(untimed(`POST ${standIn.url}/api/v2/silences ${JSON.stringify(silence)}`));
    expect(silence.matchers).toEqual([
      { name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true },
      { name: 'service', value: 'checkout', isRegex: false, isEqual: true },
      { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
    ]);
    expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).toBe(30 * 60_000);
    // Once Alertmanager reports it suppressed, the row says so and the header counts it apart.
    store.getState().externalAlertsReplaced([{ ...ALERT, state: 'suppressed', silencedBy: ['silence-42'] }]);
    store.getState().flush();
    const after = await app.waitFor((frame) => /HighErrorRate silenced/.test(frame));
    expect(after.split('\n')[0]).toContain('am: none 1 silenced');
  });

  it('n cancels the dialog and nothing is posted; a bad duration is said and nothing is asked', async () => {
    const { app, standIn } = await renderSources();
    await focusErrors(app);
    await app.press('a');
    await app.waitFor((frame) => frame.includes(':silence 2h '));
    await app.press(KEYS.enter);
    await app.waitFor((frame) => frame.includes('for 2h: "acknowledged in opsdeck"'));
    await app.press('n');
    await app.waitFor((frame) => !frame.includes('[y/N]'));
    await app.press(':', 'silence 2 hours', KEYS.enter);
    await app.waitFor((frame) => frame.includes('silence: invalid duration "2"'));
    expect(app.frame()).not.toContain('[y/N]');
    expect(standIn.posted).toEqual([]);
  });

  it('read-only mode refuses the acknowledge key and offers no hint for it', async () => {
    const { app, standIn } = await renderSources({ readOnly: true });
    await focusErrors(app);
    expect(app.frame()).not.toMatch(/a ack/);
    await app.press('a');
    await app.waitFor((frame) => frame.includes('read-only mode: refused to silence HighErrorRate'));
    expect(app.frame()).not.toContain(':silence');
    expect(standIn.posted).toEqual([]);
  });
});
