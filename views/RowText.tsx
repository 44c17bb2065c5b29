import { Text } from 'ink';
import { memo } from 'react';
import { useDisplay } from './display-context';
import type { Segment } from './segments';
import { toneColor } from './theme';

/**
 * One row as one <Text> with nested coloured <Text>s: far cheaper for Ink than a <Box> per
 * cell. `truncate-end` is a safety net: rows are cut to width (fitSegments) before they get here.
 *
 * A dim row is dimmed per segment, without bold: bold and dim share their reset code (SGR 22),
 * and Ink closes a bold cell inside a dim row with it, which ends the dimming too.
 */
export const RowText = memo(function RowText(props: { segments: readonly Segment[]; inverse?: boolean; dim?: boolean; bold?: boolean }) {
  const { color } = useDisplay();
  const segments = props.dim ? props.segments.map((segment) => ({ ...segment, bold: false, dim: true })) : props.segments;
  return (
    <Text wrap="truncate-end" inverse={props.inverse} bold={props.dim ? false : props.bold}>
      {segments.map((segment, index) => (
        <Text key={index} color={toneColor(segment.tone, color)} bold={segment.bold} dimColor={segment.dim} inverse={segment.inverse}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
});
