// Patterns written by playbook authors: regular expressions for `expect.output`, `grep`, and
// globs for file names (archive.verify, files.prune).

const CASE_INSENSITIVE_PREFIX = '(?i)';

/** A JavaScript regular expression; a leading `(?i)` (as in grep -P and Go) makes it case-insensitive. Throws with the reason. */
export function compilePattern(source: string): RegExp {
  const insensitive = source.startsWith(CASE_INSENSITIVE_PREFIX);
  const body = insensitive ? source.slice(CASE_INSENSITIVE_PREFIX.length) : source;
  try {
    return new RegExp(body, insensitive ? 'i' : '');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${reason}`);
  }
}

/** A file-name glob (`*`, `?`, `[abc]`), matched against a name without its directory. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const character = glob[index] ?? '';
    if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '[') {
      const close = glob.indexOf(']', index + 1);
      if (close === -1) source += '\\[';
      else {
        const set = glob.slice(index + 1, close).replace(/\\/g, '\\\\');
        source += `[${set.startsWith('!') ? `^${set.slice(1)}` : set}]`;
        index = close;
      }
    } else source += character.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
