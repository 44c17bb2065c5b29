import { Box } from 'ink';
import type { ReactNode } from 'react';
import { useDisplay } from '../display-context';
import { textWidth } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { toneColor } from '../theme';

export interface PanelFrameProps {
  title: string;
  /** Right side of the title line (filter, position). */
  info?: string | undefined;
  width: number;
  height: number;
  focused: boolean;
  children: ReactNode;
}

/**
 * A bordered panel with its title in the top border. The focused panel has a heavy (ascii:
 * `#`/`=`) accent-coloured border and a bold title, so focus shows without colour too.
 */
export function PanelFrame(props: PanelFrameProps) {
  const { glyphs, color } = useDisplay();
  const border = props.focused ? glyphs.focusedBorder : glyphs.border;
  const borderTone = props.focused ? 'accent' : undefined;
  const info = props.info ? ` ${props.info} ` : '';
  const innerWidth = Math.max(0, props.width - 2);
  const titleRoom = Math.max(0, innerWidth - 1 - textWidth(info) - 1);
  const title = fitSegments([{ text: ` ${props.title} `, bold: props.focused, tone: borderTone }], titleRoom, glyphs.ellipsis, false);
  const fill = Math.max(0, innerWidth - 1 - textWidth(title.map((segment) => segment.text).join('')) - textWidth(info));
  const topLine: Segment[] = [
    { text: border.topLeft + border.top, tone: borderTone, dim: !props.focused },
    ...title,
    { text: border.top.repeat(fill), tone: borderTone, dim: !props.focused },
    { text: info, dim: true },
    { text: border.topRight, tone: borderTone, dim: !props.focused },
  ];
  return (
    <Box flexDirection="column" width={props.width} height={props.height} flexShrink={0}>
      <RowText segments={fitSegments(topLine, props.width, glyphs.ellipsis, false)} />
      <Box
        flexDirection="column"
        width={props.width}
        height={Math.max(0, props.height - 1)}
        borderStyle={border}
        borderTop={false}
        borderColor={toneColor(borderTone, color)}
        borderDimColor={!props.focused}
        overflow="hidden"
      >
        {props.children}
      </Box>
    </Box>
  );
}

/** A panel folded to one line (narrow layouts): `── Title ── summary ─────`. */
export function PanelSummaryLine(props: { title: string; summary: readonly Segment[]; width: number }) {
  const { glyphs } = useDisplay();
  const rule = glyphs.border.top;
  const segments: Segment[] = [
    { text: `${rule}${rule} `, dim: true },
    { text: props.title, bold: true },
    { text: ` ${rule} `, dim: true },
    ...props.summary,
    { text: ' ' },
  ];
  const fitted = fitSegments(segments, props.width, glyphs.ellipsis, false);
  const used = textWidth(fitted.map((segment) => segment.text).join(''));
  if (used < props.width) fitted.push({ text: rule.repeat(props.width - used), dim: true });
  return (
    <Box width={props.width} height={1} flexShrink={0} overflow="hidden">
      <RowText segments={fitted} />
    </Box>
  );
}
