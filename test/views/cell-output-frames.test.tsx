// Real cockpit frames (colours on, Unicode and --ascii) through the cell writer and through
// Ink's full redraw, replayed through tmux: the screens are the same cell for cell, with
// styles, after live updates and keys, for a fraction of the bytes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fullAndCellStreams } from '../support/frame-streams';
import { captureCells, captureText, TerminalReplay } from '../support/terminal-replay';
import { createViewStore, feedIncident, instanceKeyOf, logLine, stats } from './fixtures';

// chalk (inside Ink) colours only when it believes the terminal has colours: set before Ink loads.
process.env.FORCE_COLOR = '1';

type RenderApp = typeof import('./render-app').renderApp;
let renderApp: RenderApp;
let cleanup: () => void;
let replay: TerminalReplay;

beforeAll(async () => {
  ({ renderApp } = await import('./render-app'));
  ({ cleanup } = await import('ink-testing-library'));
  replay = new TerminalReplay();
});
afterEach(() => cleanup());
afterAll(() => {
  replay.close();
  delete process.env.FORCE_COLOR;
});

const SIZE = { columns: 120, rows: 40 };

/** The frames of a cockpit over the incident stack while CPU figures move, errors arrive and keys are pressed. */
async function cockpitFrames(ascii: boolean): Promise<string[]> {
  const store = createViewStore();
  feedIncident(store);
  const app = await renderApp(store, { width: SIZE.columns, height: SIZE.rows, ascii });
  const frames = [app.frame()];
  const next = async (change: () => Promise<void> | void): Promise<void> => {
    const before = app.frame();
    await change();
    frames.push(await app.waitFor((frame) => frame !== before));
  };
  for (let tick = 0; tick < 12; tick++) {
    await next(() => {
      const actions = store.getState();
      actions.statsReceived(stats(instanceKeyOf('pulsar'), 60 + ((tick * 7) % 39), 12 + tick));
      actions.statsReceived(stats(instanceKeyOf('jupyter'), 10 + (tick % 5), 30));
      if (tick % 3 === 0) actions.logLinesReceived([logLine('analytics-api', `ERROR Connection refused to 10.0.1.${tick}:5432`, 1000 + tick, { stream: 'stderr' })]);
      actions.flush();
    });
    if (tick === 4) await next(() => app.press('j'));
    if (tick === 8) await next(() => app.press('\t'));
  }
  return frames.map((frame) => `${frame}\n`);
}

describe('cockpit frames through the cell writer', () => {
  for (const ascii of [false, true]) {
    it(`leave the screen the full redraw leaves${ascii ? ' (--ascii)' : ''}, for a fraction of the bytes`, async () => {
      const frames = await cockpitFrames(ascii);
      expect(frames.length).toBeGreaterThan(12);
      const checkpoints = [1, 2, 6, 10, frames.length];
      const streams = await Promise.all(checkpoints.map((end) => fullAndCellStreams(frames.slice(0, end), SIZE.columns, SIZE.rows)));
      const screens = await replay.screens(streams.flatMap(({ full, cells }) => [full, cells]), SIZE);
      checkpoints.forEach((end, index) => {
        expect(captureCells(screens[index * 2 + 1] as string), `screen after ${end} frames`).toBe(captureCells(screens[index * 2] as string));
      });
      const last = captureText(screens.at(-1) as string);
      expect(last).toContain('Services (');
      expect(last).toContain(ascii ? '+' : '─');
      // The updates after the first frame: a few cells each instead of the whole screen.
      const first = streams[0] as { full: string; cells: string };
      const final = streams.at(-1) as { full: string; cells: string };
      const updates = { full: final.full.length - first.full.length, cells: final.cells.length - first.cells.length };
      expect(updates.cells).toBeLessThan(updates.full / 20);
    });
  }
});
