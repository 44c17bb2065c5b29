import { describe, expect, it } from 'vitest';
import { nextWindowStart } from '../../views/layout/list-window';
import { computeScreenLayout, listRowsOf, shareHeights } from '../../views/layout/screen-layout';
import { fitHints } from '../../views/HintBar';
import { flowIntoColumns, type HelpSection } from '../../views/overlays/HelpOverlay';
import { UNICODE_GLYPHS } from '../../views/format/glyphs';
import { fitSegments, segmentsWidth } from '../../views/segments';

describe('screen layout', () => {
  it('uses a 2x2 grid on wide terminals, at most rows - 1 lines', () => {
    const layout = computeScreenLayout(120, 40, 'services');
    expect(layout.mode).toBe('grid');
    expect(layout.frameHeight).toBe(39);
    expect(layout.bodyHeight).toBe(37);
    expect(layout.rows.map((row) => row.height).reduce((sum, height) => sum + height, 0)).toBe(37);
    expect(layout.panels.services.width + layout.panels.resources.width).toBe(120);
  });

  it('stacks below 100 columns: the focused panel large, the others one line', () => {
    const layout = computeScreenLayout(80, 24, 'errors');
    expect(layout.mode).toBe('stacked');
    expect(layout.panels.errors).toEqual({ width: 80, height: 18, collapsed: false });
    expect(layout.panels.services.collapsed).toBe(true);
    expect(layout.rows.reduce((sum, row) => sum + row.height, 0)).toBe(layout.bodyHeight);
    expect(1 + layout.bodyHeight + 1).toBe(23);
    expect(listRowsOf(layout.panels.errors, 'errors')).toBe(16);
  });

  it('shares the height by content: small panels get what they need, the rest share evenly', () => {
    // Everything fits: each row its need, the top row what is left over.
    expect(shareHeights([9, 6, 7], 37)).toEqual([24, 6, 7]);
    // Too much content: the small rows are whole, the big ones share the rest.
    expect(shareHeights([200, 50, 7], 37)).toEqual([15, 15, 7]);
    expect(shareHeights([200, 6, 7], 37)).toEqual([24, 6, 7]);
    // Never below a frame with one line.
    expect(shareHeights([0, 0, 0], 37)[1]).toBe(3);
  });

  it('at 120x40 the errors and gates span the width, and a short list does not hold lines another needs', () => {
    const layout = computeScreenLayout(120, 40, 'services', { services: 40, resources: 6, errors: 4, gates: 5 });
    expect(layout.rows.map((row) => row.panels)).toEqual([['services', 'resources'], ['errors'], ['gates']]);
    expect(layout.panels.errors).toEqual({ width: 120, height: 4 + 2, collapsed: false });
    expect(layout.panels.gates).toEqual({ width: 120, height: 5 + 2, collapsed: false });
    expect(layout.panels.services.height).toBe(37 - 6 - 7);
    // Many errors and many services: both cut, evenly; the gates still whole.
    const busy = computeScreenLayout(120, 40, 'services', { services: 200, resources: 200, errors: 300, gates: 5 });
    expect(busy.panels.gates.height).toBe(7);
    expect(busy.panels.services.height).toBe(15);
    expect(busy.panels.errors.height).toBe(15);
  });

  it('gives up politely on tiny terminals', () => {
    expect(computeScreenLayout(30, 8, 'services').mode).toBe('too-small');
  });
});

describe('list window', () => {
  it('moves only as far as needed to keep the selection visible', () => {
    expect(nextWindowStart(0, 3, 5, 100)).toBe(0);
    expect(nextWindowStart(0, 5, 5, 100)).toBe(1);
    expect(nextWindowStart(10, 8, 5, 100)).toBe(8);
    expect(nextWindowStart(10, 12, 5, 100)).toBe(10);
    expect(nextWindowStart(0, 99, 5, 100)).toBe(95);
  });

  it('stays full when the list shrinks, and starts at 0 when everything fits', () => {
    expect(nextWindowStart(50, 52, 10, 55)).toBe(45);
    expect(nextWindowStart(7, 2, 10, 8)).toBe(0);
  });
});

describe('segments', () => {
  it('cuts the segment that overflows and pads to the width', () => {
    const fitted = fitSegments([{ text: 'abc' }, { text: 'defgh', tone: 'critical' }, { text: 'ignored' }], 6, '…');
    expect(fitted.map((segment) => segment.text)).toEqual(['abc', 'de…']);
    expect(segmentsWidth(fitSegments([{ text: 'ab' }], 6, '…'))).toBe(6);
  });
});

describe('hint bar', () => {
  it('keeps help when the hints do not fit', () => {
    const entries = [
      { keys: 'tab', hint: 'panel' },
      { keys: 'j/k', hint: 'move' },
      { keys: 'r', hint: 'restart' },
      { keys: '?', hint: 'help' },
      { keys: 'q', hint: 'quit' },
    ];
    expect(fitHints(entries, 200)).toEqual(entries);
    expect(fitHints(entries, 30).map((entry) => entry.hint)).toEqual(['panel', 'move', 'help']);
  });
});

describe('help columns', () => {
  const section = (title: string, count: number): HelpSection => ({
    title: [{ text: title }],
    entries: Array.from({ length: count }, (_, index) => [{ text: `${title}-${index}` }]),
  });
  const texts = (columns: ReturnType<typeof flowIntoColumns>) => columns.map((column) => column.map((line) => line.map((segment) => segment.text).join('')));

  it('never leaves a title alone at the bottom of a column', () => {
    const columns = texts(flowIntoColumns([section('A', 3), section('B', 2)], 5, 2, UNICODE_GLYPHS));
    expect(columns).toEqual([
      ['A', 'A-0', 'A-1', 'A-2', ''],
      ['B', 'B-0', 'B-1'],
    ]);
  });

  it('says how much did not fit', () => {
    const columns = texts(flowIntoColumns([section('A', 10)], 4, 1, UNICODE_GLYPHS));
    expect(columns[0]).toHaveLength(4);
    expect(columns[0]?.[3]).toMatch(/more keys/);
  });
});
