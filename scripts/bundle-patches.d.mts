export interface BundlePatch {
  /** Which dependency file the patch applies to. */
  file: RegExp;
  /** Files the `file` pattern matches that are left unpatched (another copy of the package). */
  skip?: RegExp;
  why: string;
  find: string;
  replace: string;
}

export const BUNDLE_PATCHES: readonly BundlePatch[];
/** The characters string-width's added fast path measures as one column each (a RegExp character class body). */
export const NARROW_CHARACTER_CLASS: string;
export const PATCHED_PACKAGES: Readonly<Record<string, string>>;
export function assertPatchedVersions(
  readFile: (path: string, encoding: 'utf8') => Promise<string>,
  resolvePackageJson: (name: string) => string,
): Promise<void>;
export function applyBundlePatches(path: string, source: string): string;
export function bundlePatchesPlugin(readFile: (path: string, encoding: 'utf8') => Promise<string>): import('esbuild').Plugin;
