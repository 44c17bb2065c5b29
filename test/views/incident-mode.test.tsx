// Incident mode through keystrokes: i opens the declare form, the header shows the severity,
// the elapsed time and the next level due; a level falling due on a moved clock opens a dialog
// answered by a key; n journals a note; the incident screen shows the timeline; y writes the
// status update to the terminal as OSC 52; r resolves. A real incident service journals it all.
import path from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_CONFIG } from '../../src/config/incident-config';
import type { IncidentConfig } from '../../src/incident/incident-types';
import { listIncidents, readIncidentRecords } from '../../src/incident/incident-journal';
import { createIncidentService, type RuntimeIncidentService } from '../../src/runtime/incident-service';
import type { OpsdeckStore } from '../../src/store/create-opsdeck-store';
import { temporaryDirectory } from '../support/journal-fixtures';
import { createViewStore, feedIncident, KEYS, lineWith } from './fixtures';
import { renderApp, type RenderedApp } from './render-app';
import { textWidth } from '../../views/format/text';

/** At most height-1 lines (Ink leaves the last for the cursor), none wider than the terminal. */
function expectFitsIn(frame: string, width: number, height: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height - 1);
  for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(width);
}

const MINUTE = 60_000;
const hintLine = (frame: string) => frame.split('\n').at(-1) ?? '';
const headerLine = (frame: string) => frame.split('\n')[0] ?? '';

let services: RuntimeIncidentService[] = [];
afterEach(() => {
  cleanup();
  for (const service of services) service.stop();
  services = [];
});

interface Setup {
  app: RenderedApp;
  store: OpsdeckStore;
  service: RuntimeIncidentService;
  clock: { now: number };
  directory: string;
  /** The journal's record types (and answers) in order. */
  journal(): string[];
}

async function setup(options: { width?: number; height?: number; config?: IncidentConfig } = {}): Promise<Setup> {
  const store = createViewStore();
  feedIncident(store);
  const state = temporaryDirectory('incident-view');
  const directory = path.join(state, 'incidents');
  // Ahead of the real time, so the header (which never shows a time before now) follows this clock alone.
  const clock = { now: Date.now() + 60 * MINUTE };
  store.getState().clockTicked(clock.now);
  const service = createIncidentService({ store, config: options.config ?? DEFAULT_INCIDENT_CONFIG, directory, runsDirectory: path.join(state, 'runs'), operator: 'alice', now: () => clock.now, checkIntervalMs: 60_000 });
  services.push(service);
  service.start();
  const app = await renderApp(store, { incidents: service, width: options.width ?? 120, height: options.height ?? 40 });
  const journal = () => {
    const file = listIncidents(directory)[0]?.path;
    if (!file) return [];
    return readIncidentRecords(file).records.map((record) => {
      if (record.type === 'escalation') return `escalation ${record.level} ${record.action}${record.contacted ? ` ${record.contacted}` : ''}`;
      if (record.type === 'note') return `note ${record.text}`;
      return record.type;
    });
  };
  return { app, store, service, clock, directory, journal };
}

/** The clock moved on: the service's timer checks, the store's clock ticks. */
function move(clock: { now: number }, store: OpsdeckStore, service: RuntimeIncidentService, minutes: number): void {
  clock.now += minutes * MINUTE;
  service.checkEscalations();
  store.getState().clockTicked(clock.now);
}

/** i, the form, a title typed, enter: declared. */
async function declare(app: RenderedApp, title: string): Promise<void> {
  await app.press('i');
  await app.waitFor((frame) => frame.includes('Declare an incident'));
  await app.press(KEYS.down, title, KEYS.enter);
}

describe('incident mode', () => {
  it('declares through the form; the header shows the severity, the elapsed time and the next level due', async () => {
    const { app, store, clock, journal } = await setup();
    // A service row is selected: the form preselects it.
    await app.press('j');
    await app.press('i');
    const form = await app.waitFor((frame) => frame.includes('Declare an incident'));
    expect(lineWith(form, /› severity\s+P1/)).toBeDefined();
    expect(lineWith(form, /services\s+local\/janusgraph-demo\/\S+/)).toBeDefined();
    expect(form).toContain('tab: P0  P1  P2  P3');
    expect(hintLine(form)).toContain('enter submit');
    // tab cycles the severities; an empty title is refused, named beside the form.
    await app.press(KEYS.tab, KEYS.tab);
    await app.waitFor((frame) => lineWith(frame, /› severity\s+P3/) !== undefined);
    await app.press(KEYS.shiftTab, KEYS.shiftTab, KEYS.enter);
    await app.waitFor((frame) => frame.includes('title is required'));
    expect(journal()).toEqual([]);
    await app.press('checkout down', KEYS.enter);
    const declared = await app.waitFor((frame) => headerLine(frame).includes('P1 INCIDENT'));
    expect(headerLine(declared)).toMatch(/P1 INCIDENT 0s/);
    expect(journal()[0]).toBe('declared');
    expect(store.getState().incident).toMatchObject({ severity: 'P1', title: 'checkout down', declaredBy: 'alice' });
    // L1 is due at once: the cockpit asks. Acknowledged, the header names L2 in 30 minutes.
    const dialog = await app.waitFor((frame) => frame.includes('Escalation L1 due: On-call engineer'));
    expect(hintLine(dialog)).toContain('a acknowledge');
    await app.press('a');
    await app.waitFor((frame) => !frame.includes('Escalation L1 due') && headerLine(frame).includes('L2 in 30m'));
    expect(journal()).toContain('escalation L1 acknowledged');
    // The clock ticks 12 minutes on: the header follows.
    clock.now += 12 * MINUTE;
    store.getState().clockTicked(clock.now);
    const later = await app.waitFor((frame) => headerLine(frame).includes('P1 INCIDENT 12m'));
    expect(headerLine(later)).toContain('L2 in 18m');
  });

  it('opens the form from :incident with the severity and title given', async () => {
    const { app } = await setup();
    await app.press(':', 'incident P0 payments failing', KEYS.enter);
    const form = await app.waitFor((frame) => frame.includes('Declare an incident'));
    expect(lineWith(form, /severity\s+P0/)).toBeDefined();
    expect(lineWith(form, /› title\s+payments failing/)).toBeDefined();
  });

  it(':severity re-classifies the open incident: the header shows it, the journal records it, a level due at that severity falls due', async () => {
    // The manager is called at once for a P0 (a matrix "at a severity" level).
    const config: IncidentConfig = { ...DEFAULT_INCIDENT_CONFIG, escalation: [...DEFAULT_INCIDENT_CONFIG.escalation, { level: 'L4', role: 'VP engineering', contact: 'vp', severities: ['P0'] }] };
    const { app, store, journal } = await setup({ config });
    await app.press(':', 'severity P0', KEYS.enter);
    await app.waitFor((frame) => frame.includes('no incident is open (i declares one)'));
    await declare(app, 'checkout down');
    await app.waitFor((frame) => headerLine(frame).includes('P1 INCIDENT'));
    await app.waitFor((frame) => frame.includes('Escalation L1 due'));
    await app.press('a');
    await app.waitFor((frame) => !frame.includes('Escalation L1 due'));
    await app.press(':', 'severity P9', KEYS.enter);
    await app.waitFor((frame) => frame.includes('severity: give one of P0, P1, P2, P3'));
    await app.press(':', 'severity p0', KEYS.enter);
    const changed = await app.waitFor((frame) => headerLine(frame).includes('P0 INCIDENT'));
    expect(changed).toContain('severity P1 -> P0');
    expect(store.getState().incident).toMatchObject({ severity: 'P0' });
    expect(journal()).toContain('severity-changed');
    await app.waitFor((frame) => frame.includes('Escalation L4 due: VP engineering'));
  });

  it('asks when a level falls due on the moved clock: escalate records who was contacted, snooze puts it off', async () => {
    const { app, service, store, clock, journal } = await setup();
    await declare(app, 'checkout down');
    await app.waitFor((frame) => frame.includes('Escalation L1 due'));
    await app.press('a');
    await app.waitFor((frame) => !frame.includes('Escalation L1 due'));
    // 30 minutes later the timer's check marks L2 due.
    move(clock, store, service, 30);
    const due = await app.waitFor((frame) => frame.includes('Escalation L2 due: Senior engineer / team lead'));
    expect(headerLine(due)).toContain('L2 DUE');
    expect(due).toContain('not resolved 30m after it was declared');
    await app.press('e');
    await app.waitFor((frame) => frame.includes('Escalate to L2: Senior engineer / team lead (team lead)'));
    await app.press('bob by phone', KEYS.enter);
    await app.waitFor((frame) => !frame.includes('Escalation L2 due') && headerLine(frame).includes('L3 in 1h30m'));
    expect(journal()).toContain('escalation L2 escalated bob by phone');
    // Two hours in, L3: snoozed for the configured 10 minutes, then due again.
    move(clock, store, service, 90);
    await app.waitFor((frame) => frame.includes('Escalation L3 due'));
    await app.press('z');
    await app.waitFor((frame) => !frame.includes('Escalation L3 due') && headerLine(frame).includes('L3 in 10m'));
    expect(journal()).toContain('escalation L3 snoozed');
    move(clock, store, service, 10);
    await app.waitFor((frame) => frame.includes('Escalation L3 due'));
  });

  it('n journals a note; the incident screen shows the timeline; y copies the status update through OSC 52; r resolves', async () => {
    const { app, service, journal } = await setup();
    await declare(app, 'checkout down');
    await app.waitFor((frame) => frame.includes('Escalation L1 due'));
    // Later: the dialog closes, the header still says L1 is due.
    await app.press(KEYS.escape);
    await app.waitFor((frame) => !frame.includes('Escalation L1 due') && headerLine(frame).includes('L1 DUE'));
    await app.press('n');
    await app.waitFor((frame) => frame.includes('Note on the incident'));
    await app.press('pool exhausted after deploy', KEYS.enter);
    await app.waitFor(() => journal().includes('note pool exhausted after deploy'));

    await app.press('i');
    const screen = await app.waitFor((frame) => frame.includes('Timeline ('));
    expect(screen).toContain('declared P1 by alice: checkout down');
    expect(screen).toContain('alert raised (critical): janusgraph-demo-jupyter-1 unhealthy');
    expect(lineWith(screen, 'note by alice: pool exhausted after deploy')).toBeDefined();
    expect(lineWith(screen, 'escalation:')).toMatch(/L1 due/);
    expect(hintLine(screen)).toContain('y copy update');

    app.stdout.frames.length = 0;
    await app.press('y');
    await app.waitFor((frame) => frame.includes('copied the INCIDENT DETECTED update'));
    const detected = service.texts()!.detected;
    expect(detected.split('\n').slice(0, 3)).toEqual(['🚨 INCIDENT DETECTED', 'Severity: P1', 'Impact: checkout down']);
    const osc52 = `\u001b]52;c;${Buffer.from(detected, 'utf8').toString('base64')}\u0007`;
    expect(app.stdout.frames).toContain(osc52);

    await app.press('r');
    await app.waitFor((frame) => frame.includes('Resolve the incident'));
    await app.press('pool too small', KEYS.down, 'pool raised to 50', KEYS.enter);
    const resolved = await app.waitFor((frame) => frame.includes('RESOLVED after'));
    expect(headerLine(resolved)).not.toContain('INCIDENT');
    expect(journal().at(-1)).toBe('resolved');
    app.stdout.frames.length = 0;
    await app.press('y');
    await app.waitFor((frame) => frame.includes('copied the INCIDENT RESOLVED update'));
    const sent = app.stdout.frames.find((frame) => frame.startsWith('\u001b]52;c;'))!;
    const copied = Buffer.from(sent.slice('\u001b]52;c;'.length, -1), 'base64').toString('utf8');
    expect(copied.split('\n').slice(0, 3)).toEqual(['✅ INCIDENT RESOLVED', 'Duration: 0s', 'Root Cause: pool too small']);
  });

  it('keeps the 80x24 screen whole with an incident open', async () => {
    const { app, service } = await setup({ width: 80, height: 24 });
    await service.declare({ severity: 'P1', title: 'checkout down', services: [] });
    const frame = await app.waitFor((current) => current.includes('Escalation L1 due'));
    expectFitsIn(frame, 80, 24);
    expect(headerLine(frame)).toContain('P1 INCIDENT 0s  L1 DUE');
    await app.press('a', 'i');
    expectFitsIn(await app.waitFor((current) => current.includes('Timeline (')), 80, 24);
    await app.press('n');
    expectFitsIn(await app.waitFor((current) => current.includes('Note on the incident')), 80, 24);
  });
});
