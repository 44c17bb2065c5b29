// Bundles the CLI into one file, dist/opsdeck.mjs, runnable with plain `node` (no node_modules needed).
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/opsdeck.mjs`;

// Ink 6.8's incremental renderer moves the cursor up one line too few when the previous frame
// ended with a newline (every frame shorter than the terminal does), so each update is drawn one
// row lower and stale lines stay on screen (reproduced in tmux at 120x40). Fixed in the bundle.
const INK_CURSOR_UP = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
const INK_CURSOR_UP_FIXED =
  "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));";
const inkIncrementalFix = {
  name: 'ink-incremental-cursor-fix',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(INK_CURSOR_UP)) {
        throw new Error(`${args.path}: the incremental cursor fix no longer applies; check the new Ink release`);
      }
      return { contents: source.replace(INK_CURSOR_UP, INK_CURSOR_UP_FIXED), loader: 'js' };
    });
  },
};

await build({
  plugins: [inkIncrementalFix],
  absWorkingDir: root,
  entryPoints: ['src/bin.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // esbuild turns ink's lazy devtools import into a static one: point it at a stub.
  alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.mjs' },
  // Optional native helpers of ssh2 (used only for ssh:// engines); ssh2 falls back to pure JS.
  external: ['cpu-features', '*.node'],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __opsdeckCreateRequire } from 'node:module';",
      "import { fileURLToPath as __opsdeckFileUrlToPath } from 'node:url';",
      "import { dirname as __opsdeckDirname } from 'node:path';",
      'const require = __opsdeckCreateRequire(import.meta.url);',
      // CommonJS dependencies (ssh2) read these.
      'const __filename = __opsdeckFileUrlToPath(import.meta.url);',
      'const __dirname = __opsdeckDirname(__filename);',
    ].join('\n'),
  },
});
await chmod(outfile, 0o755);
