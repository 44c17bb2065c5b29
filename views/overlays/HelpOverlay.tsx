import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { fitText, textWidth } from '../format/text';
import { displayKeyName } from '../keys/key-press';
import { markForbidden, selectKeyTable, type KeyBinding, type KeyScope } from '../keys/key-table';
import { selectForbiddenVerbs } from '../../src/store/selectors/action-targets';
import type { ActionVerb } from '../../src/domain/engine-action';
import { availableCommands, type RegisteredCommand } from '../commands/command-registry';
import { PanelFrame } from '../panels/PanelFrame';
import { helpScopesOf, helpScreenOf, screenById, scopeTitle } from '../screens/screen-stack';
import { hasKubernetesEngine } from '../../src/store/selectors/view-scope';
import { RowText } from '../RowText';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';

export interface HelpSection {
  title: Segment[];
  entries: Segment[][];
}

/** One line of help before it is laid out: keys (or a command) and what it does. */
export interface HelpEntry {
  keys: string;
  label: string;
}

export interface HelpText {
  title: string;
  entries: HelpEntry[];
}

/** The key table's bindings of `scopes`, one section each, keys as the hint bar writes them. */
export function keySections(table: readonly KeyBinding[], scopes: readonly KeyScope[], glyphs: Glyphs): HelpText[] {
  const sections: HelpText[] = [];
  for (const scope of scopes) {
    const bindings = table.filter((binding) => binding.scope === scope && binding.help !== false);
    if (bindings.length === 0) continue;
    sections.push({
      title: scopeTitle(scope),
      entries: bindings.map((binding) => ({ keys: binding.keys.map((key) => displayKeyName(key, glyphs.ascii)).join('/'), label: binding.label })),
    });
  }
  return sections;
}

/** The `:` commands of the registry, as written at the prompt. */
export function commandSection(commands: readonly RegisteredCommand[]): HelpText {
  return {
    title: 'Commands (type : first)',
    entries: commands.map((command) => ({
      keys: [`:${command.name}`, ...command.aliases.map((alias) => `:${alias}`)].join('/') + (command.argument ? ` ${command.argument.name}` : ''),
      label: command.description,
    })),
  };
}

/** Sections as lines: a title, then entries of two segments (keys, label), not yet padded. */
export function helpSections(sections: readonly HelpText[]): HelpSection[] {
  return sections.map((section) => ({
    title: [{ text: section.title, bold: true, tone: 'accent' }],
    entries: section.entries.map((entry): Segment[] => [{ text: entry.keys, bold: true }, { text: entry.label }]),
  }));
}

const COLUMN_GAP = 2;
const KEY_PADDING = 2;

interface ColumnWidths {
  keys: number;
  label: number;
}

function columnWidthsOf(column: readonly Segment[][]): ColumnWidths {
  let keys = 0;
  let label = 0;
  for (const line of column) {
    const [first, second] = line;
    if (first === undefined) continue;
    if (second === undefined) label = Math.max(label, textWidth(first.text) - KEY_PADDING);
    else {
      keys = Math.max(keys, textWidth(first.text));
      label = Math.max(label, textWidth(second.text));
    }
  }
  return { keys: keys + KEY_PADDING, label };
}

export interface HelpColumn {
  width: number;
  lines: Segment[][];
}

/**
 * Help in columns, each as wide as its own content (keys column, then descriptions), as
 * many side by side as fit whole in `width`; what does not fit is counted on the last line.
 * A screen narrower than one column cuts the descriptions to what is left.
 */
export function layoutHelp(sections: readonly HelpText[], width: number, rows: number, glyphs: Glyphs): HelpColumn[] {
  const lines = helpSections(sections);
  const needed = flowIntoColumns(lines, rows, Number.MAX_SAFE_INTEGER, glyphs);
  let fitting = 0;
  let used = 0;
  for (const column of needed) {
    const widths = columnWidthsOf(column);
    const columnWidth = widths.keys + widths.label;
    if (used + columnWidth > width && fitting > 0) break;
    used += columnWidth + COLUMN_GAP;
    fitting += 1;
  }
  const columns = fitting === needed.length ? needed : flowIntoColumns(lines, rows, fitting, glyphs);
  let left = width;
  return columns.map((column, index) => {
    const widths = columnWidthsOf(column);
    const keysWidth = Math.min(widths.keys, left);
    const columnWidth = Math.min(left, keysWidth + widths.label);
    left -= columnWidth + COLUMN_GAP;
    return {
      width: columnWidth + (index < columns.length - 1 ? COLUMN_GAP : 0),
      lines: column.map((line): Segment[] => {
        const [first, second] = line;
        if (first === undefined) return line;
        if (second === undefined) return [{ ...first, text: fitText(first.text, columnWidth, 'left', glyphs.ellipsis) }];
        return [
          { ...first, text: fitText(` ${first.text}`, keysWidth, 'left', glyphs.ellipsis) },
          { ...second, text: fitText(second.text, Math.max(0, columnWidth - keysWidth), 'left', glyphs.ellipsis) },
        ];
      }),
    };
  });
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

/** The key table and the `:` commands, as the dispatcher uses them (read-only mode drops the container actions). */
export const HelpOverlay = memo(function HelpOverlay(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const readOnly = useOpsdeck((state) => state.readOnly);
  const context = useOpsdeck((state) => helpScreenOf(state).id);
  const kubernetes = useOpsdeck(hasKubernetesEngine);
  const alertmanager = useOpsdeck((state) => state.alertmanagerStatus !== undefined);
  // Verbs an access review forbade on the selected row, as "verb\treason" lines (a primitive for the subscription).
  const forbiddenText = useOpsdeck((state) => [...selectForbiddenVerbs(state)].map(([verb, reason]) => `${verb}\t${reason}`).join('\n'));
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(1, props.height - 2);

  const columns = useMemo(() => {
    const screen = screenById(context);
    const forbidden = new Map(
      forbiddenText === '' ? [] : forbiddenText.split('\n').map((line) => line.split('\t') as [ActionVerb, string]),
    );
    const sections = keySections(markForbidden(selectKeyTable({ readOnly }), forbidden), helpScopesOf(screen, kubernetes, alertmanager), glyphs);
    // The commands follow the keys of the screen they are typed on.
    if (screen.helpCommands) sections.splice(1, 0, commandSection(availableCommands({ readOnly, kubernetes, alertmanager })));
    return layoutHelp(sections, innerWidth, rows, glyphs);
  }, [readOnly, kubernetes, alertmanager, context, innerWidth, rows, glyphs, forbiddenText]);

  return (
    <PanelFrame title="Help: keys" info={readOnly ? 'read-only: container actions off' : undefined} width={props.width} height={props.height} focused>
      <Box flexDirection="row" width={innerWidth} height={rows}>
        {columns.map((column, index) => (
          <Box key={index} flexDirection="column" width={column.width} height={rows} flexShrink={0}>
            {column.lines.map((line, lineIndex) => (
              <RowText key={lineIndex} segments={line.length === 0 ? [{ text: ' ' }] : line} />
            ))}
          </Box>
        ))}
      </Box>
    </PanelFrame>
  );
});
