// Source patches applied to dependencies while bundling (the bundle is what operators run):
// fixes and caches for Ink 6.8's renderer, and lazy loading in dockerode. Each patch names
// what it is for; the build fails when a patch no longer applies, so an upgrade cannot
// silently drop one.

const SHARED_OUTPUT_CACHES = `
// opsdeck: one set of caches for every frame (Ink makes a new Output, and new caches, per
// frame, so unchanged rows were re-tokenized and re-measured on every update). Bounded: a
// styled line is an array of one object per character (~10 KB at 120 columns), so only a few
// frames' worth of lines are kept.
let opsdeckSharedCaches;
function opsdeckOutputCaches() {
  const current = opsdeckSharedCaches;
  if (!current || current.styledChars.size + current.slices.size > 1000 || current.widths.size + current.blockWidths.size > 5000) {
    opsdeckSharedCaches = new OutputCaches();
  }
  return opsdeckSharedCaches;
}
`;

const CACHED_WIDEST_LINE = `
// opsdeck: text widths cached across frames (bounded), like Ink's own measure-text cache.
const opsdeckWidths = new Map();
function opsdeckWidestLine(text) {
  let width = opsdeckWidths.get(text);
  if (width === undefined) {
    if (opsdeckWidths.size > 20000) opsdeckWidths.clear();
    width = widestLine(text);
    opsdeckWidths.set(text, width);
  }
  return width;
}
`;

export const BUNDLE_PATCHES = [
  {
    file: /ink[\\/]build[\\/]log-update\.js$/,
    why:
      'incremental rendering moved the cursor up one line too few when the previous frame ended with a newline ' +
      '(every frame shorter than the terminal does): each update was drawn one row lower, leaving stale lines',
    find: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
    replace: "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'frame caches shared across frames (measured: ~70 ms of CPU per frame at 120x40 without them)',
    find: '    caches = new OutputCaches();',
    replace: '    caches = opsdeckOutputCaches();',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'clipped lines (every line inside an overflow-hidden box) cached like the other measurements',
    find: '    styledChars = new Map();\n',
    replace:
      '    styledChars = new Map();\n' +
      '    slices = new Map();\n' +
      '    getSlice(line, from, to) {\n' +
      '        const key = `${from}:${to}:${line}`;\n' +
      '        let cached = this.slices.get(key);\n' +
      '        if (cached === undefined) {\n' +
      '            cached = sliceAnsi(line, from, to);\n' +
      '            this.slices.set(key, cached);\n' +
      '        }\n' +
      '        return cached;\n' +
      '    }\n',
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'use the clipped-line cache',
    find: '                            return sliceAnsi(line, from, to);',
    replace: '                            return this.caches.getSlice(line, from, to);',
  },
  {
    file: /ink[\\/]build[\\/]render-node-to-output\.js$/,
    why: 'text widths measured once per distinct text, not once per frame',
    find: '                const currentWidth = widestLine(text);',
    replace: '                const currentWidth = opsdeckWidestLine(text);',
  },
  {
    file: /ink[\\/]build[\\/]render-node-to-output\.js$/,
    why: 'define the width cache',
    find: "import widestLine from 'widest-line';\n",
    replace: `import widestLine from 'widest-line';\n${CACHED_WIDEST_LINE}`,
  },
  {
    file: /ink[\\/]build[\\/]measure-text\.js$/,
    why: 'bounded: Ink kept the size of every distinct text ever rendered (counts and ages change every frame)',
    find: '    cache.set(text, dimensions);',
    replace: '    if (cache.size > 20000) cache.clear();\n    cache.set(text, dimensions);',
  },
  {
    file: /ink[\\/]build[\\/]wrap-text\.js$/,
    why: 'bounded: Ink kept every distinct wrapped or truncated text ever rendered',
    find: '    cache[cacheKey] = wrappedText;',
    replace:
      '    if (++wrapCacheSize > 20000) {\n' +
      '        for (const key of Object.keys(cache)) delete cache[key];\n' +
      '        wrapCacheSize = 0;\n' +
      '    }\n' +
      '    cache[cacheKey] = wrappedText;',
  },
  {
    file: /ink[\\/]build[\\/]wrap-text\.js$/,
    why: 'count the wrapped-text cache entries',
    find: 'const cache = {};',
    replace: 'const cache = {};\nlet wrapCacheSize = 0;',
  },
  {
    file: /docker-modem[\\/]lib[\\/]modem\.js$/,
    why: 'ssh2 loaded only for ssh:// engines (it costs start-up time on every unix socket connection)',
    find: "  ssh = require('./ssh'),",
    replace: "  ssh = function () { return require('./ssh').apply(this, arguments); },",
  },
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    why: 'gRPC and protobufjs loaded only for BuildKit builds, which opsdeck never starts',
    find: "  withSession = require('./session'),",
    replace: "  withSession = function () { return require('./session').apply(this, arguments); },",
  },
  {
    file: /ink[\\/]build[\\/]output\.js$/,
    why: 'define the shared caches after the class',
    find: 'export default class Output {',
    replace: `${SHARED_OUTPUT_CACHES}export default class Output {`,
  },
];

/**
 * The releases the patches were written against: `package.json` pins them exactly, and the
 * build stops when the installed one differs, so an upgrade is a deliberate step.
 */
export const PATCHED_PACKAGES = { ink: '6.8.0' };

/** Throws, naming the package, when an installed version is not the one the patches were written for. */
export async function assertPatchedVersions(readFile, resolvePackageJson) {
  for (const [name, version] of Object.entries(PATCHED_PACKAGES)) {
    const installed = JSON.parse(await readFile(resolvePackageJson(name), 'utf8')).version;
    if (installed !== version) {
      throw new Error(`${name} ${installed} is installed, but the bundle patches in scripts/bundle-patches.mjs were written for ${version}`);
    }
  }
}

function occurrences(source, text) {
  let count = 0;
  for (let index = source.indexOf(text); index >= 0; index = source.indexOf(text, index + text.length)) count += 1;
  return count;
}

/** The patches for one dependency file, applied; each anchor must occur exactly once. */
export function applyBundlePatches(path, source) {
  let patched = source;
  for (const patch of BUNDLE_PATCHES.filter((candidate) => candidate.file.test(path))) {
    const count = occurrences(patched, patch.find);
    if (count !== 1) {
      throw new Error(`${path}: the bundle patch "${patch.why}" expects its anchor once, found it ${count} times; check the new release`);
    }
    patched = patched.replace(patch.find, patch.replace);
  }
  return patched;
}

/** esbuild plugin applying BUNDLE_PATCHES. */
export function bundlePatchesPlugin(readFile) {
  return {
    name: 'opsdeck-bundle-patches',
    setup(pluginBuild) {
      const files = [...new Set(BUNDLE_PATCHES.map((patch) => patch.file.source))].map((source) => new RegExp(source));
      for (const filter of files) {
        pluginBuild.onLoad({ filter }, async (args) => ({ contents: applyBundlePatches(args.path, await readFile(args.path, 'utf8')), loader: 'js' }));
      }
    },
  };
}
