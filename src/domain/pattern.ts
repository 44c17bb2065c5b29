// Regular expressions written by playbook authors: JavaScript syntax, plus the `(?i)` prefix
// (as in Go, PCRE and most log tools) for a case-insensitive match.

/** Compiles `source` (a leading `(?i)` makes it case-insensitive). Throws an Error naming the pattern. */
export function compilePattern(source: string): RegExp {
  const insensitive = source.startsWith('(?i)');
  const body = insensitive ? source.slice(4) : source;
  try {
    // No `g` flag: test() must not carry lastIndex from one text to the next.
    return new RegExp(body, insensitive ? 'i' : '');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(error);
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${reason}`);
  }
}

/** The problem with a pattern, or undefined when it compiles. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
