// Finds, reads and validates opsdeck.yaml. Every problem becomes a ConfigError
// whose message is one line an operator can act on:
//   opsdeck.yaml:7:14: thresholds.cpu.warning: expected a number, got "high"

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { sshConfigFileProblem, sshUrlProblem } from '../adapters/ssh/ssh-target';
import { compileErrorPatterns } from '../domain/fingerprint';
import { DEFAULT_CONFIG, DEFAULT_DOCKER_HOST, ENGINE_HOST_SCHEMES, configFileSchema, parseDuration } from './schema';
import type { ConfigFile, EngineConfig, OpsdeckConfig } from './schema';

export { DEFAULT_CONFIG, parseDuration };
export type { OpsdeckConfig };

export const CONFIG_FILE_NAME = 'opsdeck.yaml';

export class ConfigError extends Error {
  /** File as shown in the message (relative to the working directory when inside it). */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Dotted path of the offending setting, e.g. thresholds.cpu.warning or engines[0].host. */
  readonly field: string | undefined;
  readonly detail: string;

  constructor(options: { file: string; detail: string; line?: number; column?: number; field?: string }) {
    const position = options.line !== undefined ? `:${options.line}:${options.column ?? 1}` : '';
    const field = options.field ? `${options.field}: ` : '';
    super(`${options.file}${position}: ${field}${options.detail}`);
    this.name = 'ConfigError';
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.field = options.field;
    this.detail = options.detail;
  }
}

export interface LoadConfigOptions {
  /** Explicit config file (--config); it must exist. */
  path?: string;
  /** Directory searched for ./opsdeck.yaml and against which relative paths resolve. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** --docker-host: the host of the default engine when the file lists no engines. */
  dockerHost?: string;
}

export interface LoadedConfig {
  config: OpsdeckConfig;
  /** Absolute path of the file read, undefined when running on defaults. */
  source: string | undefined;
}

/**
 * Looks for the config in order: options.path, $OPSDECK_CONFIG, ./opsdeck.yaml,
 * $XDG_CONFIG_HOME/opsdeck/opsdeck.yaml, ~/.config/opsdeck/opsdeck.yaml.
 * Without a file the defaults apply. Throws ConfigError.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const found = await findConfigFile(cwd, env, options.path);
  const defaultEngine = defaultEngineConfig(env, options.dockerHost);
  if (!found) return { config: resolveConfig({}, defaultEngine), source: undefined };

  const fileName = displayName(found.path, cwd);
  let text: string;
  try {
    text = await fs.readFile(found.path, 'utf8');
  } catch (error) {
    throw new ConfigError({ file: fileName, detail: readErrorText(error) });
  }
  return { config: parseConfigText(text, { fileName, defaultEngine }), source: found.path };
}

/** Validates YAML text and applies the defaults. Throws ConfigError. */
export function parseConfigText(text: string, options: { fileName: string; defaultEngine?: EngineConfig }): OpsdeckConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const position = syntaxError.linePos?.[0];
    throw new ConfigError({
      file: options.fileName,
      detail: `invalid YAML: ${firstLine(syntaxError.message).replace(/ at line \d+, column \d+:?$/, '')}`,
      line: position?.line ?? 1,
      column: position?.col ?? 1,
    });
  }
  const data = withoutNullValues(document.toJS()) ?? {};
  const parsed = configFileSchema.safeParse(data, { error: issueMessage });
  const problems = parsed.success ? semanticProblems(parsed.data) : parsed.error.issues.map(problemFromIssue);
  if (problems.length > 0) throw errorForProblems(problems, document, lineCounter, options.fileName);
  return resolveConfig(parsed.data ?? {}, options.defaultEngine ?? defaultEngineConfig(process.env));
}

async function findConfigFile(cwd: string, env: NodeJS.ProcessEnv, explicitPath: string | undefined): Promise<{ path: string } | undefined> {
  const named = explicitPath ?? nonEmpty(env['OPSDECK_CONFIG']);
  if (named !== undefined) {
    const absolute = path.resolve(cwd, named);
    if (!(await isFile(absolute))) {
      const exists = await pathExists(absolute);
      throw new ConfigError({ file: displayName(absolute, cwd), detail: exists ? 'config path is not a file' : 'config file not found' });
    }
    return { path: absolute };
  }
  const candidates = [path.join(cwd, CONFIG_FILE_NAME)];
  const xdgConfigHome = nonEmpty(env['XDG_CONFIG_HOME']);
  if (xdgConfigHome !== undefined) candidates.push(path.join(xdgConfigHome, 'opsdeck', CONFIG_FILE_NAME));
  const home = nonEmpty(env['HOME']) ?? os.homedir();
  candidates.push(path.join(home, '.config', 'opsdeck', CONFIG_FILE_NAME));
  for (const candidate of candidates) {
    if (await isFile(candidate)) return { path: candidate };
  }
  return undefined;
}

function defaultEngineConfig(env: NodeJS.ProcessEnv, dockerHost?: string): EngineConfig {
  const fromFlag = nonEmpty(dockerHost);
  const host = fromFlag ?? nonEmpty(env['DOCKER_HOST']) ?? DEFAULT_DOCKER_HOST;
  const hostProblem = engineHostProblem(host);
  if (hostProblem) throw new ConfigError({ file: fromFlag !== undefined ? '--docker-host' : 'DOCKER_HOST', detail: hostProblem });
  return { name: 'local', type: 'docker', host };
}

function resolveConfig(file: ConfigFile, defaultEngine: EngineConfig): OpsdeckConfig {
  const defaults = DEFAULT_CONFIG;
  const levels = (kind: 'cpu' | 'memory' | 'disk') => ({
    warning: file.thresholds?.[kind]?.warning ?? defaults.thresholds[kind].warning,
    critical: file.thresholds?.[kind]?.critical ?? defaults.thresholds[kind].critical,
  });
  const since = file.logs?.since?.trim() ?? defaults.logs.since;
  return {
    engines: file.engines
      ? file.engines.map((engine) => ({ name: engine.name, type: 'docker', host: engine.host, ...(engine.sshConfig ? { sshConfig: engine.sshConfig } : {}) }))
      : [defaultEngine],
    thresholds: { cpu: levels('cpu'), memory: levels('memory'), disk: levels('disk') },
    errors: {
      patterns: [...(file.errors?.patterns ?? defaults.errors.patterns), ...(file.errors?.extraPatterns ?? [])],
      maxFingerprints: file.errors?.maxFingerprints ?? defaults.errors.maxFingerprints,
    },
    disk: { paths: [...(file.disk?.paths ?? defaults.disk.paths)] },
    logs: {
      since,
      sinceMs: parseDuration(since),
      maxLineBytes: file.logs?.maxLineBytes ?? defaults.logs.maxLineBytes,
      bufferLines: file.logs?.bufferLines ?? defaults.logs.bufferLines,
    },
  };
}

type PathSegment = string | number;

interface ConfigProblem {
  path: PathSegment[];
  detail: string;
  /** Where to point: the value (default), the key named last in path, or the enclosing mapping. */
  target: 'value' | 'key' | 'parent';
}

function semanticProblems(file: ConfigFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenNames = new Map<string, number>();
  file.engines?.forEach((engine, index) => {
    const firstIndex = seenNames.get(engine.name);
    if (firstIndex !== undefined) {
      problems.push({ path: ['engines', index, 'name'], detail: `duplicate engine name ${JSON.stringify(engine.name)} (also engines[${firstIndex}])`, target: 'value' });
    } else {
      seenNames.set(engine.name, index);
    }
    const hostProblem = engineHostProblem(engine.host);
    if (hostProblem) problems.push({ path: ['engines', index, 'host'], detail: hostProblem, target: 'value' });
    const sshConfigProblem = engine.sshConfig !== undefined ? sshConfigFileProblem(engine.host, engine.sshConfig) : undefined;
    if (sshConfigProblem) problems.push({ path: ['engines', index, 'sshConfig'], detail: sshConfigProblem, target: 'value' });
  });
  for (const kind of ['cpu', 'memory', 'disk'] as const) {
    const given = file.thresholds?.[kind];
    const warning = given?.warning ?? DEFAULT_CONFIG.thresholds[kind].warning;
    const critical = given?.critical ?? DEFAULT_CONFIG.thresholds[kind].critical;
    if (warning >= critical) {
      const field = given?.warning !== undefined ? 'warning' : 'critical';
      problems.push({ path: ['thresholds', kind, field], detail: `warning (${warning}) must be below critical (${critical})`, target: 'value' });
    }
  }
  for (const key of ['patterns', 'extraPatterns'] as const) {
    file.errors?.[key]?.forEach((source, index) => {
      try {
        compileErrorPatterns([source]);
      } catch (error) {
        problems.push({ path: ['errors', key, index], detail: (error as Error).message.replace(/^error pattern #1 /, 'pattern '), target: 'value' });
      }
    });
  }
  file.disk?.paths?.forEach((diskPath, index) => {
    if (!path.isAbsolute(diskPath)) {
      problems.push({ path: ['disk', 'paths', index], detail: `expected an absolute path, got ${JSON.stringify(diskPath)}`, target: 'value' });
    }
  });
  if (file.logs?.since !== undefined) {
    try {
      if (parseDuration(file.logs.since) <= 0) {
        problems.push({ path: ['logs', 'since'], detail: 'must be longer than 0', target: 'value' });
      }
    } catch (error) {
      problems.push({ path: ['logs', 'since'], detail: (error as Error).message, target: 'value' });
    }
  }
  return problems;
}

function engineHostProblem(host: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i.exec(host);
  const scheme = (match?.[1] ?? '').toLowerCase();
  if (scheme === 'ssh') return sshUrlProblem(host);
  if (match && ENGINE_HOST_SCHEMES.includes(scheme)) return undefined;
  const schemes = ENGINE_HOST_SCHEMES.map((scheme) => `${scheme}://`);
  return `expected a ${schemes.slice(0, -1).join(', ')} or ${schemes[schemes.length - 1] ?? ''} URL, got ${JSON.stringify(host)}`;
}

function problemFromIssue(issue: z.core.$ZodIssue): ConfigProblem {
  const issuePath = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return { path: [...issuePath, issue.keys[0] ?? ''], detail: issue.message, target: 'key' };
  }
  if (issue.code === 'invalid_type' && issue.message === MISSING_KEY_MESSAGE) {
    return { path: issuePath, detail: issue.message, target: 'parent' };
  }
  return { path: issuePath, detail: issue.message, target: 'value' };
}

const MISSING_KEY_MESSAGE = 'required key is missing';

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  boolean: 'true or false',
};

/** zod error map: messages phrased for someone editing YAML. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return MISSING_KEY_MESSAGE;
      return `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, ${got}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      const known = shape ? Object.keys(shape) : [];
      return known.length > 0 ? `unknown key (expected one of: ${known.join(', ')})` : 'unknown key';
    }
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, ${got}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}, ${got}`;
    default:
      return undefined;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function errorForProblems(problems: ConfigProblem[], document: Document, lineCounter: LineCounter, fileName: string): ConfigError {
  const located = problems.map((problem) => ({ problem, position: positionOf(problem, document, lineCounter) }));
  located.sort((left, right) => left.position.line - right.position.line || left.position.col - right.position.col);
  const first = located[0] as (typeof located)[number];
  const others = problems.length - 1;
  const suffix = others > 0 ? ` (and ${others} more problem${others === 1 ? '' : 's'})` : '';
  return new ConfigError({
    file: fileName,
    line: first.position.line,
    column: first.position.col,
    field: fieldName(first.problem.path) || undefined,
    detail: first.problem.detail + suffix,
  });
}

/** Line and column (1-based) of the node a problem is about, or of its nearest existing ancestor. */
function positionOf(problem: ConfigProblem, document: Document, lineCounter: LineCounter): { line: number; col: number } {
  const segments = problem.target === 'parent' ? problem.path.slice(0, -1) : problem.path;
  let node: unknown = document.contents;
  let offset = rangeStart(node) ?? 0;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as PathSegment;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const keyOffset = rangeStart(pair.key);
      const valueOffset = rangeStart(pair.value);
      const wantsKey = problem.target === 'key' && index === segments.length - 1;
      offset = wantsKey || valueOffset === undefined || isNullScalar(pair.value) ? (keyOffset ?? offset) : valueOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const itemOffset = rangeStart(item);
      if (itemOffset === undefined) break;
      offset = itemOffset;
      node = item;
    } else {
      break;
    }
  }
  return lineCounter.linePos(offset);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function isNullScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

/** thresholds.cpu.warning, engines[0].host */
function fieldName(segments: readonly PathSegment[]): string {
  let name = '';
  for (const segment of segments) {
    name += typeof segment === 'number' ? `[${segment}]` : name === '' ? segment : `.${segment}`;
  }
  return name;
}

/** Drops mapping keys whose value is empty (`key:` with nothing after it), so they take their default. */
function withoutNullValues(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item: unknown) => (item === null ? item : withoutNullValues(item)));
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== null && entry !== undefined) result[key] = withoutNullValues(entry);
    }
    return result;
  }
  return value;
}

function displayName(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}

function readErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'config file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read config file: permission denied';
  if (code === 'EISDIR') return 'config path is a directory';
  return `cannot read config file: ${error instanceof Error ? error.message : String(error)}`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

async function isFile(candidate: string): Promise<boolean> {
  try {
    return (await fs.stat(candidate)).isFile();
  } catch {
    return false;
  }
}

async function pathExists(candidate: string): Promise<boolean> {
  try {
    await fs.stat(candidate);
    return true;
  } catch {
    return false;
  }
}
