// Bundles the CLI into one file, dist/opsdeck.mjs, runnable with plain `node` (no node_modules needed).
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { assertPatchedVersions, bundlePatchesPlugin } from './bundle-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
const outfile = `${outdir}/opsdeck.mjs`;

/**
 * V8's young generation defaults to 16 MB semi-spaces (up to 48 MB of RSS once grown). Measured
 * at 500 containers on one engine (keystroke bench, two rounds, load 13-20): 1 MB semi-spaces kept
 * RSS at 134-138 MB but doubled keystroke p99 (348/411 ms, several scavenges per key); 4 MB gave
 * 153-156 MB and p99 206/94 ms; 8 MB 156-159 MB and 163/160 ms. 4 MB keeps most of the memory
 * saving of a small young generation without collections on the key path (issue 9 goals 5, 6).
 */
const NODE_FLAGS = ['--max-semi-space-size=4'];

// Chunks are named by content hash: drop the previous build's, or they pile up in dist/chunks.
await rm(`${outdir}/chunks`, { recursive: true, force: true });

await assertPatchedVersions(readFile, (name) => `${root}node_modules/${name}/package.json`);

await build({
  // Fixes and caches for Ink 6.8's renderer, lazy loading in dockerode: scripts/bundle-patches.mjs.
  plugins: [bundlePatchesPlugin(readFile)],
  absWorkingDir: root,
  entryPoints: { opsdeck: 'src/bin.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  // Code only some runs need (the Kubernetes client: ~2 MB, 130 ms and 18 MB to load) is a
  // chunk of its own, loaded by its dynamic import, so the cockpit starts as fast without it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
      // The installed `opsdeck` command runs this file through its first line: sh, which execs
      // node with the heap flags below (a JS/sh polyglot: for node the second line is a string
      // and a comment). `node dist/opsdeck.mjs` skips both lines and runs without the flags.
      '#!/bin/sh',
      `":" //; exec node ${NODE_FLAGS.join(' ')} "$0" "$@"`,
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
