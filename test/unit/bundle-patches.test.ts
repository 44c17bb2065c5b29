// The bundle patches against the installed dependencies: a release that moves or duplicates
// an anchor is named here, before a build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { applyBundlePatches, assertPatchedVersions, BUNDLE_PATCHES, bundlePatchesPlugin, NARROW_CHARACTER_CLASS, PATCHED_PACKAGES } from '../../scripts/bundle-patches.mjs';
import packageJson from '../../package.json';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');

/**
 * Bundles a scenario with the released packages or with opsdeck's bundle patches, runs it, and
 * gives what it printed (JSON) and the bundle's size.
 */
async function runScenario<Answer>(
  directory: string,
  scenario: { contents: string; patched: boolean; jsx?: boolean; env?: NodeJS.ProcessEnv; options?: BuildOptions },
): Promise<{ answer: Answer; size: number }> {
  const outfile = join(directory, scenario.patched ? 'patched.mjs' : 'released.mjs');
  const result = await build({
    stdin: { contents: scenario.contents, resolveDir: root, loader: scenario.jsx ? 'jsx' : 'js', sourcefile: scenario.jsx ? 'scenario.jsx' : 'scenario.mjs' },
    plugins: scenario.patched ? [bundlePatchesPlugin(readFile)] : [],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    metafile: true,
    // CommonJS dependencies (ws, js-yaml's users) require node's modules, as in scripts/build.mjs.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    ...scenario.options,
  });
  const size = Object.values(result.metafile?.outputs ?? {}).reduce((sum, output) => sum + output.bytes, 0);
  return { size, answer: JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8', ...(scenario.env ? { env: scenario.env } : {}) })) as Answer };
}
const require = createRequire(import.meta.url);

/** The installed file each patch targets: ink's build directory, dockerode and docker-modem's lib, yoga-layout's dist/src. */
function installedFile(pattern: RegExp): string {
  const relative = pattern.source.replace(/\[\\\\\/\]/g, '/').replace(/\\\./g, '.').replace(/\$$/, '');
  const parts = relative.split('/');
  // A scoped package's name has two parts (@alcalzone/ansi-tokenize).
  const packageName = parts[0]?.startsWith('@') ? parts.splice(0, 2).join('/') : (parts.shift() ?? '');
  // ESM-only packages (no require entry) are found in node_modules.
  const directory = packageName.startsWith('@') ? join(root, 'node_modules', packageName) : dirname(require.resolve(packageName)).replace(/\/(build|lib|dist\/src)$/, '');
  return join(directory, ...parts);
}

describe('bundle patches', () => {
  it('pins every patched package exactly, to the version installed', async () => {
    for (const [name, version] of Object.entries(PATCHED_PACKAGES)) {
      expect((packageJson.dependencies as Record<string, string>)[name]).toBe(version);
    }
    await expect(assertPatchedVersions(readFile, (name: string) => join(root, 'node_modules', name, 'package.json'))).resolves.toBeUndefined();
    await expect(assertPatchedVersions(async () => JSON.stringify({ version: '6.9.0' }), () => 'x')).rejects.toThrow(/ink 6\.9\.0 is installed/);
  });

  it('finds each anchor exactly once in the installed files and applies every patch', async () => {
    const files = [...new Set(BUNDLE_PATCHES.map((patch) => patch.file))] as RegExp[];
    for (const pattern of files) {
      const path = installedFile(pattern);
      const source = await readFile(path, 'utf8');
      const patched = applyBundlePatches(path, source);
      for (const patch of BUNDLE_PATCHES.filter((candidate) => candidate.file === pattern)) {
        expect(patched, `${path}: ${patch.why}`).toContain(patch.replace);
      }
    }
  });

  it('names the file and the patch when an anchor is missing or repeated', () => {
    expect(() => applyBundlePatches('/x/ink/build/log-update.js', 'nothing here')).toThrow(/log-update\.js: the bundle patch "incremental rendering.*found it 0 times/);
    const anchor = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
    expect(() => applyBundlePatches('/x/ink/build/log-update.js', `${anchor}\n${anchor}`)).toThrow(/found it 2 times/);
  });

  it('measures every character of the fast path as string-width does: one column, its own grapheme', () => {
    const narrow = new RegExp(`^[${NARROW_CHARACTER_CLASS}]$`);
    const graphemes = new Intl.Segmenter();
    let checked = 0;
    for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
      const character = String.fromCodePoint(codePoint);
      if (!narrow.test(character)) continue;
      checked++;
      expect(stringWidth(character), `U+${codePoint.toString(16)}`).toBe(1);
      expect([...graphemes.segment(`a${character}${character}a`)].length, `U+${codePoint.toString(16)} joins a neighbour`).toBe(4);
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("keeps a line's styled characters at under 150 bytes each, the same characters as the released tokenizer", async () => {
    // Ink turns every drawn line into one object per character. Made with an object spread, each got
    // a hidden class of its own on Node 20 (~250 bytes more, in the old generation): under a log flood,
    // where rows change on every frame, the heap grew by tens of MB a minute.
    const scenario = `
      import { styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';
      import v8 from 'node:v8';
      import vm from 'node:vm';
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc');
      const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
      const tokens = Array.from({ length: 4000 }, (_, i) =>
        tokenize(Buffer.from('\\u001b[31m●\\u001b[39m svc-' + i + ' \\u001b[1mERROR\\u001b[22m flood ' + i + ' │ 漢字').toString()));
      const before = heap();
      const lines = tokens.map((line) => styledCharsFromTokens(line));
      const perCharacter = (heap() - before) / lines.reduce((sum, line) => sum + line.length, 0);
      process.stdout.write(JSON.stringify({ perCharacter, tokens: tokens.length, sample: [lines[0], lines[3999]] }));
    `;
    const directory = mkdtempSync(join(tmpdir(), 'opsdeck-patches-'));
    try {
      const run = async (patched: boolean) => (await runScenario<{ perCharacter: number; sample: unknown }>(directory, { contents: scenario, patched })).answer;
      const released = await run(false);
      const patched = await run(true);
      expect(patched.sample).toEqual(released.sample);
      expect(JSON.stringify(patched.sample)).toContain('"styles":[{"type":"ansi","code":"\\u001b[31m"');
      expect(patched.perCharacter, `${patched.perCharacter.toFixed(0)} bytes per character (released: ${released.perCharacter.toFixed(0)})`).toBeLessThan(150);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it("bundles client-node's KubeConfig without its generated API, with the same request options as the released package", async () => {
    // The chunk is loaded before a Kubernetes engine's first list request: through the package's index it
    // carried 1.5 MB (725 generated modules evaluated at load); what opsdeck calls must not change.
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: c',
      'clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="}}]',
      'users: [{name: u, user: {token: "secret-token"}}]',
      'contexts: [{name: c, context: {cluster: k, user: u, namespace: shop}}]',
    ].join('\n');
    const scenario = (from: string) => `
      import { KubeConfig } from '${from}';
      const config = new KubeConfig();
      config.loadFromString(${JSON.stringify(kubeconfig)});
      const options = { headers: {} };
      await config.applyToHTTPSOptions(options);
      let apiClient;
      try { config.makeApiClient(Object); apiClient = 'made'; } catch (error) { apiClient = error.message; }
      process.stdout.write(JSON.stringify({ headers: options.headers, ca: String(options.ca), agent: options.agent?.constructor?.name, context: config.getContextObject('c'), apiClient }));
    `;
    const directory = mkdtempSync(join(tmpdir(), 'opsdeck-patches-'));
    try {
      const run = (from: string, patched: boolean) => runScenario<Record<string, unknown>>(directory, { contents: scenario(from), patched });
      const released = await run('@kubernetes/client-node', false);
      const patched = await run('./src/adapters/kubernetes/client-node.ts', true);
      const { apiClient, ...options } = patched.answer;
      const { apiClient: releasedApiClient, ...releasedOptions } = released.answer;
      expect(options).toEqual(releasedOptions);
      expect(options.headers).toEqual({ Authorization: 'Bearer secret-token' });
      expect(releasedApiClient).toBe('made');
      expect(apiClient).toMatch(/generated API is not bundled/);
      expect(patched.size, `${patched.size} bytes (released: ${released.size})`).toBeLessThan(released.size / 2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it('draws the same frames with the patched renderer as with the released one', async () => {
    // A sequence of frames in one process (the row and line caches live across frames, and roll over): borders,
    // colours, lines cut by an overflow-hidden box, wide characters, rows that change and rows that do not.
    const scenario = `
      import { Box, Text, render, renderToString } from 'ink';
      const row = (text, color) => <Text color={color} wrap="truncate-end">{text}</Text>;
      const frame = (n) => (
        <Box flexDirection="column" width={60} height={13} overflow="hidden">
          {row('┏━ Playbook run ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓', 'cyan')}
          <Box flexDirection="row" width={60} height={10}>
            <Box flexDirection="column" width={20} height={10} overflow="hidden">
              {[0, 1, 2].map((i) => <Text key={i} inverse={i === n % 3}>{(i === n % 3 ? '›' : ' ') + ' ✓ step ' + i + ' … wider than its column'}</Text>)}
            </Box>
            <Box flexDirection="column" width={40} height={10} overflow="hidden">
              {Array.from({ length: 9 }, (_, i) => <Text key={i}>{'line ' + (n * 3 + i) + (i % 3 === 0 ? ' 漢字 wide ' : ' → ') + 'x'.repeat(n + i * 4)}</Text>)}
              <Text inverse={n % 2 === 0}>{'s' + n}<Text bold color="red">{' bold ' + (n % 3)}</Text><Text dimColor backgroundColor="blue">{' dim'}<Text bold>{'+b'}</Text></Text><Text color="#ff8800" underline>{' hex ' + (n % 5)}</Text><Text color="ansi256(33)">{' c ✓ ›'}</Text></Text>
            </Box>
          </Box>
          {row(n % 2 ? 'Next: note ' + n : '╰ elapsed ' + n + 's ─ │ ● ○ ▁▂▃█', n % 2 ? 'yellow' : undefined)}
          {row('cursor moves stripped: \\u001b[1A\\u001b[2K' + (n % 4), 'green')}
        </Box>
      );
      const frames = [];
      // One tree updated in place (the kept squashed texts live on its nodes): texts that change, nested
      // Texts whose colours change, appear, disappear and swap places, and rows that move.
      const Row = ({ n }) => (
        <Text color={n % 3 === 0 ? 'red' : 'green'}>
          {'a' + n}
          <Text bold={n % 2 === 0}>{' b' + (n % 4)}</Text>
          {n % 5 === 0 ? <Text dimColor>{' extra'}</Text> : null}
          {(n % 4 < 2 ? ['x', 'y'] : ['y', 'x']).map((k) => <Text key={k} underline={k === 'x'} color={n % 7 === 0 ? 'blue' : undefined}>{' ' + k}</Text>)}
          {' tail'}
        </Text>
      );
      const List = ({ n }) => <Box flexDirection="column">{Array.from({ length: 6 }, (_, i) => <Row key={(i + n) % 8} n={n + ((i * 5) % 7)} />)}</Box>;
      const stdout = { columns: 60, rows: 20, isTTY: false, write: (text) => frames.push(text), on() {}, off() {} };
      const app = render(<List n={0} />, { stdout, debug: true, patchConsole: false, exitOnCtrlC: false });
      for (let n = 1; n < 60; n++) app.rerender(<List n={n % 9 === 0 ? n - 9 : n} />);
      app.unmount();
      for (const n of [0, 1, 1, 2, 3, 3, 0, 4, 5, 2]) frames.push(renderToString(frame(n), { columns: 60 }));
      // Enough distinct lines to fill the line caches several times over (they keep two
      // generations), with lines seen long before coming back in between.
      for (let n = 6; n < 100; n++) frames.push(renderToString(frame(n % 7 === 0 ? n % 12 : n), { columns: 60 }));
      process.stdout.write(JSON.stringify(frames));
    `;
    const directory = mkdtempSync(join(tmpdir(), 'opsdeck-patches-'));
    try {
      const framesOf = async (patched: boolean) =>
        (
          await runScenario<string[]>(directory, {
            contents: scenario,
            patched,
            jsx: true,
            env: { ...process.env, FORCE_COLOR: '1' },
            options: {
              jsx: 'automatic',
              alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.mjs' },
              define: { 'process.env.NODE_ENV': '"production"' },
            },
          })
        ).answer;
      const released = await framesOf(false);
      const patched = await framesOf(true);
      expect(released.length).toBeGreaterThan(160);
      expect(released.join('')).toContain('漢字');
      expect(released.join('')).toContain(' extra');
      expect(patched).toEqual(released);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
