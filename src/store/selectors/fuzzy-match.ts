// Fuzzy matching for pickers (fzf-like, much simpler): the query's characters must appear
// in order; runs of consecutive characters and matches at word starts score higher.

const WORD_BREAK = /[\s\-_./:]/;

/** Score of `query` in `text` (higher is better), undefined when it does not match; '' matches with 0. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const needle = query.trim().toLowerCase();
  if (needle === '') return 0;
  const haystack = text.toLowerCase();
  let score = 0;
  let position = 0;
  let previous = -2;
  for (const character of needle) {
    if (character === ' ') continue;
    const found = haystack.indexOf(character, position);
    if (found < 0) return undefined;
    score += 1;
    if (found === previous + 1) score += 3;
    if (found === 0 || WORD_BREAK.test(haystack[found - 1] ?? '')) score += 2;
    previous = found;
    position = found + 1;
  }
  // A shorter text with the same matches is the closer one.
  return score - haystack.length / 1000;
}

/** The best score of `query` over several texts (id, title, tags). */
export function bestFuzzyScore(query: string, ...texts: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const text of texts) {
    const score = fuzzyScore(query, text);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  return best;
}
