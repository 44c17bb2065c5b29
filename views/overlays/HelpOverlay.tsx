import { Box } from 'ink';
import { memo, useMemo } from 'react';
import type { OpsdeckState } from '../../src/store/store-types';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { fitText } from '../format/text';
import { displayKeyName } from '../keys/key-press';
import { selectKeyTable, type KeyBinding, type KeyScope } from '../keys/key-table';
import { PanelFrame } from '../panels/PanelFrame';
import { RowText } from '../RowText';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';

const SECTION_TITLES: Record<KeyScope, string> = {
  main: 'Panels',
  filter: 'Filter input',
  confirm: 'Confirmation',
  log: 'Log view',
  search: 'Log search',
  detail: 'Error sample',
  help: 'Help',
  global: 'Everywhere',
};

type HelpContext = 'main' | 'log' | 'detail';

/** Help lists the keys of the screen it was opened from, then the keys that work everywhere. */
const SECTIONS_BY_CONTEXT: Record<HelpContext, readonly KeyScope[]> = {
  main: ['main', 'filter', 'confirm', 'global'],
  log: ['log', 'search', 'global'],
  detail: ['detail', 'global'],
};

function helpContextOf(state: OpsdeckState): HelpContext {
  if (state.ui.errorDetail !== undefined) return 'detail';
  if (state.ui.logView) return 'log';
  return 'main';
}

const KEYS_WIDTH = 16;

export function helpLines(table: readonly KeyBinding[], sections: readonly KeyScope[], columnWidth: number, glyphs: Glyphs): Segment[][] {
  const lines: Segment[][] = [];
  for (const scope of sections) {
    const bindings = table.filter((binding) => binding.scope === scope);
    if (bindings.length === 0) continue;
    if (lines.length > 0) lines.push([]);
    lines.push([{ text: SECTION_TITLES[scope], bold: true, tone: 'accent' }]);
    for (const binding of bindings) {
      const keys = binding.keys.map((key) => displayKeyName(key, glyphs.ascii)).join('/');
      lines.push([
        { text: ` ${fitText(keys, KEYS_WIDTH - 2, 'left', glyphs.ellipsis)} `, bold: true },
        { text: fitText(binding.label, Math.max(0, columnWidth - KEYS_WIDTH), 'left', glyphs.ellipsis) },
      ]);
    }
  }
  return lines;
}

/** Flows lines into columns of `rows` lines; the last visible line says what did not fit. */
export function flowIntoColumns(lines: Segment[][], rows: number, columns: number, glyphs: Glyphs): Segment[][][] {
  const result: Segment[][][] = [];
  const capacity = rows * columns;
  const visible = lines.length > capacity ? [...lines.slice(0, Math.max(0, capacity - 1)), [{ text: `${glyphs.ellipsis} ${lines.length - capacity + 1} more lines: enlarge the terminal`, dim: true }]] : lines;
  for (let start = 0; start < visible.length && result.length < columns; start += rows) result.push(visible.slice(start, start + rows));
  return result;
}

/** The key table, as the dispatcher uses it (read-only mode drops the container actions). */
export const HelpOverlay = memo(function HelpOverlay(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const readOnly = useOpsdeck((state) => state.readOnly);
  const context = useOpsdeck(helpContextOf);
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(1, props.height - 2);
  const columns = Math.max(1, Math.floor(innerWidth / 38));
  const columnWidth = Math.floor(innerWidth / columns);

  const content = useMemo(() => {
    const table = selectKeyTable({ readOnly });
    return flowIntoColumns(helpLines(table, SECTIONS_BY_CONTEXT[context], columnWidth - 1, glyphs), rows, columns, glyphs);
  }, [readOnly, context, columnWidth, rows, columns, glyphs]);

  return (
    <PanelFrame title="Help: keys" info={readOnly ? 'read-only: container actions off' : undefined} width={props.width} height={props.height} focused>
      <Box flexDirection="row" width={innerWidth} height={rows}>
        {content.map((column, index) => (
          <Box key={index} flexDirection="column" width={columnWidth} height={rows} flexShrink={0}>
            {column.map((line, lineIndex) => (
              <RowText key={lineIndex} segments={line.length === 0 ? [{ text: ' ' }] : line} />
            ))}
          </Box>
        ))}
      </Box>
    </PanelFrame>
  );
});
