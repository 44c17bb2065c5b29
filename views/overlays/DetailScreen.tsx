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

/** A full-screen frame of lines (error sample, workload or pod detail), cut to its height with the count of what is left out. */
export function DetailScreen(props: { title: string; lines: readonly Segment[][]; width: number; height: number }) {
  const { glyphs } = useDisplay();
  const innerWidth = Math.max(0, props.width - 2);
  const rows = Math.max(0, props.height - 2);
  const all = props.lines;
  const lines: readonly Segment[][] =
    all.length > rows ? [...all.slice(0, Math.max(0, rows - 1)), [{ text: ` ${glyphs.ellipsis} ${all.length - rows + 1} more lines`, dim: true }]] : all;
  return (
    <PanelFrame title={props.title} width={props.width} height={props.height} focused>
      {lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line.length === 0 ? [{ text: ' ' }] : line, innerWidth, glyphs.ellipsis)} />
      ))}
    </PanelFrame>
  );
}
