import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useDisplay } from '../display-context';
import { textWidth } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { toneColor, type Tone } from '../theme';

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
 *
 * The border is drawn as text (top line, one Text per side, bottom line), not with Ink's
 * borderStyle: Ink 6.8 re-applies the top border width when borderStyle changes on an
 * update, ignoring borderTop={false}, which pushed the rows down one line on focus changes.
 */
export function PanelFrame(props: PanelFrameProps) {
  const { glyphs } = useDisplay();
  const border = props.focused ? glyphs.focusedBorder : glyphs.border;
  const borderTone = props.focused ? 'accent' : undefined;
  const dim = !props.focused;
  const info = props.info ? ` ${props.info} ` : '';
  const innerWidth = Math.max(0, props.width - 2);
  const innerHeight = Math.max(0, props.height - 2);
  const titleRoom = Math.max(0, innerWidth - 1 - textWidth(info) - 1);
  const title = fitSegments([{ text: ` ${props.title} `, bold: props.focused, tone: borderTone }], titleRoom, glyphs.ellipsis, false);
  const fill = Math.max(0, innerWidth - 1 - textWidth(title.map((segment) => segment.text).join('')) - textWidth(info));
  const topLine: Segment[] = [
    { text: border.topLeft + border.top, tone: borderTone, dim },
    ...title,
    { text: border.top.repeat(fill), tone: borderTone, dim },
    { text: info, dim: true },
    { text: border.topRight, tone: borderTone, dim },
  ];
  const bottomLine: Segment[] = [{ text: border.bottomLeft + border.bottom.repeat(innerWidth) + border.bottomRight, tone: borderTone, dim }];
  return (
    <Box flexDirection="column" width={props.width} height={props.height} flexShrink={0}>
      <RowText segments={fitSegments(topLine, props.width, glyphs.ellipsis, false)} />
      {innerHeight > 0 ? (
        <Box flexDirection="row" width={props.width} height={innerHeight}>
          <BorderColumn character={border.left} height={innerHeight} tone={borderTone} />
          <Box flexDirection="column" width={innerWidth} height={innerHeight} overflow="hidden">
            {props.children}
          </Box>
          <BorderColumn character={border.right} height={innerHeight} tone={borderTone} />
        </Box>
      ) : null}
      {props.height > 1 ? <RowText segments={bottomLine} /> : null}
    </Box>
  );
}

function BorderColumn(props: { character: string; height: number; tone: Tone | undefined }) {
  const { color } = useDisplay();
  return (
    <Box width={1} height={props.height} flexShrink={0}>
      <Text color={toneColor(props.tone, color)} dimColor={props.tone === undefined}>
        {Array.from({ length: props.height }, () => props.character).join('\n')}
      </Text>
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
