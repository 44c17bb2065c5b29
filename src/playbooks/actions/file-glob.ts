// File-name globs written by playbook authors (archive.verify, files.prune). Regular
// expressions are src/domain/pattern.ts.

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
