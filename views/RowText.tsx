import { Text } from 'ink';
import { memo } from 'react';
import { useDisplay } from './display-context';
import type { Segment } from './segments';
import { toneColor } from './theme';

/**
 * One row as one <Text> with nested coloured <Text>s: far cheaper for Ink than a <Box> per
 * cell. `truncate-end` is a safety net: rows are cut to width (fitSegments) before they get here.
 */
export const RowText = memo(function RowText(props: { segments: readonly Segment[]; inverse?: boolean; dim?: boolean; bold?: boolean }) {
  const { color } = useDisplay();
  return (
    <Text wrap="truncate-end" inverse={props.inverse} dimColor={props.dim} bold={props.bold}>
      {props.segments.map((segment, index) => (
        <Text key={index} color={toneColor(segment.tone, color)} bold={segment.bold} dimColor={segment.dim} inverse={segment.inverse}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
});
