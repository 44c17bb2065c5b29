// The gates pipeline on a real terminal: the bundled cockpit in tmux with an opsdeck.yaml whose
// staged gates check loopback servers this test owns (G0 a TCP listener, G1 an HTTP health
// endpoint the test turns from 200 to 503 and back, G2 a JSON status report), an independent
// gate, and a malformed entry. Read back with capture-pane: the stage order, G2 `blocked` naming
// G1 and its code while G1 fails, the alert counted in the header and cleared again, the evidence
// and flip history behind `enter`, the invalid entry's file:line, and the terminal given back on q.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from '../support/tmux-session';

/** `alerts: 2 crit 1 warn` (or `alerts: none`) in the header line. */
function headerAlerts(header: string): { critical: number; warning: number } | undefined {
  if (/alerts: none/.test(header)) return { critical: 0, warning: 0 };
  const counts = /alerts: (\d+) crit (\d+) warn/.exec(header);
  return counts ? { critical: Number(counts[1]), warning: Number(counts[2]) } : undefined;
}

/** The gates panel row of this gate id or title. */
function gateRow(lines: string[], pattern: RegExp): string | undefined {
  return lines.find((line) => pattern.test(line));
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe('gates pipeline in the cockpit (tmux, loopback servers)', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-gates-terminal-'));
  let healthy = true;
  let healthRequests = 0;
  const listener = net.createServer((socket) => socket.end());
  const health = http.createServer((request, response) => {
    healthRequests += 1;
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    // The failing body carries a title-setting escape sequence: it must not reach the terminal.
    response.end(healthy ? '{"status":"ok"}' : '{"status":"degraded","reason":"db pool exhausted\u001b]2;owned-by-body\u0007"}');
  });
  // Run from the directory of its opsdeck.yaml, as an operator would: problems name `opsdeck.yaml:LINE`.
  const session = new TmuxSession({ directory, cwd: directory, env: { XDG_STATE_HOME: path.join(directory, 'state'), HOME: directory } });
  let invalidLine = 0;

  beforeAll(async () => {
    const [listenerPort, healthPort] = await Promise.all([listen(listener), listen(health)]);
    writeFileSync(path.join(directory, 'status.json'), JSON.stringify({ exit_code: 0, checked: 12 }));
    const yaml = [
      // No engine is needed here: a socket that does not exist gives one steady "engine
      // disconnected" alert. Host CPU warns from 0 % (critical only at 100 %), so on a loaded
      // machine its alert is one alert all along instead of coming and going between reads.
      'engines:',
      `  - { name: local, type: docker, host: 'unix://${path.join(directory, 'no-docker.sock')}' }`,
      'thresholds:',
      '  cpu: { warning: 0, critical: 100 }',
      'gates:',
      '  - id: G0',
      '    title: Listener up',
      '    stage: 0',
      '    failureCode: G0_LISTENER',
      '    interval: 2s',
      '    timeout: 1500ms',
      `    check: { type: tcp, host: 127.0.0.1, port: ${listenerPort} }`,
      '  - id: G1',
      '    title: Health endpoint',
      '    stage: 1',
      '    failureCode: G1_HEALTH',
      '    interval: 2s',
      '    timeout: 1500ms',
      `    check: { type: http, url: 'http://127.0.0.1:${healthPort}/health', expectStatus: [200] }`,
      '  - id: G2',
      '    title: Status report',
      '    stage: 2',
      '    failureCode: G2_REPORT',
      '    interval: 2s',
      '    timeout: 1500ms',
      '    check: { type: file, path: status.json, json: .exit_code == 0 }',
      '  - id: docs',
      '    title: Docs listener',
      '    interval: 2s',
      '    timeout: 1500ms',
      `    check: { type: tcp, host: 127.0.0.1, port: ${listenerPort} }`,
      '  - id: broken',
      '    title: Broken entry',
      '    check: { type: tcp, host: 127.0.0.1 }',
    ];
    invalidLine = yaml.indexOf('    check: { type: tcp, host: 127.0.0.1 }') + 1;
    writeFileSync(path.join(directory, 'opsdeck.yaml'), yaml.join('\n') + '\n');
    session.run(['--config', 'opsdeck.yaml']);
  });

  afterAll(() => {
    session.dispose();
    listener.close();
    health.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('shows the stages in order, all passing, the independent gate apart and the malformed entry invalid with its file:line', { timeout: 90_000 }, async () => {
    const lines = await session.waitForScreen('G0, G1, G2 and docs passing', (_screen, rows) =>
      [/✓ G0\s+pass\s+Listener up/, /✓ G1\s+pass\s+Health endpoint/, /✓ G2\s+pass\s+Status report/, /✓\s+pass\s+Docs listener/].every((pattern) => gateRow(rows, pattern)) ? rows : undefined,
    60_000);
    const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    expect(index(/ G0\s+pass/)).toBeLessThan(index(/ G1\s+pass/));
    expect(index(/ G1\s+pass/)).toBeLessThan(index(/ G2\s+pass/));
    // The evidence of each check is its detail: the TCP connect, the HTTP answer, the report's field.
    expect(gateRow(lines, / G0\s+pass/)).toMatch(/connected to 127\.0\.0\.1:\d+/);
    expect(gateRow(lines, / G1\s+pass/)).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health: HTTP 200/);
    expect(gateRow(lines, / G2\s+pass/)).toMatch(/status\.json: \.exit_code ==/);
    // The independent gate has no stage label; the malformed one is listed, located, after the others.
    expect(gateRow(lines, /Docs listener/)).toMatch(/[│┃]\s+✓\s{5}pass/);
    const invalid = gateRow(lines, /invalid\s+broken/);
    expect(invalid).toMatch(new RegExp(`✗\\s+invalid\\s+broken\\s+ opsdeck\\.yaml:${invalidLine}:\\d+: gates\\[4\\]\\.check\\.port`));
    expect(index(/invalid\s+broken/)).toBeGreaterThan(index(/Docs listener/));
    expect(lines.find((line) => line.includes('─ Gates ('))).toMatch(/Gates \(.*1 invalid\)/);
    // Nothing is wider than the terminal.
    expect(lines.every((line) => line.length <= 120)).toBe(true);
  });

  it('shows G1 failing with G2 blocked on it, counts the gate alert in the header, and clears both when G1 answers 200 again', { timeout: 120_000 }, async () => {
    // Before the flip: the steady alerts (the engine, the host CPU) and no gate failing.
    const baseline = await session.waitForScreen('the steady alerts with every gate passing', (_screen, rows) => {
      const counts = headerAlerts(rows[0] ?? '');
      return counts && gateRow(rows, /✓ G1\s+pass/) && counts.critical + counts.warning === 2 ? counts : undefined;
    });
    expect(baseline.critical).toBeGreaterThanOrEqual(1);
    healthy = false;
    const failing = await session.waitForScreen('G1 failing and G2 blocked on it', (_screen, rows) =>
      gateRow(rows, /✗ G1\s+fail\s+Health endpoint/) && gateRow(rows, /⊘ G2\s+blocked\s+Status report/) ? rows : undefined,
    );
    expect(gateRow(failing, / G1\s+fail/)).toMatch(/HTTP 503, expected 200/);
    expect(gateRow(failing, / G2\s+blocked/)).toMatch(/blocked\s+Status report\s+(just now|\S+ ago)\s+G1 Health endpoint failed \(G1_HEALTH\)/);
    // The earlier stage is untouched and the independent gate is never blocked.
    expect(gateRow(failing, / G0\s+pass/)).toBeDefined();
    expect(gateRow(failing, /✓\s+pass\s+Docs listener/)).toBeDefined();
    const title = failing.find((line) => line.includes('─ Gates ('));
    expect(title).toMatch(/1 blocked/);
    // G1's alert is one more critical alert in the header (the blocked G2 raises none).
    const during = await session.waitForScreen('the gate alert counted in the header', (_screen, rows) => {
      const counts = headerAlerts(rows[0] ?? '');
      return counts && counts.critical + counts.warning === 3 && counts.critical >= 2 ? counts : undefined;
    });
    expect(during.critical + during.warning).toBe(baseline.critical + baseline.warning + 1);
    // The escape sequence in the failing body did not retitle the terminal.
    expect(session.format('pane_title')).not.toContain('owned-by-body');

    healthy = true;
    const cleared = await session.waitForScreen('G1 and G2 passing again', (_screen, rows) =>
      gateRow(rows, /✓ G1\s+pass/) && gateRow(rows, /✓ G2\s+pass/) ? rows : undefined,
    );
    expect(cleared.find((line) => line.includes('─ Gates'))).not.toMatch(/blocked/);
    await session.waitForScreen('the gate alert gone from the header', (_screen, rows) => {
      const counts = headerAlerts(rows[0] ?? '');
      return counts && counts.critical + counts.warning === 2 ? counts : undefined;
    });
  });

  it('shows the status code, the body excerpt and the flip history behind enter on G1, live', { timeout: 120_000 }, async () => {
    healthy = false;
    await session.waitForScreen('G1 failing', (_screen, rows) => gateRow(rows, /✗ G1\s+fail/));
    // Focus the gates panel (tab until its frame is the heavy one), then select G1.
    for (let presses = 0; presses < 6 && !session.screen().includes('┏━ Gates'); presses += 1) {
      session.keys('Tab');
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await session.waitForScreen('the gates panel focused', (screen) => screen.includes('┏━ Gates'));
    session.keys('g');
    const selectedRow = (rows: string[]) => rows.find((line) => line.includes('›') && /G\d|pass|fail|blocked|invalid|unknown/.test(line));
    await session.waitForScreen('the first gate selected', (_screen, rows) => selectedRow(rows)?.includes('G0'));
    session.keys('j');
    await session.waitForScreen('G1 selected', (_screen, rows) => selectedRow(rows)?.includes('G1'));
    session.keys('Enter');
    const detail = await session.waitForScreen('the evidence of the failing G1', (screen) =>
      screen.includes('Gate G1') && /http\s+503/.test(screen) && screen.includes('db pool exhausted') ? screen : undefined,
    );
    expect(detail).toMatch(/code\s+G1_HEALTH/);
    expect(detail).toMatch(/detail\s+GET http:\/\/127\.0\.0\.1:\d+\/health: HTTP 503, expected 200/);
    // The body excerpt is shown cleaned: the escape sequence's text is inert, nothing retitled.
    expect(session.format('pane_title')).not.toContain('owned-by-body');
    const flipsOf = (screen: string) => screen.slice(screen.indexOf('flips (oldest first)')).split('\n').filter((line) => / -> /.test(line));
    const flips = flipsOf(detail);
    // The earlier test's round trip and this failure, oldest first.
    const passToFail = flips.findIndex((line) => /pass -> fail\s+GET .*HTTP 503/.test(line));
    const failToPass = flips.findIndex((line, index) => index > passToFail && /fail -> pass\s+GET .*HTTP 200/.test(line));
    expect(passToFail).toBeGreaterThanOrEqual(0);
    expect(failToPass).toBeGreaterThan(passToFail);
    expect(flips.at(-1)).toMatch(/pass -> fail/);

    // The screen follows the next check: G1 answers 200 again, a new last flip and the new evidence.
    const requestsBefore = healthRequests;
    healthy = true;
    const recovered = await session.waitForScreen('G1 passing on its evidence screen', (screen) =>
      /status\s+pass/.test(screen) && /http\s+200/.test(screen) && flipsOf(screen).at(-1)?.match(/fail -> pass/) ? screen : undefined,
    );
    expect(healthRequests).toBeGreaterThan(requestsBefore);
    expect(recovered).not.toContain('db pool exhausted');
    expect(recovered.split('\n').every((line) => line.length <= 120)).toBe(true);
    session.keys('Escape');
    await session.waitForScreen('the panels back', (screen) => screen.includes('┏━ Gates'));
  });

  it('quits on q with exit code 0 and gives the terminal back', { timeout: 60_000 }, async () => {
    expect(session.format('alternate_on')).toBe('1');
    session.keys('q');
    expect(await session.exitStatus()).toBe(0);
    // Off the alternate screen, the cursor shown again, nothing of the cockpit left on the screen.
    expect(session.format('alternate_on')).toBe('0');
    expect(session.format('cursor_flag')).toBe('1');
    expect(session.screen()).not.toMatch(/Gates \(|Health endpoint|alerts:/);
  });
});
