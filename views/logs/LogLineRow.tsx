import { memo } from 'react';
import type { LogStream } from '../../src/domain/types';
import { useDisplay } from '../display-context';
import type { Glyphs } from '../format/glyphs';
import { formatClock } from '../format/numbers';
import { truncateText } from '../format/text';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';

/** Splits text around case-insensitive occurrences of `needle`; matches are inverse. */
export function highlightSegments(text: string, needle: string): Segment[] {
  if (needle === '') return [{ text }];
  const lowerText = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  const segments: Segment[] = [];
  let position = 0;
  for (;;) {
    const found = lowerText.indexOf(lowerNeedle, position);
    if (found < 0) break;
    if (found > position) segments.push({ text: text.slice(position, found) });
    segments.push({ text: text.slice(found, found + needle.length), inverse: true, tone: 'warning', bold: true });
    position = found + needle.length;
  }
  if (position < text.length) segments.push({ text: text.slice(position) });
  return segments;
}

export interface LogLineRowProps {
  text: string;
  timestamp: number;
  stream: LogStream;
  search: string;
  currentMatch: boolean;
  width: number;
}

export function logLineSegments(props: LogLineRowProps, glyphs: Glyphs): Segment[] {
  const prefix: Segment[] = [
    { text: props.currentMatch ? glyphs.currentMatch : ' ', tone: 'warning', bold: true },
    { text: `${formatClock(props.timestamp)} `, dim: true },
    { text: props.stream === 'stderr' ? glyphs.stderr : ' ', tone: 'critical' },
  ];
  const prefixWidth = 1 + 9 + 1;
  // Cut before highlighting so a match is never split by the ellipsis logic.
  const text = truncateText(props.text, Math.max(0, props.width - prefixWidth), glyphs.ellipsis);
  return [...prefix, ...highlightSegments(text, props.search)];
}

export const LogLineRow = memo(function LogLineRow(props: LogLineRowProps) {
  const { glyphs } = useDisplay();
  return <RowText segments={fitSegments(logLineSegments(props, glyphs), props.width, glyphs.ellipsis)} />;
});
