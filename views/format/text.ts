// Text cutting and padding for fixed-width cells. Widths count terminal columns:
// wide characters (CJK, most emoji) take two, combining marks none.

// Text from engines is already clean here: the adapters pass it through
// src/domain/untrusted-text.ts where it enters, so views print what the store holds.

/** Terminal columns taken by one code point. */
export function codePointWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1;
  // Combining marks and zero-width characters.
  if (
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    (codePoint >= 0x20d0 && codePoint <= 0x20ff)
  ) {
    return 0;
  }
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const character of text) width += codePointWidth(character.codePointAt(0) ?? 0);
  return width;
}

/**
 * Cuts text to at most `width` columns; when cut, the end is replaced by `ellipsis`
 * (or simply cut when even the ellipsis does not fit).
 */
export function truncateText(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  const ellipsisWidth = textWidth(ellipsis);
  const room = ellipsisWidth < width ? width - ellipsisWidth : width;
  let result = '';
  let used = 0;
  for (const character of text) {
    const characterWidth = codePointWidth(character.codePointAt(0) ?? 0);
    if (used + characterWidth > room) break;
    result += character;
    used += characterWidth;
  }
  return ellipsisWidth < width ? result + ellipsis : result;
}

/** Exactly `width` columns: cut with an ellipsis, or padded with spaces. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
  const cut = truncateText(text, width, ellipsis);
  const padding = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'left' ? cut + padding : padding + cut;
}

/** Splits text into lines of at most `width` columns (hard wrap, for raw samples). */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const character of text) {
    const characterWidth = codePointWidth(character.codePointAt(0) ?? 0);
    if (used + characterWidth > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += character;
    used += characterWidth;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
