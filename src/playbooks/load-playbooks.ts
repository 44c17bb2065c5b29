// Finds playbook files and validates each into a Playbook. A file that does not validate is
// listed with its one-line error (`file:line:col: field: detail`) while the others load:
// nothing here throws for a bad file. Directories are read in order (shipped library,
// ./playbooks, the user's config, --playbooks), and a later directory's playbook replaces an
// earlier one with the same id (that is how a site overrides a shipped playbook); the
// replaced file is reported in `overridden`. Two files with one id in the same directory
// are a mistake: the second is invalid.

import { createHash } from 'node:crypto';
import { existsSync, promises as fs, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/config-error';
import { displayFileName, errorForSource, issueMessage, parseYamlSource, problemFromIssue, lineOfPath, type YamlSource } from '../config/located-problems';
import type { ActionRegistry } from './actions/action-registry';
import { playbookProblems, toPlaybook } from './playbook-checks';
import { playbookFileSchema } from './playbook-schema';
import type { InvalidPlaybook, Playbook, PlaybookCatalog } from './playbook-types';

const PLAYBOOK_EXTENSIONS = ['.yaml', '.yml'];

/** The library shipped in the package: `playbooks/` beside dist/ (the bundle) or the repository root (sources under vitest). */
export function shippedPlaybooksDirectory(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  // dist/opsdeck.mjs is one level below the package root, src/playbooks/*.ts two.
  for (let level = 0; level < 3; level += 1) {
    const parent = path.dirname(directory);
    if (existsSync(path.join(parent, 'package.json'))) return path.join(parent, 'playbooks');
    directory = parent;
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'playbooks');
}

export interface PlaybookDirectoryOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** --playbooks DIR, in the order given (relative to cwd). */
  extra?: readonly string[];
}

/** The directories that exist, in reading order, each once (however it was spelled). */
export function playbookDirectories(options: PlaybookDirectoryOptions = {}): string[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const configHome = nonEmpty(env['XDG_CONFIG_HOME']) ?? path.join(nonEmpty(env['HOME']) ?? os.homedir(), '.config');
  const candidates = [
    shippedPlaybooksDirectory(),
    path.join(cwd, 'playbooks'),
    path.join(configHome, 'opsdeck', 'playbooks'),
    ...(options.extra ?? []).map((directory) => path.resolve(cwd, directory)),
  ];
  const seen = new Set<string>();
  const directories: string[] = [];
  for (const candidate of candidates) {
    const real = realDirectory(candidate);
    if (real === undefined || seen.has(real)) continue;
    seen.add(real);
    directories.push(candidate);
  }
  return directories;
}

function realDirectory(candidate: string): string | undefined {
  try {
    return statSync(candidate).isDirectory() ? realpathSync(candidate) : undefined;
  } catch {
    return undefined;
  }
}

export function isInvalidPlaybook(result: Playbook | InvalidPlaybook): result is InvalidPlaybook {
  return 'error' in result;
}

export interface PlaybookTextOptions {
  /** The file as messages name it. */
  fileName: string;
  /** Absolute path, kept in the Playbook. */
  file: string;
  sha256: string;
  registry: ActionRegistry;
}

interface ParsedPlaybook {
  result: Playbook | InvalidPlaybook;
  source?: YamlSource;
}

function validatePlaybookText(text: string, options: PlaybookTextOptions): ParsedPlaybook {
  let source: YamlSource | undefined;
  try {
    source = parseYamlSource(text, options.fileName);
    const parsed = playbookFileSchema.safeParse(source.data ?? {}, { error: issueMessage });
    const problems = parsed.success ? playbookProblems(parsed.data, options.registry) : parsed.error.issues.map(problemFromIssue);
    if (problems.length > 0 || !parsed.success) throw errorForSource(problems, source);
    const lineOf = (segments: Array<string | number>) => lineOfPath(segments, source as YamlSource);
    return { result: toPlaybook(parsed.data, { file: options.file, sha256: options.sha256, registry: options.registry, lineOf }), source };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const data = source?.data;
    const id = data !== null && typeof data === 'object' && typeof (data as Record<string, unknown>)['id'] === 'string' ? ((data as Record<string, unknown>)['id'] as string) : undefined;
    return { result: { file: options.file, ...(id !== undefined ? { id } : {}), error: error.message }, ...(source ? { source } : {}) };
  }
}

/** Validates the text of a playbook file (tests, editors). */
export function parsePlaybookText(text: string, options: PlaybookTextOptions): Playbook | InvalidPlaybook {
  return validatePlaybookText(text, options).result;
}

async function readPlaybook(file: string, registry: ActionRegistry, cwd: string): Promise<ParsedPlaybook> {
  const absolute = path.resolve(cwd, file);
  const fileName = displayFileName(absolute, cwd);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absolute);
  } catch (error) {
    return { result: { file: absolute, error: `${fileName}: ${readErrorText(error)}` } };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return validatePlaybookText(bytes.toString('utf8'), { fileName, file: absolute, sha256, registry });
}

/** Reads and validates one file. Never throws: a bad file comes back as an InvalidPlaybook. */
export async function loadPlaybookFile(file: string, registry: ActionRegistry, options: { cwd?: string } = {}): Promise<Playbook | InvalidPlaybook> {
  return (await readPlaybook(file, registry, options.cwd ?? process.cwd())).result;
}

/** The playbook files of a directory (`*.yaml`, `*.yml`), sorted; none when it cannot be read. */
export async function playbookFilesIn(directory: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(directory, { withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory() && PLAYBOOK_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()))
      .map((entry) => path.join(directory, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** A playbook replaced by one with the same id from a later directory. */
export interface OverriddenPlaybook {
  id: string;
  file: string;
  /** The file that replaces it. */
  by: string;
}

export interface LoadedPlaybookCatalog extends PlaybookCatalog {
  overridden: readonly OverriddenPlaybook[];
}

export interface LoadPlaybookCatalogOptions {
  directories: readonly string[];
  registry: ActionRegistry;
  /** Files are named relative to it in messages (default: process.cwd()). */
  cwd?: string;
}

/** Loads every playbook file of the directories. Never throws for a bad file or a missing directory. */
export async function loadPlaybookCatalog(options: LoadPlaybookCatalogOptions): Promise<LoadedPlaybookCatalog> {
  const cwd = options.cwd ?? process.cwd();
  const byId = new Map<string, Playbook>();
  const invalid: InvalidPlaybook[] = [];
  const overridden: OverriddenPlaybook[] = [];
  for (const directory of options.directories) {
    const files = await playbookFilesIn(directory);
    const results = await Promise.all(files.map((file) => readPlaybook(file, options.registry, cwd)));
    const inThisDirectory = new Map<string, Playbook>();
    for (const { result, source } of results) {
      if (isInvalidPlaybook(result)) {
        invalid.push(result);
        continue;
      }
      const sameDirectory = inThisDirectory.get(result.id);
      if (sameDirectory) {
        const detail = `playbook id ${JSON.stringify(result.id)} is already used by ${displayFileName(sameDirectory.file, cwd)}`;
        invalid.push({ file: result.file, id: result.id, error: errorForSource([{ path: ['id'], detail, target: 'value' }], source as YamlSource).message });
        continue;
      }
      inThisDirectory.set(result.id, result);
      const earlier = byId.get(result.id);
      if (earlier) overridden.push({ id: result.id, file: earlier.file, by: result.file });
      byId.set(result.id, result);
    }
  }
  const playbooks = [...byId.values()].sort((left, right) => left.id.localeCompare(right.id));
  return { playbooks, invalid, directories: [...options.directories], overridden };
}

function readErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'playbook file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read playbook file: permission denied';
  if (code === 'EISDIR') return 'playbook path is a directory';
  return `cannot read playbook file: ${error instanceof Error ? error.message : String(error)}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
