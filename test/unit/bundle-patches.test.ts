// The bundle patches against the installed dependencies: a release that moves or duplicates
// an anchor is named here, before a build.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBundlePatches, assertPatchedVersions, BUNDLE_PATCHES, PATCHED_PACKAGES } from '../../scripts/bundle-patches.mjs';
import packageJson from '../../package.json';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const require = createRequire(import.meta.url);

/** The installed file each patch targets: ink's build directory, dockerode and docker-modem's lib. */
function installedFile(pattern: RegExp): string {
  const relative = pattern.source.replace(/\[\\\\\/\]/g, '/').replace(/\\\./g, '.').replace(/\$$/, '');
  const [packageName, ...rest] = relative.split('/');
  return join(dirname(require.resolve(`${packageName}`)).replace(/\/(build|lib)$/, ''), ...rest);
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
});
