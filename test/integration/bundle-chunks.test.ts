// What the cockpit loads before its first frame (dist/opsdeck.mjs, run `node scripts/build.mjs`
// first): the entry's static imports, the cockpit's chunk and the chunks it imports (Ink, the
// views, the Docker adapter), each with its static imports. Neither zod nor yaml (a config file
// loads them), nor the Kubernetes client and adapter (a Kubernetes engine does), nor the playbook
// runner, gate checks and incident service (loaded after the first frame) may be among them;
// each of those is in the bundle, so the check looks where they would be.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../support/pty';

const DIST = path.dirname(BUNDLE);
const STATIC_IMPORT = /^import\s*(?:[^;"]*?\sfrom\s*)?"(\.{1,2}\/[^"]+\.mjs)";/gm;
const DYNAMIC_IMPORT = /\bimport\("(\.{1,2}\/[^"]+\.mjs)"\)/g;

const textOf = (file: string): string => readFileSync(file, 'utf8');
const importsOf = (file: string, pattern: RegExp): string[] => [...textOf(file).matchAll(pattern)].map((match) => path.resolve(path.dirname(file), match[1]!));

function withStaticImports(files: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...files];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...importsOf(file, STATIC_IMPORT));
  }
  return seen;
}

const chunkNamed = (prefix: string): string => {
  const name = readdirSync(path.join(DIST, 'chunks')).find((file) => file.startsWith(`${prefix}-`));
  if (!name) throw new Error(`no chunk ${prefix}-*.mjs in ${DIST}/chunks (build first)`);
  return path.join(DIST, 'chunks', name);
};

const DEFERRED: ReadonlyArray<[string, RegExp]> = [
  ['zod', /^\/\/ \S*node_modules\/zod\//m],
  ['yaml', /^\/\/ \S*node_modules\/yaml\//m],
  ['@kubernetes/client-node', /^\/\/ \S*node_modules\/@kubernetes\/client-node\//m],
  ['the Kubernetes adapter', /^\/\/ src\/adapters\/kubernetes\/kubernetes-adapter\.ts$/m],
  ['the playbook runner', /^\/\/ src\/playbooks\/runner\/run-machine\.ts$/m],
  ['the built-in playbook actions', /^\/\/ src\/playbooks\/actions\/built-in-actions\.ts$/m],
  ['the gate checks', /^\/\/ src\/gates\/checks\/checker-registry\.ts$/m],
  ['the incident service', /^\/\/ src\/runtime\/incident-service\.ts$/m],
  ['the config file schema', /^\/\/ src\/config\/schema\.ts$/m],
];

describe('the bundle before the first frame', () => {
  it('holds Ink, the views, the store and the Docker adapter, and none of the code loaded later', () => {
    const cockpit = chunkNamed('run-cockpit');
    const firstFrame = withStaticImports([BUNDLE, cockpit, ...importsOf(cockpit, DYNAMIC_IMPORT), chunkNamed('docker')]);
    const loadedFirst = [...firstFrame].map(textOf).join('\n');
    expect(loadedFirst).toMatch(/^\/\/ \S*node_modules\/ink\//m);
    expect(loadedFirst).toMatch(/^\/\/ views\/App\.tsx$/m);
    expect(loadedFirst).toMatch(/^\/\/ src\/store\/create-opsdeck-store\.ts$/m);
    expect(loadedFirst).toMatch(/^\/\/ src\/adapters\/docker\/docker-adapter\.ts$/m);
    expect(loadedFirst).toMatch(/^\/\/ \S*node_modules\/dockerode\//m);

    const everything = [BUNDLE, ...readdirSync(path.join(DIST, 'chunks')).map((file) => path.join(DIST, 'chunks', file))].map(textOf).join('\n');
    for (const [name, marker] of DEFERRED) {
      expect(everything, `${name} is in the bundle`).toMatch(marker);
      expect(loadedFirst, `${name} is loaded before the first frame`).not.toMatch(marker);
    }
  });
});
