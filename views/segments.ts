// Rows are built as segments (text + style) and cut/padded to the exact row width
// before rendering, so a row never wraps.

import { textWidth, truncateText } from './format/text';
import type { Tone } from './theme';

export interface Segment {
  text: string;
  tone?: Tone | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
  inverse?: boolean | undefined;
}

export function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((total, segment) => total + textWidth(segment.text), 0);
}

/**
 * Cuts the segments to `width` columns (the cut one ends with the ellipsis) and pads the
 * last one with spaces up to `width` when `pad` is set.
 */
export function fitSegments(segments: readonly Segment[], width: number, ellipsis: string, pad = true): Segment[] {
  const result: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    if (used >= width) break;
    const segmentWidth = textWidth(segment.text);
    if (used + segmentWidth <= width) {
      result.push(segment);
      used += segmentWidth;
      continue;
    }
    const cut = truncateText(segment.text, width - used, ellipsis);
    result.push({ ...segment, text: cut });
    used += textWidth(cut);
    break;
  }
  if (pad && used < width) result.push({ text: ' '.repeat(width - used) });
  return result;
}
