import type { Segment } from '../segments';
import { useDisplay } from '../display-context';
import { wrapText } from '../format/text';
import { PanelFrame } from '../panels/PanelFrame';
import { RowText } from '../RowText';
import { fitSegments } from '../segments';

const LABEL_WIDTH = 10;

/** A labelled value, wrapped under its label: the detail screens' line. */
export function labelled(label: string, value: string, width: number, tone?: Segment['tone']): Segment[][] {
  const wrapped = wrapText(value, Math.max(1, width - LABEL_WIDTH));
  return wrapped.map((part, index) => [{ text: (index === 0 ? ` ${label}` : '').padEnd(LABEL_WIDTH), bold: true }, { text: part, tone }]);
}

/** A label padded to the labels' column, for lines that style their value themselves. */
export function labelCell(label: string): Segment {
  return { text: ` ${label}`.padEnd(LABEL_WIDTH), bold: true };
}

/** How far a detail screen of `lineCount` lines scrolls in a body `height` lines high (its frame takes two). */
export function maxDetailScroll(lineCount: number, height: number): number {
  return Math.max(0, lineCount - Math.max(1, height - 2));
}

/**
 * A full-screen frame of lines (error sample, workload or pod detail, gate detail), from line
 * `scroll` on, cut to its height with the count of what is left out; a scrolled or cut screen
 * says which lines it shows in its title.
 */
export function DetailScreen(props: { title: string; lines: readonly Segment[][]; width: number; height: number; scroll?: number | undefined }) {
  const { glyphs } = useDisplay();
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(0, props.height - 2);
  const all = props.lines;
  const offset = Math.min(props.scroll ?? 0, maxDetailScroll(all.length, props.height));
  const rest = all.slice(offset);
  const cut = rest.length > rows;
  const shown = cut ? Math.max(0, rows - 1) : rest.length;
  const lines: readonly Segment[][] = cut ? [...rest.slice(0, shown), [{ text: ` ${glyphs.ellipsis} ${rest.length - shown} more lines`, dim: true }]] : rest;
  const title = props.scroll === undefined || all.length <= rows ? props.title : `${props.title} (lines ${offset + 1}-${offset + shown} of ${all.length})`;
  return (
    <PanelFrame title={title} width={props.width} height={props.height} focused>
      {lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line.length === 0 ? [{ text: ' ' }] : line, innerWidth, glyphs.ellipsis)} />
      ))}
    </PanelFrame>
  );
}
