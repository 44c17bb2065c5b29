export interface BundlePatch {
  /** Which dependency file the patch applies to. */
  file: RegExp;
  why: string;
  find: string;
  replace: string;
}

export const BUNDLE_PATCHES: readonly BundlePatch[];
export const PATCHED_PACKAGES: Readonly<Record<string, string>>;
export function assertPatchedVersions(
  readFile: (path: string, encoding: 'utf8') => Promise<string>,
  resolvePackageJson: (name: string) => string,
): Promise<void>;
export function applyBundlePatches(path: string, source: string): string;
export function bundlePatchesPlugin(readFile: (path: string, encoding: 'utf8') => Promise<string>): unknown;
