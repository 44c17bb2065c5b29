import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { fitText } from '../format/text';
import { displayKeyName } from '../keys/key-press';
import { selectKeyTable, type KeyBinding, type KeyScope } from '../keys/key-table';
import { PanelFrame } from '../panels/PanelFrame';
import { helpScreenOf, screenById, scopeTitle } from '../screens/screen-stack';
import { RowText } from '../RowText';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';

export interface HelpSection {
  title: Segment[];
  entries: Segment[][];
}

export function helpSections(table: readonly KeyBinding[], scopes: readonly KeyScope[], columnWidth: number, glyphs: Glyphs): HelpSection[] {
  const keysWidth = Math.min(19, Math.max(8, Math.floor(columnWidth * 0.45)));
  const sections: HelpSection[] = [];
  for (const scope of scopes) {
    const bindings = table.filter((binding) => binding.scope === scope);
    if (bindings.length === 0) continue;
    sections.push({
      title: [{ text: scopeTitle(scope), bold: true, tone: 'accent' }],
      entries: bindings.map((binding): Segment[] => {
        const keys = binding.keys.map((key) => displayKeyName(key, glyphs.ascii)).join('/');
        return [
          { text: ` ${fitText(keys, keysWidth - 2, 'left', glyphs.ellipsis)} `, bold: true },
          { text: fitText(binding.label, Math.max(0, columnWidth - keysWidth), 'left', glyphs.ellipsis) },
        ];
      }),
    });
  }
  return sections;
}

/**
 * Flows sections into columns of `rows` lines: a blank line between sections, never a
 * title alone at the bottom of a column, no blank line at the top of one. When it does
 * not all fit, the last line says how many keys are missing.
 */
export function flowIntoColumns(sections: readonly HelpSection[], rows: number, columns: number, glyphs: Glyphs): Segment[][][] {
  const result: Segment[][][] = [[]];
  const current = (): Segment[][] => result[result.length - 1] as Segment[][];
  let missing = 0;
  const place = (line: Segment[], needs = 1): boolean => {
    if (current().length + needs > rows) {
      if (result.length >= columns) return false;
      result.push([]);
    }
    if (line.length === 0 && current().length === 0) return true;
    current().push(line);
    return true;
  };
  for (const [index, section] of sections.entries()) {
    if (index > 0 && !place([])) {
      missing += section.entries.length;
      continue;
    }
    if (!place(section.title, Math.min(2, 1 + section.entries.length))) {
      missing += section.entries.length;
      continue;
    }
    for (const entry of section.entries) if (!place(entry)) missing += 1;
  }
  if (missing > 0) {
    const last = current();
    if (last.length >= rows) missing += 1;
    last.splice(rows - 1, last.length, [{ text: `${glyphs.ellipsis} ${missing} more keys: enlarge the terminal`, dim: true }]);
  }
  return result;
}

/** The key table, as the dispatcher uses it (read-only mode drops the container actions). */
export const HelpOverlay = memo(function HelpOverlay(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const readOnly = useOpsdeck((state) => state.readOnly);
  const context = useOpsdeck((state) => helpScreenOf(state).id);
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(1, props.height - 2);
  const columns = Math.max(1, Math.floor(innerWidth / 38));
  const columnWidth = Math.floor(innerWidth / columns);

  const content = useMemo(() => {
    const table = selectKeyTable({ readOnly });
    return flowIntoColumns(helpSections(table, screenById(context).helpScopes ?? [], columnWidth - 1, glyphs), rows, columns, glyphs);
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
